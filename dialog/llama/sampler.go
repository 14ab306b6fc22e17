package llama

import (
	"math"
	"math/rand/v2"
	"slices"
)

// chainSampler is llama.cpp's common sampler chain as the brain uses it
// (penalties, top-k, top-p, min-p, temperature, then a weighted draw), done
// in Go on the logits of the last decoded token. llama.cpp's own chain
// first copies every logit into a candidate array and looks each one up in
// the penalties' hash map: 1.2 ms a token with Gemma 3's 262k vocabulary,
// 4 % of a token's time. Here the penalties touch only the tokens seen,
// and top-k is one pass over the logits, so the 262k-entry work is that
// single pass. The chain is the same, the random draw is Go's.
type chainSampler struct {
	p      sampling
	logits func() []float32 // the last decoded token's logits (a fresh copy each call)
	rng    *rand.Rand

	prev   []int       // the last RepeatLastN accepted tokens, oldest first
	counts map[int]int // how often each is in prev
	cand   []candidate // reused between calls
	reply  []int       // every accepted token, for p.Ban
}

type candidate struct {
	id    int
	logit float32
}

func newChainSampler(p sampling, logits func() []float32) *chainSampler {
	return &chainSampler{p: p, logits: logits, rng: rand.New(rand.NewPCG(uint64(p.Seed), 0x9e3779b97f4a7c15)), counts: map[int]int{}}
}

func (s *chainSampler) accept(tok int) {
	if s.p.Ban != nil {
		s.reply = append(s.reply, tok)
	}
	n := s.p.RepeatLastN
	if n <= 0 {
		return
	}
	if len(s.prev) == n {
		old := s.prev[0]
		s.prev = s.prev[1:]
		if s.counts[old]--; s.counts[old] == 0 {
			delete(s.counts, old)
		}
	}
	s.prev = append(s.prev, tok)
	s.counts[tok]++
}

func (s *chainSampler) sample() int {
	l := s.logits()
	if len(l) == 0 {
		return 0
	}
	// Penalties (llama_sampler_penalties): only tokens seen can change.
	p := s.p
	if p.RepeatLastN > 0 && (p.RepeatPenalty != 1 || p.FrequencyPenalty != 0 || p.PresencePenalty != 0) {
		for tok, n := range s.counts {
			if tok < 0 || tok >= len(l) {
				continue
			}
			if p.RepeatPenalty != 0 {
				if l[tok] <= 0 {
					l[tok] *= p.RepeatPenalty
				} else {
					l[tok] /= p.RepeatPenalty
				}
			}
			l[tok] -= float32(n)*p.FrequencyPenalty + p.PresencePenalty
		}
	}
	// A banned token is out before the chain starts, as if the model
	// had never offered it; the vocabulary leaves plenty of others.
	for _, tok := range p.Ban.banned(s.reply) {
		if tok >= 0 && tok < len(l) {
			l[tok] = float32(math.Inf(-1))
		}
	}
	if p.Temperature <= 0 { // greedy: the chain keeps only the best
		best := 0
		for i, v := range l {
			if v > l[best] {
				best = i
			}
		}
		return best
	}
	c := s.topK(l, p.TopK) // sorted, best first
	// top-p (min_keep 0): the fewest best tokens whose mass reaches TopP.
	if p.TopP < 1 {
		probs := softmax(c)
		cum := 0.0
		for i, pr := range probs {
			cum += pr
			if cum >= float64(p.TopP) {
				c = c[:i+1]
				break
			}
		}
	}
	// min-p: drop tokens less likely than MinP times the best.
	if p.MinP > 0 && len(c) > 1 {
		floor := c[0].logit + float32(math.Log(float64(p.MinP)))
		keep := 1
		for keep < len(c) && c[keep].logit >= floor {
			keep++
		}
		c = c[:keep]
	}
	for i := range c {
		c[i].logit /= p.Temperature
	}
	probs := softmax(c)
	r := s.rng.Float64()
	cum := 0.0
	for i, pr := range probs {
		cum += pr
		if r < cum {
			return c[i].id
		}
	}
	return c[len(c)-1].id
}

// topK returns the k best candidates, best first; k <= 0 means all.
func (s *chainSampler) topK(l []float32, k int) []candidate {
	c := s.cand[:0]
	if k <= 0 || k >= len(l) {
		for i, v := range l {
			c = append(c, candidate{i, v})
		}
	} else {
		// A min-heap of the k best so far: almost every logit is below its
		// root and costs one comparison.
		for i := 0; i < k; i++ {
			c = append(c, candidate{i, l[i]})
		}
		heapify(c)
		for i := k; i < len(l); i++ {
			if l[i] > c[0].logit {
				c[0] = candidate{i, l[i]}
				siftDown(c, 0)
			}
		}
	}
	slices.SortFunc(c, func(a, b candidate) int {
		switch {
		case a.logit > b.logit:
			return -1
		case a.logit < b.logit:
			return 1
		}
		return a.id - b.id
	})
	s.cand = c
	return c
}

func heapify(h []candidate) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
}

func siftDown(h []candidate, i int) {
	for {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l].logit < h[m].logit {
			m = l
		}
		if r < len(h) && h[r].logit < h[m].logit {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// softmax of sorted candidates (best first).
func softmax(c []candidate) []float64 {
	p := make([]float64, len(c))
	if len(c) == 0 {
		return p
	}
	sum := 0.0
	for i, x := range c {
		p[i] = math.Exp(float64(x.logit - c[0].logit))
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}
