package gguf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// More errors a caller can test for with errors.Is.
var (
	ErrMissing      = errors.New("model file not found")
	ErrArchitecture = errors.New("architecture not supported by the engine")
	ErrTooBig       = errors.New("not enough memory for the model")
)

// Architectures lists the general.architecture values the engine
// (llama.cpp as vendored in ollama v0.17.4, llama-arch.cpp) can load and
// generate text with. Encoder-only, embedding, vision-tower, audio-decoder
// and diffusion models are left out: they load but cannot chat.
var Architectures = []string{
	"afmoe", "apertus", "arcee", "arctic", "arwkv7", "baichuan", "bailingmoe", "bailingmoe2",
	"bitnet", "bloom", "chameleon", "chatglm", "codeshell", "cogvlm", "cohere2", "command-r",
	"dbrx", "deci", "deepseek", "deepseek2", "dots1", "ernie4_5", "ernie4_5-moe", "exaone",
	"exaone4", "falcon", "falcon-h1", "gemma", "gemma2", "gemma3", "gemma3n", "glm4",
	"glm4moe", "gpt-oss", "gpt2", "gptj", "gptneox", "granite", "granitehybrid", "granitemoe",
	"grok", "grovemoe", "hunyuan-dense", "hunyuan-moe", "internlm2", "jais", "jamba", "lfm2",
	"lfm2moe", "llama", "llama4", "mamba", "mamba2", "minicpm", "minicpm3", "minimax-m2",
	"mistral3", "mpt", "nemotron", "nemotron_h", "nemotron_h_moe", "olmo", "olmo2", "olmoe",
	"openelm", "orion", "pangu-embedded", "phi2", "phi3", "phimoe", "plamo", "plamo2", "plm",
	"qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "qwen3next", "qwen3vl",
	"qwen3vlmoe", "refact", "rnd1", "rwkv6", "rwkv6qwen2", "rwkv7", "seed_oss", "smallthinker",
	"smollm3", "solar", "stablelm", "starcoder", "starcoder2", "xverse",
}

// CheckOptions sets the limits a model is checked against.
type CheckOptions struct {
	// MemoryLimit in bytes; 0 means MemAvailable from Meminfo.
	MemoryLimit int64
	// Context is the context size in tokens the engine will allocate
	// (for the KV-cache estimate); 0 means 1024.
	Context int
	// Meminfo is the file read for MemAvailable; "" means /proc/meminfo.
	Meminfo string
}

// Info is what the check learnt about a model.
type Info struct {
	Path          string
	Size          int64 // file size
	Version       uint32
	Architecture  string
	Name          string // general.name, may be ""
	Tensors       int
	TensorBytes   int64
	Layers        int
	Embedding     int
	HeadCount     int
	HeadCountKV   int
	HeadDim       int // attention.key_length when the model sets it
	ContextLength int // the model's trained context
	VocabSize     int
	ChatTemplate  string // tokenizer.chat_template, may be ""

	KVCacheBytes int64 // estimate for CheckOptions.Context
	NeedBytes    int64 // estimated resident memory when loaded
	Available    int64 // the limit compared against
	LimitSource  string
}

// CheckError says which file failed which check; Unwrap gives the kind
// (ErrMissing, ErrNotGGUF, ErrTruncated, ...).
type CheckError struct {
	Path string
	Err  error
}

func (e *CheckError) Error() string {
	return "gguf: model " + e.Path + ": " + e.Err.Error()
}

func (e *CheckError) Unwrap() error { return e.Err }

