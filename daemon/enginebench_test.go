package daemon

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama"
)

func TestBenchCommandUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bench"}, "usage: purrd bench -model GGUF"},
		{[]string{"bench", "-model", "x.gguf", "-sampler", "fast"}, `-sampler "fast": want go or llama`},
		{[]string{"bench", "-model", "x.gguf", "-engine-log", "loud"}, `engine log level "loud"`},
	} {
		err := Main(context.Background(), Invocation{Args: c.args, Stdout: devNull(t), Stderr: devNull(t)})
		var ex *ExitError
		if !errors.As(err, &ex) || ex.Code != ExitUsage {
			t.Errorf("%v: %v, want a usage error", c.args, err)
			continue
		}
		if msg := ex.Message + " " + errString(ex.Err); !strings.Contains(msg, c.want) {
			t.Errorf("%v: %q, want it to contain %q", c.args, msg, c.want)
		}
	}
	// A model that is not there is reported as such, with or without the
	// engine (the file is checked in Go first); a bad setting likewise.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bench", "-model", t.TempDir() + "/none.gguf"}, "model file not found"},
		{[]string{"bench", "-model", "x.gguf", "-flash-attention", "sometimes"}, `flash attention "sometimes"`},
	} {
		err := Main(context.Background(), Invocation{Args: c.args, Stdout: devNull(t), Stderr: devNull(t)})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	if !llama.EngineBuiltIn {
		// The engine's own run is in scripts/bench-engine.sh (make bench-engine).
		t.Log("no engine in this build: purrd bench stops at the model check")
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func devNull(t *testing.T) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
