//go:build llama

package llama

import (
	"context"
	"fmt"

	"github.com/ollama/ollama/llama"
	"github.com/ollama/ollama/ml"
)

// EngineBuiltIn reports whether this binary carries llama.cpp.
const EngineBuiltIn = true

// cppEngine is llama.cpp through ollama's cgo binding: one model, one
// context, one sequence (the pet has one conversation at a time).
type cppEngine struct {
	model *llama.Model
	lctx  *llama.Context
	batch *llama.Batch
	size  int
	nctx  int
	// nseq is how many sequences the context holds (engineConfig.Seqs),
	// each a KV stream of nctx tokens.
	nseq int
	bos  bool
	// cppSampler samples with llama.cpp's own chain instead of sampler.go's
	// (purrd bench -sampler llama, to compare the two).
	cppSampler bool
	// prior is a second context on the same weights and adapter
	// (engineConfig.PriorContext), nil without one; sibling marks it, so
	// close leaves the shared model to the first.
	prior   *cppEngine
	sibling bool
}

// priorEngine is the second context, or nil.
func (e *cppEngine) priorEngine() *cppEngine { return e.prior }

func openEngine(c engineConfig) (*cppEngine, error) {
	// Idempotent (ollama guards its part with its own sync.Once), so no
	// once-flag of ours is needed.
	llama.BackendInit()
	m, err := llama.LoadModelFromFile(c.Model, llama.ModelParams{
		UseMmap: true,
		// A callback of our own replaces llama.cpp's progress dots,
		// which otherwise reach the log at warning level.
		Progress: func(float32) {},
	})
	if err != nil {
		return nil, fmt.Errorf("llama: loading %s: %w", c.Model, err)
	}
	// Embeddings are switched on by ollama's NewContextParams; they cost
	// an extra output buffer but no compute for generation.
	fa := ml.FlashAttentionDisabled
	switch c.Flash {
	case FlashOn:
		fa = ml.FlashAttentionEnabled
	case FlashAuto:
		fa = ml.FlashAttentionAuto
	}
	e, err := openContext(m, c, c.Context, max(1, c.Seqs), fa)
	if err != nil {
		llama.FreeModel(m)
		return nil, err
	}
	e.cppSampler = c.CppSampler
	if c.PriorContext > 0 {
		if e.prior, err = openContext(m, c, c.PriorContext, 1, fa); err != nil {
			e.close()
			return nil, fmt.Errorf("%w (the second context, for candidates' priors)", err)
		}
		e.prior.sibling = true
	}
	return e, nil
}

// openContext opens a context of nseq sequences of nctx tokens each on
// m, with c's adapter and a batch of its own; the weights stay m's (the
// caller frees them).
func openContext(m *llama.Model, c engineConfig, nctx, nseq int, fa ml.FlashAttentionType) (*cppEngine, error) {
	// ollama's binding makes n_ubatch = Batch: each decode call is one
	// graph of at most Batch tokens. Its contexts keep a KV stream per
	// sequence (llama.cpp's kv_unified is off), splitting n_ctx among
	// them, hence nctx*nseq; a stream of Gemma 3 270M at 2048 tokens is
	// about 22 MB, most of its layers keeping only a 512-token window.
	lctx, err := llama.NewContextWithModel(m, llama.NewContextParams(nctx*nseq, c.Batch, nseq, c.Threads, fa, c.KV))
	if err != nil {
		return nil, fmt.Errorf("llama: context of %d sequences of %d tokens for %s: %w", nseq, nctx, c.Model, err)
	}
	if c.Adapter != "" {
		scale := c.AdapterScale
		if scale == 0 {
			scale = 1
		}
		// llama.cpp logs why it refused an adapter (at error level); the
		// binding returns only that it failed.
		if err := m.ApplyLoraFromFile(lctx, c.Adapter, scale, c.Threads); err != nil {
			return nil, fmt.Errorf("llama: applying adapter %s to %s: %w", c.Adapter, c.Model, err)
		}
	}
	b, err := llama.NewBatch(c.Batch, 1, 0)
	if err != nil {
		return nil, fmt.Errorf("llama: %w", err)
	}
	return &cppEngine{model: m, lctx: lctx, batch: b, size: c.Batch, nctx: nctx, nseq: nseq, bos: m.AddBOSToken()}, nil
}

func (e *cppEngine) tokenize(s Segment, first bool) ([]int, error) {
	toks, err := e.model.Tokenize(s.Text, first && e.bos, s.Special)
	if err != nil {
		return nil, fmt.Errorf("llama: tokenizing %d bytes: %w", len(s.Text), err)
	}
	return toks, nil
}

func (e *cppEngine) eval(ctx context.Context, toks []int, pos int) (int, error) {
	return e.evalOn(ctx, 0, toks, pos, nil)
}

func (e *cppEngine) evalAll(ctx context.Context, toks []int, pos int, each func(i int, logits []float32)) (int, error) {
	return e.evalOn(ctx, 0, toks, pos, each)
}

func (e *cppEngine) evalSeq(ctx context.Context, seq int, toks []int, pos int) (int, error) {
	return e.evalOn(ctx, seq, toks, pos, nil)
}

