//go:build llama

package llama

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// TestServeAvoidsRecentPhrases: the same prompt read greedily gives the
// same reply again; with that reply to avoid, the brain process says
// another, and never draws a token that completes a run of two of the
// first reply's tokens (as drawn, or as its text reads back).
func TestServeAvoidsRecentPhrases(t *testing.T) {
	model := tinyModel(t, gguf.Q8_0, false)
	pre, pr := chatml("You are a cat.", "hello cat")
	greedy := float32(0)
	var in bytes.Buffer
	w := &lineWriter{w: &in}
	_ = w.send(msg{Op: opLoad, Model: model, Threads: 1, Context: 256, Batch: 64, Prefix: pre})
	_ = w.send(msg{Op: opGenerate, ID: "1", Prompt: pr, MaxTokens: 8, Temperature: &greedy})
	_ = w.send(msg{Op: opGenerate, ID: "2", Prompt: pr, MaxTokens: 8, Temperature: &greedy})
	var out bytes.Buffer
	if err := serve(context.Background(), serveConfig{in: &in, out: &out, errOut: io.Discard}); err != nil {
		t.Fatal(err)
	}
	first := replies(t, out.String())
	if len(first) != 2 || first["1"] == "" || first["1"] != first["2"] {
		t.Fatalf("greedy replies %q: want the same twice, not empty", first)
	}

	var outs bytes.Buffer
	srv := &server{w: &lineWriter{w: &outs}, log: slog.New(slog.DiscardHandler), cancelled: map[string]bool{}}
	if err := srv.load(context.Background(), msg{Op: opLoad, Model: model, Threads: 1, Context: 256, Batch: 64, Prefix: pre}); err != nil {
		t.Fatal(err)
	}
	defer srv.eng.close()
	ctx := context.Background()
	if err := srv.generate(ctx, msg{Op: opGenerate, ID: "1", Prompt: pr, MaxTokens: 8, Temperature: &greedy}); err != nil {
		t.Fatal(err)
	}
	second := msg{Op: opGenerate, ID: "2", Prompt: pr, MaxTokens: 8, Temperature: &greedy, Avoid: []string{first["1"]}, NoRepeat: 2}
	ban, err := srv.phraseBan(second)
	if err != nil || ban == nil {
		t.Fatalf("phraseBan: %v, %v", ban, err)
	}
	if err := srv.generate(ctx, second); err != nil {
		t.Fatal(err)
	}
	got := replies(t, outs.String())
	if got["1"] != first["1"] || got["2"] == first["1"] || got["2"] == "" {
		t.Errorf("replies %q: want the greedy %q, then another", got, first["1"])
	}
	drew := srv.gen.said[len(srv.gen.said)-1]
	for i := 1; i < len(drew); i++ {
		if slices.Contains(ban.banned(drew[:i]), drew[i]) {
			t.Errorf("with %q to avoid, the reply %q drew %v again", first["1"], got["2"], drew[i-1:i+1])
		}
	}
}

// replies are the texts of a brain process's replies by id.
func replies(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m msg
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m.Ev == evDone && m.Error != "" {
			t.Fatalf("generate %s: %s", m.ID, m.Error)
		}
		if m.Ev == evToken {
			got[m.ID] += m.Text
		}
	}
	return got
}
