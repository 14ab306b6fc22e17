//go:build llama

package llama

import (
	"context"
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
