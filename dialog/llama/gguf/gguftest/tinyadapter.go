package gguftest

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// TinyAdapterConfig describes a random LoRA adapter for a tiny model
// (TinyConfig). The zero value of every field means the default noted.
type TinyAdapterConfig struct {
	Base  TinyConfig // the model it adapts; shapes and architecture follow it
	Seed  uint64
	Rank  int     // 8
	Alpha float32 // Rank, so the engine's scale alpha/rank is 1
	// Std is the standard deviation of both halves' values; 0 means 0.2,
	// large enough that the adapter changes what a tiny model says.
	Std float32
	// Architecture overrides general.architecture (a wrong-architecture
	// test); "" means the base's.
	Architecture string
	// Transposed writes lora_a as [r, n_in], the layout of an old
	// llama.cpp finetune adapter that the engine refuses (a wrong-shape
	// test).
	Transposed bool
	// TokenEmbedding adapts token_embd.weight too, whose halves are stored
	// the other way round.
	TokenEmbedding bool
}

// llama.cpp's names (llama-adapter.cpp), spelt here rather than taken from
// package gguf so that its adapter check is tested against the engine's
// layout, not against its own constants.
const (
	loraA     = ".lora_a"
	loraB     = ".lora_b"
	tokenEmbd = "token_embd.weight" // its halves are stored the other way round
)

func (c TinyAdapterConfig) withDefaults() TinyAdapterConfig {
	c.Base = c.Base.withDefaults()
	if c.Rank <= 0 {
		c.Rank = 8
	}
	if c.Alpha == 0 {
		c.Alpha = float32(c.Rank)
	}
	if c.Std == 0 {
		c.Std = 0.2
	}
	if c.Architecture == "" {
		c.Architecture = c.Base.Architecture
	}
	return c
}

// WriteTinyAdapter writes a LoRA adapter in llama.cpp's GGUF layout for
// the tiny model c.Base: F32 halves for the attention query and value,
// the FFN up projection of every layer and the output projection. The
// same config gives the same bytes.
func WriteTinyAdapter(out io.Writer, c TinyAdapterConfig) error {
	c = c.withDefaults()
	b := c.Base
	if b.Embedding%b.Heads != 0 || b.Heads%b.HeadsKV != 0 {
		return fmt.Errorf("gguftest: tiny adapter base config %+v is not valid", b)
	}
	rng := rand.New(rand.NewPCG(c.Seed, c.Seed^0x6a09e667f3bcc908))
	kvDim := b.Embedding / b.Heads * b.HeadsKV
	w := &Writer{}
	w.Add("general.architecture", c.Architecture)
	w.Add("general.type", "adapter")
	w.Add("general.name", fmt.Sprintf("purrd tiny lora seed %d", c.Seed))
	w.Add("general.alignment", uint32(gguf.DefaultAlignment))
	w.Add("adapter.type", "lora")
	w.Add("adapter.lora.alpha", c.Alpha)

	var err error
	randn := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64()) * c.Std
		}
		return x
	}
	tensor := func(name string, d0, d1 int) {
		if err != nil {
			return
		}
		var data []byte
		if data, err = Encode(gguf.F32, randn(d0*d1)); err == nil {
			err = w.AddTensor(name, gguf.F32, []uint64{uint64(d0), uint64(d1)}, data)
		}
	}
	r := c.Rank
	// adapt adds the pair for a base weight of ggml shape [nIn, nOut].
	adapt := func(name string, nIn, nOut int) {
		if c.Transposed {
			tensor(name+loraA, r, nIn)
		} else {
			tensor(name+loraA, nIn, r)
		}
		tensor(name+loraB, r, nOut)
	}
	if c.TokenEmbedding {
		tensor(tokenEmbd+loraA, r, b.Vocab)
		tensor(tokenEmbd+loraB, r, b.Embedding)
	}
	for i := range b.Layers {
		p := fmt.Sprintf("blk.%d.", i)
		adapt(p+"attn_q.weight", b.Embedding, b.Embedding)
		adapt(p+"attn_v.weight", b.Embedding, kvDim)
		adapt(p+"ffn_up.weight", b.Embedding, b.FFN)
	}
	adapt("output.weight", b.Embedding, b.Vocab)
	if err != nil {
		return err
	}
	_, err = w.WriteTo(out)
	return err
}

// WriteTinyAdapterFile writes a tiny adapter to path (atomically) unless
// a file is already there.
func WriteTinyAdapterFile(path string, c TinyAdapterConfig) error {
	return writeOnce(path, "tiny adapter", func(out io.Writer) error { return WriteTinyAdapter(out, c) })
}
