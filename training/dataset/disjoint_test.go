package dataset

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

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
	// Everything a committed adapter learnt from: the training set and
	// the preference pairs.
	var convs []Conversation
	for _, dir := range []string{"../data", "../pairs/chosen", "../pairs/rejected"} {
		c, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		convs = append(convs, c...)
	}
	owner := map[string]string{}
	grams := map[string]string{}
	for _, c := range convs {
		for _, tn := range c.Turns {
			if tn.Role == "owner" {
				owner[dialog.Flatten(tn.Text)] = c.ID
			}
			for _, g := range Stretches(tn.Text) {
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
		for _, g := range Stretches(l) {
			if id, ok := grams[g]; ok {
				t.Errorf("eval owner line %q shares %q with the training data (%s)", l, g, id)
				break
			}
		}
	}
}

// The rated replies (training/rated/rated.jsonl: fresh prompts, the
// model's replies and raters' scores, kept for later runs) are training
// material too: no eval owner line, and no long stretch of one, in them.
func TestRatedRepliesAreDisjointFromTheEval(t *testing.T) {
	set, err := eval.DefaultSet()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../rated/rated.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{}
	grams := map[string]string{}
	n := 0
	for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var r struct {
			ID      string
			Owner   string
			Facts   []string
			Before  []struct{ Text string }
			Replies []struct{ Text string }
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("rated.jsonl:%d: %v", i+1, err)
		}
		n++
		owner[dialog.Flatten(r.Owner)] = r.ID
		texts := append([]string{r.Owner}, r.Facts...)
		for _, b := range r.Before {
			texts = append(texts, b.Text)
		}
		for _, rep := range r.Replies {
			texts = append(texts, rep.Text)
		}
		for _, tx := range texts {
			for _, g := range Stretches(tx) {
				grams[g] = r.ID
			}
		}
	}
	if n < 300 {
		t.Fatalf("rated.jsonl has %d prompts; want the whole set", n)
	}
	for _, l := range eval.OwnerLines(set) {
		if id, ok := owner[dialog.Flatten(l)]; ok && dialog.Flatten(l) != "" {
			t.Errorf("eval owner line %q is a rated prompt (%s)", l, id)
			continue
		}
		for _, g := range Stretches(l) {
			if id, ok := grams[g]; ok {
				t.Errorf("eval owner line %q shares %q with the rated prompts (%s)", l, g, id)
				break
			}
		}
	}
}

// The check itself must catch what it is for.
func TestNgramsFindSharedStretches(t *testing.T) {
	a := Stretches("Well, today I went to the market and bought some fresh fish for you.")
	b := Stretches("I went to the market and bought some fresh fish!")
	shared := false
	for _, g := range a {
		for _, h := range b {
			shared = shared || g == h
		}
	}
	if !shared {
		t.Error("an 8-word stretch shared by two English lines was not found")
	}
	zh := Stretches("我今天去菜市场给你买了新鲜的小鱼干哦")
	if len(zh) == 0 || len(Stretches("我今天去菜市场")) != 0 {
		t.Errorf("Chinese n-grams: %q", zh)
	}
}
