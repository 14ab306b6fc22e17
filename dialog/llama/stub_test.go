//go:build !llama

package llama

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
)

// Without the engine, a good model still passes the Go check and a brain
// process starts, but it cannot load: the status says how to fix it.
func TestBrainWithoutEngine(t *testing.T) {
	if EngineBuiltIn {
		t.Fatal("stub build claims the engine")
	}
	model := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := gguftest.WriteTinyFile(model, gguftest.TinyConfig{Type: gguf.Q4_0}); err != nil {
		t.Fatal(err)
	}
	b, err := NewBrain(testOptions(t, model, "plain"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	waitFor(t, "status failed", 20*time.Second, func() bool { return b.Status().State == StateFailed })
	if st := b.Status(); !strings.Contains(st.Reason, "engine not built in (build with -tags llama)") {
		t.Errorf("Status = %+v", st)
	}
	err = b.Reply(context.Background(), dialog.Request{ID: "x", Text: "hi"}, func(dialog.Chunk) {})
	if !errors.Is(err, ErrNotReady) || !strings.Contains(err.Error(), "engine not built in") {
		t.Errorf("Reply = %v", err)
	}
}
