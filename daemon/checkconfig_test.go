package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

// A bad adapter is a warning, like a missing model: the file is valid
// and the base model will answer.
func TestCheckConfigWarnsAboutAdapter(t *testing.T) {
	dir := t.TempDir()
	base := gguftest.TinyConfig{Layers: 1, Embedding: 64, Heads: 2, HeadsKV: 1, FFN: 64, Vocab: 300}
	if err := gguftest.WriteTinyFile(filepath.Join(dir, "m.gguf"), base); err != nil {
		t.Fatal(err)
	}
	if err := gguftest.WriteTinyAdapterFile(filepath.Join(dir, "good.lora.gguf"), gguftest.TinyAdapterConfig{Base: base}); err != nil {
		t.Fatal(err)
	}
	if err := gguftest.WriteTinyAdapterFile(filepath.Join(dir, "qwen.lora.gguf"), gguftest.TinyAdapterConfig{Base: base, Architecture: "qwen2"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ adapter, want string }{
		{"good.lora.gguf", ""},
		{"qwen.lora.gguf", "warning: brain.adapter: gguf: adapter " + filepath.Join(dir, "qwen.lora.gguf") +
			`: adapter does not fit the model: adapter is for architecture "qwen2", the model is "llama" (the base model will answer without it)`},
		{"gone.lora.gguf", "warning: brain.adapter: gguf: adapter " + filepath.Join(dir, "gone.lora.gguf") + ": open "},
	} {
		cfg := filepath.Join(dir, "purrd.yaml")
		body := "version: 1\nbrain:\n  model: m.gguf\n  adapter: " + tc.adapter + "\n  max_memory_mb: 4096\n"
		if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := checkConfig(&out, []string{cfg}); err != nil {
			t.Fatalf("%s: check-config failed: %v\n%s", tc.adapter, err, out.String())
		}
		warned := strings.Contains(out.String(), "warning:")
		if (tc.want == "") == warned || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s: check-config printed\n%s\nwant %q", tc.adapter, out.String(), tc.want)
		}
	}
}
