package dataset

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
)

func TestLoadExpandsTemplates(t *testing.T) {
	got, err := Load("testdata/basic")
	if err != nil {
		t.Fatal(err)
	}
	turns := func(s ...string) []dialog.Turn {
		var out []dialog.Turn
		for i, x := range s {
			role := "owner"
			if i%2 == 1 {
				role = "pet"
			}
			out = append(out, dialog.Turn{Role: role, Text: x})
		}
		return out
	}
	greeting := Conversation{
		Lang:    "en",
		Mood:    "content",
		Facts:   []string{"owner's name is Lin", "owner likes tea"},
		PetName: "Mochi",
		Turns:   turns("Hi Mochi", "Hello, Lin! You and your tea.", "Bye", "Mrrp {not a slot}"),
	}
	g0, g1 := greeting, greeting
	g0.ID, g1.ID = "hello.en.conv:4#0", "hello.en.conv:4#1"
	want := []Conversation{
		g0, g1,
		// The rotation conversation is checked separately: which of a, b, c
		// it gets depends on the hash of its position.
		{ID: "hello.zh.conv:3#0", Lang: "zh", Mood: "hungry", PetName: "麻糬", Turns: turns("麻糬？", "喵，小林！")},
		{ID: "talk.mix.conv:2#0", Lang: "mix", Mood: "happy", PetName: "Mochi", Turns: turns("Hi Lin", "Hi!", "你好", "小林，你好！")},
	}
	if len(got) != 5 {
		t.Fatalf("Load gave %d conversations, want 5: %+v", len(got), got)
	}
	rot := got[2]
	rest := append(got[:2:2], got[3:]...)
	if !reflect.DeepEqual(rest, want) {
		t.Errorf("Load:\n got %+v\nwant %+v", rest, want)
	}
	if rot.ID != "hello.en.conv:12#0" || rot.PetName != "Tofu" || rot.Mood != "sleepy" {
		t.Errorf("rotation conversation header: %+v", rot)
	}
	v := rot.Turns[0].Text
	if !strings.Contains("ABC", v) || len(v) != 1 {
		t.Fatalf("owner line %q is not one of the slot's values", v)
	}
	// A bound slot keeps its value through the conversation.
	if w := strings.ToLower(v) + " " + strings.ToLower(v); !strings.EqualFold(rot.Turns[1].Text, w) {
		t.Errorf("reply %q, want the owner's value twice (%q)", rot.Turns[1].Text, w)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	a, err := Load("../data")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load("../data")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two loads of the same files differ")
	}
}

func TestBoundSlotsRotateAcrossExpansions(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"common.slots": "$pet = Mochi\n$v = one | two | three | four\n",
		"t.en.conv":    "mood: content\n== x4\nowner: {v}\ncat: ok\n",
	})
	convs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range convs {
		seen[c.Turns[0].Text] = true
	}
	if len(seen) != 4 {
		t.Errorf("4 expansions of a 4-value slot gave %d distinct values: %v", len(seen), seen)
	}
}

func TestLinkedChoicesStayPaired(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"common.slots": "$pet = Mochi\n",
		"t.en.conv":    "mood: content\n== x40\nowner: {@q one|two|three}\ncat: {@q uno|dos|tres}\n",
	})
	convs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	pair := map[string]string{"One": "Uno", "Two": "Dos", "Three": "Tres"}
	for _, c := range convs {
		if got, want := c.Turns[1].Text, pair[c.Turns[0].Text]; got != want {
			t.Errorf("%s: %q answered %q, want %q", c.ID, c.Turns[0].Text, got, want)
		}
	}
}

// A fact line may render empty in some expansions: that expansion knows
// one fact fewer, and a bad fact in the others is still refused.
func TestOptionalFact(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"common.slots": "$pet = Mochi\n$name = Ana | Tom\n",
		"t.en.conv":    "mood: content\n== x20\nfact: {|My name is {name}.}\nfact: I like tea.\nowner: hi\ncat: hi\n",
	})
	convs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[int]int{}
	for _, c := range convs {
		counts[len(c.Facts)]++
		if c.Facts[len(c.Facts)-1] != "I like tea." {
			t.Errorf("%s: facts %q, want the tea fact last", c.ID, c.Facts)
		}
	}
	if counts[1] == 0 || counts[2] == 0 || counts[1]+counts[2] != 20 {
		t.Errorf("expansions by fact count %v, want some with one fact and some with two", counts)
	}
	dir = writeFiles(t, map[string]string{
		"common.slots": "$pet = Mochi\n",
		"t.en.conv":    "mood: content\n== x4\nfact: {|likes tea}\nowner: hi\ncat: hi\n",
	})
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "t.en.conv:3:") {
		t.Errorf("Load with a bad optional fact: %v, want an error at t.en.conv:3", err)
	}
}

