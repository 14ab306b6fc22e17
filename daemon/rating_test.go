package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/daemon/statedir"
	"github.com/purrd/purrd/dialog"
)

// chatFor sends a chat and returns its response's data.
func chatFor(t *testing.T, p *proc, ph *client, id, text string) map[string]any {
	t.Helper()
	ph.publish(p.base+"/cmd/chat", `{"id":"`+id+`","text":"`+text+`"}`)
	r := ph.await(p.base+"/response/chat", 15*time.Second, idIs(id))
	d, ok := r["data"].(map[string]any)
	if id, _ := d["reply_id"].(string); r["status"] != "ok" || !ok || id == "" {
		t.Fatalf("chat %s: %v", id, r)
	}
	return d
}

// rate sends cmd/rate and returns the whole response.
func rate(t *testing.T, p *proc, ph *client, id, payload string) map[string]any {
	t.Helper()
	ph.publish(p.base+"/cmd/rate", `{"id":"`+id+`",`+payload+`}`)
	return ph.await(p.base+"/response/rate", 10*time.Second, idIs(id))
}

func ownerScore(t *testing.T, v map[string]any) (mean float64, count int) {
	t.Helper()
	s, ok := v["owner_score"].(map[string]any)
	if !ok {
		t.Fatalf("no owner_score in %v", v)
	}
	return s["mean"].(float64), int(s["count"].(float64))
}