// evalOn decodes toks into sequence seq; with each nil it asks only for
// the last token's logits.
func (e *cppEngine) evalOn(ctx context.Context, seq int, toks []int, pos int, each func(i int, logits []float32)) (int, error) {
	done := 0
	for done < len(toks) {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		n := min(e.size, len(toks)-done)
		e.batch.Clear()
		for i := range n {
			e.batch.Add(toks[done+i], nil, pos+done+i, each != nil || done+i == len(toks)-1, seq)
		}
		if err := e.lctx.Decode(e.batch); err != nil {
			return done, fmt.Errorf("llama: decoding %d tokens at position %d: %w", n, pos+done, err)
		}
		if each != nil {
			for i := range n {
				each(done+i, e.lctx.GetLogitsIth(i))
			}
		}
		done += n
	}
	return done, nil
}

// seqs, fork, step, logitsAt and drop make cppEngine a seqTokens.
func (e *cppEngine) seqs() int { return max(1, e.nseq) }

// fork copies sequence 0's KV stream into sequences 1..n-1.
func (e *cppEngine) fork(n int) {
	for k := 1; k < n; k++ {
		e.copySeq(0, k)
	}
}

// copySeq makes sequence dst hold what src holds: llama.cpp copies a
// whole stream's buffer, at the next decode.
func (e *cppEngine) copySeq(src, dst int) { e.lctx.KvCacheSeqCp(src, dst, -1, -1) }

// truncateSeq drops positions pos.. of sequence seq; when llama.cpp
// cannot (a sliding window has moved past pos), it empties the sequence
// and says false.
func (e *cppEngine) truncateSeq(seq, pos int) bool {
	if e.lctx.KvCacheSeqRm(seq, pos, -1) {
		return true
	}
	e.lctx.KvCacheSeqRm(seq, -1, -1)
	return false
}

func (e *cppEngine) drop(n int) {
	for k := 1; k < n; k++ {
		e.lctx.KvCacheSeqRm(k, -1, -1)
	}
}

func (e *cppEngine) step(ctx context.Context, toks, seqs, pos []int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.batch.Clear()
	for i, t := range toks {
		e.batch.Add(t, nil, pos[i], true, seqs[i])
	}
	if err := e.lctx.Decode(e.batch); err != nil {
		return fmt.Errorf("llama: decoding %d sequences at positions %v: %w", len(toks), pos, err)
	}
	return nil
}

func (e *cppEngine) logitsAt(i int) []float32 { return e.lctx.GetLogitsIth(i) }

func (e *cppEngine) lastLogits() []float32 { return e.lctx.GetLogitsIth(e.batch.NumTokens() - 1) }

func (e *cppEngine) truncate(pos int) bool { return e.truncateSeq(0, pos) }

func (e *cppEngine) newSampler(p sampling) (sampler, error) {
	if !e.cppSampler {
		// The same chain in Go on a copy of the logits (sampler.go).
		return newChainSampler(p, func() []float32 { return e.lctx.GetLogitsIth(e.batch.NumTokens() - 1) }), nil
	}
	sc, err := llama.NewSamplingContext(e.model, llama.SamplingParams{
		TopK: p.TopK, TopP: p.TopP, Temp: p.Temperature, Seed: p.Seed,
		RepeatLastN: p.RepeatLastN, PenaltyRepeat: p.RepeatPenalty, PenaltyFreq: p.FrequencyPenalty,
		PenaltyPresent: p.PresencePenalty, MinP: p.MinP, TypicalP: 1,
	})
	if err != nil {
		return nil, fmt.Errorf("llama: %w", err)
	}
	return &cppSampler{sc: sc, lctx: e.lctx, e: e}, nil
}

func (e *cppEngine) isEOG(tok int) bool   { return e.model.TokenIsEog(tok) }
func (e *cppEngine) piece(tok int) string { return e.model.TokenToPiece(tok) }
func (e *cppEngine) contextSize() int     { return e.nctx }

func (e *cppEngine) close() {
	if e.prior != nil {
		e.prior.close()
	}
	e.batch.Free()
	if e.sibling {
		return
	}
	llama.FreeModel(e.model)
}

type cppSampler struct {
	sc   *llama.SamplingContext
	lctx *llama.Context
	e    *cppEngine
}

// sample reads the logits of the last token of the last decoded batch.
func (s *cppSampler) sample() int    { return s.sc.Sample(s.lctx, s.e.batch.NumTokens()-1) }
func (s *cppSampler) accept(tok int) { s.sc.Accept(tok, true) }

// openVocab loads only a model's vocabulary: enough to tokenize exactly as
// the brain does, for the training export.
func openVocab(path string) (*cppEngine, error) {
	llama.BackendInit()
	m, err := llama.LoadModelFromFile(path, llama.ModelParams{VocabOnly: true, UseMmap: true, Progress: func(float32) {}})
	if err != nil {
		return nil, fmt.Errorf("llama: loading the vocabulary of %s: %w", path, err)
	}
	return &cppEngine{model: m, bos: m.AddBOSToken()}, nil
}

func (e *cppEngine) closeVocab() { llama.FreeModel(e.model) }
