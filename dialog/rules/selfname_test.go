package rules

import (
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog/persona"
)

// Asked its name, the pet answers with its name in the language asked
// for (persona.NameIn), else in the owner's language.
func TestOwnNames(t *testing.T) {
	tofu := mustLoad(t, "../../configs/personas/tofu.yaml")
	for _, p := range []*persona.Persona{persona.Default(), tofu} {
		for _, c := range []struct{ ask, lang, nameLang string }{
			{"what's your name?", "en", "en"},
			{"Who are you?", "en", "en"},
			{"what's your Chinese name?", "en", "zh"},
			{"What is your name in Chinese?", "en", "zh"},
			{"what do they call you in English?", "en", "en"},
			{"and what's your English name?", "en", "en"},
			{"你叫什么？", "zh", "zh"},
			{"你叫什么名字？", "zh", "zh"},
			{"你的中文名字叫什么？", "zh", "zh"},
			{"你的英文名字是什么？", "zh", "en"},
			{"你英文叫什么？", "zh", "en"},
		} {
			for seed := range uint64(12) {
				q := req(c.ask, c.lang, "content", "owner's name is Ana")
				q.PetName = p.Name
				intent, got := New(p, seed, nil).Compose(q)
				if intent != "name" || !strings.Contains(got, p.NameIn(c.nameLang)) {
					t.Errorf("%s, %q: %s %q, want %q", p.Name, c.ask, intent, got, p.NameIn(c.nameLang))
				}
				if c.nameLang != c.lang && strings.Contains(got, p.NameIn(c.lang)) && p.NameIn(c.lang) != p.NameIn(c.nameLang) {
					t.Errorf("%s, %q: %q gives the other name too", p.Name, c.ask, got)
				}
			}
		}
	}
}

// A pet the config renamed answers with that name in every language.
func TestRenamedPetName(t *testing.T) {
	q := req("what's your Chinese name?", "en", "content")
	q.PetName = "Luna"
	if _, got := New(nil, 1, nil).Compose(q); !strings.Contains(got, "Luna") {
		t.Errorf("renamed pet said %q", got)
	}
}

// "Call you later" is not a question about the name.
func TestNotNameQuestions(t *testing.T) {
	for _, text := range []string{"I'll call you later", "can I call you later?", "your name is cute", "我叫小林"} {
		if _, ok := askSelfName(text); ok {
			t.Errorf("askSelfName(%q) = true", text)
		}
	}
}
