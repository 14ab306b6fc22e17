package daemon

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/training/dataset"
	"github.com/purrd/purrd/training/export"
)

// The training export and the daemon must show a model the same text for
// the same conversation, or an adapter learns a prompt it never meets.
// The daemon's side goes through its own request path (chatRequest:
// mind, conversation memory, fact learning, history budget, pet name) and
// the script it gives the model brain.
func TestTrainingTextIsTheRuntimePrompt(t *testing.T) {
	turns := []dialog.Turn{
		{Role: "owner", Text: "Hi Mochi, my name is Lin and I like green tea."},
		{Role: "pet", Text: "Mrrp! Hello, Lin."},
		{Role: "owner", Text: "我今天有点累。"},
		{Role: "pet", Text: "那就躺下吧，我给你呼噜。"},
		{Role: "owner", Text: strings.Repeat("Today was long and the bus was late again. ", 12) + "Do you remember my name?"},
		{Role: "pet", Text: "Of course, Lin! Now, a snack?"},
		{Role: "owner", Text: "Actually, call me Linny."},
		{Role: "pet", Text: "Linny it is. Purr."},
	}
	for _, ctxSize := range []int{1024, 256} { // 256: the history budget trims turns
		for _, tmpl := range []string{"", "<|im_start|>"} {
			for _, noShots := range []bool{true, false} {
				cfg := config.Default("test")
				cfg.Brain.Context = ctxSize
				if noShots {
					cfg.Brain.Adapter = "cat.lora.gguf" // a trained model is shown no demonstrations
				}
				d := &daemon{cfg: cfg, log: slog.New(slog.DiscardHandler), now: func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) },
					ids: mqtt.NewIDs(), volume: 1, ratings: &ratings.Book{}}
				if err := d.loadPersona(""); err != nil {
					t.Fatal(err)
				}
				d.mind, d.conv = d.newMind(d.persona), d.newConversation()
				script := d.scriptFor(d.persona)
				var req dialog.Request
				for i, tn := range turns[:len(turns)-1] {
					if tn.Role == "owner" {
						req, _ = d.chatRequest("c"+string(rune('0'+i)), tn.Text, "")
						continue
					}
					d.conv.Add(dialog.Turn{Role: "pet", Text: tn.Text, Time: d.now()})
				}
				s := script(req)
				if noShots != (len(s.Shots) == 0) {
					t.Fatalf("adapter %q: %d demonstrations", cfg.Brain.Adapter, len(s.Shots))
				}
				run := llama.Render(tmpl, s)
				c := dataset.Conversation{ID: "t", Mood: req.Mood, Turns: turns}
				ex, _, err := export.Render(c, export.Options{Template: tmpl, Context: ctxSize, HistoryTurns: cfg.Brain.HistoryTurns, Script: dialog.ScriptOptions{NoShots: noShots}})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := text(ex[:min(len(run), len(ex))]), text(run); got != want {
					t.Fatalf("context %d, template %q: training text differs from the run-time prompt\ntraining: %q\nrun time: %q", ctxSize, tmpl, got, want)
				}
				if len(ex) <= len(run) || !strings.Contains(text(ex[len(run):]), "Linny it is. Purr.") {
					t.Errorf("context %d, template %q: the example does not end with the reply: %q", ctxSize, tmpl, text(ex[len(run):]))
				}
				if ctxSize == 256 && strings.Contains(text(run), "Mrrp! Hello, Lin.") {
					t.Errorf("context 256: the history budget kept the first reply; the test does not cover trimming")
				}
			}
		}
	}
}

func text(segs []llama.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

// brain.history_turns bounds how much of the talk the model's prompt
// holds: past it the older half goes (dialog.Conversation.Add).
func TestHistoryTurnsBoundsThePrompt(t *testing.T) {
	for _, n := range []int{4, config.DefaultHistoryTurns} {
		cfg := config.Default("test")
		cfg.Brain.HistoryTurns = n
		d := &daemon{cfg: cfg, log: slog.New(slog.DiscardHandler), now: time.Now, ids: mqtt.NewIDs(), volume: 1, ratings: &ratings.Book{}}
		if err := d.loadPersona(""); err != nil {
			t.Fatal(err)
		}
		d.mind, d.conv = d.newMind(d.persona), d.newConversation()
		most := 0
		for i := range 12 {
			req, _ := d.chatRequest(fmt.Sprintf("c%d", i), fmt.Sprintf("Line number %d.", i), "")
			most = max(most, len(req.History))
			d.conv.Add(dialog.Turn{Role: "pet", Text: fmt.Sprintf("Reply %d.", i), Time: d.now()})
		}
		if most != n {
			t.Errorf("history_turns %d: the prompt held at most %d turns", n, most)
		}
	}
}
