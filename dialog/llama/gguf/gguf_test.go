package gguf_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

// writeTiny writes a tiny model into dir and returns its path.
func writeTiny(t testing.TB, dir string, c gguftest.TinyConfig) string {
	t.Helper()
	p := filepath.Join(dir, "m.gguf")
	if err := gguftest.WriteTinyFile(p, c); err != nil {
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

func TestCheckAcceptsTinyModel(t *testing.T) {
	p := writeTiny(t, t.TempDir(), gguftest.TinyConfig{Type: gguf.Q4_0})
	info, err := gguf.Check(p, gguf.CheckOptions{Meminfo: meminfo(t, "4000000"), Context: 1024})
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

// Every fault ends in a *gguf.CheckError that names the file and the problem.
func TestCheckFaults(t *testing.T) {
	dir := t.TempDir()
	good := writeTiny(t, dir, gguftest.TinyConfig{Type: gguf.Q8_0})
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
	if err := gguftest.WriteTinyFile(wrongArch, gguftest.TinyConfig{Architecture: "whisper"}); err != nil {
		t.Fatal(err)
	}
	bert := filepath.Join(dir, "bert.gguf")
	if err := gguftest.WriteTinyFile(bert, gguftest.TinyConfig{Architecture: "bert"}); err != nil {
		t.Fatal(err)
	}
	v1 := append([]byte(nil), data...)
	v1[4] = 1
	mem := meminfo(t, "4000000")
	cases := []struct {
		name, path string
		opts       gguf.CheckOptions
		kind       error
		says       string
	}{
		{"missing", filepath.Join(dir, "nope.gguf"), gguf.CheckOptions{}, gguf.ErrMissing, "not found"},
		{"no path", "", gguf.CheckOptions{}, gguf.ErrMissing, "brain.model"},
		{"directory", dir, gguf.CheckOptions{}, gguf.ErrNotGGUF, "not a regular file"},
		{"empty", write("empty.gguf", nil), gguf.CheckOptions{}, gguf.ErrNotGGUF, "0 bytes"},
		{"random bytes", write("random.gguf", random), gguf.CheckOptions{}, gguf.ErrNotGGUF, "magic"},
		{"text file", write("notes.gguf", []byte("hello, this is not a model\n")), gguf.CheckOptions{}, gguf.ErrNotGGUF, `"hell"`},
		{"version 1", write("v1.gguf", v1), gguf.CheckOptions{}, gguf.ErrVersion, "version 1"},
		{"truncated data", write("cut.gguf", data[:len(data)*2/3]), gguf.CheckOptions{Meminfo: mem}, gguf.ErrTruncated, "missing"},
		{"truncated header", write("cut2.gguf", data[:5000]), gguf.CheckOptions{}, gguf.ErrTruncated, "is truncated"},
		{"wrong architecture", wrongArch, gguf.CheckOptions{}, gguf.ErrArchitecture, `"whisper"`},
		{"embedding model", bert, gguf.CheckOptions{}, gguf.ErrArchitecture, `"bert"`},
		{"too big for limit", good, gguf.CheckOptions{MemoryLimit: 8 << 20}, gguf.ErrTooBig, "brain.max_memory_mb"},
		{"too big for meminfo", good, gguf.CheckOptions{Meminfo: meminfo(t, "1000")}, gguf.ErrTooBig, "MemAvailable"},
		{"no meminfo", good, gguf.CheckOptions{Meminfo: filepath.Join(dir, "no-meminfo")}, os.ErrNotExist, "available memory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := gguf.Check(c.path, c.opts)
			if err == nil {
				t.Fatal("Check accepted it")
			}
			var ce *gguf.CheckError
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
	n, err := gguf.MemAvailable(meminfo(t, "123"))
	if err != nil || n != 123<<10 {
		t.Errorf("MemAvailable = %d, %v", n, err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("MemAvailable: lots kB\n"), 0o644)
	if _, err := gguf.MemAvailable(bad); err == nil || !strings.Contains(err.Error(), "bad MemAvailable") {
		t.Errorf("MemAvailable(bad) = %v", err)
	}
	os.WriteFile(bad, []byte("MemTotal: 1 kB\n"), 0o644)
	if _, err := gguf.MemAvailable(bad); err == nil || !strings.Contains(err.Error(), "no MemAvailable") {
		t.Errorf("MemAvailable(none) = %v", err)
	}
	if _, err := gguf.MemAvailable("/proc/meminfo"); err != nil {
		t.Errorf("the real /proc/meminfo: %v", err)
	}
}

// FuzzRead: no input makes the reader panic, hang or allocate wildly,
// and whatever it accepts has a consistent directory.
func FuzzRead(f *testing.F) {
	var tiny bytes.Buffer
	if err := gguftest.WriteTiny(&tiny, gguftest.TinyConfig{Layers: 1, Embedding: 64, Heads: 2, HeadsKV: 1, FFN: 64, Vocab: 300}); err != nil {
		f.Fatal(err)
	}
	head := tiny.Bytes()[:12000]
	f.Add(head)
	f.Add(tiny.Bytes()[:64])
	f.Add([]byte("GGUF\x03\x00\x00\x00"))
	f.Add([]byte("GGUF\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("not a model"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := gguf.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if !errors.Is(err, gguf.ErrNotGGUF) && !errors.Is(err, gguf.ErrVersion) && !errors.Is(err, gguf.ErrCorrupt) && !errors.Is(err, gguf.ErrTruncated) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if file.DataOffset%file.Alignment != 0 {
			t.Fatalf("data offset %d not aligned to %d", file.DataOffset, file.Alignment)
		}
		if _, err := gguf.Describe(file); err == nil {
			if _, err := file.CheckTensors(); err != nil {
				t.Fatalf("Describe accepted what CheckTensors refuses: %v", err)
			}
		}
	})
}
