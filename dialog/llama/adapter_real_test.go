//go:build llama && realmodels

package llama

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

// randomAdapterFor writes a random LoRA adapter for the attention query
// and value weights of a real model, taking names and shapes from its
// tensor directory, as the trainer's adapter will.
func randomAdapterFor(t *testing.T, model, path string) {
	t.Helper()
	f, err := gguf.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	const rank = 8
	rng := rand.New(rand.NewPCG(1, 2))
	w := &gguftest.Writer{}
	w.Add("general.architecture", f.String("general.architecture"))
	w.Add("general.type", "adapter")
	w.Add("adapter.type", "lora")
	w.Add("adapter.lora.alpha", float32(rank))
	half := func(name string, d0, d1 uint64) {
		x := make([]float32, d0*d1)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 0.1)
		}
		b, err := gguftest.Encode(gguf.F32, x)
		if err == nil {
			err = w.AddTensor(name, gguf.F32, []uint64{d0, d1}, b)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, ti := range f.Tensors {
		if strings.HasSuffix(ti.Name, ".attn_q.weight") || strings.HasSuffix(ti.Name, ".attn_v.weight") {
			half(ti.Name+".lora_a", ti.Dims[0], rank)
			half(ti.Name+".lora_b", rank, ti.Dims[1])
			n++
		}
	}
	if n == 0 {
		t.Fatalf("%s has no attention weights to adapt", model)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteTo(out); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// The cat adapter is made for Gemma 3 270M: an adapter of its shapes
// passes the Go check, and llama.cpp applies it to the real (quantized,
// repacked) weights and answers differently.
func TestGemma3TakesAdapter(t *testing.T) {
	model := realModel(t, "gemma3")
	adapter := filepath.Join(t.TempDir(), "random.lora.gguf")
	randomAdapterFor(t, model, adapter)
	info, err := gguf.CheckAdapter(adapter, model)
	if err != nil {
		t.Fatal(err)
	}
	if info.Architecture != "gemma3" || info.Rank != 8 {
		t.Errorf("adapter info %+v", info)
	}
	c := engineConfig{Model: model, Threads: 1, Context: 256, Batch: 64}
	run := func() string {
		e, err := openEngine(c)
		if err != nil {
			t.Fatal(err)
		}
		defer e.close()
		prompt := []Segment{{Text: "Owner: Hello little cat, are you hungry?\nCat:"}}
		var out strings.Builder
		_, _, err = (&generator{t: e}).run(t.Context(), genRequest{Prompt: prompt, MaxTokens: 8, Sampling: sampling{Seed: 1}},
			func(s string) error { out.WriteString(s); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	base := run()
	c.Adapter = adapter
	with := run()
	t.Logf("base %q, with a random adapter %q", base, with)
	if base == with {
		t.Errorf("the adapter (%d pairs) changed nothing", info.Pairs)
	}
}
