package rules

import (
	"context"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
)

// An owner in distress gets a care line, whole, in their language, from
// any persona: one that urges them to reach a person.
func TestCareReplies(t *testing.T) {
	terse := persona.Default()
	terse.Reply.MaxSentences, terse.Reply.MaxRunes = 1, 20
	for _, p := range []*persona.Persona{nil, terse} {
		b := New(p, 7, nil)
		for _, c := range []struct {
			text, lang string
			kind       dialog.DistressKind
		}{
			{"I don't want to wake up tomorrow", "en", dialog.DistressSelfHarm},
			{"I want to end it all", "en", dialog.DistressSelfHarm},
			{"我不想活了", "zh", dialog.DistressSelfHarm},
			{"I fell", "en", dialog.DistressFall},
			{"我摔倒了", "zh", dialog.DistressFall},
			{"I can't get up", "en", dialog.DistressCantGetUp},
			{"我起不来了", "zh", dialog.DistressCantGetUp},
		} {
			var chunks []dialog.Chunk
			if err := b.Reply(context.Background(), dialog.Request{ID: "c1", Text: c.text, Lang: c.lang, Mood: "grumpy"}, func(ch dialog.Chunk) { chunks = append(chunks, ch) }); err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, ch := range chunks {
				parts = append(parts, ch.Text)
			}
			got := strings.Join(parts, " ")
			if len(chunks) == 0 || !chunks[len(chunks)-1].Final {
				t.Fatalf("%q: no final chunk", c.text)
			}
			if dialog.DetectLang(got) != c.lang {
				t.Errorf("%q: care line %q not in %s", c.text, got, c.lang)
			}
			reach := []string{"family", "neighbour", "emergency"}
			if c.lang == "zh" {
				reach = []string{"家人", "邻居", "急救电话"}
			}
			for _, w := range reach {
				if !strings.Contains(got, w) {
					t.Errorf("%q: care line %q does not mention %q", c.text, got, w)
				}
			}
			if intent, _ := b.Compose(dialog.Request{Text: c.text, Lang: c.lang}); intent != careIntent+string(c.kind) {
				t.Errorf("%q: intent %q", c.text, intent)
			}
		}
	}
}

func TestCareLineEveryKindAndLanguage(t *testing.T) {
	for _, k := range []dialog.DistressKind{dialog.DistressSelfHarm, dialog.DistressFall, dialog.DistressCantGetUp, "unknown"} {
		for _, lang := range []string{"en", "zh", "pt"} {
			for pick := -2; pick < 4; pick++ {
				if CareLine(k, lang, pick) == "" {
					t.Errorf("CareLine(%q, %q, %d) is empty", k, lang, pick)
				}
			}
		}
	}
}
