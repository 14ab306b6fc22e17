package llama

import (
	"fmt"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// Tokenizer turns rendered prompts into token ids exactly as the brain
// process does: the same engine, the same segment-by-segment calls. The
// training export uses it so that an adapter learns from the very ids it
// will be given at run time.
type Tokenizer struct {
	e        *cppEngine
	template string
}

// OpenTokenizer loads the vocabulary (not the weights) of a GGUF model.
// Without the engine built in it fails with ErrNoEngine.
func OpenTokenizer(model string) (*Tokenizer, error) {
	info, err := gguf.Check(model, gguf.CheckOptions{MemoryLimit: 1 << 62})
	if err != nil {
		return nil, err
	}
	e, err := openVocab(model)
	if err != nil {
		return nil, err
	}
	return &Tokenizer{e: e, template: info.ChatTemplate}, nil
}

// ChatTemplate is the model's template, which picks the prompt format.
func (t *Tokenizer) ChatTemplate() string { return t.template }

// Encode tokenizes segments as one prompt from its start (BOS included
// when the model adds one). reply[i] tells whether token i came from a
// segment marked Reply: the pet's words, which carry the training loss.
func (t *Tokenizer) Encode(segs []Segment) (ids []int, reply []bool, err error) {
	for i, s := range segs {
		if s.Text == "" {
			continue
		}
		toks, err := t.e.tokenize(s, i == 0)
		if err != nil {
			return nil, nil, fmt.Errorf("llama: encode segment %d: %w", i, err)
		}
		ids = append(ids, toks...)
		for range toks {
			reply = append(reply, s.Reply)
		}
	}
	return ids, reply, nil
}

// Close frees the vocabulary.
func (t *Tokenizer) Close() { t.e.closeVocab() }
