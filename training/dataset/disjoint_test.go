package dataset

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	overlap := evalOverlap(t)
	forEachTrainingConversation(t, func(dir string, c Conversation) {
		for _, why := range overlap.Reasons(c) {
			t.Errorf("%s: %s: %s", dir, c.ID, why)
		}
	})
}

// forEachTrainingConversation calls fn with every conversation a
// committed adapter may have learnt from: the training set and every
// round of preference pairs (training/pairs*/{chosen,rejected}), each
// with its folder.
func forEachTrainingConversation(t *testing.T, fn func(dir string, c Conversation)) {
	t.Helper()
	sources, err := Sources("..")
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) < 2 {
		t.Fatalf("%d training folders (%v); want training/data and the committed pairs", len(sources), sources)
	}
	for _, src := range sources {
		for _, dir := range []string{src.Chosen, src.Rejected} {
			if dir == "" {
				continue
			}
			convs, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(convs) == 0 {
				t.Fatalf("%s: no conversations", dir)
			}
			for _, c := range convs {
				fn(dir, c)
			}
		}
	}
}

// heldBeforeTheCheck lists the rated prompts that hold an eval owner
// line said another way ("Luna, do you remember my name?"), committed
// before Owner looked for that. They stay as the record of what was
// rated; the pairs made from them were left out of training/pairs-both,
// and `purrd ratings -conv` refuses them. Nothing may join the list.
var heldBeforeTheCheck = map[string]string{ // where -> the eval line it holds
	"../rated/rated-fourteenth.jsonl prompts-en.jsonl:82": "Do you remember my name?",
	"../rated/rated.jsonl prompts-en.jsonl:94":            "Do you remember my name?",
}

// knownOverlaps forgives heldBeforeTheCheck's entries the name-stripped
// match only, and fails when an entry no longer matches (a stale list
// would forgive what comes next).
type knownOverlaps map[string]bool

func newKnownOverlaps() knownOverlaps {
	k := knownOverlaps{}
	for id := range heldBeforeTheCheck {
		k[id] = false
	}
	return k
}

func (k knownOverlaps) forgive(id, why string) bool {
	// Only the name-stripped match of the very eval line listed.
	if _, ok := k[id]; !ok || !strings.HasPrefix(why, "the owner line holds the eval's ") ||
		!strings.HasSuffix(why, fmt.Sprintf("(%q)", heldBeforeTheCheck[id])) {
		return false
	}
	k[id] = true
	return true
}

func (k knownOverlaps) check(t *testing.T) {
	t.Helper()
	for id, seen := range k {
		if !seen {
			t.Errorf("%s is listed in heldBeforeTheCheck but holds no eval owner line now: take it off the list", id)
		}
	}
}

// The rated replies (training/rated/*.jsonl: fresh prompts, a model's
// replies and raters' scores, and for some a writer's reply, kept for
// later runs) are training material too: no eval owner line, and no long stretch of one, in them.
func TestRatedRepliesAreDisjointFromTheEval(t *testing.T) {
	overlap := evalOverlap(t)
	files, err := filepath.Glob("../rated/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("%d rated files (%q); want every round's", len(files), files)
	}
	known := newKnownOverlaps()
	for _, f := range files {
		checkRatedFile(t, overlap, known, f)
	}
	known.check(t)
}

func checkRatedFile(t *testing.T, overlap *EvalOverlap, known knownOverlaps, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) < 300 {
		t.Fatalf("%s has %d prompts; want the whole set", path, len(lines))
	}
	for i, line := range lines {
		var r struct {
			ID      string
			Owner   string
			Facts   []string
			Before  []struct{ Role, Text string }
			Replies []struct{ Text string }
			Written string // a writer's reply, the chosen side of written pairs
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		c := Conversation{ID: r.ID, Facts: r.Facts}
		for _, b := range r.Before {
			c.Turns = append(c.Turns, dialog.Turn{Role: b.Role, Text: b.Text})
		}
		c.Turns = append(c.Turns, dialog.Turn{Role: "owner", Text: r.Owner})
		for _, rep := range r.Replies {
			c.Turns = append(c.Turns, dialog.Turn{Role: "pet", Text: rep.Text})
		}
		if r.Written != "" {
			c.Turns = append(c.Turns, dialog.Turn{Role: "pet", Text: r.Written})
		}
		for _, why := range overlap.Reasons(c) {
			if !known.forgive(path+" "+r.ID, why) {
				t.Errorf("%s: rated prompt %s: %s", path, r.ID, why)
			}
		}
	}
}

// evalOverlap indexes the eval set's owner lines, enough of them for the
// checks to prove something.
func evalOverlap(t *testing.T) *EvalOverlap {
	t.Helper()
	return NewEvalOverlap(evalLines(t))
}

// evalLines are the owner lines of the eval set, v1.
func evalLines(t *testing.T) []string {
	t.Helper()
	set, err := eval.DefaultSet()
	if err != nil {
		t.Fatal(err)
	}
	lines := eval.OwnerLines(set)
	if len(lines) < 250 {
		t.Fatalf("the eval set has %d owner lines; the check would prove little", len(lines))
	}
	return lines
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
	o := NewEvalOverlap([]string{"I went to the market and bought some fresh fish!", "晚安，做个好梦。",
		"Do you remember my name, Mochi?", "麻糬，一加一等于几？", "Are you hungry, Mochi?", "Mochi, sit."})
	for _, c := range []struct {
		owner bool
		text  string
		want  string
	}{
		{true, "晚安，做个好梦！", "is the eval's"},
		{false, "Well, today I went to the market and bought some fresh fish for you.", "is a stretch of the eval owner line"},
		{true, "Good night, sleep well.", ""},
		{false, "晚安，做个好梦。", ""}, // a reply may say a short line the eval's owner says
		// The eval's line said to another name, or inside a longer line.
		{true, "Biscuit, do you remember my name?", "holds the eval's \"do you remember my name\""},
		{true, "So tell me, do you remember my name or not?", "holds the eval's"},
		{true, "布丁，考考你，一加一等于几？", "holds the eval's \"一 加 一 等 于 几\""},
		// Too short to be anyone's line but everyday talk, or a part of a word.
		{true, "Are you hungry, Biscuit?", ""},
		{true, "Biscuit, sit.", ""},
		{true, "Do you remember my namesake?", ""},
	} {
		why := o.Text(c.text)
		if c.owner {
			why = o.Owner(c.text)
		}
		if c.want == "" && why != "" || c.want != "" && !strings.Contains(why, c.want) {
			t.Errorf("overlap of %q (owner %v) = %q, want %q", c.text, c.owner, why, c.want)
		}
	}
}
