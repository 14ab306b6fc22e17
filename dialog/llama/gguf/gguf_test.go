package gguf

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTiny writes a tiny model into dir and returns its path.
func writeTiny(t testing.TB, dir string, c TinyConfig) string {
	t.Helper()
	p := filepath.Join(dir, "m.gguf")
	if err := WriteTinyFile(p, c); err != nil {
		t.Fatal(err)
	}
	return p
}

// meminfo writes a fake /proc/meminfo with the given MemAvailable.
func meminfo(t testing.TB, kb string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "meminfo")
	body := "MemTotal:        1000000 kB\nMemFree:          500000 kB\nMemAvailable:    " + kb + " kB\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTinyRoundTrip(t *testing.T) {
	for _, typ := range []TensorType{F16, Q8_0, Q4_0} {
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
			f, err := Read(bytes.NewReader(a.Bytes()), int64(a.Len()))
			if err != nil {
				t.Fatal(err)
			}
			info, err := Describe(f)
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
				if strings.HasSuffix(ti.Name, "norm.weight") != (ti.Type == F32) {
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

func TestCheckAcceptsTinyModel(t *testing.T) {
	p := writeTiny(t, t.TempDir(), TinyConfig{Type: Q4_0})
	info, err := Check(p, CheckOptions{Meminfo: meminfo(t, "4000000"), Context: 1024})
	if err != nil {
		t.Fatal(err)
	}
	// 4 layers x 1024 tokens x 128 (K and V each) x 2 bytes x 2.
	if info.KVCacheBytes != 4*1024*128*2*2 || info.NeedBytes <= info.TensorBytes+info.KVCacheBytes {
		t.Errorf("estimate %+v", info)
	}
	if info.Available != 4000000<<10 || !strings.Contains(info.LimitSource, "MemAvailable") {
		t.Errorf("available %d from %q", info.Available, info.LimitSource)
	}
}

// Every fault ends in a *CheckError that names the file and the problem.
func TestCheckFaults(t *testing.T) {
	dir := t.TempDir()
	good := writeTiny(t, dir, TinyConfig{Type: Q8_0})
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	random := make([]byte, 1<<16)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	wrongArch := filepath.Join(dir, "whisper.gguf")
	if err := WriteTinyFile(wrongArch, TinyConfig{Architecture: "whisper"}); err != nil {
		t.Fatal(err)
	}
	bert := filepath.Join(dir, "bert.gguf")
	if err := WriteTinyFile(bert, TinyConfig{Architecture: "bert"}); err != nil {
		t.Fatal(err)
	}
	v1 := append([]byte(nil), data...)
	v1[4] = 1
	mem := meminfo(t, "4000000")
	cases := []struct {
		name, path string
		opts       CheckOptions
		kind       error
		says       string
	}{
		{"missing", filepath.Join(dir, "nope.gguf"), CheckOptions{}, ErrMissing, "not found"},
		{"no path", "", CheckOptions{}, ErrMissing, "brain.model"},
		{"directory", dir, CheckOptions{}, ErrNotGGUF, "not a regular file"},
		{"empty", write("empty.gguf", nil), CheckOptions{}, ErrNotGGUF, "0 bytes"},
		{"random bytes", write("random.gguf", random), CheckOptions{}, ErrNotGGUF, "magic"},
		{"text file", write("notes.gguf", []byte("hello, this is not a model\n")), CheckOptions{}, ErrNotGGUF, `"hell"`},
		{"version 1", write("v1.gguf", v1), CheckOptions{}, ErrVersion, "version 1"},
		{"truncated data", write("cut.gguf", data[:len(data)*2/3]), CheckOptions{Meminfo: mem}, ErrTruncated, "missing"},
		{"truncated header", write("cut2.gguf", data[:5000]), CheckOptions{}, ErrTruncated, "is truncated"},
		{"wrong architecture", wrongArch, CheckOptions{}, ErrArchitecture, `"whisper"`},
		{"embedding model", bert, CheckOptions{}, ErrArchitecture, `"bert"`},
		{"too big for limit", good, CheckOptions{MemoryLimit: 8 << 20}, ErrTooBig, "brain.max_memory_mb"},
		{"too big for meminfo", good, CheckOptions{Meminfo: meminfo(t, "1000")}, ErrTooBig, "MemAvailable"},
		{"no meminfo", good, CheckOptions{Meminfo: filepath.Join(dir, "no-meminfo")}, os.ErrNotExist, "available memory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Check(c.path, c.opts)
			if err == nil {
				t.Fatal("Check accepted it")
			}
			var ce *CheckError
			if !errors.As(err, &ce) || ce.Path != c.path || !strings.Contains(err.Error(), "gguf: model "+c.path+": ") {
				t.Errorf("error %q does not name the file", err)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %q is not %v", err, c.kind)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not say %q", err, c.says)
			}
			t.Log(err)
		})
	}
}

func TestMemAvailable(t *testing.T) {
	n, err := MemAvailable(meminfo(t, "123"))
	if err != nil || n != 123<<10 {
		t.Errorf("MemAvailable = %d, %v", n, err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("MemAvailable: lots kB\n"), 0o644)
	if _, err := MemAvailable(bad); err == nil || !strings.Contains(err.Error(), "bad MemAvailable") {
		t.Errorf("MemAvailable(bad) = %v", err)
	}
	os.WriteFile(bad, []byte("MemTotal: 1 kB\n"), 0o644)
	if _, err := MemAvailable(bad); err == nil || !strings.Contains(err.Error(), "no MemAvailable") {
		t.Errorf("MemAvailable(none) = %v", err)
	}
	if _, err := MemAvailable("/proc/meminfo"); err != nil {
		t.Errorf("the real /proc/meminfo: %v", err)
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
	q8, _ := Encode(Q8_0, x)
	q4, _ := Encode(Q4_0, x)
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
	if _, err := Encode(Q8_0, x[:31]); err == nil {
		t.Error("ragged block accepted")
	}
	if _, err := Encode(TensorType(12), x); err == nil {
		t.Error("Q4_K encoding accepted")
	}
}

func TestTinyConfigErrors(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTiny(&b, TinyConfig{Vocab: 100}); err == nil {
		t.Error("vocab of 100 accepted")
	}
	if err := WriteTiny(&b, TinyConfig{Type: Q4_1}); err == nil {
		t.Error("Q4_1 accepted")
	}
}

// FuzzRead: no input makes the reader panic, hang or allocate wildly,
// and whatever it accepts has a consistent directory.
func FuzzRead(f *testing.F) {
	var tiny bytes.Buffer
	if err := WriteTiny(&tiny, TinyConfig{Layers: 1, Embedding: 64, Heads: 2, HeadsKV: 1, FFN: 64, Vocab: 300}); err != nil {
		f.Fatal(err)
	}
	head := tiny.Bytes()[:12000]
	f.Add(head)
	f.Add(tiny.Bytes()[:64])
	f.Add([]byte("GGUF\x03\x00\x00\x00"))
	f.Add([]byte("GGUF\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("not a model"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if !errors.Is(err, ErrNotGGUF) && !errors.Is(err, ErrVersion) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if file.DataOffset%file.Alignment != 0 {
			t.Fatalf("data offset %d not aligned to %d", file.DataOffset, file.Alignment)
		}
		if _, err := Describe(file); err == nil {
			if _, err := file.CheckTensors(); err != nil {
				t.Fatalf("Describe accepted what CheckTensors refuses: %v", err)
			}
		}
	})
}
