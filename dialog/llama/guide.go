package llama

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// guide is classifier-free guidance for one reply (Sanchez et al., 2023,
// "Stay on topic with Classifier-Free Guidance"): each token is sampled
// from
//
//	logits(conversation) + w × (logits(conversation) − logits(neutral))
//
// where neutral is the same conversation without the owner's last words
// (the pet's turn opened right after its own last line), decoded in
// sequence 1 beside the conversation in sequence 0, one batch of two a
// token. What the cat would say had the owner said nothing loses weight
// (going on with, or saying again, its own last line among it); what
// the owner's words call for gains. It is the token-by-token form of the
// specificity that ranks candidates (brain.sampling.specificity), so it
// streams: the owner hears the first words about as soon as with one
// plain reply.
//
// Only tokens the conversation itself finds plausible (at least min-p
// times its best; 0.1 without min-p) may be sampled: the push away from
// the neutral odds would otherwise lift tokens that are unlikely in both
// (Li et al., 2023, "Contrastive Decoding", the plausibility constraint).
type guide struct {
	g     *generator
	mt    seqTokens
	w     float32
	floor float32 // log of the plausibility fraction
	pos   int     // sequence 1's next position
	// stepped is false until the first step: the first token's odds are
	// first (sequence 0's last prompt logits) and the cached ufirst.
	stepped bool
	first   []float32
	// read is how many tokens guideFor read into sequence 1.
	read int
}

// guideFor makes sequence 1 hold the prefix and req.Neutral, once
// sequence 0 holds the prompt: it reads only what neither sequence holds
// already. The neutral prompt is the conversation without the owner's
// last words, so it shares most of the prompt: sequence 0 is copied into
// sequence 1 (a buffer copy) when it shares more than sequence 1 does.
// The first token's conversation logits are kept before sequence 1 is
// read, which replaces them as the last ones decoded.
func (g *generator) guideFor(ctx context.Context, req genRequest, pre []int) (*guide, error) {
	mt, ok := g.t.(seqTokens)
	if !ok || mt.seqs() < 2 || len(req.Neutral) == 0 {
		return nil, fmt.Errorf("llama: guidance needs a context of two sequences and a neutral prompt")
	}
	rest, err := g.tokenizeAll(req.Neutral, len(pre) == 0)
	if err != nil {
		return nil, err
	}
	utoks := append(slices.Clip(pre), rest...)
	if len(utoks) == 0 || len(utoks)+min(req.MaxTokens, 16) > mt.contextSize() {
		return nil, fmt.Errorf("llama: a neutral prompt of %d tokens does not fit the %d-token context", len(utoks), mt.contextSize())
	}
	alpha := req.Sampling.MinP
	if alpha <= 0 {
		alpha = 0.1
	}
	gd := &guide{g: g, mt: mt, w: req.Guidance, floor: float32(math.Log(float64(alpha))), pos: len(utoks), first: mt.lastLogits()}
	if g.ufirst != nil && slices.Equal(g.ucached, utoks) {
		return gd, nil
	}
	shared := func(a []int) int {
		n := 0
		for n < len(a) && n < len(utoks) && a[n] == utoks[n] {
			n++
		}
		return n
	}
	keep := shared(g.ucached)
	if g.ucached == nil || shared(g.cached) > keep {
		mt.copySeq(0, 1)
		g.ucached = slices.Clone(g.cached)
		keep = shared(g.ucached)
	}
	if keep == len(utoks) {
		keep-- // one token must be read for fresh logits
	}
	if !mt.truncateSeq(1, keep) {
		keep = 0
	}
	g.ucached, g.ufirst = g.ucached[:keep], nil
	done, err := mt.evalSeq(ctx, 1, utoks[keep:], keep)
	gd.read = done
	g.ucached = append(g.ucached, utoks[keep:keep+done]...)
	if err != nil {
		if !mt.truncateSeq(1, len(g.ucached)) {
			g.ucached = nil
		}
		return nil, err
	}
	g.ufirst = mt.lastLogits()
	return gd, nil
}

// step decodes tok as the next token of both sequences, sequence 0's at
// pos, in one batch.
func (gd *guide) step(ctx context.Context, tok, pos int) error {
	if err := gd.mt.step(ctx, []int{tok, tok}, []int{0, 1}, []int{pos, gd.pos}); err != nil {
		return err
	}
	gd.pos++
	gd.stepped = true
	return nil
}

// cond are the conversation's logits for the next token (a fresh copy).
func (gd *guide) cond() []float32 {
	if gd.stepped {
		return gd.mt.logitsAt(0)
	}
	return slices.Clone(gd.first)
}

// logits are the guided logits for the next token (a fresh copy).
func (gd *guide) logits() []float32 {
	c := gd.cond()
	var u []float32
	if gd.stepped {
		u = gd.mt.logitsAt(1)
	} else {
		u = gd.g.ufirst
	}
	return mixGuided(c, u, gd.w, gd.floor)
}

// mixGuided writes into c the guided logits: c + w(c − u) where c is
// within floor (a log fraction, below 0) of its best, and −∞ elsewhere.
func mixGuided(c, u []float32, w, floor float32) []float32 {
	if len(u) != len(c) || len(c) == 0 {
		return c
	}
	top := c[0]
	for _, v := range c {
		top = max(top, v)
	}
	cut := top + floor
	inf := float32(math.Inf(-1))
	for i, v := range c {
		if v < cut {
			c[i] = inf
			continue
		}
		c[i] = v + w*(v-u[i])
	}
	return c
}

// end leaves sequence 1 holding the prefix and the neutral prompt again
// for the next reply.
func (gd *guide) end() {
	if !gd.stepped {
		return
	}
	if !gd.mt.truncateSeq(1, len(gd.g.ucached)) {
		gd.g.unguided()
	}
}
