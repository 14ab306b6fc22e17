//go:build llama

package llama

import (
	"context"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

// seededReplies are what a fresh brain on the tiny model with this
// Options.Seed says to the same three requests, in order.
func seededReplies(t *testing.T, seed uint32) []string {
	t.Helper()
	o := testOptions(t, tinyModel(t, gguf.F16, false), "plain")
	o.Seed = seed
	b := newTestBrain(t, o)
	waitReady(t, b)
	var got []string
	var history []dialog.Turn
	for _, text := range []string{"hello little cat", "hello little cat", "are you hungry?"} {
		var c collected
		if err := b.Reply(context.Background(), dialog.Request{ID: "r", Text: text, History: history}, c.emit); err != nil {
			t.Fatalf("seed %d, %q: %v", seed, text, err)
		}
		got = append(got, c.text())
		history = append(history, dialog.Turn{Role: "owner", Text: text}, dialog.Turn{Role: "pet", Text: c.text()})
	}
	return got
}

// A seed plays the same replies again in a new process (an eval run
// twice), reply by reply: a turn's seed follows from its words and
// history, so the same request asked again later in the talk, or by
// another seed, is answered from other draws.
func TestBrainSeedPlaysRepliesAgain(t *testing.T) {
	first, again, other := seededReplies(t, 42), seededReplies(t, 42), seededReplies(t, 43)
	for i := range first {
		if first[i] != again[i] {
			t.Errorf("reply %d: %q, then %q from the same seed", i, first[i], again[i])
		}
	}
	if first[0] == first[1] {
		t.Errorf("hello twice, the second after the first, got the same reply %q", first[0])
	}
	if first[0] == other[0] && first[1] == other[1] && first[2] == other[2] {
		t.Errorf("seeds 42 and 43 gave the same replies %q", first)
	}
}
