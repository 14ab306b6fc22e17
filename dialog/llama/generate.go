package llama

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// tokens is the engine seen from the generation loop: what llama.cpp does
// (tokenize, decode, sample) without the loop's policy (prefix reuse,
// bounds, stop strings, UTF-8 assembly, cancellation), which lives here
// so it reads the same with or without the engine built in.
type tokens interface {
	tokenize(s Segment, first bool) ([]int, error)
	// eval decodes toks at positions pos.. of sequence 0 in batches,
	// asking for logits of the last one; it checks ctx between batches
	// and returns how many tokens were decoded before an error.
	eval(ctx context.Context, toks []int, pos int) (int, error)
	// evalAll is eval asking for the logits of every token: each gets
	// the index in toks and that token's logits (the next token's odds).
	evalAll(ctx context.Context, toks []int, pos int, each func(i int, logits []float32)) (int, error)
	// lastLogits are the logits of the last token decoded.
	lastLogits() []float32
	// truncate drops positions pos.. of sequence 0; false means it had
	// to empty the sequence (other sequences keep what they hold).
	truncate(pos int) bool
	newSampler(p sampling) (sampler, error)
	isEOG(tok int) bool
	piece(tok int) string
	contextSize() int
}

type sampler interface {
	sample() int
	accept(tok int)
}

type sampling struct {
	Temperature float32
	TopK        int
	TopP        float32
	Seed        uint32
	// MinP drops tokens less likely than MinP times the best one: the
	// tail where a tiny model's word salad comes from.
	MinP float32
	// Penalties on tokens seen in the last RepeatLastN: they push a small
	// model off the loop of saying one line again.
	RepeatPenalty, FrequencyPenalty, PresencePenalty float32
	RepeatLastN                                      int
	// Ban, when not nil, keeps the reply from completing a run of
	// tokens the pet said in its last replies (see phraseBan).
	Ban *phraseBan
}

// genRequest is one generation as the loop sees it.
type genRequest struct {
	Prefix    []Segment
	Prompt    []Segment
	MaxTokens int
	Stop      []string
	Sampling  sampling
	// Score adds up, in Stats.LogProb, the log-probability the model
	// itself (before the sampling chain) gave each token it sampled; the
	// tokens are left in generator.sampled for generator.score. The
	// brain's candidates are scored by runMany; this is for replaying a
	// single reply (the tests, and the one-after-another floor of
	// BenchmarkCandidates).
	Score bool
	// Guidance > 0 samples from the conversation's odds pushed away from
	// Neutral's (the pet's turn opened after Prefix alone) by that
	// weight: classifier-free guidance (see guide).
	Guidance float32
	Neutral  []Segment
}

// generator owns the conversation state of sequence 0: which tokens its
// KV cache holds, so the next prompt re-evaluates only what differs.
type generator struct {
	t      tokens
	cached []int
	// onToken is a test hook run before each token is emitted.
	onToken func(n int)
	// sampled are the tokens of the last run with genRequest.Score,
	// the end-of-turn token included.
	sampled []int
	// said are the tokens of the last few replies this generator wrote,
	// as drawn (end of turn left out), newest last: what phraseBan
	// avoids besides the replies' text, since text read back can split
	// into other tokens than the model drew.
	said [][]int
	// ucached is what sequence 1 holds for guidance (the prefix and the
	// neutral prompt), nil when it holds nothing known; ufirst are the
	// logits after it, the unconditional odds of a reply's first token.
	ucached []int
	ufirst  []float32
}

// truncate drops positions pos.. of sequence 0; when the engine had to
// empty it instead, nothing of it is cached.
func (g *generator) truncate(pos int) bool {
	if g.t.truncate(pos) {
		return true
	}
	g.cached = g.cached[:0]
	return false
}

// unguided forgets what sequence 1 holds.
func (g *generator) unguided() { g.ucached, g.ufirst = nil, nil }

func (g *generator) tokenizeAll(segs []Segment, first bool) ([]int, error) {
	var out []int
	for i, s := range segs {
		if s.Text == "" {
			continue
		}
		toks, err := g.t.tokenize(s, first && i == 0)
		if err != nil {
			return nil, err
		}
		out = append(out, toks...)
	}
	return out, nil
}

