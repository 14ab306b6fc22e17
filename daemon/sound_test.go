package daemon

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
)

// TestNoSoundIsLeftOut: a reaction without a sound (dialog's "none") is
// published with no "sound" at all, in events, action answers and reply
// chunks alike, as docs/mqtt.md says; a real sound is published as named.
func TestNoSoundIsLeftOut(t *testing.T) {
	quiet := dialog.Reaction{Sound: "none", Expression: "sleepy", Tail: "still", Emotion: "asleep"}
	b, err := json.Marshal(actionResult{Reaction: reactionOf(quiet), Mood: "asleep", Asleep: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"sound"`) {
		t.Errorf("action answer %s: want no sound when the cat made none", b)
	}
	rc := reactionOf(quiet)
	ev, _ := json.Marshal(eventMessage{Kind: "touch_start", Reaction: &rc})
	if strings.Contains(string(ev), `"sound"`) || !strings.Contains(string(ev), `"expression":"sleepy"`) {
		t.Errorf("event %s: want the reaction without a sound", ev)
	}
	if c := withReaction(mqtt.Reply{ID: "r", Text: "Mrr."}, quiet); c.Sound != "" || c.Expression != "sleepy" || c.Emotion != "asleep" {
		t.Errorf("reply chunk %+v: want no sound, the expression and emotion kept", c)
	}
	loud := dialog.Reaction{Sound: "chirp"}
	if c := withReaction(mqtt.Reply{}, loud); c.Sound != "chirp" {
		t.Errorf("reply chunk sound %q, want chirp", c.Sound)
	}
	if r := reactionOf(loud); r.Sound != "chirp" {
		t.Errorf("reaction sound %q, want chirp", r.Sound)
	}
}