// The owner rates the cat's replies from the phone: each rating is kept
// with the exchange and the brain that answered, the owner's score is in
// the response, the state and the log, a rating of the same reply
// replaces the earlier one, and what cannot be rated is refused by name.
// The ratings survive a restart; the replies that may be rated do not.
func TestOwnerRatesReplies(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	first := chatFor(t, p, ph, "c1", "Hello kitty!")
	second := chatFor(t, p, ph, "c2", "Who is a good cat?")
	id1, id2 := first["reply_id"].(string), second["reply_id"].(string)

	r := rate(t, p, ph, "r1", `"reply_id":"`+id1+`","score":2,"note":"so sweet"`)
	d, _ := r["data"].(map[string]any)
	if r["status"] != "ok" || d["reply_id"] != id1 || d["score"] != 2.0 || d["brain"] != "rules" {
		t.Fatalf("rate: %v", r)
	}
	if mean, n := ownerScore(t, d); mean != 2 || n != 1 {
		t.Errorf("owner score %v over %d after one 2", mean, n)
	}
	rate(t, p, ph, "r2", `"reply_id":"`+id2+`","score":0`)
	r = rate(t, p, ph, "r3", `"reply_id":"`+id1+`","score":1`) // the owner changed their mind
	if mean, n := ownerScore(t, r["data"].(map[string]any)); mean != 0.5 || n != 2 {
		t.Errorf("owner score %v over %d after re-rating, want 0.5 over 2", mean, n)
	}

	for _, c := range []struct{ id, payload, code, want string }{
		{"bad1", `"reply_id":"reply-000000-1","score":1`, "not_found", `"reply-000000-1": not one of the cat's last 64 replies`},
		{"bad2", `"reply_id":"` + id1 + `","score":5`, "bad_field", `want 0 (broken), 1 (ok) or 2 (delightful)`},
		{"bad3", `"reply_id":"` + id1 + `","score":1,"note":"` + strings.Repeat("喵", 300) + `"`, "bad_field", "note is 300 characters; the limit is 280"},
	} {
		r := rate(t, p, ph, c.id, c.payload)
		if r["status"] != "error" || r["code"] != c.code || !strings.Contains(r["error"].(string), c.want) {
			t.Errorf("%s: %v, want %s naming %q", c.id, r, c.code, c.want)
		}
	}

	// The state after r2 also counts two ratings (2 and 0, mean 1): wait
	// for the one after r3.
	st := ph.await(p.base+"/state", 5*time.Second, func(v map[string]any) bool {
		s, ok := v["owner_score"].(map[string]any)
		return ok && s["count"] == 2.0 && s["mean"] == 0.5
	})
	if mean, _ := ownerScore(t, st); mean != 0.5 {
		t.Errorf("state owner_score mean %v, want 0.5", mean)
	}
	if !p.waitLog("owner rated a reply", 5*time.Second) || len(p.logLines("score=1 brain=rules")) == 0 {
		t.Errorf("no log line for the rating")
	}

	ph.publish(p.base+"/cmd/ratings", `{"id":"list"}`)
	r = ph.await(p.base+"/response/ratings", 10*time.Second, idIs("list"))
	var list ratingsResult
	b, _ := json.Marshal(r["data"])
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.ByBrain) != 1 || list.ByBrain[0].Brain != "rules" || list.ByBrain[0].Count != 2 || list.ByBrain[0].Counts != [3]int{1, 1, 0} {
		t.Errorf("by brain %+v", list.ByBrain)
	}
	if len(list.Last) != 2 || list.Last[0].ReplyID != id1 || list.Last[0].Owner != "Hello kitty!" || list.Last[0].Reply != first["text"] {
		t.Errorf("last ratings %+v, want the re-rated first reply first, with its words", list.Last)
	}

	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
	saved, err := os.ReadFile(filepath.Join(p.dir, "state", ratingsFile))
	if err != nil {
		t.Fatal(err)
	}

	// A new run from the saved file: the score is back; the replies of
	// the last run can no longer be rated.
	q := startProcSetup(t, "", func(dir string) {
		os.MkdirAll(filepath.Join(dir, "state"), 0o700)
		writeFile(t, filepath.Join(dir, "state", ratingsFile), string(saved))
	})
	q.waitNote("READY=1", 20*time.Second)
	qh := q.phone()
	st = qh.await(q.base+"/state", 10*time.Second, func(v map[string]any) bool { return v["owner_score"] != nil })
	if mean, n := ownerScore(t, st); mean != 0.5 || n != 2 {
		t.Errorf("after a restart: owner score %v over %d, want 0.5 over 2", mean, n)
	}
	if r := rate(t, q, qh, "old", `"reply_id":"`+id2+`","score":2`); r["code"] != "not_found" {
		t.Errorf("rating a reply of the last run: %v", r)
	}

	// Forgetting everything takes the words of rated replies; the score
	// stays, and a reply rated after it keeps nothing said before it.
	chatFor(t, q, qh, "q1", "My name is Ana")
	chatFor(t, q, qh, "q2", "I like rainy days")
	qh.publish(q.base+"/cmd/forget", `{"id":"all"}`)
	qh.await(q.base+"/response/forget", 10*time.Second, idIs("all"))
	after := chatFor(t, q, qh, "q3", "Are you awake?")
	if r := rate(t, q, qh, "r-after", `"reply_id":"`+after["reply_id"].(string)+`","score":1`); r["status"] != "ok" {
		t.Fatalf("rating after forget: %v", r)
	}
	qh.publish(q.base+"/cmd/ratings", `{"id":"after"}`)
	r = qh.await(q.base+"/response/ratings", 10*time.Second, idIs("after"))
	b, _ = json.Marshal(r["data"])
	list = ratingsResult{}
	json.Unmarshal(b, &list)
	if list.OwnerScore.Count != 3 || len(list.Last) != 3 || list.Last[1].Owner != "" || list.Last[1].Reply != "" || !list.Last[1].Forgotten {
		t.Errorf("after forget: %+v", list)
	}
	if fresh := list.Last[0]; fresh.Owner != "Are you awake?" || len(fresh.Facts) != 0 || len(fresh.Before) != 0 {
		t.Errorf("the reply rated after forget kept what was forgotten: %+v", fresh)
	}
	q.signal(syscall.SIGTERM)
	if code := q.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
	saved, _ = os.ReadFile(filepath.Join(q.dir, "state", ratingsFile))
	if strings.Contains(string(saved), "Hello kitty") || strings.Contains(string(saved), "Ana") || !strings.Contains(string(saved), `"forgotten": true`) {
		t.Errorf("ratings file after forget still has the owner's words:\n%s", saved)
	}
}

