//go:build llama

package llama

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// referenceGuided replays toks in two contexts of their own, one after
// the conversation and one after the neutral prompt, and returns the
// guided logits before each token: what a guided reply must have been
// sampled from.
func referenceGuided(t *testing.T, model string, pre, prompt, neutral []Segment, toks []int, w, floor float32) [][]float32 {
	t.Helper()
	odds := func(prompt []Segment) [][]float32 {
		e, err := openEngine(engineConfig{Model: model, Threads: 1, Context: 256, Batch: 64})
		if err != nil {
			t.Fatal(err)
		}
		defer e.close()
		g := &generator{t: e}
		all, err := g.tokenizeAll(append(append([]Segment(nil), pre...), prompt...), true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.prepare(context.Background(), all); err != nil {
			t.Fatal(err)
		}
		out := [][]float32{e.lastLogits()}
		if _, err := e.evalAll(context.Background(), toks[:len(toks)-1], len(all), func(_ int, l []float32) {
			out = append(out, append([]float32(nil), l...))
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	c, u := odds(prompt), odds(neutral)
	for i := range c {
		mixGuided(c[i], u[i], w, floor)
	}
	return c
}

// A guided reply's every token is among the best of the guided odds that
// two separate contexts give, so sequence 1 really holds the neutral
// prompt and the reply so far, on every path: the first reply (sequence
// 1 copied from 0), the next (its cache reused), after candidates emptied
// it, and after the neutral prompt changed.
func TestEngineGuidance(t *testing.T) {
	model := tinyModel(t, gguf.F16, false)
	e, err := openEngine(engineConfig{Model: model, Threads: 1, Context: 256, Batch: 64, Seqs: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	g := &generator{t: e}
	pre, pr := chatml("You are a cat.", "hello cat")
	if _, err := g.warm(context.Background(), pre); err != nil {
		t.Fatal(err)
	}
	_, neutral := chatml("You are a cat.", "")
	neutral = neutral[2:]
	const w = 1.5
	greedy := sampling{Temperature: 0, MinP: 0.1}
	req := genRequest{Prefix: pre, Prompt: pr, MaxTokens: 10, Score: true, Sampling: greedy, Guidance: w, Neutral: neutral}
	floor := float32(math.Log(0.1))
	check := func(name string, req genRequest) string {
		t.Helper()
		var text strings.Builder
		if _, _, err := g.run(context.Background(), req, func(s string) error { text.WriteString(s); return nil }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		toks := append([]int(nil), g.sampled...)
		ref := referenceGuided(t, model, pre, req.Prompt, req.Neutral, toks, w, floor)
		for i, tok := range toks {
			best := ref[i][0]
			for _, v := range ref[i] {
				best = max(best, v)
			}
			if ref[i][tok] < best-0.05 {
				t.Fatalf("%s: token %d (%d) has guided logit %g, the best %g: not sampled from the guided odds", name, i, tok, ref[i][tok], best)
			}
		}
		return text.String()
	}
	first := check("first reply", req)
	if again := check("second reply", req); again != first {
		t.Errorf("the same greedy request wrote %q, then %q", first, again)
	}
	var plain strings.Builder
	unguided := req
	unguided.Guidance = 0
	if _, _, err := g.run(context.Background(), unguided, func(s string) error { plain.WriteString(s); return nil }); err != nil {
		t.Fatal(err)
	}
	if plain.String() == first {
		t.Errorf("guidance %g changed nothing: %q", float64(w), first)
	}
	if _, _, _, err := g.runMany(context.Background(), genRequest{Prefix: pre, Prompt: pr, MaxTokens: 6, Sampling: sampling{Temperature: 0.8, Seed: 1}}, 3, nil); err != nil {
		t.Fatal(err)
	}
	if after := check("after candidates", req); after != first {
		t.Errorf("after candidates the same greedy request wrote %q, before %q", after, first)
	}
	other := req
	_, other.Neutral = chatml("You are a cat.", "purr")
	check("another neutral prompt", other)
	// A neutral prompt sharing much of the conversation (as the
	// conversation without the owner's last words does): sequence 1 is
	// then copied from sequence 0 and cut where they part.
	long := req
	long.Prompt = append([]Segment{{Text: "<|im_start|>user\nI had a long day at work, the trains were late again<|im_end|>\n", Special: true}}, pr...)
	long.Neutral = append([]Segment{long.Prompt[0]}, neutral...)
	check("a neutral prompt sharing the history", long)
}

func TestMixGuided(t *testing.T) {
	inf := float32(math.Inf(-1))
	c := []float32{2, 1, -5, 1.5}
	u := []float32{2, 0, 0, 3}
	got := mixGuided(c, u, 1, float32(math.Log(0.1)))
	// Within ln(0.1) = -2.30 of the best (2): tokens 0, 1 and 3.
	want := []float32{2, 2, inf, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("mixGuided = %v, want %v", got, want)
		}
	}
	if got := mixGuided([]float32{1, 2}, []float32{5, 5}, 0, -100); got[0] != 1 || got[1] != 2 {
		t.Errorf("weight 0 changed the logits: %v", got)
	}
}

// The brain process says why it cannot guide when the load asked for one
// sequence only, and guides when it asked for two.
func TestServeGuidance(t *testing.T) {
	model := tinyModel(t, gguf.Q8_0, false)
	pre, pr := chatml("You are a cat.", "hello cat")
	_, neutral := chatml("You are a cat.", "")
	for _, seqs := range []int{1, 2} {
		var in bytes.Buffer
		w := &lineWriter{w: &in}
		_ = w.send(msg{Op: opLoad, Model: model, Threads: 1, Context: 256, Batch: 64, Prefix: pre, Seqs: seqs})
		_ = w.send(msg{Op: opGenerate, ID: "g", Prompt: pr, MaxTokens: 8, Seed: 5, Guidance: 1, Neutral: neutral[2:]})
		var out bytes.Buffer
		if err := serve(context.Background(), serveConfig{in: &in, out: &out, errOut: io.Discard}); err != nil {
			t.Fatal(err)
		}
		var done msg
		var text string
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var m msg
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatal(err)
			}
			switch m.Ev {
			case evToken:
				text += m.Text
			case evDone:
				done = m
			}
		}
		if seqs == 1 && (done.Reason != ReasonError || !strings.Contains(done.Error, "two sequences")) {
			t.Errorf("one sequence: done %+v, want an error naming the two sequences", done)
		}
		if seqs == 2 && (done.Error != "" || text == "" || done.Stats == nil || done.Stats.GeneratedTokens == 0) {
			t.Errorf("two sequences: %q, done %+v", text, done)
		}
	}
}
