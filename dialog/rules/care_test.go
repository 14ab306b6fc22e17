package rules

import (
	"context"
	"math"
	"slices"
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
			{"my chest hurts and my arm is numb", "en", dialog.DistressMedical},
			{"我胸口疼", "zh", dialog.DistressMedical},
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
	for _, k := range append(dialog.DistressKinds(), "unknown") {
		for _, lang := range []string{"en", "zh", "pt"} {
			for _, pick := range []int{math.MinInt, -2, -1, 0, 1, 2, 3, math.MaxInt} {
				if CareLine(k, lang, pick, nil) == "" || CareFollowUp(k, lang, pick, nil) == "" || CareRelief(lang, pick, nil) == "" {
					t.Errorf("CareLine/CareFollowUp/CareRelief(%q, %q, %d): an empty line", k, lang, pick)
				}
			}
		}
	}
}

// Every care line of every kind, first or follow-up, and every relief
// line, is in its language and sends the owner to a person: family, a
// neighbour, emergency services. None gives instructions or methods.
func TestCareLinesReachAPerson(t *testing.T) {
	check := func(what, lang, line string) {
		t.Helper()
		if dialog.DetectLang(line) != lang {
			t.Errorf("%s: %q not in %s", what, line, lang)
		}
		reach := []string{"family", "neighbour", "emergency"}
		if lang == "zh" {
			reach = []string{"家人", "邻居", "急救电话"}
		}
		for _, w := range reach {
			if !strings.Contains(line, w) {
				t.Errorf("%s: %q does not mention %q", what, line, w)
			}
		}
		for _, w := range []string{"pill", "tablet", "aspirin", "press on", "lie down", "药", "躺下", "按压"} {
			if strings.Contains(strings.ToLower(line), w) {
				t.Errorf("%s: %q gives instructions (%q)", what, line, w)
			}
		}
		if _, distress := dialog.DetectDistress(line); distress {
			t.Errorf("%s: %q reads as distress itself", what, line)
		}
	}
	for _, k := range dialog.DistressKinds() {
		for _, lang := range []string{"en", "zh"} {
			for _, l := range careLines[k][lang] {
				check("care "+string(k), lang, l)
			}
			if len(careFollowUps[k][lang]) < 3 {
				t.Errorf("%s/%s: only %d follow-up lines", k, lang, len(careFollowUps[k][lang]))
			}
			for _, l := range careFollowUps[k][lang] {
				check("follow-up "+string(k), lang, l)
			}
		}
	}
	for _, lang := range []string{"en", "zh"} {
		for _, l := range careRelief[lang] {
			check("relief", lang, l)
		}
	}
}

// Care never repeats a line of the last few, whatever the pick: not the
// follow-ups, and not the alert lines when the same distress comes again.
func TestCareNeverRepeatsRecentLines(t *testing.T) {
	const window = 4
	for _, k := range dialog.DistressKinds() {
		for _, lang := range []string{"en", "zh"} {
			var recent []string
			for pick := range 50 {
				line := CareFollowUp(k, lang, pick*7%3, recent) // picks that often land on the same variant
				if pick%3 == 0 {
					line = CareLine(k, lang, pick%2, recent)
				}
				if slices.Contains(recent, line) {
					t.Fatalf("%s/%s: %q again within %d lines", k, lang, line, window)
				}
				recent = append(recent, line)
				if len(recent) > window {
					recent = recent[1:]
				}
			}
		}
	}
}
