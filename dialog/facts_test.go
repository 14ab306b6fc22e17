package dialog

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Questions tell nothing, in English or Chinese, whatever they contain.
func TestExtractFactsIgnoresQuestions(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for _, q := range []string{
		"你还记得我叫什么名字吗？",
		"你还记得我叫什么名字吗",
		"what's my name?",
		"What is my name",
		"do you remember my name?",
		"Do you remember my name",
		"do I like tea?",
		"Do I like tea",
		"你知道我住在哪里吗",
		"我叫什么",
		"我喜欢什么？",
		"我住在哪儿？",
		"你记不记得我喜欢什么",
		"Hey Mochi, do you know where I live?",
		"So what do I love?",
		"I like what?",
		"Remember what I like?",
		"where do I live?!",
		"我今年几岁了？",
	} {
		if got := ExtractFacts(q, now); len(got) != 0 {
			t.Errorf("ExtractFacts(%q) = %+v, want nothing from a question", q, got)
		}
	}
}

// A statement beside a question still counts.
func TestExtractFactsStatementBesideQuestion(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"My name is Lin. What's yours?", []string{"owner's name is Lin"}},
		{"My name is Lin, remember?", []string{"owner's name is Lin"}},
		{"Guess what, I live in Porto!", []string{"owner lives in Porto"}},
		{"我叫小林，你呢？", []string{"owner's name is 小林"}},
		{"我喜欢喝茶，你喜欢什么？", []string{"owner likes 喝茶"}},
		{"Hi Dr. Paws. My name is Lin", []string{"owner's name is Lin"}},
	} {
		var got []string
		for _, f := range ExtractFacts(c.text, now) {
			got = append(got, f.Text)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ExtractFacts(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// A correction replaces the fact it corrects; a question never does.
func TestConversationCorrectionsAndQuestions(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	c := NewConversation(ConversationOptions{})
	say := func(text string) {
		now = now.Add(time.Minute)
		c.Add(Turn{Role: "owner", Text: text, Time: now})
	}
	for _, step := range []struct {
		say  string
		want []string
	}{
		{"我叫小林", []string{"owner's name is 小林"}},
		{"你还记得我叫什么名字吗？", []string{"owner's name is 小林"}},
		{"我叫什么", []string{"owner's name is 小林"}},
		{"what's my name?", []string{"owner's name is 小林"}},
		{"do you remember my name?", []string{"owner's name is 小林"}},
		{"actually my name is Lin", []string{"owner's name is Lin"}},
		{"不对，我叫小林", []string{"owner's name is 小林"}},
		{"I like coffee", []string{"owner's name is 小林", "owner likes coffee"}},
		{"do I like coffee?", []string{"owner's name is 小林", "owner likes coffee"}},
		{"I don't like coffee anymore", []string{"owner's name is 小林", "owner dislikes coffee"}},
		{"我喜欢什么？", []string{"owner's name is 小林", "owner dislikes coffee"}},
		{"我喜欢茶", []string{"owner's name is 小林", "owner dislikes coffee", "owner likes 茶"}},
		{"我不再喜欢茶了", []string{"owner's name is 小林", "owner dislikes coffee", "owner dislikes 茶"}},
		{"你知道我住在哪里吗", []string{"owner's name is 小林", "owner dislikes coffee", "owner dislikes 茶"}},
	} {
		say(step.say)
		if got := c.Facts(); !slices.Equal(got, step.want) {
			t.Fatalf("after %q: facts %q, want %q", step.say, got, step.want)
		}
	}
	if OwnerName(c.Facts()) != "小林" {
		t.Errorf("OwnerName = %q", OwnerName(c.Facts()))
	}
}

func TestExtractFactsNegatedLikes(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"I don't like coffee anymore":  "owner dislikes coffee",
		"I do not like mondays":        "owner dislikes mondays",
		"I no longer love rainy days":  "owner dislikes rainy days",
		"我不喜欢咖啡了":                      "owner dislikes 咖啡",
		"我现在不爱吃鱼":                      "owner dislikes 吃鱼",
		"I still like tea":             "owner likes tea",
		"I don't like it":              "",
		"I don't like you any more :(": "",
	} {
		var got string
		for _, f := range ExtractFacts(text, now) {
			got = f.Text
		}
		if got != want {
			t.Errorf("ExtractFacts(%q) = %q, want %q", text, got, want)
		}
	}
}

func FuzzExtractFacts(f *testing.F) {
	for _, s := range []string{"你还记得我叫什么名字吗？", "actually my name is Lin", "I don't like coffee anymore",
		"My name is Dr. Li, remember?", "我叫小林，你呢？", "\xff my name is \x00"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	prefixes := []string{"owner's name is ", "owner likes ", "owner loves ", "owner adores ", "owner hates ", "owner dislikes ",
		"owner's favourite ", "owner lives in ", "owner's birthday is ", "owner is "}
	f.Fuzz(func(t *testing.T, text string) {
		facts := ExtractFacts(text, now)
		keys := map[string]bool{}
		for _, fc := range facts {
			if fc.Key == "" || !fc.Time.Equal(now) || keys[fc.Key] {
				t.Fatalf("ExtractFacts(%q): bad or repeated key in %+v", text, facts)
			}
			keys[fc.Key] = true
			if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(fc.Text, p) && len(fc.Text) > len(p) }) {
				t.Fatalf("ExtractFacts(%q): fact text %q has no known form", text, fc.Text)
			}
		}
		// A question mark at the end of one clause question makes it a question.
		if !strings.ContainsAny(text, ".!?。！？,，;；、\n…") {
			if q := ExtractFacts(text+"?", now); len(q) != 0 {
				t.Fatalf("ExtractFacts(%q) = %+v from a question", text+"?", q)
			}
		}
	})
}
