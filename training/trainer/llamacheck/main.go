//go:build llama

// Command llamacheck runs a token sequence through llama.cpp (the engine
// purrd ships), optionally with a LoRA adapter applied, and writes the
// next-token logits of the last position as little-endian float32. The
// trainer's tests/crosscheck.py compares them with the transformers model
// the adapter was trained in, so the conversion of the base weights and
// the adapter's tensor layout are checked against the real engine:
//
//	go run -tags llama ./training/trainer/llamacheck -model M.gguf [-lora A.gguf] -ids 2,818,505 -o logits.f32
//	go run -tags llama ./training/trainer/llamacheck -model M.gguf -text "Hello" -tokens
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/ollama/ollama/llama"
	"github.com/ollama/ollama/ml"
)

func main() {
	model := flag.String("model", "", "base model GGUF")
	lora := flag.String("lora", "", "LoRA adapter GGUF to apply (scale 1)")
	idsFlag := flag.String("ids", "", "comma-separated token ids to run")
	text := flag.String("text", "", "text to tokenize (with -tokens)")
	tokens := flag.Bool("tokens", false, "print the engine's token ids for -text and exit")
	out := flag.String("o", "", "file for the last position's logits (float32 little-endian)")
	flag.Parse()
	if err := run(*model, *lora, *idsFlag, *text, *tokens, *out); err != nil {
		fmt.Fprintln(os.Stderr, "llamacheck:", err)
		os.Exit(1)
	}
}

func run(modelPath, loraPath, idsFlag, text string, printTokens bool, out string) error {
	llama.BackendInit()
	m, err := llama.LoadModelFromFile(modelPath, llama.ModelParams{UseMmap: true})
	if err != nil {
		return fmt.Errorf("loading %s: %w", modelPath, err)
	}
	defer llama.FreeModel(m)
	if printTokens {
		ids, err := m.Tokenize(text, true, true)
		if err != nil {
			return fmt.Errorf("tokenize %q: %w", text, err)
		}
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.Itoa(id)
		}
		fmt.Println(strings.Join(s, ","))
		return nil
	}
	var ids []int
	for _, f := range strings.Split(idsFlag, ",") {
		id, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("-ids %q: %w", idsFlag, err)
		}
		ids = append(ids, id)
	}
	ctx, err := llama.NewContextWithModel(m, llama.NewContextParams(1024, 512, 1, 2, ml.FlashAttentionDisabled, ""))
	if err != nil {
		return fmt.Errorf("context: %w", err)
	}
	if loraPath != "" {
		if err := m.ApplyLoraFromFile(ctx, loraPath, 1, 2); err != nil {
			return fmt.Errorf("applying %s: %w", loraPath, err)
		}
	}
	b, err := llama.NewBatch(512, 1, 0)
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	defer b.Free()
	for i, id := range ids {
		b.Add(id, nil, i, i == len(ids)-1, 0)
	}
	if err := ctx.Decode(b); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	logits := ctx.GetLogitsIth(len(ids) - 1)
	buf := make([]byte, 4*len(logits))
	for i, v := range logits {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
	}
	return os.WriteFile(out, buf, 0o644)
}
