package dialog_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/dialog/rules"
)

func newParts(t *testing.T) (*dialog.Mind, *dialog.Conversation, *persona.Persona) {
	t.Helper()
	p, err := persona.Parse("t.yaml", []byte("version: 1\nnight: {start: \"22:00\", end: \"07:00\", timezone: UTC}\n"))
	if err != nil {
		t.Fatal(err)
	}
	clock := dialog.NewManualClock(time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC))
	return dialog.NewMind(p, dialog.MindOptions{Clock: clock, Seed: 1}), dialog.NewConversation(dialog.ConversationOptions{}), p
}

func TestChatREPL(t *testing.T) {
	m, conv, p := newParts(t)
	in := strings.NewReader(strings.Join([]string{
		"hello!",
		"my name is Ana",
		"what's my name?",
		"/stroke chin",
		"/facts",
		"/wait 5h",
		"/bogus",
		"\xff\xfe",
		"我饿了",
		"/mood",
		"/quit",
		"never read",
	}, "\n"))
	var out strings.Builder
	if err := dialog.ChatREPL(context.Background(), in, &out, m, rules.New(p, 1, nil), conv, p, nil, nil); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Chatting with Mochi (brain: rules, ready)",
		"[content] you> ",
		"Mochi> ",
		"(remembered: owner's name is Ana)",
		"Ana", // the rules brain answers "what's my name" from the fact
		"- owner's name is Ana",
		"eyes", "feels ",
		"(5h0m0s pass)",
		"[lonely", // 5 h alone after contact lowers social: lonely
		`unknown command "/bogus"`,
		"not valid UTF-8",
		"麻糬> ",
		`"fullness"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "never read") {
		t.Error("read past /quit")
	}
	if h := conv.History(); len(h) != 8 || h[0].Text != "hello!" || h[1].Role != "pet" {
		t.Errorf("history %+v", h)
	}
}

// failing always errors; a slow one waits for cancellation.
type failing struct{}

func (failing) Status() dialog.BrainStatus {
	return dialog.BrainStatus{Name: "llama", State: "failed", Reason: "model missing"}
}
func (failing) Reply(context.Context, dialog.Request, func(dialog.Chunk)) error {
	return errors.New("engine not built in")
}

func TestChatREPLBrainFails(t *testing.T) {
	m, conv, p := newParts(t)
	var out strings.Builder
	if err := dialog.ChatREPL(context.Background(), strings.NewReader("hi\n"), &out, m, failing{}, conv, p, nil, nil); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"(brain: llama, failed: model missing)", "! brain: engine not built in", "Mochi> Mrrp..."} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestChatREPLCancel(t *testing.T) {
	m, conv, p := newParts(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- dialog.ChatREPL(ctx, pr, io.Discard, m, rules.New(p, 1, nil), conv, p, nil, nil) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ChatREPL did not return after cancel")
	}
}

func TestChatREPLNeedsParts(t *testing.T) {
	if err := dialog.ChatREPL(context.Background(), strings.NewReader(""), io.Discard, nil, nil, nil, nil, nil, nil); err == nil {
		t.Error("no error without parts")
	}
}

// A line the fixed path takes is said whole with its reason, and the brain
// is never asked for it; other lines still go to the brain.
func TestChatREPLFixedFirst(t *testing.T) {
	m, conv, p := newParts(t)
	var asked []string
	fixed := func(req dialog.Request, _ time.Time) (string, string, bool) {
		asked = append(asked, req.Text)
		switch req.Text {
		case "help me":
			return "I'm right here. Please call someone now.", "care line, alert", true
		case "my name is Ana":
			return "I'm still right here.", "care line, follow_up", true
		}
		return "", "", false
	}
	var out strings.Builder
	if err := dialog.ChatREPL(context.Background(), strings.NewReader("help me\nhi\nmy name is Ana\n"), &out, m, failing{}, conv, p, fixed, nil); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Mochi> I'm right here. Please call someone now.\n  (care line, alert)",
		"! brain: engine not built in",
		"(remembered: owner's name is Ana)", // a fixed answer still lets the owner's facts be kept
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "! brain:") != 1 {
		t.Errorf("the brain was asked for the fixed line too:\n%s", got)
	}
	if len(asked) != 3 {
		t.Errorf("fixed asked for %q, want every line", asked)
	}
	if h := conv.History(); len(h) != 6 || h[1].Text != "I'm right here. Please call someone now." {
		t.Errorf("history %+v", h)
	}
}

// Sad words get the quiet reaction the daemon gives them when the REPL is
// told how to spot them; without the test every chat may trill.
func TestChatREPLSomber(t *testing.T) {
	m, conv, p := newParts(t)
	lines := strings.Repeat("My old friend Betty died last week.\n", 30)
	var out strings.Builder
	if err := dialog.ChatREPL(context.Background(), strings.NewReader(lines), &out, m, rules.New(p, 1, nil), conv, p, nil, func(text string) bool { return rules.Somber(text) }); err != nil {
		t.Fatal(err)
	}
	reactions := 0
	for _, l := range strings.Split(out.String(), "\n") {
		if !strings.Contains(l, " eyes ") {
			continue
		}
		reactions++
		for _, loud := range []string{"(chirp", "(trill", "happy eyes", "love eyes", "sparkle", "tail wag"} {
			if strings.Contains(l, loud) {
				t.Errorf("somber chat reaction %q has %q", l, loud)
			}
		}
	}
	if reactions != 30 {
		t.Errorf("%d reactions shown for 30 chats:\n%s", reactions, out.String())
	}
}
