package llama

import (
	"slices"
	"testing"
)

func TestPhraseBan(t *testing.T) {
	// Two recent replies: 7 8 9 10 and 7 8 11.
	b := newPhraseBan(3, [][]int{{7, 8, 9, 10}, {7, 8, 11}}, nil)
	for _, c := range []struct {
		reply []int
		want  []int
	}{
		{nil, nil},                     // too short to complete a run
		{[]int{8}, nil},                // still too short
		{[]int{1, 7, 8}, []int{9, 11}}, // both runs that start 7 8
		{[]int{8, 9}, []int{10}},
		{[]int{9, 8}, nil}, // not a run they said
	} {
		if got := b.banned(c.reply); !slices.Equal(got, c.want) {
			t.Errorf("banned(%v) = %v, want %v", c.reply, got, c.want)
		}
	}
	if b := newPhraseBan(1, [][]int{{1, 2}}, nil); b != nil {
		t.Errorf("n = 1: %+v, want no ban (one token is a word, not a phrase)", b)
	}
	if b := newPhraseBan(4, [][]int{{1, 2, 3}}, nil); b != nil {
		t.Errorf("replies shorter than n: %+v, want no ban", b)
	}
	var none *phraseBan
	if got := none.banned([]int{1, 2, 3}); got != nil {
		t.Errorf("nil ban: %v", got)
	}
}

// TestChainSamplerBan: the sampler never completes a banned run, however
// much the model wants it, and is free again once the reply moved on.
func TestChainSamplerBan(t *testing.T) {
	l := []float32{0, 1, 2, 3, 9} // the model always wants token 4
	p := sampling{Temperature: 0, Ban: newPhraseBan(3, [][]int{{1, 2, 4}}, nil)}
	s := newChainSampler(p, fixedLogits(l))
	if got := s.sample(); got != 4 {
		t.Fatalf("first token = %d, want 4 (nothing said yet)", got)
	}
	s.accept(1)
	s.accept(2)
	if got := s.sample(); got != 3 {
		t.Errorf("after 1 2, greedy = %d, want 3 (4 would say 1 2 4 again)", got)
	}
	s.accept(3)
	if got := s.sample(); got != 4 {
		t.Errorf("after 1 2 3, greedy = %d, want 4", got)
	}
	// With temperature, over many draws: never the banned token.
	p = sampling{Temperature: 1, TopK: 5, TopP: 1, Seed: 3, Ban: newPhraseBan(2, [][]int{{2, 4}}, nil)}
	s = newChainSampler(p, fixedLogits(l))
	s.accept(2)
	for range 500 {
		if got := s.sample(); got == 4 {
			t.Fatal("drew the banned token 4 after 2")
		}
	}
}
