// Command tinygguf writes a tiny random-weight llama GGUF model for tests
// and benchmarks:
//
//	go run ./dialog/llama/cmd/tinygguf -type q4_0 -seed 7 -o .cache/models/tiny-q4_0.gguf
//
// With -adapter FILE it also writes a random LoRA adapter that fits the
// model (llama.cpp's adapter GGUF layout), for trying brain.adapter.
//
// The same flags always give the same bytes. Generated files belong in an
// ignored cache folder, never in the repository.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

func main() {
	out := flag.String("o", "", "output file (required)")
	typ := flag.String("type", "f16", "weight type: f16, q8_0 or q4_0")
	seed := flag.Uint64("seed", 1, "random seed")
	layers := flag.Int("layers", 4, "transformer blocks")
	width := flag.Int("width", 256, "embedding width")
	ffn := flag.Int("ffn", 768, "feed-forward width")
	vocab := flag.Int("vocab", 1024, "vocabulary size (>= 300)")
	arch := flag.String("arch", "llama", "general.architecture to write (another value makes a file the checker refuses)")
	eos := flag.Bool("eos", false, "make the model predict end-of-sequence at once")
	adapter := flag.String("adapter", "", "also write a LoRA adapter for the model to this file")
	rank := flag.Int("rank", 8, "LoRA rank of the adapter")
	flag.Parse()
	types := map[string]gguf.TensorType{"f16": gguf.F16, "q8_0": gguf.Q8_0, "q4_0": gguf.Q4_0}
	t, ok := types[strings.ToLower(*typ)]
	if *out == "" || !ok || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: tinygguf -o FILE [-type f16|q8_0|q4_0] [-seed N] ...")
		os.Exit(2)
	}
	os.Remove(*out)
	model := gguftest.TinyConfig{
		Seed: *seed, Type: t, Layers: *layers, Embedding: *width, FFN: *ffn,
		Vocab: *vocab, Architecture: *arch, FavourEOS: *eos,
	}
	err := gguftest.WriteTinyFile(*out, model)
	if err == nil && *adapter != "" {
		os.Remove(*adapter)
		err = gguftest.WriteTinyAdapterFile(*adapter, gguftest.TinyAdapterConfig{Base: model, Seed: *seed + 1, Rank: *rank})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tinygguf:", err)
		os.Exit(1)
	}
}