// A ratings file that cannot be read is moved aside and the cat starts
// with no ratings, saying so in the log.
func TestCorruptRatingsStartEmpty(t *testing.T) {
	p := startProcSetup(t, "", func(dir string) {
		os.MkdirAll(filepath.Join(dir, "state"), 0o700)
		writeFile(t, filepath.Join(dir, "state", ratingsFile), `{"version":1,"ratings":[{"reply_id":"a","brain":"rules","score":7}]}`)
	})
	p.waitNote("READY=1", 20*time.Second)
	if !p.waitLog("saved ratings unusable", 5*time.Second) || len(p.logLines("score 7 is not 0, 1 or 2")) == 0 {
		t.Fatalf("corrupt ratings not reported\n%s", p.stderr.String())
	}
	if m, _ := filepath.Glob(filepath.Join(p.dir, "state", ratingsFile+".corrupt-*")); len(m) != 1 {
		t.Errorf("corrupt ratings not moved aside: %v", m)
	}
	ph := p.phone()
	d := chatFor(t, p, ph, "c", "hi")
	if r := rate(t, p, ph, "r", `"reply_id":"`+d["reply_id"].(string)+`","score":2`); r["status"] != "ok" {
		t.Errorf("rating after a corrupt file: %v", r)
	}
}

// Rating stays off only while the owner's file is still where it was
// and unread: a file moved aside is safe, and a fresh one may be written.
func TestRatingsLeftInPlace(t *testing.T) {
	moved := &statedir.CorruptError{File: "r", MovedTo: "r.corrupt-1", Err: errors.New("bad")}
	stuck := &statedir.CorruptError{File: "r", MovedTo: "(nowhere: read-only file system)", Err: errors.New("bad"), MoveErr: errors.New("read-only file system")}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("statedir: read r: %w", fs.ErrNotExist), false},
		{moved, false},
		{stuck, true},
		{errors.New("statedir: bad name"), true},
	} {
		if got := ratingsLeftInPlace(c.err) != nil; got != c.want {
			t.Errorf("ratingsLeftInPlace(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// A reply the owner rated broken goes with every later request, for the
// brain not to say it again; one the owner took back (rated again ok) or
// had the cat forget does not.
func TestRatedBrokenRepliesAreUnwanted(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	d := &daemon{cfg: config.Default("test"), log: slog.New(slog.DiscardHandler), now: func() time.Time { return at },
		ids: mqtt.NewIDs(), volume: 1, ratings: &ratings.Book{}}
	if err := d.loadPersona(""); err != nil {
		t.Fatal(err)
	}
	d.mind, d.conv = d.newMind(d.persona), d.newConversation()
	say := func(id, owner, reply string) {
		req, _ := d.chatRequest(id, owner, "")
		d.rememberExchange(id, req, reply, "rules", false, at)
		d.conv.Add(dialog.Turn{Role: "pet", Text: reply, Time: at})
	}
	say("c1", "Hello!", "Mrrp! Hello!")
	say("c2", "Are you hungry?", "I am a toaster.")
	say("c3", "Play with me?", "Hmph. No.")
	for _, r := range []struct {
		id    string
		score int
	}{{"c1", ratings.Delightful}, {"c2", ratings.Broken}, {"c3", ratings.Broken}, {"c3", ratings.OK}} {
		if _, err := d.ratings.Rate(r.id, r.score, "", at); err != nil {
			t.Fatal(err)
		}
	}
	req, _ := d.chatRequest("c4", "Hi again", "")
	if !slices.Equal(req.Unwanted, []string{"I am a toaster."}) {
		t.Errorf("unwanted %q, want only the reply still rated broken", req.Unwanted)
	}
	if rem, ok := d.remarkRequest("r1", dialog.StimFeed); !ok || !slices.Equal(rem.Unwanted, req.Unwanted) {
		t.Errorf("a remark's request (made %v): unwanted %q, want %q", ok, rem.Unwanted, req.Unwanted)
	}
	d.ratings.Forget()
	if req, _ := d.chatRequest("c5", "Still there?", ""); len(req.Unwanted) != 0 {
		t.Errorf("after forget-everything: unwanted %q", req.Unwanted)
	}
}
