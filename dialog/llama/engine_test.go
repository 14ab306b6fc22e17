//go:build llama

package llama

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

// tinyModel writes (once per test binary run) a tiny model and returns its path.
func tinyModel(t testing.TB, typ gguf.TensorType, eos bool) string {
	t.Helper()
	name := "tiny-" + strings.ToLower(typ.String())
	if eos {
		name += "-eos"
	}
	p := filepath.Join(testModels, name+".gguf")
	if err := gguftest.WriteTinyFile(p, gguftest.TinyConfig{Seed: 7, Type: typ, FavourEOS: eos}); err != nil {
		t.Fatal(err)
	}
	return p
}

func openTiny(t testing.TB, typ gguf.TensorType, eos bool) *cppEngine {
	t.Helper()
	e, err := openEngine(engineConfig{Model: tinyModel(t, typ, eos), Threads: 1, Context: 512, Batch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	return e
}

func chatml(system, user string) (prefix, prompt []Segment) {
	prefix = []Segment{{Text: "<|im_start|>system\n", Special: true}, {Text: system}, {Text: "<|im_end|>\n", Special: true}}
	prompt = []Segment{{Text: "<|im_start|>user\n", Special: true}, {Text: user}, {Text: "<|im_end|>\n<|im_start|>assistant\n", Special: true}}
	return
}

func TestEngineGenerates(t *testing.T) {
	for _, typ := range []gguf.TensorType{gguf.F16, gguf.Q8_0, gguf.Q4_0} {
		t.Run(typ.String(), func(t *testing.T) {
			e := openTiny(t, typ, false)
			g := &generator{t: e}
			pre, pr := chatml("You are a cat.", "hello cat")
			var pieces []string
			st, reason, err := g.run(context.Background(), genRequest{Prefix: pre, Prompt: pr, MaxTokens: 12, Sampling: sampling{Temperature: 0.8, TopK: 40, TopP: 0.95, Seed: 1}},
				func(s string) error { pieces = append(pieces, s); return nil })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: reason %s stats %+v text %q", typ, reason, st, strings.Join(pieces, ""))
		})
	}
}

// The odds a reply is scored with are the odds it was sampled with:
// scoring the sampled tokens after the same prompt gives the log-
// probability the run added up token by token (one decode per token
// there, one batch here), and scoring them after another prompt (the
// neutral one of Options.Specificity) gives other odds. Scoring moves
// the KV cache; the next run must not notice.
func TestEngineScoresWhatItSampled(t *testing.T) {
	e := openTiny(t, gguf.Q8_0, false)
	g := &generator{t: e}
	pre, pr := chatml("You are a cat.", "hello cat")
	req := genRequest{Prefix: pre, Prompt: pr, MaxTokens: 12, Score: true, Sampling: sampling{Temperature: 0.8, TopK: 40, TopP: 0.95, Seed: 3}}
	var first strings.Builder
	st, _, err := g.run(context.Background(), req, func(s string) error { first.WriteString(s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	toks := append([]int(nil), g.sampled...)
	if len(toks) == 0 || st.LogProb >= 0 {
		t.Fatalf("run scored %d tokens, log-probability %g: want some, below 0", len(toks), st.LogProb)
	}
	lp, err := g.score(context.Background(), pre, pr, toks)
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(lp - st.LogProb); d > 0.01*float64(len(toks)) {
		t.Errorf("scored %g, sampled with %g (%d tokens)", lp, st.LogProb, len(toks))
	}
	_, neutral := chatml("You are a cat.", "")
	prior, err := g.score(context.Background(), pre, neutral[2:], toks)
	if err != nil {
		t.Fatal(err)
	}
	if prior >= 0 || math.Abs(prior-lp) < 1e-6 {
		t.Errorf("prior %g after another prompt, %g after the owner's: want another value below 0", prior, lp)
	}
	if _, err := g.score(context.Background(), pre, pr, toks[:1]); err != nil {
		t.Errorf("scoring one token: %v", err)
	}
	if _, err := g.score(context.Background(), pre, pr, nil); err == nil {
		t.Error("scoring nothing: no error")
	}
	var again strings.Builder
	if _, _, err := g.run(context.Background(), req, func(s string) error { again.WriteString(s); return nil }); err != nil {
		t.Fatal(err)
	}
	if again.String() != first.String() {
		t.Errorf("after scoring, the same seed wrote %q, before %q", again.String(), first.String())
	}
}
