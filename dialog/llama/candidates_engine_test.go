//go:build llama

package llama

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// Candidates decoded side by side must each be what its own sequence
// alone would give: the log-probability summed while sampling in the
// shared batch equals the one a context holding only that candidate
// gives its tokens. Decoding them in the wrong sequence (or letting one
// see another's tokens) breaks that at once.
func TestEngineCandidatesSideBySide(t *testing.T) {
	model := tinyModel(t, gguf.Q8_0, false)
	many, err := openEngine(engineConfig{Model: model, Threads: 1, Context: 256, Batch: 64, Seqs: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(many.close)
	alone := openTiny(t, gguf.Q8_0, false)
	g, ref := &generator{t: many}, &generator{t: alone}
	pre, pr := chatml("You are a cat.", "hello cat")
	req := genRequest{Prefix: pre, Prompt: pr, MaxTokens: 12, Sampling: sampling{Temperature: 0.9, TopK: 40, TopP: 0.95, Seed: 7}}

	// What one reply of sequence 0 writes before any candidates.
	before, err := runText(g, req)
	if err != nil {
		t.Fatal(err)
	}
	ticks := 0
	st, cands, reason, err := g.runMany(context.Background(), req, 3, func() error { ticks++; return nil })
	if err != nil || reason == ReasonCancelled {
		t.Fatalf("runMany: %v (%s)", err, reason)
	}
	if len(cands) != 3 {
		t.Fatalf("%d candidates, want 3", len(cands))
	}
	texts := map[string]bool{}
	total := 0
	for k, c := range cands {
		if len(c.Tokens) == 0 || c.LogProb >= 0 {
			t.Fatalf("candidate %d: %d tokens, log-probability %g", k, len(c.Tokens), c.LogProb)
		}
		lp, err := ref.score(context.Background(), pre, pr, c.Tokens)
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(lp - c.LogProb); d > 0.02*float64(len(c.Tokens)) {
			t.Errorf("candidate %d (%q): sampled side by side with log-probability %g, a context of its own gives %g", k, c.Text, c.LogProb, lp)
		}
		texts[c.Text] = true
		total += c.Generated
	}
	if len(texts) < 2 {
		t.Errorf("three seeds wrote one text: %q", cands[0].Text)
	}
	if st.GeneratedTokens != total || ticks == 0 {
		t.Errorf("stats say %d tokens, candidates %d; %d ticks", st.GeneratedTokens, total, ticks)
	}
	// Sequence 0 holds the prompt again: the next reply reuses it and
	// writes what it wrote before the candidates.
	var again string
	st1, _, err := g.run(context.Background(), req, func(s string) error { again += s; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if st1.EvaluatedTokens != 1 || again != before {
		t.Errorf("after candidates: %d prompt tokens evaluated (want 1), wrote %q (before %q)", st1.EvaluatedTokens, again, before)
	}
	if _, _, _, err := g.runMany(context.Background(), req, 4, nil); err == nil {
		t.Error("4 candidates in a context of 3 sequences: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, cands, reason, err := g.runMany(ctx, req, 3, nil); err != nil || reason != ReasonCancelled || cands != nil {
		t.Errorf("cancelled: %d candidates, %s, %v", len(cands), reason, err)
	}
	if again, err := runText(g, req); err != nil || again != before {
		t.Errorf("after a cancelled run: %q, %v (before %q)", again, err, before)
	}
}

func runText(g *generator, req genRequest) (string, error) {
	var s string
	_, _, err := g.run(context.Background(), req, func(t string) error { s += t; return nil })
	return s, err
}

// The brain process answers a generate with candidates with a candidate
// event each, with its score, then the done message with a prior for
// each; a load that asked for fewer sequences than candidates gets an
// error naming them, not a guess.
func TestServeCandidates(t *testing.T) {
	model := tinyModel(t, gguf.Q8_0, false)
	pre, pr := chatml("You are a cat.", "hello cat")
	_, neutral := chatml("You are a cat.", "")
	temp := float32(0.9)
	for _, seqs := range []int{1, 3} {
		t.Run(fmt.Sprintf("seqs=%d", seqs), func(t *testing.T) {
			var in bytes.Buffer
			w := &lineWriter{w: &in}
			if err := w.send(msg{Op: opLoad, Model: model, Threads: 1, Context: 256, Batch: 64, Prefix: pre, PriorContext: 128, Seqs: seqs}); err != nil {
				t.Fatal(err)
			}
			if err := w.send(msg{Op: opGenerate, ID: "g", Prompt: pr, MaxTokens: 12, Seed: 5, Temperature: &temp, Candidates: 3, Neutral: neutral[2:]}); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := serve(context.Background(), serveConfig{in: &in, out: &out, errOut: io.Discard}); err != nil {
				t.Fatal(err)
			}
			var cands []msg
			var done *msg
			for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				var m msg
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				switch m.Ev {
				case evCandidate:
					cands = append(cands, m)
				case evDone:
					done = &m
				case evError:
					t.Fatalf("error event: %s", m.Error)
				}
			}
			if seqs < 3 {
				if done == nil || done.Reason != ReasonError || !strings.Contains(done.Error, "sequences") || len(cands) != 0 {
					t.Fatalf("%d sequences for 3 candidates: %d candidates, done %+v", seqs, len(cands), done)
				}
				return
			}
			if len(cands) != 3 || done == nil {
				t.Fatalf("%d candidates, done %v:\n%s", len(cands), done != nil, out.String())
			}
			sum := 0
			for i, c := range cands {
				if c.Stats == nil || c.Stats.ScoredTokens == 0 || c.Stats.LogProb >= 0 || c.Text == "" {
					t.Errorf("candidate %d: %q, stats %+v", i, c.Text, c.Stats)
					continue
				}
				sum += c.Stats.GeneratedTokens
			}
			if done.Error != "" || len(done.Priors) != 3 || done.Stats == nil || done.Stats.GeneratedTokens != sum {
				t.Fatalf("done: %+v, stats %+v; candidates made %d tokens", *done, done.Stats, sum)
			}
			for i, p := range done.Priors {
				if p >= 0 {
					t.Errorf("prior %d is %g, want a log-probability below 0", i, p)
				}
			}
		})
	}
}