// prepare makes the KV cache hold exactly toks and leaves logits for the
// last one: it keeps the longest common prefix with what is cached and
// evaluates only the rest. It returns how many tokens were reused.
func (g *generator) prepare(ctx context.Context, toks []int) (int, error) {
	keep := 0
	for keep < len(g.cached) && keep < len(toks) && g.cached[keep] == toks[keep] {
		keep++
	}
	if keep == len(toks) {
		keep-- // one token must be evaluated to get fresh logits
	}
	if keep < len(g.cached) {
		if !g.truncate(keep) {
			keep = 0
		}
		g.cached = g.cached[:keep]
	}
	done, err := g.t.eval(ctx, toks[keep:], keep)
	g.cached = append(g.cached, toks[keep:keep+done]...)
	if err != nil {
		// Keep what was decoded (the prefix, usually) and drop any part
		// of a failed batch.
		g.truncate(len(g.cached))
		return keep, err
	}
	return keep, nil
}

// warm evaluates the prefix alone so the first real prompt starts from it.
func (g *generator) warm(ctx context.Context, prefix []Segment) (int, error) {
	toks, err := g.tokenizeAll(prefix, true)
	if err != nil || len(toks) == 0 {
		return 0, err
	}
	_, err = g.prepare(ctx, toks)
	return len(toks), err
}

// readPrompt tokenizes req's prefix and prompt and makes sequence 0 hold
// them, leaving the last token's logits. It returns the prefix's tokens
// and the prompt's counters; a non-empty reason ends the generation
// (ReasonCancelled with no error when ctx was).
func (g *generator) readPrompt(ctx context.Context, req genRequest) (pre []int, st Stats, reason string, err error) {
	if pre, err = g.tokenizeAll(req.Prefix, true); err != nil {
		return nil, st, ReasonError, err
	}
	rest, err := g.tokenizeAll(req.Prompt, len(pre) == 0)
	if err != nil {
		return nil, st, ReasonError, err
	}
	toks := append(slices.Clip(pre), rest...)
	st.PromptTokens = len(toks)
	if len(toks) == 0 {
		return nil, st, ReasonError, errors.New("llama: empty prompt")
	}
	if n := g.t.contextSize(); len(toks)+min(req.MaxTokens, 16) > n {
		return nil, st, ReasonContext, fmt.Errorf("llama: prompt of %d tokens leaves no room in the %d-token context", len(toks), n)
	}
	keep, err := g.prepare(ctx, toks)
	if err != nil {
		if ctx.Err() != nil {
			return nil, st, ReasonCancelled, nil
		}
		return nil, st, ReasonError, err
	}
	st.CachedTokens, st.EvaluatedTokens = keep, len(toks)-keep
	return pre, st, "", nil
}

// run generates a reply, calling emit with text as it becomes valid UTF-8
// and clear of any stop string. Cancellation of ctx ends it with
// ReasonCancelled and no error.
func (g *generator) run(ctx context.Context, req genRequest, emit func(string) error) (st Stats, reason string, err error) {
	start := time.Now()
	pre, st, reason, err := g.readPrompt(ctx, req)
	if reason != "" {
		return st, reason, err
	}
	var gd *guide
	if req.Guidance > 0 {
		if gd, err = g.guideFor(ctx, req, pre); err != nil {
			if ctx.Err() != nil {
				return st, ReasonCancelled, nil
			}
			return st, ReasonError, err
		}
		defer gd.end()
		st.NeutralTokens = gd.read
	}
	st.PromptMS = ms(time.Since(start))

	var smp sampler
	cond := g.t.lastLogits
	if gd != nil {
		cond = gd.cond
		smp = newChainSampler(req.Sampling, gd.logits)
	} else if smp, err = g.t.newSampler(req.Sampling); err != nil {
		return st, ReasonError, err
	}
	out := &textOut{stop: req.Stop, emit: emit}
	g.sampled = g.sampled[:0]
	var mine []int
	defer func() { g.remember(mine) }()
	var genStart time.Time
	reason = ReasonLength
	for n := 0; n < req.MaxTokens; n++ {
		if ctx.Err() != nil {
			reason = ReasonCancelled
			break
		}
		if len(g.cached) >= g.t.contextSize() {
			reason = ReasonContext
			break
		}
		tok := smp.sample()
		smp.accept(tok)
		if req.Score {
			st.LogProb += logProb(cond(), tok)
			g.sampled = append(g.sampled, tok)
		}
		if n == 0 {
			genStart = time.Now()
			st.FirstTokenMS = ms(genStart.Sub(start))
		}
		if g.t.isEOG(tok) {
			reason = ReasonEOG
			break
		}
		mine = append(mine, tok)
		st.GeneratedTokens++
		if g.onToken != nil {
			g.onToken(n)
		}
		stopped, err := out.add(g.t.piece(tok))
		if err != nil {
			return st, ReasonError, err
		}
		if stopped {
			reason = ReasonStop
			break
		}
		if n+1 == req.MaxTokens {
			break
		}
		if gd != nil {
			err = gd.step(ctx, tok, len(g.cached))
		} else {
			_, err = g.t.eval(ctx, []int{tok}, len(g.cached))
		}
		if err != nil {
			g.truncate(len(g.cached))
			if ctx.Err() != nil {
				reason = ReasonCancelled
				break
			}
			return st, ReasonError, err
		}
		g.cached = append(g.cached, tok)
	}
	if reason != ReasonStop {
		if err := out.flush(); err != nil {
			return st, ReasonError, err
		}
	}
	if !genStart.IsZero() {
		st.GenerateMS = ms(time.Since(genStart))
		if st.GenerateMS > 0 {
			st.TokensPerSecond = float64(st.GeneratedTokens) / (st.GenerateMS / 1000)
		}
	}
	return st, reason, nil
}

