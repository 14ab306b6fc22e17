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
