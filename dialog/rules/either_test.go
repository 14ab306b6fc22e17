package rules

import (
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
)

func TestEitherOr(t *testing.T) {
	for q, want := range map[string][2]string{
		"Should I wear the grey coat or the navy one?":                                      {"the grey coat", "the navy one"},
		"Blue frame or black, what do you reckon?":                                          {"Blue frame", "black"},
		"Pasta tonight, or just toast?":                                                     {"Pasta", "toast"},
		"Which would you pick, a detective story or a ghost story?":                         {"a detective story", "a ghost story"},
		"My blue jumper or my red one for the party?":                                       {"your blue jumper", "your red one"},
		"你说我穿裙子还是穿卫衣？":                                                                      {"裙子", "卫衣"},
		"你觉得红的好还是蓝的好？":                                                                      {"红的", "蓝的"},
		"我明天穿我的白裙子还是那条牛仔裤？":                                                                 {"你的白裙子", "牛仔裤"},
		"你说我周末去爬山还是在家躺着？":                                                                   {"去爬山", "在家躺着"},
		"Are you hungry or just bored?":                                                     {},
		"Do I need the blue tie or the grey one?":                                           {"the blue tie", "the grey one"},
		"Should I make the apple crumble, or is that too old-fashioned?":                    {},
		"Did I leave the oven on or off?":                                                   {},
		"Is it going to rain or not?":                                                       {},
		"他到底是喜欢我还是不喜欢我？":                                                                    {},
		"你说今天下雨还是不下雨？":                                                                      {},
		"Should I ring her tonight or wait till the morning after I've had a proper think?": {},
	} {
		a, b, ok := eitherOr(q)
		if ok != (want[0] != "") || ok && (a != want[0] || b != want[1]) {
			t.Errorf("eitherOr(%q) = %q, %q, %v; want %q", q, a, b, ok, want)
		}
	}
}

// The cat names one of the two, the same one for the same words, in a
// line of the owner's language.
func TestComposePicksOneOption(t *testing.T) {
	b := New(nil, 1, nil)
	for _, c := range []struct{ text, lang string }{
		{"Should I wear the grey coat or the navy one?", "en"},
		{"你说我穿裙子还是穿卫衣？", "zh"},
	} {
		in, reply := b.Compose(dialog.Request{Text: c.text, Lang: c.lang, PetName: "Mochi"})
		if in != "asked_pick" {
			t.Fatalf("Compose(%q) intent %q, want asked_pick", c.text, in)
		}
		x, y, _ := eitherOr(c.text)
		pick := pickOf(c.text, x, y)
		if !strings.Contains(strings.ToLower(reply), strings.ToLower(pick)) {
			t.Errorf("Compose(%q) = %q, not naming the pick %q", c.text, reply, pick)
		}
		if dialog.DetectLangOr(reply, c.lang) != c.lang {
			t.Errorf("Compose(%q) = %q, not in %s", c.text, reply, c.lang)
		}
		if again := pickOf(c.text, x, y); again != pick {
			t.Errorf("pickOf(%q) changed from %q to %q", c.text, pick, again)
		}
	}
}

// FuzzEitherOr: any words are read without a panic; two options found
// are short, told apart, and the pick is one of them.
func FuzzEitherOr(f *testing.F) {
	for _, s := range []string{"Tea or coffee?", "你说我穿裙子还是穿卫衣？", "between a and b", "A和B选哪个", "or or or", "还是还是", "，还是？", "Help me pick: x or y.", "Do I need the blue tie or the grey one?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b, ok := eitherOr(s)
		if !ok {
			return
		}
		if a == "" || b == "" || a == b {
			t.Fatalf("eitherOr(%q) = %q, %q", s, a, b)
		}
		if p := pickOf(s, a, b); p != a && p != b {
			t.Fatalf("pickOf(%q) = %q, neither option", s, p)
		}
		if _, ok := pickAnswer(s, "en"); !ok {
			t.Fatalf("pickAnswer(%q) found no lines for options %q, %q", s, a, b)
		}
	})
}
