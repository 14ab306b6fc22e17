package rules

import "testing"

func TestSomber(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"My old friend Betty died last week.", true},
		{"老伴走了三年了，今天又梦见他了。", true},
		{"My knees have been aching all morning.", true},
		{"I hardly slept a wink, my hip was aching.", true},
		{"I've fallen and I can't get up.", true},
		{"我胸口好疼，喘不上气。", true},
		{"Guess what, I got the job!", false},
		{"Shall we sit by the window?", false},
		{"My phone battery died halfway through the call.", false},
		{"Good morning, Mochi!", false},
	} {
		if got := Somber(c.text, "Mochi", "麻糬"); got != c.want {
			t.Errorf("Somber(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
