package gguf_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

// smallBase is a tiny model small enough for fuzzing.
var smallBase = gguftest.TinyConfig{Layers: 1, Embedding: 64, Heads: 2, HeadsKV: 1, FFN: 64, Vocab: 300}

func tinyAdapterBytes(t testing.TB, c gguftest.TinyAdapterConfig) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gguftest.WriteTinyAdapter(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readBytes(t testing.TB, b []byte) *gguf.File {
	t.Helper()
	f, err := gguf.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTinyAdapterFitsItsBase(t *testing.T) {
	dir := t.TempDir()
	model := writeTiny(t, dir, gguftest.TinyConfig{Seed: 1})
	for _, tc := range []struct {
		c           gguftest.TinyAdapterConfig
		rank, pairs int
		alpha       float64
	}{
		// 4 layers of q, v and ffn_up, and the output: 13 pairs.
		{gguftest.TinyAdapterConfig{Seed: 2}, 8, 13, 8},
		{gguftest.TinyAdapterConfig{Seed: 2, Rank: 4, Alpha: 16, TokenEmbedding: true}, 4, 14, 16},
	} {
		a := tinyAdapterBytes(t, tc.c)
		if !bytes.Equal(a, tinyAdapterBytes(t, tc.c)) {
			t.Fatal("same config wrote different bytes")
		}
		p := writeFile(t, dir, "a.gguf", a)
		info, err := gguf.CheckAdapter(p, model)
		if err != nil {
			t.Fatalf("%+v: %v", tc.c, err)
		}
		if info.Path != p || info.Architecture != "llama" || info.Rank != tc.rank || info.Alpha != tc.alpha ||
			info.Pairs != tc.pairs || info.Ignored != 0 || info.Size != int64(len(a)) || info.TensorBytes <= 0 {
			t.Errorf("%+v: info = %+v", tc.c, info)
		}
	}
}

// adapterFile builds an adapter header by hand: kv pairs, then F32 tensors
// of the given shapes, so each test breaks exactly one thing.
type adapterFile struct {
	kv      [][2]any
	tensors []gguf.TensorInfo
}

func goodAdapter() adapterFile {
	return adapterFile{
		kv: [][2]any{{"general.architecture", "llama"}, {"general.type", "adapter"}, {"adapter.type", "lora"},
			{"adapter.lora.alpha", float32(4)}},
		tensors: []gguf.TensorInfo{
			{Name: "blk.0.attn_q.weight.lora_a", Dims: []uint64{64, 4}},
			{Name: "blk.0.attn_q.weight.lora_b", Dims: []uint64{4, 64}},
			{Name: "blk.0.attn_v.weight.lora_a", Dims: []uint64{64, 4}},
			{Name: "blk.0.attn_v.weight.lora_b", Dims: []uint64{4, 32}},
			{Name: "token_embd.weight.lora_a", Dims: []uint64{4, 300}},
			{Name: "token_embd.weight.lora_b", Dims: []uint64{4, 64}},
			{Name: "blk.0.attn_norm.weight", Dims: []uint64{64}},
		},
	}
}

func (a adapterFile) set(key string, v any) adapterFile {
	kv := [][2]any{}
	for _, p := range a.kv {
		if p[0] != key {
			kv = append(kv, p)
		}
	}
	if v != nil {
		kv = append(kv, [2]any{key, v})
	}
	a.kv = kv
	return a
}

func (a adapterFile) with(ts ...gguf.TensorInfo) adapterFile {
	a.tensors = append(append([]gguf.TensorInfo{}, a.tensors...), ts...)
	return a
}

func (a adapterFile) without(name string) adapterFile {
	var ts []gguf.TensorInfo
	for _, t := range a.tensors {
		if t.Name != name {
			ts = append(ts, t)
		}
	}
	a.tensors = ts
	return a
}

func (a adapterFile) bytes(t testing.TB) []byte {
	t.Helper()
	w := &gguftest.Writer{}
	for _, p := range a.kv {
		w.Add(p[0].(string), p[1])
	}
	for _, ti := range a.tensors {
		if err := w.AddTensor(ti.Name, gguf.F32, ti.Dims, make([]byte, 4*ti.Elements())); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckAdapterRefuses(t *testing.T) {
	dir := t.TempDir()
	model := writeTiny(t, dir, smallBase)
	good := goodAdapter()
	goodBytes := good.bytes(t)
	if info, err := gguf.CheckAdapter(writeFile(t, dir, "good.gguf", goodBytes), model); err != nil || info.Pairs != 3 || info.Ignored != 1 || info.Rank != 4 {
		t.Fatalf("hand-made adapter: %+v, %v", info, err)
	}
	var model2 bytes.Buffer
	if err := gguftest.WriteTiny(&model2, smallBase); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file []byte
		kind error
		want string
	}{
		{"a model, not an adapter", model2.Bytes(), gguf.ErrNotAdapter, `general.type is ""`},
		{"not lora", good.set("adapter.type", "control_vector").bytes(t), gguf.ErrNotAdapter, `adapter.type is "control_vector"`},
		{"type not a string", good.set("general.type", uint32(1)).bytes(t), gguf.ErrNotAdapter, "general.type has value type 4"},
		{"no alpha", good.set("adapter.lora.alpha", nil).bytes(t), gguf.ErrNotAdapter, "adapter.lora.alpha is missing"},
		{"alpha not float32", good.set("adapter.lora.alpha", uint32(4)).bytes(t), gguf.ErrNotAdapter, "want float32"},
		{"negative alpha", good.set("adapter.lora.alpha", float32(-1)).bytes(t), gguf.ErrNotAdapter, "is -1"},
		{"alora tokens of the wrong type", good.set("adapter.alora_invocation_tokens", []string{"x"}).bytes(t), gguf.ErrNotAdapter, "array of uint32"},
		{"wrong architecture", good.set("general.architecture", "gemma3").bytes(t), gguf.ErrMismatch, `for architecture "gemma3", the model is "llama"`},
		{"no architecture", good.set("general.architecture", nil).bytes(t), gguf.ErrMismatch, `for architecture ""`},
		{"no pairs", good.without("blk.0.attn_q.weight.lora_a").without("blk.0.attn_q.weight.lora_b").
			without("blk.0.attn_v.weight.lora_a").without("blk.0.attn_v.weight.lora_b").
			without("token_embd.weight.lora_a").without("token_embd.weight.lora_b").bytes(t), gguf.ErrNotAdapter, "no .lora_a/.lora_b tensor pairs"},
		{"half a pair", good.without("blk.0.attn_v.weight.lora_b").bytes(t), gguf.ErrNotAdapter, "blk.0.attn_v.weight.lora_a has no .lora_b partner"},
		{"other tensor", good.with(gguf.TensorInfo{Name: "blk.0.attn_q.weight", Dims: []uint64{64, 64}}).bytes(t), gguf.ErrNotAdapter, `"blk.0.attn_q.weight" is neither`},
		{"tensor the model lacks", good.with(gguf.TensorInfo{Name: "blk.1.attn_q.weight.lora_a", Dims: []uint64{64, 4}},
			gguf.TensorInfo{Name: "blk.1.attn_q.weight.lora_b", Dims: []uint64{4, 64}}).bytes(t), gguf.ErrMismatch, `tensor "blk.1.attn_q.weight", which the model does not have`},
		{"transposed lora_a", good.without("blk.0.attn_q.weight.lora_a").with(gguf.TensorInfo{Name: "blk.0.attn_q.weight.lora_a", Dims: []uint64{4, 64}}).bytes(t),
			gguf.ErrMismatch, "blk.0.attn_q.weight: lora_a is [4 64]"},
		{"ranks differ", good.without("blk.0.attn_v.weight.lora_b").with(gguf.TensorInfo{Name: "blk.0.attn_v.weight.lora_b", Dims: []uint64{8, 32}}).bytes(t),
			gguf.ErrMismatch, "the same r"},
		{"output width wrong", good.without("blk.0.attn_v.weight.lora_b").with(gguf.TensorInfo{Name: "blk.0.attn_v.weight.lora_b", Dims: []uint64{4, 64}}).bytes(t),
			gguf.ErrMismatch, "the model's tensor is [64 32]"},
		{"embedding halves not flipped", good.without("token_embd.weight.lora_a").with(gguf.TensorInfo{Name: "token_embd.weight.lora_a", Dims: []uint64{64, 4}}).bytes(t),
			gguf.ErrMismatch, "token_embd.weight: lora_a is [64 4]"},
		{"3-D half", good.without("blk.0.attn_q.weight.lora_a").with(gguf.TensorInfo{Name: "blk.0.attn_q.weight.lora_a", Dims: []uint64{64, 2, 2}}).bytes(t),
			gguf.ErrMismatch, "must be matrices"},
		{"adapts a vector", good.with(gguf.TensorInfo{Name: "output_norm.weight.lora_a", Dims: []uint64{64, 4}},
			gguf.TensorInfo{Name: "output_norm.weight.lora_b", Dims: []uint64{4, 1}}).bytes(t), gguf.ErrMismatch, "not a matrix"},
		{"truncated data", goodBytes[:len(goodBytes)-100], gguf.ErrTruncated, "tensor data ends at byte"},
		{"truncated header", goodBytes[:200], gguf.ErrTruncated, ""},
		{"not gguf", []byte("PK\x03\x04 a zip file"), gguf.ErrNotGGUF, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "purrd-cat.lora.gguf", tc.file)
			info, err := gguf.CheckAdapter(p, model)
			if err == nil {
				t.Fatalf("accepted: %+v", info)
			}
			var ae *gguf.AdapterError
			if !errors.As(err, &ae) || ae.Path != p || !strings.HasPrefix(err.Error(), "gguf: adapter "+p+": ") {
				t.Errorf("error %q: want an *AdapterError naming %s", err, p)
			}
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want %v containing %q", err, tc.kind, tc.want)
			}
		})
	}
}

