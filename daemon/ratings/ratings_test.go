package ratings

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

func said(b *Book, n int, brain string) {
	for i := 0; i < n; i++ {
		b.Said(Exchange{ReplyID: fmt.Sprintf("reply-%s-%d", brain, i), At: t0.Add(time.Duration(i) * time.Minute),
			Owner: fmt.Sprintf("line %d", i), Reply: "Mrrp.", Lang: "en", Brain: brain})
	}
}

func TestRateKeepsTheExchangeAndReplacesARerating(t *testing.T) {
	var b Book
	said(&b, 3, "llama:cat")
	r, err := b.Rate("reply-llama:cat-1", Delightful, "made me laugh", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Owner != "line 1" || r.Reply != "Mrrp." || r.Brain != "llama:cat" || r.Score != 2 || r.Note != "made me laugh" {
		t.Errorf("rating %+v", r)
	}
	if _, err := b.Rate("reply-llama:cat-1", Broken, "", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := b.Ratings()
	if len(got) != 1 || got[0].Score != Broken || got[0].Note != "" {
		t.Errorf("after rating the same reply again: %+v, want the one later rating", got)
	}
	if s := b.Score(); s.Count != 1 || s.Mean != 0 || s.Counts != [3]int{1, 0, 0} {
		t.Errorf("score %+v", s)
	}
}

func TestRateRefusesWhatCannotBeRated(t *testing.T) {
	var b Book
	said(&b, MaxRecent+1, "rules")
	for _, c := range []struct {
		id    string
		score int
		note  string
		want  string
	}{
		{"reply-rules-0", 1, "", "not one of the cat's last 64 replies"}, // pushed out by the 65th
		{"nope", 1, "", "unknown reply \"nope\""},
		{"reply-rules-5", 3, "", "score 3: want 0 (broken), 1 (ok) or 2 (delightful)"},
		{"reply-rules-5", -1, "", "score -1"},
		{"reply-rules-5", 1, strings.Repeat("x", MaxNote+1), "note is 281 characters; the limit is 280"},
		{"reply-rules-5", 1, "bad\x00note", "note contains U+0000"},
	} {
		_, err := b.Rate(c.id, c.score, c.note, t0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Rate(%q, %d, %q) = %v, want an error containing %q", c.id, c.score, c.note, err, c.want)
		}
	}
	if _, err := b.Rate("nope", 1, "", t0); !errors.Is(err, ErrUnknownReply) {
		t.Errorf("unknown reply: %v is not ErrUnknownReply", err)
	}
	if n := len(b.Ratings()); n != 0 {
		t.Errorf("%d ratings kept from refused calls", n)
	}
}

func TestScoreIsTheLastWindowAndByBrainSplits(t *testing.T) {
	var b Book
	said(&b, 40, "llama:old")
	for i := 0; i < 40; i++ {
		if _, err := b.Rate(fmt.Sprintf("reply-llama:old-%d", i), Broken, "", t0); err != nil {
			t.Fatal(err)
		}
	}
	said(&b, 30, "llama:new")
	for i := 0; i < 30; i++ {
		if _, err := b.Rate(fmt.Sprintf("reply-llama:new-%d", i), Delightful-i%2, "", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	s := b.Score()
	// The last 50: 20 of the old brain's zeros, then 15 twos and 15 ones.
	if s.Count != ScoreWindow || s.Counts != [3]int{20, 15, 15} || s.Mean != 0.9 {
		t.Errorf("score %+v, want the last %d ratings: 20/15/15, mean 0.9", s, ScoreWindow)
	}
	by := b.ByBrain()
	if len(by) != 2 || by[0].Brain != "llama:new" || by[0].Count != 30 || by[0].Mean != 1.5 || by[1].Brain != "llama:old" || by[1].Mean != 0 || by[1].Count != 40 {
		t.Errorf("by brain %+v", by)
	}
	if !by[0].Since.Equal(t0.Add(time.Hour)) {
		t.Errorf("new brain rated since %v", by[0].Since)
	}
}

func TestFallbackIsScoredApart(t *testing.T) {
	var b Book
	b.Said(Exchange{ReplyID: "a", Brain: "rules"})
	b.Said(Exchange{ReplyID: "b", Brain: "rules", Fallback: true})
	b.Rate("a", Delightful, "", t0)
	b.Rate("b", Broken, "", t0)
	by := b.ByBrain()
	if len(by) != 2 || by[0].Brain != "rules (fallback)" || by[0].Mean != 0 || by[1].Brain != "rules" || by[1].Mean != 2 {
		t.Errorf("by brain %+v", by)
	}
}

func TestSaidKeepsTheLastTurnsBefore(t *testing.T) {
	var b Book
	var before []Line
	for i := 0; i < 7; i++ {
		before = append(before, Line{Role: []string{"owner", "pet"}[i%2], Text: fmt.Sprint(i)})
	}
	b.Said(Exchange{ReplyID: "a", Brain: "rules", Before: before, Facts: []string{"owner's name is Ana"}})
	r, err := b.Rate("a", OK, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Before) != MaxBefore || r.Before[0].Text != "3" || r.Before[3].Text != "6" {
		t.Errorf("before %+v, want the last %d turns", r.Before, MaxBefore)
	}
	b.Forget()
	if r := b.Ratings()[0]; r.Facts != nil || r.Before != nil {
		t.Errorf("forget kept the owner's facts or turns: %+v", r)
	}
}

func TestForgetFactDropsOneFact(t *testing.T) {
	var b Book
	b.Said(Exchange{ReplyID: "a", Brain: "rules", Facts: []string{"owner's name is Ana", "I like tea"}})
	b.Said(Exchange{ReplyID: "b", Brain: "rules", Facts: []string{"I like tea"}})
	b.Rate("a", OK, "", t0)
	if !b.ForgetFact("I like tea") {
		t.Error("ForgetFact reported no rating held it")
	}
	if f := b.Ratings()[0].Facts; len(f) != 1 || f[0] != "owner's name is Ana" {
		t.Errorf("rating's facts %q", f)
	}
	r, _ := b.Rate("b", OK, "", t0)
	if len(r.Facts) != 0 {
		t.Errorf("a recent reply kept the forgotten fact: %q", r.Facts)
	}
	if b.ForgetFact("not there") {
		t.Error("ForgetFact of an unknown fact reported a change")
	}
}

func TestRatingsAreBoundedOldestFirst(t *testing.T) {
	var b Book
	for i := 0; i < MaxRatings+5; i++ {
		id := fmt.Sprintf("r%d", i)
		b.Said(Exchange{ReplyID: id, At: t0, Brain: "rules"})
		if _, err := b.Rate(id, OK, "", t0); err != nil {
			t.Fatal(err)
		}
	}
	rs := b.Ratings()
	if len(rs) != MaxRatings || rs[0].ReplyID != "r5" {
		t.Errorf("%d ratings, first %q; want %d from r5", len(rs), rs[0].ReplyID, MaxRatings)
	}
}

func TestForgetDropsTheWordsKeepsTheScore(t *testing.T) {
	var b Book
	said(&b, 2, "rules")
	if _, err := b.Rate("reply-rules-0", Delightful, "sweet", t0); err != nil {
		t.Fatal(err)
	}
	b.Forget()
	r := b.Ratings()[0]
	if r.Owner != "" || r.Reply != "" || r.Note != "" || !r.Forgotten || r.Score != Delightful {
		t.Errorf("after forget: %+v", r)
	}
	if _, err := b.Rate("reply-rules-1", OK, "", t0); !errors.Is(err, ErrUnknownReply) {
		t.Errorf("a reply said before forget can still be rated: %v", err)
	}
}

func TestMarshalLoadRoundTrip(t *testing.T) {
	var b Book
	said(&b, 3, "llama:cat")
	for i, s := range []int{2, 0, 1} {
		if _, err := b.Rate(fmt.Sprintf("reply-llama:cat-%d", i), s, "", t0); err != nil {
			t.Fatal(err)
		}
	}
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmt.Sprint(got.Ratings()), fmt.Sprint(b.Ratings()); g != w {
		t.Errorf("round trip:\n got %s\nwant %s", g, w)
	}
	if _, err := got.Rate("reply-llama:cat-0", 1, "", t0); !errors.Is(err, ErrUnknownReply) {
		t.Errorf("recent replies came back from the file: %v", err)
	}
	empty, err := (&Book{}).Marshal()
	if err != nil || !strings.Contains(string(empty), `"ratings": []`) {
		t.Errorf("empty book file %s, %v", empty, err)
	}
}

func TestLoadNamesWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{`{"version":2,"ratings":[]}`, "unknown file version 2"},
		{`{"version":1,"ratings":[{"reply_id":"a","brain":"rules","score":5}]}`, "rating 1 (reply \"a\"): score 5"},
		{`{"version":1,"ratings":[{"brain":"rules","score":1}]}`, "rating 1: no reply_id"},
		{`{"version":1,"ratings":[{"reply_id":"a","score":1}]}`, "no brain"},
		{`{"version":1,"ratings":[{"reply_id":"a","brain":"rules","score":1,"note":"\u0007"}]}`, "note contains U+0007"},
		{`{"version":1,"ratings":[],"extra":1}`, "unknown field \"extra\""},
		{`{"version":1,"ratings":[{"reply_id":"a","brain":"rules","score":1,"before":[{"role":"system","text":"x"}]}]}`, "role is \"system\""},
		{`{"version":1,"ratings":[]} {}`, "trailing data"},
		{`{"version":1,"ratings":[]}]`, "trailing data"},
		{`not json`, "ratings: decode"},
	} {
		if _, err := Load([]byte(c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s) = %v, want an error containing %q", c.file, err, c.want)
		}
	}
}

// FuzzLoad: no file crashes Load, and what it accepts it writes back as
// a file that loads to the same ratings.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version":1,"ratings":[{"reply_id":"reply-a-1","at":"2026-11-30T08:00:00Z","owner":"hi","reply":"Mrrp.","brain":"rules","score":2,"rated_at":"2026-11-30T08:01:00Z"}]}`))
	f.Add([]byte(`{"version":1,"ratings":[]}`))
	f.Add([]byte(`{"version":1,"ratings":[{"reply_id":"x","brain":"b","score":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Load(data)
		if err != nil {
			return
		}
		again, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b2, err := Load(again)
		if err != nil {
			t.Fatalf("a loaded book does not load again: %v\n%s", err, again)
		}
		if g, w := fmt.Sprint(b2.Ratings()), fmt.Sprint(b.Ratings()); g != w {
			t.Fatalf("not the same after a round trip:\n%s\n%s", g, w)
		}
		_ = b.Score()
		_ = b.ByBrain()
	})
}

// Broken gives the words rated broken, newest first, each once, at most
// n; a later rating of the same words decides, and forgotten ones are gone.
func TestBrokenIsWhatTheOwnerRatedBroken(t *testing.T) {
	var b Book
	for i, reply := range []string{"I am a toaster.", "Mrrp!", "Woof.", "I am a toaster.", "Meow?", "Hiss."} {
		b.Said(Exchange{ReplyID: fmt.Sprintf("r%d", i), At: t0, Owner: "hi", Reply: reply, Brain: "rules"})
	}
	for _, r := range []struct {
		id    string
		score int
	}{{"r0", Broken}, {"r1", OK}, {"r2", Broken}, {"r3", Broken}, {"r4", Broken}, {"r4", OK}, {"r5", Broken}} {
		if _, err := b.Rate(r.id, r.score, "", t0); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := b.Broken(10), []string{"Hiss.", "I am a toaster.", "Woof."}; !slices.Equal(got, want) {
		t.Errorf("Broken(10) = %q, want %q", got, want)
	}
	if got := b.Broken(2); !slices.Equal(got, []string{"Hiss.", "I am a toaster."}) {
		t.Errorf("Broken(2) = %q", got)
	}
	// The same words, punctuated otherwise, rated ok later: taken back.
	b.Said(Exchange{ReplyID: "r6", At: t0, Owner: "hi", Reply: "hiss!", Brain: "llama:cat"})
	if _, err := b.Rate("r6", OK, "", t0); err != nil {
		t.Fatal(err)
	}
	if got := b.Broken(10); !slices.Equal(got, []string{"I am a toaster.", "Woof."}) {
		t.Errorf("after rating %q ok: Broken(10) = %q", "hiss!", got)
	}
	b.Forget()
	if got := b.Broken(10); len(got) != 0 {
		t.Errorf("after Forget: %q", got)
	}
}
