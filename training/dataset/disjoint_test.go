package dataset

import (
	"strings"
	"testing"
	"unicode"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/eval"
)

// The eval measures what training taught only if it asks what training
// never showed: no owner line of the eval set may appear in the training
// data, and no long stretch of one (8 English words, 10 Chinese
// characters) may appear anywhere in it, owner lines or replies.
func TestTrainingDataIsDisjointFromTheEval(t *testing.T) {
	set, err := eval.DefaultSet()
	if err != nil {
		t.Fatal(err)
	}
	convs, err := Load("../data")
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{}
	grams := map[string]string{}
	for _, c := range convs {
		for _, tn := range c.Turns {
			if tn.Role == "owner" {
				owner[dialog.Flatten(tn.Text)] = c.ID
			}
			for _, g := range ngrams(tn.Text) {
				grams[g] = c.ID
			}
		}
	}
	lines := eval.OwnerLines(set)
	if len(lines) < 250 {
		t.Fatalf("the eval set has %d owner lines; the check would prove little", len(lines))
	}
	for _, l := range lines {
		if id, ok := owner[dialog.Flatten(l)]; ok && dialog.Flatten(l) != "" {
			t.Errorf("eval owner line %q is in the training data (%s)", l, id)
			continue
		}
		for _, g := range ngrams(l) {
			if id, ok := grams[g]; ok {
				t.Errorf("eval owner line %q shares %q with the training data (%s)", l, g, id)
				break
			}
		}
	}
}

// The check itself must catch what it is for.
func TestNgramsFindSharedStretches(t *testing.T) {
	a := ngrams("Well, today I went to the market and bought some fresh fish for you.")
	b := ngrams("I went to the market and bought some fresh fish!")
	shared := false
	for _, g := range a {
		for _, h := range b {
			shared = shared || g == h
		}
	}
	if !shared {
		t.Error("an 8-word stretch shared by two English lines was not found")
	}
	zh := ngrams("我今天去菜市场给你买了新鲜的小鱼干哦")
	if len(zh) == 0 || len(ngrams("我今天去菜市场")) != 0 {
		t.Errorf("Chinese n-grams: %q", zh)
	}
}

// ngrams is every run of 8 words (Latin script) and of 10 Han characters.
func ngrams(s string) []string {
	var out []string
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
		if !HasHan(w) {
			words = append(words, w)
		}
	}
	for i := 0; i+8 <= len(words); i++ {
		out = append(out, strings.Join(words[i:i+8], " "))
	}
	var han []rune
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = append(han, r)
		}
	}
	for i := 0; i+10 <= len(han); i++ {
		out = append(out, string(han[i:i+10]))
	}
	return out
}
