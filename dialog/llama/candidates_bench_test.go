//go:build llama

package llama

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

// BenchmarkCandidates is the cost of best of three and of four
// (brain.sampling.candidates) on Gemma 3 270M with the cat adapter, at the brain's
// sampling defaults: the replies one after another (as before side by
// side decoding) and side by side in one batch a token, each
// against one reply in the same round (the floor), so machine load hits
// all alike. It reports ms per turn (prompt cached, as in a
// conversation) and the two ratios to one reply (docs/models.md).
func BenchmarkCandidates(b *testing.B) {
	for _, n := range []int{3, 4} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchCandidates(b, n) })
	}
}

func benchCandidates(b *testing.B, n int) {
	g, f := openCatBench(b, n)
	var one, seq, side float64
	var oneTok, seqTok, sideTok int
	for i := -1; i < b.N; i++ {
		s := dialog.NewScript(nil, dialog.Request{Text: benchAsks[(i+len(benchAsks))%len(benchAsks)], Mood: "happy"}, dialog.ScriptOptions{})
		pre, rest := f.render(s)
		req := genRequest{Prefix: pre, Prompt: rest, MaxTokens: 60, Stop: f.stop, Score: true,
			Sampling: sampling{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, RepeatPenalty: 1.1, RepeatLastN: 64, Seed: uint32(i + 100)}}
		// Read the prompt once, untimed, as the turn before would have.
		if _, err := g.prepare(context.Background(), append(must(g.tokenizeAll(pre, true)), must(g.tokenizeAll(rest, false))...)); err != nil {
			b.Fatal(err)
		}
		var oneMS, seqMS float64
		var ot, stt int
		for k := range n {
			r := req
			r.Sampling.Seed += uint32(k)
			st, _, err := g.run(context.Background(), r, func(string) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
			if k == 0 {
				oneMS, ot = st.PromptMS+st.GenerateMS, st.GeneratedTokens
			}
			seqMS += st.PromptMS + st.GenerateMS
			stt += st.GeneratedTokens
		}
		st, _, _, err := g.runMany(context.Background(), req, n, nil)
		if err != nil {
			b.Fatal(err)
		}
		if i >= 0 { // the first round faults in the weights
			one, seq, side = one+oneMS, seq+seqMS, side+st.PromptMS+st.GenerateMS
			oneTok, seqTok, sideTok = oneTok+ot, seqTok+stt, sideTok+st.GeneratedTokens
		}
	}
	rounds := float64(b.N)
	b.ReportMetric(one/rounds, "one-ms/turn")
	b.ReportMetric(seq/rounds, "after-ms/turn")
	b.ReportMetric(side/rounds, "side-ms/turn")
	b.ReportMetric(seq/one, "after/one")
	b.ReportMetric(side/one, "side/one")
	b.ReportMetric(float64(oneTok)/rounds, "one-tok/turn")
	b.ReportMetric(float64(sideTok)/rounds, "side-tok/turn")
	b.ReportMetric(float64(seqTok)/rounds, "after-tok/turn")
}

// benchAsks are the owner's words the cat-adapter benchmarks take turns with.
var benchAsks = []string{"I'm home! Did you miss me?", "我今天有点累。", "What shall we do this evening?", "你饿不饿？"}

// catBenchModel is Gemma 3 270M and the committed cat adapter, skipping
// the benchmark without the model (make models).
func catBenchModel(b *testing.B) (base, adapter string) {
	base, dir := findRealModel("gemma3")
	if base == "" {
		b.Skipf("no gemma3 model in %s (make models)", dir)
	}
	adapter, _ = filepath.Abs("../../training/adapter/purrd-cat-gemma3-270m.lora.gguf")
	if _, err := os.Stat(adapter); err != nil {
		b.Fatalf("the committed cat adapter is missing: %v", err) // it ships with the repository
	}
	return base, adapter
}

// openCatBench opens the cat model with seqs sequences of 1,024 tokens,
// with the settings the brain would choose, and its prompt format.
func openCatBench(b *testing.B, seqs int) (*generator, chatFormat) {
	base, adapter := catBenchModel(b)
	info, err := gguf.Check(base, gguf.CheckOptions{})
	if err != nil {
		b.Fatal(err)
	}
	e, err := openEngine(benchEngineConfig(b, base, engineConfig{Adapter: adapter, AdapterScale: 1, Context: 1024, Seqs: seqs}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.close)
	return &generator{t: e}, detectFormat(info.ChatTemplate)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// BenchmarkGuidance is the cost of guidance (brain.sampling.guidance) on
// Gemma 3 270M with the cat adapter: one guided reply (two sequences, a
// batch of two a token) against one plain reply in the same round (the
// floor), at the brain's sampling defaults. It reports ms per reply
// (prompt cached), time to the first token, and the ratios.
func BenchmarkGuidance(b *testing.B) {
	g, f := openCatBench(b, 2)
	var plainMS, guidedMS, plainFirst, guidedFirst float64
	var plainTok, guidedTok int
	for i := -1; i < b.N; i++ {
		s := dialog.NewScript(nil, dialog.Request{Text: benchAsks[(i+len(benchAsks))%len(benchAsks)], Mood: "happy"}, dialog.ScriptOptions{})
		pre, rest := f.render(s)
		req := genRequest{Prefix: pre, Prompt: rest, MaxTokens: 60, Stop: f.stop,
			Sampling: sampling{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, RepeatPenalty: 1.1, RepeatLastN: 64, Seed: uint32(i + 100)}}
		if _, err := g.prepare(context.Background(), append(must(g.tokenizeAll(pre, true)), must(g.tokenizeAll(rest, false))...)); err != nil {
			b.Fatal(err)
		}
		plain, _, err := g.run(context.Background(), req, func(string) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		req.Guidance, req.Neutral = 1, f.unprompted(s)
		guided, _, err := g.run(context.Background(), req, func(string) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		if i >= 0 {
			plainMS += plain.PromptMS + plain.GenerateMS
			guidedMS += guided.PromptMS + guided.GenerateMS
			plainFirst += plain.FirstTokenMS
			guidedFirst += guided.FirstTokenMS
			plainTok += plain.GeneratedTokens
			guidedTok += guided.GeneratedTokens
		}
	}
	n := float64(b.N)
	b.ReportMetric(plainMS/n, "plain-ms/reply")
	b.ReportMetric(guidedMS/n, "guided-ms/reply")
	b.ReportMetric(plainFirst/n, "plain-first-ms")
	b.ReportMetric(guidedFirst/n, "guided-first-ms")
	b.ReportMetric(float64(plainTok)/plainMS*1000, "plain-tok/s")
	b.ReportMetric(float64(guidedTok)/guidedMS*1000, "guided-tok/s")
	b.ReportMetric((float64(plainTok)/plainMS)/(float64(guidedTok)/guidedMS), "plain/guided-tok/s")
}