// remember keeps reply (tokens drawn) among the last rememberReplies.
func (g *generator) remember(reply []int) {
	if len(reply) == 0 {
		return
	}
	g.said = append(g.said, reply)
	if len(g.said) > rememberReplies {
		g.said = g.said[len(g.said)-rememberReplies:]
	}
}

// rememberReplies is how many of its replies a generator keeps for
// phraseBan: as many as the daemon sends (dialog.RecentReplies).
const rememberReplies = 5

// score is the log-probability of the tokens cont after the prompt
// prefix+prompt: how likely the model finds that continuation there. It
// leaves the KV cache holding the prompt and cont but its last token.
func (g *generator) score(ctx context.Context, prefix, prompt []Segment, cont []int) (float64, error) {
	pre, err := g.tokenizeAll(prefix, true)
	if err != nil {
		return 0, err
	}
	rest, err := g.tokenizeAll(prompt, len(pre) == 0)
	if err != nil {
		return 0, err
	}
	toks := append(pre, rest...)
	if len(toks) == 0 || len(cont) == 0 {
		return 0, fmt.Errorf("llama: scoring %d tokens after a prompt of %d: both must be there", len(cont), len(toks))
	}
	if n := g.t.contextSize(); len(toks)+len(cont) > n {
		return 0, fmt.Errorf("llama: scoring %d tokens after a prompt of %d: more than the %d-token context", len(cont), len(toks), n)
	}
	if _, err := g.prepare(ctx, toks); err != nil {
		return 0, err
	}
	lp := logProb(g.t.lastLogits(), cont[0])
	body := cont[:len(cont)-1] // the last token's logits would predict what follows it
	done, err := g.t.evalAll(ctx, body, len(g.cached), func(i int, logits []float32) {
		lp += logProb(logits, cont[i+1])
	})
	g.cached = append(g.cached, body[:done]...)
	if err != nil {
		g.truncate(len(g.cached))
		return 0, err
	}
	return lp, nil
}

// logProb is log softmax(logits)[tok]: the model's own odds of tok, with
// no sampling setting applied.
func logProb(logits []float32, tok int) float64 {
	if tok < 0 || tok >= len(logits) {
		return math.Inf(-1)
	}
	top := logits[0]
	for _, v := range logits {
		top = max(top, v)
	}
	sum := 0.0
	for _, v := range logits {
		sum += expNonPositive(float64(v - top))
	}
	return float64(logits[tok]-top) - math.Log(sum)
}

