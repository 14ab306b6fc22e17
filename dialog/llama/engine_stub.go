//go:build !llama

package llama

import "context"

// EngineBuiltIn reports whether this binary carries llama.cpp.
const EngineBuiltIn = false

// cppEngine is absent from this build; every method reports ErrNoEngine.
type cppEngine struct{}

func openEngine(engineConfig) (*cppEngine, error) { return nil, ErrNoEngine }

func (*cppEngine) tokenize(Segment, bool) ([]int, error)         { return nil, ErrNoEngine }
func (*cppEngine) eval(context.Context, []int, int) (int, error) { return 0, ErrNoEngine }
func (*cppEngine) evalAll(context.Context, []int, int, func(int, []float32)) (int, error) {
	return 0, ErrNoEngine
}
func (*cppEngine) lastLogits() []float32                { return nil }
func (*cppEngine) truncate(int) bool                    { return false }
func (*cppEngine) newSampler(sampling) (sampler, error) { return nil, ErrNoEngine }
func (*cppEngine) isEOG(int) bool                       { return true }
func (*cppEngine) piece(int) string                     { return "" }
func (*cppEngine) contextSize() int                     { return 0 }
func (*cppEngine) close()                               {}
func (*cppEngine) priorEngine() *cppEngine              { return nil }

func openVocab(string) (*cppEngine, error) { return nil, ErrNoEngine }
func (*cppEngine) closeVocab()             {}
