package llama

import (
	"errors"
	"io"
	"os"
	"time"
)

// Words of the fake brain: two sentences in three tokens.
// The first piece runs into the next sentence: the splitter ends a
// sentence when it sees what follows ("Dr. Paws" is one).
const fakeFirst, fakeRest = "Mrrp. I", " am here."

// fakeBrain answers the JSON line protocol like a brain process with a
// loaded model, without an engine. Each generate sends fakeFirst, then,
// when dir is not empty, waits (up to 10 s) for the file <dir>/heard
// before sending fakeRest: a test creates it when the first sentence
// reached it, which proves sentences are not held back.
func fakeBrain(dir string) int {
	in := newLineReader(os.Stdin)
	out := &lineWriter{w: os.Stdout}
	for {
		m, err := in.next()
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			_ = out.send(msg{Ev: evError, Error: err.Error()})
			continue
		}
		switch m.Op {
		case opLoad:
			_ = out.send(msg{Ev: evReady, Load: &LoadStats{Architecture: "fake", PrefixTokens: 1}})
		case opStats:
			_ = out.send(msg{Ev: evStats, Load: &LoadStats{Architecture: "fake", RSSKB: 1}})
		case opGenerate:
			if m.Candidates > 1 {
				sendFakeCandidates(out, m)
				continue
			}
			_ = out.send(msg{Ev: evToken, ID: m.ID, Text: fakeFirst})
			if dir != "" {
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
					if _, err := os.Stat(dir + "/heard"); err == nil {
						break
					}
				}
			}
			_ = out.send(msg{Ev: evToken, ID: m.ID, Text: fakeRest})
			_ = out.send(msg{Ev: evDone, ID: m.ID, Reason: ReasonEOG, Stats: &Stats{Reason: ReasonEOG, GeneratedTokens: 3}})
		}
		// A cancel comes after its generate is answered: nothing to stop.
	}
}

// fakeCandidates are what the fake brain writes when asked for
// candidates, with made-up odds (per 4 tokens) after the conversation
// (LogProb) and after the neutral prompt (prior). Ranked by LogProb the
// stock line wins; with specificity 0.5 the one that owes most to the
// conversation does; the likeliest of all is in the wrong language.
var fakeCandidates = []struct {
	text         string
	logProb, pri float64
}{
	{"I'm here.", -4, -4},                     // 0: -1 per token; specificity 0.5: -0.5
	{"A kettle! Tea for you?", -6, -16},       // 1: -1.5; 0.5: +0.5
	{"喵，我在这儿。", -1, -20},                      // 2: refused: not the owner's language
	{"Purr. I'll sit by the kettle.", -8, -8}, // 3: -2; 0.5: -1
}

// fakeCandidateTime is how long the fake takes to write one candidate,
// saying it is working every third of it.
const fakeCandidateTime = 450 * time.Millisecond

func sendFakeCandidates(out *lineWriter, m msg) {
	var priors []float64
	for _, c := range fakeCandidates[:min(m.Candidates, len(fakeCandidates))] {
		// Each candidate takes a while, with a sign of life in between,
		// like the engine's heartbeat.
		for range 3 {
			_ = out.send(msg{Ev: evWorking, ID: m.ID})
			time.Sleep(fakeCandidateTime / 3)
		}
		_ = out.send(msg{Ev: evCandidate, ID: m.ID, Text: c.text, Reason: ReasonEOG,
			Stats: &Stats{Reason: ReasonEOG, GeneratedTokens: 3, LogProb: c.logProb, ScoredTokens: 4}})
		priors = append(priors, c.pri)
	}
	if len(m.Neutral) == 0 {
		priors = nil
	}
	_ = out.send(msg{Ev: evDone, ID: m.ID, Reason: ReasonEOG, Priors: priors, Stats: &Stats{Reason: ReasonEOG, GeneratedTokens: 12}})
}

// crashingBrain loads, then dies after a while: an engine that crashes
// soon after every load.
func crashingBrain(after time.Duration) int {
	in := newLineReader(os.Stdin)
	out := &lineWriter{w: os.Stdout}
	if m, err := in.next(); err != nil || m.Op != opLoad {
		return 3
	}
	_ = out.send(msg{Ev: evReady, Load: &LoadStats{Architecture: "fake"}})
	time.Sleep(after)
	os.Stderr.WriteString("fake engine: crashing on purpose\n")
	return 2
}