// expNonPositive is e^x for x <= 0, to about 4e-9 relative (ample for
// ranking replies): a seventh-degree polynomial on x reduced to
// [-ln2/2, ln2/2], scaled by 2^n. logProb pays it 262k times a token
// with Gemma 3's vocabulary: 2.7 ms a token where math.Exp took 6.1 ms
// (BenchmarkLogProb, BenchmarkLogProbMathExp).
func expNonPositive(x float64) float64 {
	if x < -700 {
		return 0
	}
	n := int64(x*math.Log2E - 0.5) // rounded to nearest: x*log2(e) <= 0
	r := x - float64(n)*math.Ln2
	// Estrin's scheme: three short chains the CPU runs side by side.
	r2 := r * r
	p := (1 + r) + r2*(1.0/2+r*(1.0/6)) + r2*r2*((1.0/24+r*(1.0/120))+r2*(1.0/720+r*(1.0/5040)))
	return math.Float64frombits(math.Float64bits(p) + uint64(n)<<52)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// textOut turns token pieces into text to emit: it joins UTF-8 sequences
// split across tokens (a Chinese character is often 2-3 byte tokens) and
// holds back text that might be the start of a stop string.
type textOut struct {
	stop  []string
	emit  func(string) error
	bytes []byte // incomplete UTF-8 tail
	held  string // valid text not yet emitted
}

func (o *textOut) add(piece string) (stopped bool, err error) {
	o.bytes = append(o.bytes, piece...)
	cut := completeUTF8(o.bytes)
	o.held += strings.ToValidUTF8(string(o.bytes[:cut]), "\uFFFD")
	o.bytes = append(o.bytes[:0], o.bytes[cut:]...)
	for _, s := range o.stop {
		if s == "" {
			continue
		}
		if i := strings.Index(o.held, s); i >= 0 {
			o.held = o.held[:i]
			return true, o.out(len(o.held))
		}
	}
	hold := 0
	for _, s := range o.stop {
		for k := min(len(s)-1, len(o.held)); k > hold; k-- {
			if strings.HasSuffix(o.held, s[:k]) {
				hold = k
				break
			}
		}
	}
	return false, o.out(len(o.held) - hold)
}

func (o *textOut) out(n int) error {
	if n <= 0 {
		return nil
	}
	s := o.held[:n]
	o.held = o.held[n:]
	return o.emit(s)
}

func (o *textOut) flush() error {
	if len(o.bytes) > 0 {
		o.held += strings.ToValidUTF8(string(o.bytes), "\uFFFD")
		o.bytes = o.bytes[:0]
	}
	return o.out(len(o.held))
}

// completeUTF8 returns the length of b without a trailing incomplete (but
// so far valid) UTF-8 sequence.
func completeUTF8(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return len(b) // ASCII: nothing pending
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return len(b)
			}
			return len(b) - i
		}
	}
	return len(b)
}

// seqTokens is an engine whose context holds several sequences, each
// with a KV stream of contextSize tokens: candidates then decode side by
// side, one batch a token for all of them, which on a CPU costs little
// more than one sequence (the weights are read once per batch).
type seqTokens interface {
	tokens
	// seqs is how many sequences the context holds.
	seqs() int
	// fork makes sequences 1..n-1 hold what sequence 0 holds.
	fork(n int)
	// step decodes toks[i] as the next token of sequence seqs[i], at
	// position pos[i], all in one batch, asking for the logits of each.
	step(ctx context.Context, toks, seqs, pos []int) error
	// logitsAt are the logits of the i-th token of the last step.
	logitsAt(i int) []float32
	// drop empties sequences 1..n-1.
	drop(n int)
	// copySeq makes sequence dst hold what src holds.
	copySeq(src, dst int)
	// truncateSeq drops positions pos.. of sequence seq; false means
	// it had to empty the sequence.
	truncateSeq(seq, pos int) bool
	// evalSeq is eval on sequence seq.
	evalSeq(ctx context.Context, seq int, toks []int, pos int) (int, error)
}

// reply is one candidate reply of runMany.
type reply struct {
	Text   string
	Reason string
	// Tokens are the sampled tokens, the end-of-turn token included;
	// LogProb is their log-probability, Generated how many are text.
	Tokens    []int
	LogProb   float64
	Generated int
}

