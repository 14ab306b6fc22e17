package gguftest

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// TinyConfig describes a small random-weight llama model for tests. The
// zero value of every field means the default noted beside it.
type TinyConfig struct {
	Seed      uint64
	Type      gguf.TensorType // F16 (default), Q8_0 or Q4_0 for the 2-D weights
	Layers    int             // 4
	Embedding int             // 256
	Heads     int             // 8
	HeadsKV   int             // 4
	FFN       int             // 768
	Vocab     int             // 1024 (at least 300: specials + 256 byte tokens)
	Context   int             // 2048 (the trained context it claims)
	// Architecture written to general.architecture; "" means "llama".
	// Tests set another value to make a wrong-architecture file.
	Architecture string
	// FavourEOS makes every position predict the end-of-sequence token,
	// so a test can watch generation stop at EOG.
	FavourEOS bool
}

// Token ids of the tiny vocabulary's special tokens. As in SmolLM2,
// end-of-sequence is the ChatML end-of-turn token.
const (
	TinyUnk     = 0
	TinyBOS     = 1
	TinyEOS     = 2 // "<|im_end|>"
	TinyIMStart = 3
	TinyEndText = 4 // "<|endoftext|>", unused by the template
)

// TinyChatTemplate is a ChatML template, the family SmolLM2 and Qwen use.
const TinyChatTemplate = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

func (c TinyConfig) withDefaults() TinyConfig {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&c.Layers, 4)
	def(&c.Embedding, 256)
	def(&c.Heads, 8)
	def(&c.HeadsKV, 4)
	def(&c.FFN, 768)
	def(&c.Vocab, 1024)
	def(&c.Context, 2048)
	if c.Architecture == "" {
		c.Architecture = "llama"
	}
	if c.Type == gguf.F32 { // the zero value
		c.Type = gguf.F16
	}
	return c
}

// tinyVocab builds a SentencePiece-style vocabulary: specials, 256 byte
// tokens for byte fallback, then pieces ("▁" marks a leading space).
func tinyVocab(n int) (tokens []string, scores []float32, types []int32) {
	add := func(s string, score float32, typ int32) {
		tokens = append(tokens, s)
		scores = append(scores, score)
		types = append(types, typ)
	}
	add("<unk>", 0, 2)
	add("<s>", 0, 3)
	add("<|im_end|>", 0, 3)
	add("<|im_start|>", 0, 3)
	add("<|endoftext|>", 0, 3)
	for b := range 256 {
		add(fmt.Sprintf("<0x%02X>", b), 0, 6)
	}
	seen := map[string]bool{}
	piece := func(s string) {
		if len(tokens) < n && !seen[s] {
			seen[s] = true
			add(s, -float32(len(tokens)), 1)
		}
	}
	piece("▁")
	words := []string{"the", "cat", "purr", "meow", "you", "I", "is", "a", "to", "and",
		"hello", "hi", "nap", "fish", "play", "sleep", "happy", "love", "my", "name",
		"what", "are", "me", "it", "on", "in", "so", "soft", "warm", "sun"}
	for _, w := range words {
		piece("▁" + w)
	}
	for c := 'a'; c <= 'z'; c++ {
		piece(string(c))
		piece("▁" + string(c))
	}
	for c := 'A'; c <= 'Z'; c++ {
		piece(string(c))
	}
	for _, p := range []string{".", ",", "!", "?", "'", "-", ":", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		piece(p)
	}
	for a := 'a'; a <= 'z' && len(tokens) < n; a++ {
		for b := 'a'; b <= 'z' && len(tokens) < n; b++ {
			piece(string(a) + string(b))
		}
	}
	for i := 0; len(tokens) < n; i++ {
		piece(fmt.Sprintf("▁w%d", i))
	}
	return tokens, scores, types
}