// Check reads the model at path and decides whether the engine may be
// given it. Every refusal is a *CheckError naming the file and the problem.
func Check(path string, opts CheckOptions) (*Info, error) {
	fail := func(err error) (*Info, error) { return nil, &CheckError{Path: path, Err: err} }
	if path == "" {
		return fail(fmt.Errorf("%w: no model path configured (brain.model)", ErrMissing))
	}
	fh, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fail(fmt.Errorf("%w (see docs/models.md to install one)", ErrMissing))
		}
		return fail(err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return fail(err)
	}
	if !st.Mode().IsRegular() {
		return fail(fmt.Errorf("%w: not a regular file (%s)", ErrNotGGUF, st.Mode().Type()))
	}
	f, err := Read(fh, st.Size())
	if err != nil {
		return fail(err)
	}
	info, err := Describe(f)
	if err != nil {
		return fail(err)
	}
	info.Path = path
	ctx := opts.Context
	if ctx <= 0 {
		ctx = 1024
	}
	info.KVCacheBytes, info.NeedBytes = estimate(info, ctx)
	info.Available, info.LimitSource = opts.MemoryLimit, "the configured limit (brain.max_memory_mb)"
	if info.Available <= 0 {
		mi := opts.Meminfo
		if mi == "" {
			mi = "/proc/meminfo"
		}
		avail, err := MemAvailable(mi)
		if err != nil {
			return fail(err)
		}
		info.Available, info.LimitSource = avail, "MemAvailable in "+mi
	}
	if info.NeedBytes > info.Available {
		return fail(fmt.Errorf("%w: %s needs about %s (weights %s + KV cache %s for %d tokens + working memory) but %s is %s",
			ErrTooBig, filepath.Base(path), mib(info.NeedBytes), mib(info.TensorBytes), mib(info.KVCacheBytes), ctx,
			info.LimitSource, mib(info.Available)))
	}
	return info, nil
}

// Describe checks a parsed header for what the engine needs (architecture,
// tensors inside the file, a vocabulary) and summarises it.
func Describe(f *File) (*Info, error) {
	info := &Info{Size: f.Size, Version: f.Version, Tensors: len(f.Tensors)}
	info.Architecture = f.String("general.architecture")
	info.Name = f.String("general.name")
	if info.Architecture == "" {
		return nil, fmt.Errorf("%w: general.architecture is missing", ErrArchitecture)
	}
	if !slices.Contains(Architectures, info.Architecture) {
		return nil, fmt.Errorf("%w: %q cannot generate text in this engine (it runs %s, ... ; see docs/models.md)",
			ErrArchitecture, info.Architecture, strings.Join([]string{"llama", "qwen2", "qwen3", "gemma3", "phi3", "smollm3"}, ", "))
	}
	if len(f.Tensors) == 0 {
		return nil, fmt.Errorf("%w: no tensors (a vocabulary-only file?)", ErrCorrupt)
	}
	var err error
	if info.TensorBytes, err = f.CheckTensors(); err != nil {
		return nil, err
	}
	a := info.Architecture
	geti := func(k string) int {
		v, _ := f.Uint(a + "." + k)
		return int(min(v, 1<<30))
	}
	info.Layers = geti("block_count")
	info.Embedding = geti("embedding_length")
	info.HeadCount = geti("attention.head_count")
	info.HeadCountKV = geti("attention.head_count_kv")
	info.ContextLength = geti("context_length")
	info.HeadDim = geti("attention.key_length")
	if info.HeadCountKV == 0 {
		info.HeadCountKV = info.HeadCount
	}
	if info.Layers == 0 || info.Embedding == 0 {
		return nil, fmt.Errorf("%w: %s.block_count or %s.embedding_length is missing", ErrCorrupt, a, a)
	}
	n, ok := f.ArrayLen("tokenizer.ggml.tokens")
	if !ok || n == 0 {
		return nil, fmt.Errorf("%w: tokenizer.ggml.tokens is missing (no vocabulary)", ErrCorrupt)
	}
	info.VocabSize = int(n)
	info.ChatTemplate = f.String("tokenizer.chat_template")
	return info, nil
}

// estimate returns the KV-cache size and the total resident memory the
// engine needs: weights (mmapped, but all pages are touched when
// generating), an F16 KV cache, the logits and compute buffers, and a
// fixed allowance for the runtime.
func estimate(i *Info, ctx int) (kv, total int64) {
	headDim := int64(i.HeadDim)
	if headDim == 0 && i.HeadCount > 0 {
		headDim = int64(i.Embedding) / int64(i.HeadCount)
	}
	kvDim := int64(i.Embedding)
	if headDim > 0 {
		kvDim = headDim * int64(i.HeadCountKV)
	}
	kv = 2 * int64(i.Layers) * int64(ctx) * kvDim * 2
	// Compute buffers and repacked weights: estimated 165 MiB
	// vs 157 MiB VmHWM measured for SmolLM2-135M Q4_1, 321 vs 328 for Gemma 3
	// 270M Q4_K_M (context 1024, x86-64).
	compute := int64(i.VocabSize)*4*2 + int64(ctx)*int64(i.Embedding)*4*4 + i.TensorBytes/10
	const runtime = 32 << 20
	return kv, i.TensorBytes + kv + compute + runtime
}

func mib(n int64) string {
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