func TestCheckAdapterFiles(t *testing.T) {
	dir := t.TempDir()
	model := writeTiny(t, dir, smallBase)
	adapter := writeFile(t, dir, "a.gguf", tinyAdapterBytes(t, gguftest.TinyAdapterConfig{Base: smallBase}))
	if _, err := gguf.CheckAdapter(adapter, model); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.gguf")
	for _, tc := range []struct {
		name, path, model, want string
		kind                    error
	}{
		{"no path", "", model, "no adapter path given (brain.adapter)", nil},
		{"no adapter file", missing, model, "gguf: adapter " + missing + ": open " + missing, fs.ErrNotExist},
		{"no model file", adapter, missing, "reading the base model: open " + missing, fs.ErrNotExist},
		{"a folder", dir, model, "not a regular file", gguf.ErrNotGGUF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gguf.CheckAdapter(tc.path, tc.model)
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.kind != nil && !errors.Is(err, tc.kind)) {
				t.Errorf("CheckAdapter = %v, want %v containing %q", err, tc.kind, tc.want)
			}
		})
	}
	// An adapter made for a model of another width is refused by shape.
	wide := smallBase
	wide.Embedding, wide.FFN = 128, 128
	p := writeFile(t, dir, "wide.gguf", tinyAdapterBytes(t, gguftest.TinyAdapterConfig{Base: wide}))
	if _, err := gguf.CheckAdapter(p, model); !errors.Is(err, gguf.ErrMismatch) {
		t.Errorf("adapter for a wider model: %v, want ErrMismatch", err)
	}
	// One from the old finetune example (lora_a transposed) too.
	p = writeFile(t, dir, "old.gguf", tinyAdapterBytes(t, gguftest.TinyAdapterConfig{Base: smallBase, Transposed: true}))
	if _, err := gguf.CheckAdapter(p, model); !errors.Is(err, gguf.ErrMismatch) {
		t.Errorf("transposed adapter: %v, want ErrMismatch", err)
	}
}

