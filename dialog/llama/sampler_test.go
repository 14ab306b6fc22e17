package llama

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func fixedLogits(l []float32) func() []float32 {
	return func() []float32 { return slices.Clone(l) }
}

func TestChainSamplerGreedyAndPenalties(t *testing.T) {
	l := []float32{1, 5, 4.8, -2, 0}
	s := newChainSampler(sampling{Temperature: 0, RepeatLastN: 4, RepeatPenalty: 1.1}, fixedLogits(l))
	if got := s.sample(); got != 1 {
		t.Fatalf("greedy = %d, want 1", got)
	}
	// Token 1 said once: 5/1.1 = 4.55 < 4.8, so 2 wins.
	s.accept(1)
	if got := s.sample(); got != 2 {
		t.Errorf("after a penalty on 1, greedy = %d, want 2", got)
	}
	// The window forgets: after four other tokens, 1 is free again.
	for _, tok := range []int{0, 3, 4, 0} {
		s.accept(tok)
	}
	if got := s.sample(); got != 1 || s.counts[1] != 0 || len(s.prev) != 4 {
		t.Errorf("after the window moved on: greedy = %d, counts %v, prev %v", got, s.counts, s.prev)
	}
	// Negative logits are multiplied (made less likely), and frequency and
	// presence penalties subtract.
	s = newChainSampler(sampling{Temperature: 0, RepeatLastN: 8, RepeatPenalty: 2, FrequencyPenalty: 0.5, PresencePenalty: 1},
		fixedLogits([]float32{-1, -1.5}))
	s.accept(0)
	s.accept(0)
	if got := s.sample(); got != 1 { // token 0: -1*2 - 2*0.5 - 1 = -4 < -1.5
		t.Errorf("greedy with penalties on a negative logit = %d, want 1", got)
	}
}

// TestChainSamplerDistribution draws many tokens and compares the
// frequencies with the chain computed by hand: top-k, then top-p, then
// min-p, then the temperature's softmax.
func TestChainSamplerDistribution(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	l := make([]float32, 5000)
	for i := range l {
		l[i] = float32(rng.NormFloat64())
	}
	// Make a clear head: tokens 10..15 well above the rest.
	for i, v := range []float32{6, 5.5, 5.2, 5, 4, 1} {
		l[10+i] = v
	}
	p := sampling{Temperature: 0.7, TopK: 5, TopP: 0.95, MinP: 0.1, Seed: 42}
	// By hand: top-5 = 10..14; softmax at T=1 (before temperature) for
	// top-p; min-p on logits; then softmax at T=0.7.
	head := []float64{6, 5.5, 5.2, 5, 4}
	z := 0.0
	for _, v := range head {
		z += math.Exp(v - 6)
	}
	keep, cum := len(head), 0.0
	for i, v := range head {
		cum += math.Exp(v-6) / z
		if cum >= 0.95 {
			keep = i + 1
			break
		}
	}
	head = head[:keep]
	for i, v := range head {
		if v < 6+math.Log(0.1) {
			head = head[:i]
			break
		}
	}
	want := make([]float64, len(head))
	z = 0
	for i, v := range head {
		want[i] = math.Exp((v - 6) / 0.7)
		z += want[i]
	}
	s := newChainSampler(p, fixedLogits(l))
	const n = 20000
	got := make([]float64, len(head))
	for range n {
		tok := s.sample()
		if tok < 10 || tok >= 10+len(head) {
			t.Fatalf("sampled %d, outside the kept head 10..%d", tok, 10+len(head)-1)
		}
		got[tok-10]++
	}
	for i := range want {
		w := want[i] / z
		if g := got[i] / n; math.Abs(g-w) > 0.02 {
			t.Errorf("token %d: frequency %.3f, want %.3f", 10+i, g, w)
		}
	}
}

func TestChainSamplerTopKAll(t *testing.T) {
	l := []float32{3, 1, 2}
	s := newChainSampler(sampling{Temperature: 1, TopK: 0, TopP: 1, MinP: 0.9}, fixedLogits(l))
	for range 50 {
		if tok := s.sample(); tok != 0 { // min-p 0.9 keeps only the best
			t.Fatalf("sampled %d, want 0", tok)
		}
	}
	if c := s.topK(l, 0); len(c) != 3 || c[0].id != 0 || c[1].id != 2 || c[2].id != 1 {
		t.Errorf("topK(all) = %+v", c)
	}
	if c := s.topK([]float32{1, 9, 3, 7, 5}, 2); len(c) != 2 || c[0].id != 1 || c[1].id != 3 {
		t.Errorf("topK(2) = %+v", c)
	}
}

func BenchmarkChainSampler262k(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	l := make([]float32, 262144)
	for i := range l {
		l[i] = float32(rng.NormFloat64() * 3)
	}
	buf := make([]float32, len(l))
	s := newChainSampler(sampling{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, RepeatPenalty: 1.1, RepeatLastN: 64},
		func() []float32 { copy(buf, l); return buf })
	for i := range 64 {
		s.accept(i * 7)
	}
	b.ResetTimer()
	for range b.N {
		s.accept(s.sample())
	}
}
