//go:build llama

package llama

import (
	"context"
	"testing"

	"github.com/purrd/purrd/dialog"
)

// BenchmarkAdapterGeneration compares generation speed of Gemma 3 270M
// with the committed cat adapter against the bare base model: same
// engine, prompt, threads and greedy sampling, the two alternating so
// machine load hits both alike. The figure is adapter/base-% (docs/models.md).
func BenchmarkAdapterGeneration(b *testing.B) {
	base, adapter := catBenchModel(b)
	open := func(adapter string) *generator {
		e, err := openEngine(benchEngineConfig(b, base, engineConfig{Adapter: adapter, AdapterScale: 1, Context: 1024}))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(e.close)
		return &generator{t: e}
	}
	plain, tuned := open(""), open(adapter)
	f := detectFormat("")
	s := dialog.NewScript(nil, dialog.Request{Text: "Tell me about your day, little cat.", Mood: "happy"}, dialog.ScriptOptions{NoShots: true})
	pre, rest := f.render(s)
	// No stop string: each generates up to MaxTokens (or to its end token);
	// speed counts the tokens each made.
	req := genRequest{Prefix: pre, Prompt: rest, MaxTokens: 48, Sampling: sampling{Temperature: 0, TopK: 40, TopP: 0.9, MinP: 0.05, RepeatPenalty: 1.1, RepeatLastN: 64}}
	var ms [2]float64
	var toks [2]int
	for i := -1; i < b.N; i++ {
		for k, g := range []*generator{plain, tuned} {
			st, _, err := g.run(context.Background(), req, func(string) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
			if i >= 0 { // the first round faults in the weights
				ms[k] += st.GenerateMS
				toks[k] += st.GeneratedTokens
			}
		}
	}
	base1, tuned1 := float64(toks[0])/ms[0]*1000, float64(toks[1])/ms[1]*1000
	b.ReportMetric(base1, "base-tok/s")
	b.ReportMetric(tuned1, "adapter-tok/s")
	b.ReportMetric(100*tuned1/base1, "adapter/base-%")
}
