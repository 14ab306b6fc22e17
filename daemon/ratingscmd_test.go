package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog/eval"
	"github.com/purrd/purrd/training/dataset"
)

// runRatings runs `purrd ratings args…` and returns what it printed.
func runRatings(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	runErr := Main(context.Background(), Invocation{Args: append([]string{"ratings"}, args...), Stdout: out, Stderr: out})
	b, _ := os.ReadFile(out.Name())
	return string(b), runErr
}

// `purrd ratings` reads the ratings file: the score per brain, every
// rating as JSONL, and the delightful exchanges as training
// conversations that the dataset's loader takes; an exchange the loader
// refuses, or whose owner line is the eval's, is left out by name.
func TestRatingsCommand(t *testing.T) {
	set, err := eval.DefaultSet()
	if err != nil {
		t.Fatal(err)
	}
	evalLine := eval.OwnerLines(set)[0]
	var evalStretch string // an eval owner line's 8-word stretch, inside a line of its own
	for _, l := range eval.OwnerLines(set) {
		if g := dataset.Stretches(l); len(g) > 0 && !dataset.HasHan(g[0]) {
			evalStretch = g[0]
			break
		}
	}
	if evalStretch == "" {
		t.Fatal("no English eval line of 8 words or more")
	}
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var b ratings.Book
	for i, c := range []struct {
		owner, reply, lang, brain string
		score                     int
		before                    []ratings.Line
	}{
		{"I made {soup} | today", "Mrrp! Soup smells like dinner for two.", "en", "llama:m+a", 2,
			[]ratings.Line{{Role: "pet", Text: "Mrrp?"}, {Role: "owner", Text: "Hi Mochi"}, {Role: "pet", Text: "Hello!"}}},
		{"今天好冷啊", "冷就抱着我，我是小暖炉。", "zh", "llama:m+a", 2, nil},
		{"How are you?", "Fine.", "en", "llama:m+a", 1, nil},
		{evalLine, "Purr.", "en", "llama:m+a", 2, nil},
		{"Well, " + evalStretch + " indeed", "Mrrp.", "en", "llama:m+a", 2, nil},
		{"Tell me", strings.Repeat("meow ", 25), "en", "rules", 2, nil},
		{"Bonjour", "Miaou.", "fr", "rules", 0, nil},
	} {
		id := "reply-t-" + string(rune('a'+i))
		b.Said(ratings.Exchange{ReplyID: id, At: t0, Owner: c.owner, Reply: c.reply, Lang: c.lang, Brain: c.brain,
			Pet: "Mochi", Mood: "happy, a bit sleepy", Facts: []string{"owner's name is Ana"}, Before: c.before})
		if _, err := b.Rate(id, c.score, "", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "ratings.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	jsonl, convs := filepath.Join(dir, "rated.jsonl"), filepath.Join(dir, "convs")
	out, err := runRatings(t, "-file", file, "-export", jsonl, "-conv", convs)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"owner's score: 1.57 / 2 over the last 7 ratings (broken 1, ok 1, delightful 5)",
		"  1.80     5 ratings (0/1/4)  since 2026-11-30  llama:m+a",
		"  1.00     2 ratings (1/0/1)  since 2026-11-30  rules",
		"left out reply-t-d: the owner line " + fmt.Sprintf("%q", evalLine) + " is the eval's",
		"is a stretch of the eval owner line", "left out reply-t-e: ",
		"left out reply-t-f: dataset:", // a reply over 20 words
		"2 rated exchanges written as training conversations, 3 left out",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	f, err := os.Open(jsonl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var r ratings.Rating
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ReplyID == "" {
			t.Errorf("JSONL line %d: %v %+v", n+1, err, r)
		}
	}
	if n != 7 {
		t.Errorf("%d JSONL lines, want 7", n)
	}
	loaded, err := dataset.Load(convs)
	if err != nil {
		t.Fatalf("the written conversations do not load: %v", err)
	}
	if len(loaded) != 2 {
		t.Fatalf("%d conversations, want 2: %+v", len(loaded), loaded)
	}
	en := loaded[0]
	// The earlier turns from the first owner line on, then the exchange.
	if len(en.Turns) != 4 || en.Turns[0].Text != "Hi Mochi" || en.Turns[2].Text != "I made {soup} | today" || en.PetName != "Mochi" || en.Mood != "happy, a bit sleepy" {
		t.Errorf("English conversation %+v", en)
	}
	if loaded[1].Lang != "zh" || loaded[1].Turns[1].Text != "冷就抱着我，我是小暖炉。" {
		t.Errorf("Chinese conversation %+v", loaded[1])
	}

	// A wrong file is named, not a crash; no file is not an error.
	os.WriteFile(file, []byte(`{"version":1,"ratings":[{"reply_id":"x","brain":"b","score":9}]}`), 0o600)
	if out, err := runRatings(t, "-file", file); err == nil || !strings.Contains(err.Error(), "ratings.json: ratings: rating 1") {
		t.Errorf("bad file: %v\n%s", err, out)
	}
	if out, err := runRatings(t, "-file", filepath.Join(dir, "none.json")); err != nil || !strings.Contains(out, "no ratings yet") {
		t.Errorf("no file: %v\n%s", err, out)
	}
	if _, err := runRatings(t, "-min", "3"); err == nil || !strings.Contains(err.Error(), "-min 3") {
		t.Errorf("-min 3: %v", err)
	}
}