// FuzzDescribeAdapter: no header makes the adapter check panic, and
// whatever it accepts holds pairs that fit the base model.
func FuzzDescribeAdapter(f *testing.F) {
	var model bytes.Buffer
	if err := gguftest.WriteTiny(&model, smallBase); err != nil {
		f.Fatal(err)
	}
	base := readBytes(f, model.Bytes())
	a := tinyAdapterBytes(f, gguftest.TinyAdapterConfig{Base: smallBase, Rank: 2, TokenEmbedding: true})
	f.Add(a)
	f.Add(a[:len(a)/2])
	f.Add(goodAdapter().bytes(f))
	f.Add(goodAdapter().set("adapter.lora.alpha", uint64(1)).bytes(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := gguf.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		info, err := gguf.DescribeAdapter(file, base)
		if err != nil {
			if !errors.Is(err, gguf.ErrNotAdapter) && !errors.Is(err, gguf.ErrMismatch) && !errors.Is(err, gguf.ErrCorrupt) && !errors.Is(err, gguf.ErrTruncated) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if info.Pairs == 0 || info.Rank == 0 || info.Architecture != "llama" || info.Pairs*2+info.Ignored != len(file.Tensors) {
			t.Fatalf("accepted %+v", info)
		}
		if _, err := file.CheckTensors(); err != nil {
			t.Fatalf("accepted what CheckTensors refuses: %v", err)
		}
	})
}