// TestFactsInOwnersWordsLoad: whatever dialog keeps word for word at run
// time, a training conversation may give as a fact, contractions included.
func TestFactsInOwnersWordsLoad(t *testing.T) {
	for _, said := range []string{
		"I've got a cat called Tom.",
		"I’ve got a dog called Rex.",
		"I'm allergic to nuts.",
		"My daughter Susan rings every Tuesday.",
		"我对花生过敏。",
		"Maya lives in Bristol.",
		"楼下的鹦鹉叫阿福。",
	} {
		kept := dialog.ExtractFacts(said, time.Time{})
		if len(kept) != 1 || !dialog.Said(kept[0]) {
			t.Errorf("dialog.ExtractFacts(%q) = %v, want it kept in the owner's words", said, kept)
			continue
		}
		lang := "en"
		if strings.HasPrefix(said, "我") {
			lang = "zh"
		}
		owner, cat := "hi", "mrrp"
		if lang == "zh" {
			owner, cat = "你好", "喵"
		}
		dir := writeFiles(t, map[string]string{
			"common.slots":        "$pet = Mochi\n",
			"t." + lang + ".conv": "mood: content\n==\nfact: " + said + "\nowner: " + owner + "\ncat: " + cat + "\n",
		})
		if _, err := Load(dir); err != nil {
			t.Errorf("fact %q: %v", said, err)
		}
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadErrors(t *testing.T) {
	const slots = "$pet = Mochi\n$pair = a :: b\n"
	long := strings.Repeat("word ", 21)
	cases := []struct {
		name, file, body, want string
	}{
		{"unknown slot", "a.en.conv", "mood: content\n==\nowner: hi {nope}\ncat: hi\n",
			"dataset: a.en.conv:3: unknown slot {nope}"},
		{"missing reply", "a.en.conv", "mood: content\n==\nowner: hi\ncat: hi\nowner: bye\n",
			"dataset: a.en.conv:5: missing cat reply after the last owner line"},
		{"two owner lines", "a.en.conv", "mood: content\n==\nowner: hi\nowner: hi\n",
			"dataset: a.en.conv:4: two owner lines in a row (missing cat reply)"},
		{"cat first", "a.en.conv", "mood: content\n==\ncat: hi\n",
			"dataset: a.en.conv:3: conversation starts with a cat line (the owner speaks first)"},
		{"reply too long", "a.en.conv", "mood: content\n==\nowner: hi\ncat: " + long + "\n",
			"dataset: a.en.conv:4: reply too long (21 words, at most 20) in expansion #0: \"" + strings.TrimSpace("Word "+long[5:]) + "\""},
		{"zh reply too long", "a.zh.conv", "mood: content\n==\nowner: 嗨\ncat: " + strings.Repeat("喵", 31) + "\n",
			"dataset: a.zh.conv:4: reply too long (31 characters, at most 30) in expansion #0: \"" + strings.Repeat("喵", 31) + "\""},
		{"Chinese in en", "a.en.conv", "mood: content\n==\nowner: hi\ncat: 喵\n",
			"dataset: a.en.conv:4: Chinese in a reply of an en conversation: \"喵\""},
		{"no Chinese in zh", "a.zh.conv", "mood: content\n==\nowner: 你好\ncat: meow\n",
			"dataset: a.zh.conv:4: zh reply without Chinese: \"Meow\""},
		{"mix follows owner", "a.mix.conv", "mood: content\n==\nowner: hello there\ncat: 你好\n",
			"dataset: a.mix.conv:4: reply not in the owner's language: \"你好\""},
		{"mix never switches", "a.mix.conv", "mood: content\n==\nowner: hello there\ncat: hi\n",
			"dataset: a.mix.conv:2: mix conversation where the owner never switches language"},
		{"claims owner fact", "a.en.conv", "mood: content\n==\nfact: owner likes tea\nowner: tea time\ncat: I drink tea too!\n",
			"dataset: a.en.conv:5: reply claims the owner's fact \"owner likes tea\" as the cat's own: \"I drink tea too!\""},
		{"claims a fact the owner just said", "a.en.conv", "mood: content\n==\nowner: I love tea.\ncat: I love tea too!\n",
			"dataset: a.en.conv:4: reply claims the owner's fact \"owner loves tea\" as the cat's own: \"I love tea too!\""},
		{"claims owner name", "a.zh.conv", "mood: content\n==\nfact: owner's name is 小林\nowner: 我是谁\ncat: 我叫小林！\n",
			"dataset: a.zh.conv:5: reply claims the owner's fact \"owner's name is 小林\" as the cat's own: \"我叫小林！\""},
		{"no mood", "a.en.conv", "==\nowner: hi\ncat: hi\n",
			"dataset: a.en.conv:1: conversation has no mood"},
		{"bad mood", "a.en.conv", "mood: hungry and sleepy\n==\nowner: hi\ncat: hi\n",
			"dataset: a.en.conv:1: mood \"hungry and sleepy\" is not a mood line (a mood name, then up to two of very sleepy, a bit sleepy, very hungry, a bit hungry, lonely, a bit lonely, wants to play)"},
		{"no turns", "a.en.conv", "mood: content\n==\n",
			"dataset: a.en.conv:2: conversation has no turns"},
		{"too many exchanges", "a.en.conv", "mood: content\n==\n" + strings.Repeat("owner: hi\ncat: hi\n", 7),
			"dataset: a.en.conv:2: conversation has 7 exchanges (at most 6)"},
		{"unclosed brace", "a.en.conv", "mood: content\n==\nowner: {hi|ho\ncat: hi\n",
			"dataset: a.en.conv:3: unclosed {"},
		{"stray bar", "a.en.conv", "mood: content\n==\nowner: a | b\ncat: hi\n",
			"dataset: a.en.conv:3: unexpected '|' at column 3 (escape it with \\)"},
		{"single choice", "a.en.conv", "mood: content\n==\nowner: {hi there}\ncat: hi\n",
			"dataset: a.en.conv:3: column 1: {hi there} is neither a slot name nor a choice with |"},
		{"bad field", "a.en.conv", "mood: content\n==\nowner: {pair.2}\ncat: hi\n",
			"dataset: a.en.conv:3: slot {pair.2} has no field 2 ($pair has 2)"},
		{"unknown key", "a.en.conv", "mood: content\n==\nowner: hi\ndog: woof\n",
			"dataset: a.en.conv:4: unknown key \"dog\""},
		{"no colon", "a.en.conv", "mood: content\n==\nhello\n",
			"dataset: a.en.conv:3: expected \"owner:\", \"cat:\", \"mood:\", \"fact:\", \"pet:\", \"==\" or \"$slot =\""},
		{"fact after turn", "a.en.conv", "mood: content\n==\nowner: hi\ncat: hi\nfact: owner likes tea\n",
			"dataset: a.en.conv:5: fact: after the first turn (facts are known before the conversation; let the owner say later ones)"},
		{"fact form", "a.en.conv", "mood: content\n==\nfact: likes tea\nowner: hi\ncat: hi\n",
			"dataset: a.en.conv:3: fact \"likes tea\" is neither in \"owner ...\" form nor the owner's own words (\"I ...\", \"I've ...\", \"My ...\", \"我...\", or a statement dialog keeps as said)"},
		{"slot twice", "a.en.conv", "$x = a\n$x = b\n",
			"dataset: a.en.conv:2: slot $x defined twice (use += to add values)"},
		{"field count", "a.en.conv", "$x = a :: b | c\n",
			"dataset: a.en.conv:1: slot $x: value \"c\" has 1 fields, the first value has 2"},
		{"expansion count", "a.en.conv", "mood: content\n== x500\nowner: hi\ncat: hi\n",
			"dataset: a.en.conv:2: expansion count 500 out of range 1..100"},
		{"slot cycle", "a.en.conv", "$x = {y}\n$y = {x}\nmood: content\n==\nowner: {x}\ncat: hi\n",
			"dataset: a.en.conv:1: slots nest more than 8 deep (a cycle?)"},
		{"linked choice sizes", "a.en.conv", "mood: content\n==\nowner: {@q a|b|c}\ncat: {@q x|y}\n",
			""}, // checked below: only some expansions pick the missing third option
		{"bad file name", "a.conv", "",
			"dataset: a.conv:0: file name must be topic.en.conv, topic.zh.conv or topic.mix.conv"},
		{"slot file with turns", "b.slots", "owner: hi\n",
			"dataset: b.slots:1: a slot file holds only $name = value | value lines"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"common.slots": slots, tc.file: tc.body})
			_, err := Load(dir)
			if tc.want == "" {
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tc.want)
			}
		})
	}
}

