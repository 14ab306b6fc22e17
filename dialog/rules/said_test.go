package rules

import (
	"strings"
	"testing"
)

// A question about something kept in the owner's words is answered with
// that sentence, turned to the owner, whatever else is remembered.
func TestRecallFromSaidFacts(t *testing.T) {
	facts := []string{
		"owner's name is Edna",
		"I was a baker for thirty years",
		"My grandson Alfie phones every Friday",
		"The cat across the road is called Smudge",
		"I'm allergic to cats' fur, oddly",
	}
	zhFacts := []string{"owner's name is 王芳", "我对花生过敏", "我孙子小军每个周六都来吃午饭"}
	for _, c := range []struct {
		ask, lang string
		facts     []string
		want      string
	}{
		{"Who phones me on Fridays, then?", "en", facts, "Your grandson Alfie phones every Friday"},
		{"What's the cat across the road called?", "en", facts, "The cat across the road is called Smudge"},
		{"How many years was I a baker, do you remember?", "en", facts, "You were a baker for thirty years"},
		{"我对什么过敏来着？", "zh", zhFacts, "你对花生过敏"},
		{"周六谁来吃午饭？", "zh", zhFacts, "你孙子小军每个周六都来吃午饭"},
	} {
		for seed := uint64(1); seed <= 4; seed++ {
			intent, got := New(nil, seed, nil).Compose(req(c.ask, c.lang, "content", c.facts...))
			if intent != saidIntent || !strings.Contains(got, c.want) {
				t.Errorf("seed %d: %q -> %s %q, want %s with %q", seed, c.ask, intent, got, saidIntent, c.want)
			}
		}
	}
	// Not a test of memory: a question that shares no content word, one
	// that asks for no thing told, and a statement.
	for _, ask := range []string{"What shall we do today?", "Do you like cats?", "My grandson phones on Fridays."} {
		if intent, got := New(nil, 1, nil).Compose(req(ask, "en", "content", facts...)); intent == saidIntent {
			t.Errorf("%q answered from memory: %q", ask, got)
		}
	}
}

func TestToOwner(t *testing.T) {
	for in, want := range map[string]string{
		"I'm allergic to pollen":            "You're allergic to pollen",
		"I am a retired nurse":              "You are a retired nurse",
		"My daughter rings me on Tuesdays":  "Your daughter rings you on Tuesdays",
		"I was born in Leeds, my home town": "You were born in Leeds, your home town",
		"我以前是老师":                            "你以前是老师",
	} {
		if got := toOwner(in, "en"); got != want {
			t.Errorf("toOwner(%q) = %q, want %q", in, got, want)
		}
	}
}
