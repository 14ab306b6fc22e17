package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
)

// talk sends the same owner line n times through one brain, keeping the
// history the daemon would keep, and returns the replies.
func talk(b *Brain, text, lang, mood string, n int, facts ...string) []string {
	var hist []dialog.Turn
	var out []string
	for range n {
		q := req(text, lang, mood, facts...)
		q.PetName = b.p.Name
		q.History = slices.Clone(hist)
		_, got := b.Compose(q)
		out = append(out, got)
		hist = append(hist, dialog.Turn{Role: "owner", Text: text}, dialog.Turn{Role: "pet", Text: got})
	}
	return out
}

// repeatOfRecent reports the first reply that says again (as a whole, or
// in a sentence the reply guard judges) one of the five before it.
func repeatOfRecent(replies []string) (int, bool) {
	for i, r := range replies {
		var hist []dialog.Turn
		for _, p := range replies[max(0, i-dialog.RecentReplies):i] {
			hist = append(hist, dialog.Turn{Role: "pet", Text: p})
		}
		g := dialog.NewReplyGuard(dialog.Request{Lang: "en", History: hist})
		for _, p := range hist {
			if dialog.Flatten(p.Text) == dialog.Flatten(r) {
				return i, true
			}
		}
		for _, s := range dialog.SplitSentences(r) {
			if g.Repeats(s) {
				return i, true
			}
		}
	}
	return 0, false
}

// Thirty greetings in a row never repeat one of the last five replies, in
// any mood, language or persona, and the pet still greets in its
// owner's language.
func TestNoRepeatOfLastFive(t *testing.T) {
	tofu := mustLoad(t, "../../configs/personas/tofu.yaml")
	for _, p := range []*persona.Persona{nil, tofu} {
		for _, c := range []struct{ text, lang, mood string }{
			{"hello", "en", "content"}, {"hello", "en", "sleepy"}, {"hello", "en", "grumpy"},
			{"你好", "zh", "content"}, {"你好", "zh", "lonely"},
			{"what's your name?", "en", "content"}, {"你叫什么？", "zh", "content"},
			{"what do I like?", "en", "content"}, {"我住在哪儿？", "zh", "content"},
			{"blorp", "en", "content"}, {"thanks", "en", "happy"},
		} {
			replies := talk(New(p, 42, nil), c.text, c.lang, c.mood, 30, "owner likes green tea", "owner lives in 上海")
			if i, bad := repeatOfRecent(replies); bad {
				t.Errorf("%q (%s, %s): reply %d %q repeats one of %q", c.text, c.lang, c.mood, i, replies[i], replies[max(0, i-5):i])
			}
			for _, r := range replies {
				if (dialog.DetectLang(r) == "zh") != (c.lang == "zh") && !strings.Contains(r, "上海") {
					t.Errorf("%q: %q not in %s", c.text, r, c.lang)
				}
			}
		}
	}
}

// The history the caller gives is what counts: replies said by another
// brain (the model) are not said again either.
func TestNoRepeatOfModelReplies(t *testing.T) {
	var hist []dialog.Turn
	pool := lines["greeting"][moodAny]["en"]
	for _, l := range pool[:5] {
		hist = append(hist, dialog.Turn{Role: "owner", Text: "hi"}, dialog.Turn{Role: "pet", Text: strings.ReplaceAll(l, "{owner}", "friend")})
	}
	for seed := range uint64(20) {
		b := New(nil, seed, nil)
		q := req("hello", "en", "content")
		q.History = hist
		_, got := b.Compose(q)
		for _, h := range hist {
			if h.Role == "pet" && dialog.Flatten(h.Text) == dialog.Flatten(got) {
				t.Errorf("seed %d: %q said again", seed, got)
			}
		}
	}
}

// Same seed, same conversation: same replies.
func TestNoRepeatIsDeterministic(t *testing.T) {
	a := talk(New(nil, 9, nil), "hello", "en", "content", 30)
	b := talk(New(nil, 9, nil), "hello", "en", "content", 30)
	if !slices.Equal(a, b) {
		t.Errorf("seed 9 gave\n%q\nthen\n%q", a, b)
	}
}

// Every table line is sayable as written: no stage directions or emoji
// for the cleaner to cut, within the default limits, no two lines of a
// pool sharing a sentence the guard would call a repeat.
func TestLinesAreSayable(t *testing.T) {
	p := persona.Default()
	for intent, byMood := range lines {
		for mood, byLang := range byMood {
			for lang, l := range byLang {
				seen := map[string]string{}
				for _, line := range l {
					filled := strings.NewReplacer("{name}", "Mochi", "{owner}", "Ana").Replace(line)
					if got := dialog.CleanReply(filled, p, ""); got != filled || strings.ContainsAny(line, "*") {
						t.Errorf("%s/%s/%s: %q cleans to %q", intent, mood, lang, filled, got)
					}
					if (dialog.DetectLang(filled) == "zh") != (lang == "zh") {
						t.Errorf("%s/%s/%s: %q is in the wrong language", intent, mood, lang, line)
					}
					for _, s := range dialog.SplitSentences(filled) {
						k := dialog.Flatten(s)
						if other, ok := seen[k]; ok && len([]rune(k)) >= 6 {
							t.Errorf("%s/%s/%s: %q and %q share %q", intent, mood, lang, other, line, s)
						}
						seen[k] = line
					}
				}
			}
		}
	}
}

// The fallback does not say a line the owner rated broken while another
// fits: with all but one greeting rated broken, that one is what it says,
// for any seed.
func TestNoLineRatedBroken(t *testing.T) {
	pool := lines["greeting"][moodAny]["en"]
	unwanted := make([]string, 0, len(pool))
	for _, l := range pool[1:] {
		unwanted = append(unwanted, strings.ReplaceAll(l, "{owner}", "friend"))
	}
	for seed := range uint64(30) {
		b := New(nil, seed, nil)
		q := req("hello", "en", "content")
		q.Unwanted = unwanted
		// The one line left is the only answer that is no broken line.
		if _, got := b.Compose(q); got != pool[0] {
			t.Errorf("seed %d: said %q, not the one greeting not rated broken, %q", seed, got, pool[0])
		}
	}
}

// The replies not to repeat are the last five distinct ones: a history
// cut short by a block drop, topped up with this brain's own replies
// (which hold the history's newest too), still yields five, and the
// conversation's own PetReplies come first.
func TestLastRepliesCountsEachOnce(t *testing.T) {
	own := []string{"a", "b", "c", "d", "e"}
	req := dialog.Request{History: []dialog.Turn{{Role: "owner", Text: "x"}, {Role: "pet", Text: "d"}, {Role: "owner", Text: "y"}, {Role: "pet", Text: "e"}}}
	var got []string
	for _, t := range lastReplies(req, own) {
		got = append(got, t.Text)
	}
	if strings.Join(got, "") != "edcba" {
		t.Errorf("lastReplies = %q, want e d c b a", got)
	}
	req.PetReplies = []string{"p", "q", "r", "s", "e"}
	got = got[:0]
	for _, t := range lastReplies(req, own) {
		got = append(got, t.Text)
	}
	if strings.Join(got, "") != "esrqp" {
		t.Errorf("with PetReplies: lastReplies = %q, want e s r q p", got)
	}
}
