package dialog

import "testing"

func TestAnswerInMemory(t *testing.T) {
	facts := []string{"owner's name is Ruth", "I'm Ruth", "My son Dev lives in Perth", "I taught piano for years",
		"My neighbour's dog is a beagle called Biscuit", "My daughter Susan rings every Tuesday", "I had soup with Mary for lunch"}
	for _, c := range []struct {
		ask, fact string
		ok        bool
		says, not string
	}{
		{"Where does my son live, remember?", "My son Dev lives in Perth", true, "Perth, of course", "You're Ruth"},
		{"What was it I taught for years?", "I taught piano for years", true, "Piano!", "Ruth!"},
		// A question after a name wants the name, not only its owner.
		{"What's the dog next door called?", "My neighbour's dog is a beagle called Biscuit", true, "Biscuit! Woof, he says.", "Your neighbour's dog!"},
		// Other questions take any new word of the fact: "who?" is
		// answered by the relation as well as by the name.
		{"Who rings me on Tuesdays?", "My daughter Susan rings every Tuesday", true, "Your daughter rings you.", "Tuesdays are nice."},
		{"What did I have for lunch?", "I had soup with Mary for lunch", true, "Soup!", "Lunch was nice."},
		{"Do you like my son?", "", false, "", ""},
		{"What's for tea?", "", false, "", ""},
		{"My son lives in Perth.", "", false, "", ""},
	} {
		a, ok := AnswerInMemory(c.ask, facts)
		if ok != c.ok || a.Fact != c.fact {
			t.Errorf("AnswerInMemory(%q) = %q, %v; want %q, %v", c.ask, a.Fact, ok, c.fact, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if !a.SaidBy(c.says) {
			t.Errorf("%q: %q does not count as naming %q (keys %q)", c.ask, c.says, a.Fact, a.Keys)
		}
		if a.SaidBy(c.not) {
			t.Errorf("%q: %q counts as naming %q (keys %q)", c.ask, c.not, a.Fact, a.Keys)
		}
	}
	zh := []string{"owner's name is 王芳", "我是王芳", "我孙子小军每个周六都来吃午饭"}
	a, ok := AnswerInMemory("周六谁来吃午饭？", zh)
	if !ok || !a.SaidBy("小军！你孙子。") || a.SaidBy("你是王芳！") {
		t.Errorf("zh: %+v %v", a, ok)
	}
}