// WriteTiny writes a tiny llama GGUF; the same config gives the same bytes.
func WriteTiny(out io.Writer, c TinyConfig) error {
	c = c.withDefaults()
	if c.Vocab < 300 || c.Embedding%c.Heads != 0 || c.Heads%c.HeadsKV != 0 || c.Embedding%32 != 0 || c.FFN%32 != 0 {
		return fmt.Errorf("gguftest: tiny model config %+v is not valid", c)
	}
	switch c.Type {
	case gguf.F16, gguf.Q8_0, gguf.Q4_0:
	default:
		return fmt.Errorf("gguftest: tiny model type %s not supported (F16, Q8_0, Q4_0)", c.Type)
	}
	rng := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	a := c.Architecture
	headDim := c.Embedding / c.Heads
	kvDim := headDim * c.HeadsKV
	fileType := map[gguf.TensorType]uint32{gguf.F16: 1, gguf.Q4_0: 2, gguf.Q8_0: 7}[c.Type]

	w := &Writer{}
	w.Add("general.architecture", a)
	w.Add("general.name", fmt.Sprintf("purrd tiny %s seed %d", c.Type, c.Seed))
	w.Add("general.alignment", uint32(gguf.DefaultAlignment))
	w.Add("general.file_type", fileType)
	w.Add(a+".context_length", uint32(c.Context))
	w.Add(a+".embedding_length", uint32(c.Embedding))
	w.Add(a+".block_count", uint32(c.Layers))
	w.Add(a+".feed_forward_length", uint32(c.FFN))
	w.Add(a+".attention.head_count", uint32(c.Heads))
	w.Add(a+".attention.head_count_kv", uint32(c.HeadsKV))
	w.Add(a+".attention.layer_norm_rms_epsilon", float32(1e-5))
	w.Add(a+".rope.dimension_count", uint32(headDim))
	w.Add(a+".rope.freq_base", float32(10000))
	w.Add(a+".vocab_size", uint32(c.Vocab))
	tokens, scores, types := tinyVocab(c.Vocab)
	w.Add("tokenizer.ggml.model", "llama")
	w.Add("tokenizer.ggml.tokens", tokens)
	w.Add("tokenizer.ggml.scores", scores)
	w.Add("tokenizer.ggml.token_type", types)
	w.Add("tokenizer.ggml.unknown_token_id", uint32(TinyUnk))
	w.Add("tokenizer.ggml.bos_token_id", uint32(TinyBOS))
	w.Add("tokenizer.ggml.eos_token_id", uint32(TinyEOS))
	w.Add("tokenizer.ggml.add_bos_token", true)
	w.Add("tokenizer.ggml.add_eos_token", false)
	w.Add("tokenizer.chat_template", TinyChatTemplate)

	randn := func(n int, std float64) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * std)
		}
		return x
	}
	ones := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = 1
		}
		return x
	}
	var err error
	tensor := func(name string, typ gguf.TensorType, x []float32, dims ...uint64) {
		if err != nil {
			return
		}
		var b []byte
		if b, err = Encode(typ, x); err == nil {
			err = w.AddTensor(name, typ, dims, b)
		}
	}
	e, v := uint64(c.Embedding), uint64(c.Vocab)
	embd := randn(c.Embedding*c.Vocab, 0.5)
	output := randn(c.Embedding*c.Vocab, 0.1)
	if c.FavourEOS {
		// A large first component in every embedding survives the
		// residual stream and the final RMS norm; a matching weight in
		// the EOS row of the output makes EOS win every time.
		for t := range c.Vocab {
			embd[t*c.Embedding] = 8
		}
		output[TinyEOS*c.Embedding] = 4
	}
	tensor("token_embd.weight", c.Type, embd, e, v)
	tensor("output_norm.weight", gguf.F32, ones(c.Embedding), e)
	tensor("output.weight", c.Type, output, e, v)
	std := 0.02
	for i := range c.Layers {
		p := fmt.Sprintf("blk.%d.", i)
		tensor(p+"attn_norm.weight", gguf.F32, ones(c.Embedding), e)
		tensor(p+"attn_q.weight", c.Type, randn(c.Embedding*c.Embedding, std), e, e)
		tensor(p+"attn_k.weight", c.Type, randn(c.Embedding*kvDim, std), e, uint64(kvDim))
		tensor(p+"attn_v.weight", c.Type, randn(c.Embedding*kvDim, std), e, uint64(kvDim))
		tensor(p+"attn_output.weight", c.Type, randn(c.Embedding*c.Embedding, std), e, e)
		tensor(p+"ffn_norm.weight", gguf.F32, ones(c.Embedding), e)
		tensor(p+"ffn_gate.weight", c.Type, randn(c.Embedding*c.FFN, std), e, uint64(c.FFN))
		tensor(p+"ffn_up.weight", c.Type, randn(c.Embedding*c.FFN, std), e, uint64(c.FFN))
		tensor(p+"ffn_down.weight", c.Type, randn(c.FFN*c.Embedding, std), uint64(c.FFN), e)
	}
	if err != nil {
		return err
	}
	_, err = w.WriteTo(out)
	return err
}

// WriteTinyFile writes a tiny model to path (atomically, via a temporary
// file in the same folder) unless a file is already there.
func WriteTinyFile(path string, c TinyConfig) error {
	return writeOnce(path, "tiny model", func(out io.Writer) error { return WriteTiny(out, c) })
}

// writeOnce writes path through write, atomically (a temporary file in the
// same folder, renamed), unless a file is already there: tests running in
// parallel share generated files.
func writeOnce(path, what string, write func(io.Writer) error) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("gguftest: writing %s: %w", what, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tiny-*.gguf")
	if err != nil {
		return fmt.Errorf("gguftest: writing %s: %w", what, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("gguftest: writing %s %s: %w", what, path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("gguftest: writing %s: %w", what, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("gguftest: writing %s: %w", what, err)
	}
	return nil
}
