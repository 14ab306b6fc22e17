package dialog

import "testing"

func TestAnswerInMemory(t *testing.T) {
	facts := []string{"owner's name is Ruth", "I'm Ruth", "My son Dev lives in Perth", "I taught piano for years"}
	for _, c := range []struct {
		ask, fact string
		ok        bool
		says, not string
	}{
		{"Where does my son live, remember?", "My son Dev lives in Perth", true, "Perth, of course", "You're Ruth"},
		{"What was it I taught for years?", "I taught piano for years", true, "Piano!", "Ruth!"},
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
