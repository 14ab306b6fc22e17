package gguftest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

func TestTinyRoundTrip(t *testing.T) {
	for _, typ := range []gguf.TensorType{gguf.F16, gguf.Q8_0, gguf.Q4_0} {
		t.Run(typ.String(), func(t *testing.T) {
			var a, b bytes.Buffer
			if err := WriteTiny(&a, TinyConfig{Seed: 3, Type: typ}); err != nil {
				t.Fatal(err)
			}
			if err := WriteTiny(&b, TinyConfig{Seed: 3, Type: typ}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("same seed wrote different bytes")
			}
			f, err := gguf.Read(bytes.NewReader(a.Bytes()), int64(a.Len()))
			if err != nil {
				t.Fatal(err)
			}
			info, err := gguf.Describe(f)
			if err != nil {
				t.Fatal(err)
			}
			if f.Version != 3 || info.Architecture != "llama" || info.Layers != 4 || info.Embedding != 256 ||
				info.HeadCount != 8 || info.HeadCountKV != 4 || info.VocabSize != 1024 || info.Tensors != 3+4*9 {
				t.Errorf("info = %+v", info)
			}
			if !strings.Contains(info.ChatTemplate, "<|im_start|>") {
				t.Errorf("chat template %q", info.ChatTemplate)
			}
			// Tensor data fills the file exactly, up to alignment padding.
			if end := f.DataOffset + info.TensorBytes; end > int64(a.Len()) || int64(a.Len())-end > int64(len(f.Tensors))*32 {
				t.Errorf("data %d bytes from %d in a %d-byte file", info.TensorBytes, f.DataOffset, a.Len())
			}
			for _, ti := range f.Tensors {
				if strings.HasSuffix(ti.Name, "norm.weight") != (ti.Type == gguf.F32) {
					t.Errorf("tensor %s has type %s", ti.Name, ti.Type)
				}
			}
			var other bytes.Buffer
			if err := WriteTiny(&other, TinyConfig{Seed: 4, Type: typ}); err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(a.Bytes(), other.Bytes()) {
				t.Error("different seeds wrote the same bytes")
			}
		})
	}
}

func TestF16(t *testing.T) {
	for _, c := range []struct {
		f float32
		h uint16
	}{{0, 0}, {1, 0x3c00}, {-2, 0xc000}, {65504, 0x7bff}, {1e6, 0x7c00}, {5.960464477539063e-08, 1}, {0.333251953125, 0x3555}, {1e-9, 0}} {
		if got := f16(c.f); got != c.h {
			t.Errorf("f16(%g) = %#04x, want %#04x", c.f, got, c.h)
		}
	}
}

func TestEncodeQuantBlocks(t *testing.T) {
	x := make([]float32, 32)
	for i := range x {
		x[i] = float32(i-16) / 4 // -4 .. 3.75
	}
	q8, _ := Encode(gguf.Q8_0, x)
	q4, _ := Encode(gguf.Q4_0, x)
	if len(q8) != 34 || len(q4) != 18 {
		t.Fatalf("block sizes %d, %d", len(q8), len(q4))
	}
	// Q8_0: d = 4/127; x[0] = -4 → -127.
	if int8(q8[2]) != -127 || int8(q8[2+31]) != 119 {
		t.Errorf("q8 = %v", q8[2:6])
	}
	// Q4_0: d = max/-8 = 0.5 with max = -4; x[0] = -4 → -8+8 = 0... stored as x/d+8 = -8+8.
	if q4[2]&0xf != 0 {
		t.Errorf("q4 first nibble %d", q4[2]&0xf)
	}
	if _, err := Encode(gguf.Q8_0, x[:31]); err == nil {
		t.Error("ragged block accepted")
	}
	if _, err := Encode(gguf.TensorType(12), x); err == nil {
		t.Error("Q4_K encoding accepted")
	}
}

func TestTinyConfigErrors(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTiny(&b, TinyConfig{Vocab: 100}); err == nil {
		t.Error("vocab of 100 accepted")
	}
	if err := WriteTiny(&b, TinyConfig{Type: gguf.Q4_1}); err == nil {
		t.Error("Q4_1 accepted")
	}
}