func TestLinkedChoiceWithFewerOptionsFails(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"common.slots": "$pet = Mochi\n",
		"a.en.conv":    "mood: content\n== x30\nowner: {@q a|b|c}\ncat: {@q x|y}\n",
	})
	_, err := Load(dir)
	want := "dataset: a.en.conv:4: linked choice @q has 2 options, fewer than where it was first used"
	if err == nil || err.Error() != want {
		t.Fatalf("Load error %v, want %q", err, want)
	}
}

func TestValidMood(t *testing.T) {
	for s, want := range map[string]bool{
		"content": true, "happy, a bit sleepy": true, "content, a bit hungry and wants to play": true,
		"": false, "joyful": false, "happy,": false, "happy, sleepy": false, "content and a bit hungry": false,
		"happy, lonely and lonely": false, "sad, a bit lonely and very hungry": true,
	} {
		if got := ValidMood(s); got != want {
			t.Errorf("ValidMood(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestLoadMissingDir(t *testing.T) {
	_, err := Load("testdata/no-such-dir")
	if err == nil || !strings.HasPrefix(err.Error(), `dataset: Load("testdata/no-such-dir"): `) {
		t.Fatalf("error %v, want one naming the call", err)
	}
}

func TestCapitalize(t *testing.T) {
	for in, want := range map[string]string{
		"tea, Lin!":                "Tea, Lin!",
		"mrrp. tea? yes! ok":       "Mrrp. Tea? Yes! Ok",
		"cosy, but... snack?":      "Cosy, but... snack?",
		"*purr* yes":               "*purr* yes",
		"喵！tea":                    "喵！tea",
		"":                         "",
		"version 1.5 is out. next": "Version 1.5 is out. Next",
	} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}