// runMany writes n replies to one prompt side by side, sequence k
// sampling with seed Seed+k; each is scored as in run with Score. tick
// is called after every step (the caller's heartbeat). Sequence 0 keeps
// the prompt, so the next turn reuses it; sequences 1..n-1 are emptied.
// The Stats are the whole run's: tokens of all candidates, one
// first-token time, the wall time of the steps.
func (g *generator) runMany(ctx context.Context, req genRequest, n int, tick func() error) (st Stats, cands []reply, reason string, err error) {
	mt, ok := g.t.(seqTokens)
	if !ok || n < 1 || n > mt.seqs() {
		return st, nil, ReasonError, fmt.Errorf("llama: %d candidates side by side need as many sequences in the context", n)
	}
	start := time.Now()
	_, st, reason, err = g.readPrompt(ctx, req)
	if reason != "" {
		return st, nil, reason, err
	}
	st.PromptMS = ms(time.Since(start))

	// at[k] is where sequence k's logits are in the last step; -1 (the
	// first token) reads the prompt's last ones, which all share.
	at := make([]int, n)
	smps := make([]sampler, n)
	outs := make([]*textOut, n)
	cands = make([]reply, n)
	for k := range n {
		at[k] = -1
		p := req.Sampling
		p.Seed += uint32(k)
		smps[k] = newChainSampler(p, func() []float32 {
			if at[k] < 0 {
				return mt.lastLogits()
			}
			return mt.logitsAt(at[k])
		})
		outs[k] = &textOut{stop: req.Stop, emit: func(s string) error { cands[k].Text += s; return nil }}
		cands[k].Reason = ReasonLength
	}
	// Whatever happens, sequence 0 goes back to holding the prompt and
	// the others are emptied.
	defer func() {
		g.truncate(len(g.cached))
		mt.drop(n)
		g.unguided() // sequence 1 is emptied too
	}()
	live := make([]int, n)
	for k := range live {
		live[k] = k
	}
	pos := len(g.cached)
	var genStart time.Time
	reason = ReasonEOG
	var next, nextToks, nextPos []int
	for step := 0; len(live) > 0; step++ {
		if ctx.Err() != nil {
			reason = ReasonCancelled
			break
		}
		next, nextToks, nextPos = next[:0], nextToks[:0], nextPos[:0]
		for _, k := range live {
			c := &cands[k]
			tok := smps[k].sample()
			smps[k].accept(tok)
			if at[k] < 0 {
				c.LogProb += logProb(mt.lastLogits(), tok)
			} else {
				c.LogProb += logProb(mt.logitsAt(at[k]), tok)
			}
			c.Tokens = append(c.Tokens, tok)
			if genStart.IsZero() {
				genStart = time.Now()
				st.FirstTokenMS = ms(genStart.Sub(start))
			}
			if mt.isEOG(tok) {
				c.Reason = ReasonEOG
				continue
			}
			c.Generated++
			st.GeneratedTokens++
			stopped, err := outs[k].add(mt.piece(tok))
			if err != nil {
				return st, nil, ReasonError, err
			}
			if stopped {
				c.Reason = ReasonStop
				continue
			}
			if step+1 >= req.MaxTokens {
				continue // ReasonLength
			}
			if pos >= mt.contextSize() {
				c.Reason = ReasonContext
				continue
			}
			next = append(next, k)
			nextToks = append(nextToks, tok)
			nextPos = append(nextPos, pos)
		}
		if len(next) == 0 {
			break
		}
		if step == 0 {
			mt.fork(n)
		}
		if err := mt.step(ctx, nextToks, next, nextPos); err != nil {
			if ctx.Err() != nil {
				reason = ReasonCancelled
				break
			}
			return st, nil, ReasonError, err
		}
		for i, k := range next {
			at[k] = i
		}
		pos++
		live = append(live[:0], next...)
		if tick != nil {
			if err := tick(); err != nil {
				return st, nil, ReasonError, err
			}
		}
	}
	for k := range cands {
		if cands[k].Reason != ReasonStop {
			if err := outs[k].flush(); err != nil {
				return st, nil, ReasonError, err
			}
		}
	}
	if !genStart.IsZero() {
		st.GenerateMS = ms(time.Since(genStart))
		if st.GenerateMS > 0 {
			st.TokensPerSecond = float64(st.GeneratedTokens) / (st.GenerateMS / 1000)
		}
	}
	if reason == ReasonCancelled {
		return st, nil, reason, nil
	}
	return st, cands, reason, nil
}
