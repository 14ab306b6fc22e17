package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
)

// factsFrom turns what an owner said into fact texts, as the daemon does.
func factsFrom(t *testing.T, said ...string) []string {
	t.Helper()
	var out []string
	for _, s := range said {
		for _, f := range dialog.ExtractFacts(s, time.Time{}) {
			out = append(out, f.Text)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no facts in %q", said)
	}
	return out
}

// firstPerson are claims a recall answer must never make: the owner's
// facts are the owner's, not the cat's.
var firstPerson = []string{"I like", "I love", "I live in", "my birthday", "I'm 70", "I am 70", "my favourite", "我喜欢", "我爱", "我住在", "我的生日", "我今年", "我最喜欢"}

// Each kind of fact, told in English or Chinese, comes back when the
// owner asks about it in either language, in a cat's voice that says the
// value and says it is the owner's.
func TestRecallEachFactKind(t *testing.T) {
	for _, c := range []struct {
		told      string
		ask, lang string
		want      string
		intent    string
	}{
		{"I like green tea", "What do I like?", "en", "green tea", "recall:likes"},
		{"I like green tea", "Do you remember what I drink?", "en", "green tea", "recall:likes"},
		{"I love pizza", "what do I like to eat?", "en", "pizza", "recall:likes"},
		{"I like green tea", "do I like tea?", "en", "green tea", "recall:likes"},
		{"我喜欢绿茶", "你还记得我喜欢什么吗？", "zh", "绿茶", "recall:likes"},
		{"我爱喝咖啡", "我爱喝什么？", "zh", "咖啡", "recall:likes"},
		{"I hate coffee", "What don't I like?", "en", "coffee", "recall:dislikes"},
		{"我不喜欢香菜", "我不喜欢吃什么？", "zh", "香菜", "recall:dislikes"},
		{"I live in Paris", "Where do I live?", "en", "Paris", "recall:home"},
		{"我住在上海", "我住在哪儿？", "zh", "上海", "recall:home"},
		{"I live in Paris", "我住在哪里？", "zh", "Paris", "recall:home"},
		{"My birthday is May 3", "When is my birthday?", "en", "May 3", "recall:birthday"},
		{"我的生日是五月三号", "我的生日是哪天？", "zh", "五月三号", "recall:birthday"},
		{"I am 70 years old", "How old am I?", "en", "70", "recall:age"},
		{"我今年70岁", "我几岁了？", "zh", "70", "recall:age"},
		{"I'm 70 years old", "你知道我多大吗？", "zh", "70岁", "recall:age"},
		{"My favourite colour is blue", "What's my favourite colour?", "en", "blue", "recall:favourite"},
		{"My favorite color is blue", "what is my favourite colour", "en", "blue", "recall:favourite"},
		{"我最喜欢的颜色是蓝色", "我最喜欢的颜色是什么？", "zh", "蓝色", "recall:favourite"},
		{"My favourite colour is blue", "你记得我最喜欢的颜色吗？", "zh", "blue", "recall:favourite"},
		{"My name is Lin", "what's my name?", "en", "Lin", "owner_name"},
		{"我叫小林", "你知道我的名字吗？", "zh", "小林", "owner_name"},
	} {
		facts := append(factsFrom(t, c.told), "owner's name is Ana")
		if c.intent == "owner_name" {
			facts = factsFrom(t, c.told)
		}
		for seed := range uint64(12) {
			intent, got := New(nil, seed, nil).Compose(req(c.ask, c.lang, "content", facts...))
			if intent != c.intent || !strings.Contains(strings.ToLower(got), strings.ToLower(c.want)) {
				t.Errorf("told %q, asked %q: %s %q, want %s with %q", c.told, c.ask, intent, got, c.intent, c.want)
			}
			if c.lang == "zh" && !strings.ContainsFunc(got, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("%q: %q is not Chinese", c.ask, got)
			}
			for _, w := range firstPerson {
				if strings.Contains(got, w) {
					t.Errorf("%q: %q claims the owner's fact (%q)", c.ask, got, w)
				}
			}
		}
	}
}

// A fact never told: the cat says so and asks, in character, naming
// what it does not know, and invents nothing.
func TestRecallUnknown(t *testing.T) {
	facts := []string{"owner's name is Ana"} // only the name is known
	for _, c := range []struct{ ask, lang, want string }{
		{"what do I like?", "en", "what you like"},
		{"where do I live?", "en", "where you live"},
		{"when's my birthday?", "en", "birthday"},
		{"how old am I?", "en", "how old you are"},
		{"what's my favourite colour?", "en", "favourite colour"},
		{"do I like coffee?", "en", "coffee"},
		{"你还记得我喜欢什么吗？", "zh", "你喜欢什么"},
		{"我住在哪儿？", "zh", "你住在哪儿"},
		{"我的生日是哪天？", "zh", "生日"},
		{"我几岁？", "zh", "你几岁"},
	} {
		for seed := range uint64(12) {
			_, got := New(nil, seed, nil).Compose(req(c.ask, c.lang, "content", facts...))
			tell := strings.Contains(got, "ell me") || strings.Contains(got, "hisper") || strings.Contains(got, "告诉我") || strings.Contains(got, "说给我听")
			if !strings.Contains(got, c.want) || !tell || strings.Contains(got, "Ana") {
				t.Errorf("asked %q with nothing told: %q", c.ask, got)
			}
		}
	}
}

// Only questions about the owner are recall: the owner telling a fact,
// asking about the cat's tastes, or saying "I love you" is not.
func TestRecallOnlyForQuestionsAboutTheOwner(t *testing.T) {
	for _, text := range []string{
		"I like fish, do you?", "do you like fish?", "I live in Paris", "我喜欢鱼，你呢？", "你喜欢吃什么？",
		"你知道我爱你吗？", "do you know I love you?", "my birthday is May 3", "你住在哪儿？", "how old are you?",
	} {
		if q, ok := askRecall(text); ok {
			t.Errorf("askRecall(%q) = %+v, want none", text, q)
		}
	}
}

// The answer template pools are sayable and differ sentence by sentence,
// so answering the same question again is never a repeat.
func TestRecallTemplatesSayable(t *testing.T) {
	for kind, byLang := range recallTemplates {
		for lang, l := range byLang {
			if len(l) <= dialog.RecentReplies {
				t.Errorf("%s/%s: %d lines cannot avoid the last %d replies", kind, lang, len(l), dialog.RecentReplies)
			}
			seen := map[string]string{}
			for _, line := range l {
				filled := strings.NewReplacer("{v}", "blue", "{t}", "colour", "{topic}", "where you live").Replace(line)
				if got := dialog.CleanReply(filled, nil, ""); got != filled {
					t.Errorf("%s/%s: %q cleans to %q", kind, lang, filled, got)
				}
				for _, s := range dialog.SplitSentences(filled) {
					k := dialog.Flatten(s)
					if other, ok := seen[k]; ok && len([]rune(k)) >= 6 {
						t.Errorf("%s/%s: %q and %q share %q", kind, lang, other, line, s)
					}
					seen[k] = line
				}
			}
		}
	}
}

// What the owner said in the recent history counts too, the newest
// statement winning, and the stored facts winning over the history.
func TestRecallFromHistory(t *testing.T) {
	owner := func(texts ...string) []dialog.Turn {
		var h []dialog.Turn
		for _, s := range texts {
			h = append(h, dialog.Turn{Role: "owner", Text: s}, dialog.Turn{Role: "pet", Text: "Mrrp!"})
		}
		return h
	}
	for _, c := range []struct {
		history     []dialog.Turn
		facts       []string
		ask, lang   string
		want, avoid string
	}{
		{owner("I like green tea"), nil, "what do I drink?", "en", "green tea", ""},
		{owner("我住在杭州"), nil, "我住在哪儿？", "zh", "杭州", ""},
		{owner("I like coffee", "I don't like coffee anymore"), nil, "what don't I like?", "en", "coffee", ""},
		{owner("I like coffee", "I don't like coffee anymore", "I like cocoa"), nil, "what do I like?", "en", "cocoa", "coffee"},
		{owner("I live in Rome"), []string{"owner lives in Paris"}, "where do I live?", "en", "Paris", "Rome"},
		{owner("my name is Ana", "actually, my name is Lin"), nil, "what's my name?", "en", "Lin", "Ana"},
	} {
		for seed := range uint64(8) {
			q := req(c.ask, c.lang, "content", c.facts...)
			q.History = c.history
			_, got := New(nil, seed, nil).Compose(q)
			lg := strings.ToLower(got)
			if !strings.Contains(lg, strings.ToLower(c.want)) || c.avoid != "" && strings.Contains(lg, strings.ToLower(c.avoid)) {
				t.Errorf("%q after %v: %q, want %q and not %q", c.ask, c.history, got, c.want, c.avoid)
			}
		}
	}
}

// Whatever it is asked, the cat never takes the owner's facts for its
// own: it may say "you like green tea", never "I like green tea".
func TestNeverClaimsOwnersFacts(t *testing.T) {
	facts := []string{"owner's name is Lin", "owner likes green tea", "owner likes 绿茶", "owner lives in Paris", "owner lives in 上海",
		"owner's favourite colour is blue", "owner's birthday is May 3", "owner is 70 years old"}
	values := []string{"green tea", "绿茶", "Paris", "上海", "blue", "May 3", "70"}
	claims := []string{"I like ", "I love ", "I live in ", "I'm ", "I am ", "my birthday is ", "My birthday is ", "my favourite colour is ", "我喜欢", "我也喜欢", "我爱", "我住在", "我的生日是", "我今年", "我最喜欢的颜色是"}
	for _, ask := range []string{
		"hello", "do you like green tea?", "what do you like?", "where do you live?", "how old are you?", "when is your birthday?",
		"what's your favourite colour?", "what do I like?", "where do I live?", "tell me about yourself",
		"你好", "你喜欢绿茶吗？", "你喜欢什么？", "你住在哪儿？", "你几岁了？", "我喜欢什么？", "我住在哪儿？", "我今年多大？",
	} {
		lang := dialog.DetectLang(ask)
		for seed := range uint64(10) {
			_, got := New(nil, seed, nil).Compose(req(ask, lang, "content", facts...))
			for _, c := range claims {
				for _, v := range values {
					if strings.Contains(got, c+v) {
						t.Errorf("%q: %q claims %q", ask, got, c+v)
					}
				}
			}
		}
	}
}
