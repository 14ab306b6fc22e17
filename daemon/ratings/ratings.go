// Package ratings keeps the owner's ratings of the cat's replies. An
// owner's rating is the real score of the cat's words (the eval only
// estimates it), so the daemon remembers the replies the owner may still
// rate, keeps every rating with the exchange it rates and the brain that
// answered, and reports the score per brain: how the words do in the
// home, and which rated exchanges a maker could learn from.
//
// A Book is not safe for concurrent use: the daemon's loop owns it.
package ratings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/purrd/purrd/dialog"
)

// Scale of a rating, as the eval's raters use it.
const (
	Broken     = 0 // the owner would say the reply is broken
	OK         = 1
	Delightful = 2
)

// Limits of a Book: ratings are rare and small, so a year of them fits.
const (
	// MaxRecent is how many of the cat's latest replies can be rated.
	MaxRecent = 64
	// MaxRatings is how many ratings are kept; the oldest go first.
	MaxRatings = 2000
	// MaxNote bounds the owner's note on a rating, in characters.
	MaxNote = 280
	// ScoreWindow is how many of the latest ratings the owner's score
	// (Book.Score) averages: recent enough to follow a change of model.
	ScoreWindow = 50
)

// ErrUnknownReply is returned by Rate for a reply id that is not one of
// the cat's last MaxRecent replies (or was never one).
var ErrUnknownReply = errors.New("ratings: unknown reply")

// Exchange is one owner line and the cat's whole reply to it.
type Exchange struct {
	ReplyID string    `json:"reply_id"`
	At      time.Time `json:"at"`
	Owner   string    `json:"owner"`
	Reply   string    `json:"reply"`
	Lang    string    `json:"lang,omitempty"`
	// Brain names what answered: "rules", "care", or the model as
	// "llama:<model file>[+<adapter file>]". A reply the fallback gave
	// when the model failed is the fallback's, with Fallback set.
	Brain    string `json:"brain"`
	Fallback bool   `json:"fallback,omitempty"`

	// What the brain was told besides the owner's line, so a rated
	// exchange can be read, and learnt from, as the model saw it: the
	// cat's name, its mood line, the facts it knew, and the last turns
	// before the owner's line (at most MaxBefore).
	Pet    string   `json:"pet,omitempty"`
	Mood   string   `json:"mood,omitempty"`
	Facts  []string `json:"facts,omitempty"`
	Before []Line   `json:"before,omitempty"`
}

// Line is one earlier turn of the conversation.
type Line struct {
	Role string `json:"role"` // "owner" or "pet"
	Text string `json:"text"`
}

// MaxBefore is how many earlier turns an exchange keeps.
const MaxBefore = 4

// Rating is the owner's score of one exchange.
type Rating struct {
	Exchange
	Score   int       `json:"score"`
	Note    string    `json:"note,omitempty"`
	RatedAt time.Time `json:"rated_at"`
	// Forgotten is set when the owner had the cat forget everything:
	// the exchange's words are gone, the score stays.
	Forgotten bool `json:"forgotten,omitempty"`
}

// Book is the recent replies and the kept ratings.
type Book struct {
	recent  []Exchange // oldest first, at most MaxRecent
	ratings []Rating   // oldest first, at most MaxRatings
}

// Said records a reply the owner may rate.
func (b *Book) Said(e Exchange) {
	if len(e.Before) > MaxBefore {
		e.Before = slices.Clone(e.Before[len(e.Before)-MaxBefore:])
	}
	if len(b.recent) == MaxRecent {
		b.recent = slices.Delete(b.recent, 0, 1)
	}
	b.recent = append(b.recent, e)
}

// Rate records the owner's score of a recent reply; rating a reply again
// replaces its earlier rating (the owner changed their mind, or a phone
// sent it twice). The score is 0, 1 or 2; the note is optional.
func (b *Book) Rate(replyID string, score int, note string, at time.Time) (Rating, error) {
	if score < Broken || score > Delightful {
		return Rating{}, fmt.Errorf("ratings: score %d: want 0 (broken), 1 (ok) or 2 (delightful)", score)
	}
	if err := CheckNote(note); err != nil {
		return Rating{}, err
	}
	i := slices.IndexFunc(b.recent, func(e Exchange) bool { return e.ReplyID == replyID })
	if i < 0 {
		return Rating{}, fmt.Errorf("%w %q: not one of the cat's last %d replies", ErrUnknownReply, replyID, MaxRecent)
	}
	r := Rating{Exchange: b.recent[i], Score: score, Note: note, RatedAt: at.UTC()}
	// Its own copies: what is done later to the recent reply (forgetting
	// a fact) must not reach into a rating, nor the other way round.
	r.Facts, r.Before = slices.Clone(r.Facts), slices.Clone(r.Before)
	// The same exchange, not only the same id: ids are unique per run
	// and only very likely so across restarts.
	if j := slices.IndexFunc(b.ratings, func(o Rating) bool { return o.ReplyID == replyID && o.At.Equal(r.At) }); j >= 0 {
		b.ratings = slices.Delete(b.ratings, j, j+1)
	}
	if len(b.ratings) == MaxRatings {
		b.ratings = slices.Delete(b.ratings, 0, 1)
	}
	b.ratings = append(b.ratings, r)
	return r, nil
}

// CheckNote refuses a note a person did not write: too long, or with
// control characters.
func CheckNote(note string) error {
	if n := utf8.RuneCountInString(note); n > MaxNote {
		return fmt.Errorf("ratings: note is %d characters; the limit is %d", n, MaxNote)
	}
	for _, r := range note {
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\n' {
			return fmt.Errorf("ratings: note contains %U, not text", r)
		}
	}
	return nil
}

// Forget drops the words of every recent reply and kept rating: the
// owner had the cat forget what it knows of them. Scores stay.
func (b *Book) Forget() {
	b.recent = nil
	for i := range b.ratings {
		r := &b.ratings[i]
		r.Owner, r.Reply, r.Note, r.Forgotten = "", "", "", true
		r.Facts, r.Before = nil, nil
	}
}

// ForgetFact drops one fact the owner had the cat forget from the recent
// replies and the kept ratings; it reports whether a rating held it.
func (b *Book) ForgetFact(text string) bool {
	drop := func(facts []string) []string {
		// A new slice: a rating and its recent reply must never share one.
		return slices.DeleteFunc(slices.Clone(facts), func(f string) bool { return f == text })
	}
	for i := range b.recent {
		b.recent[i].Facts = drop(b.recent[i].Facts)
	}
	changed := false
	for i := range b.ratings {
		n := len(b.ratings[i].Facts)
		b.ratings[i].Facts = drop(b.ratings[i].Facts)
		changed = changed || len(b.ratings[i].Facts) != n
	}
	return changed
}

// Broken returns the words of the replies the owner rated broken, newest
// first, at most n, each once: what the cat must not say again. The newest
// rating of the same words, compared as the reply guard compares them
// (dialog.Flatten), decides: an owner who later rated them ok has taken
// it back. Forgotten ratings have no words to give.
func (b *Book) Broken(n int) []string {
	var out []string
	seen := map[string]bool{}
	for i := len(b.ratings) - 1; i >= 0 && len(out) < n; i-- {
		r := b.ratings[i]
		k := dialog.Flatten(r.Reply)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		if r.Score == Broken {
			out = append(out, r.Reply)
		}
	}
	return out
}

// Ratings returns the kept ratings, oldest first.
func (b *Book) Ratings() []Rating { return slices.Clone(b.ratings) }

// Score is a mean rating over some ratings.
type Score struct {
	Brain string `json:"brain,omitempty"`
	// Mean is on the 0-2 scale, to two decimals; 0 when Count is 0.
	Mean  float64 `json:"mean"`
	Count int     `json:"count"`
	// Counts[s] is how many ratings gave score s.
	Counts [3]int     `json:"counts"`
	Since  *time.Time `json:"since,omitempty"` // when the first of them was rated
}

func scoreOf(rs []Rating) Score {
	var s Score
	sum := 0
	for _, r := range rs {
		s.Counts[r.Score]++
		sum += r.Score
	}
	s.Count = len(rs)
	if s.Count > 0 {
		// Two decimals: a score people read (state, phone, log), which a
		// third would only make look more exact than 50 ratings are.
		s.Mean = math.Round(float64(sum)/float64(s.Count)*100) / 100
		t := rs[0].RatedAt
		s.Since = &t
	}
	return s
}

// Score is the owner's score: the mean of the last ScoreWindow ratings,
// whichever brain answered.
func (b *Book) Score() Score {
	return scoreOf(b.ratings[max(0, len(b.ratings)-ScoreWindow):])
}

// ByBrain is the score of every brain that was rated, over all kept
// ratings, the brain rated last first: a new model's score beside the
// old one's. The fallback's replies on turns the model failed are
// scored apart, as "<brain> (fallback)".
func (b *Book) ByBrain() []Score {
	var order []string
	per := map[string][]Rating{}
	for i := len(b.ratings) - 1; i >= 0; i-- {
		r := b.ratings[i]
		key := r.Brain
		if r.Fallback {
			// The fallback's words when the model failed are not the
			// rules brain's everyday score.
			key += " (fallback)"
		}
		if _, ok := per[key]; !ok {
			order = append(order, key)
		}
		per[key] = append(per[key], r)
	}
	out := make([]Score, 0, len(order))
	for _, brain := range order {
		rs := per[brain]
		slices.Reverse(rs)
		s := scoreOf(rs)
		s.Brain = brain
		out = append(out, s)
	}
	return out
}

// fileVersion is the version of the ratings file's format.
const fileVersion = 1

type file struct {
	Version int      `json:"version"`
	Ratings []Rating `json:"ratings"`
}

// Marshal encodes the kept ratings for the state directory. The recent
// replies are not kept across restarts, as the conversation's recent
// turns are not.
func (b *Book) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(file{Version: fileVersion, Ratings: b.ratingsOrEmpty()}, "", " ")
	if err != nil {
		return nil, fmt.Errorf("ratings: encode: %w", err)
	}
	return data, nil
}

func (b *Book) ratingsOrEmpty() []Rating {
	if b.ratings == nil {
		return []Rating{}
	}
	return b.ratings
}

// Load decodes a ratings file. Every rating is checked; the error names
// the first that is wrong, and nothing of a wrong file is used.
func Load(data []byte) (*Book, error) {
	var f file
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("ratings: decode: %w", err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return nil, errors.New("ratings: trailing data after the ratings")
	}
	if f.Version != fileVersion {
		return nil, fmt.Errorf("ratings: unknown file version %d (want %d)", f.Version, fileVersion)
	}
	if len(f.Ratings) > MaxRatings {
		f.Ratings = f.Ratings[len(f.Ratings)-MaxRatings:]
	}
	for i, r := range f.Ratings {
		switch {
		case r.Score < Broken || r.Score > Delightful:
			return nil, fmt.Errorf("ratings: rating %d (reply %q): score %d is not 0, 1 or 2", i+1, r.ReplyID, r.Score)
		case r.ReplyID == "":
			return nil, fmt.Errorf("ratings: rating %d: no reply_id", i+1)
		case r.Brain == "":
			return nil, fmt.Errorf("ratings: rating %d (reply %q): no brain", i+1, r.ReplyID)
		case len(r.Before) > MaxBefore:
			return nil, fmt.Errorf("ratings: rating %d (reply %q): %d earlier turns; at most %d are kept", i+1, r.ReplyID, len(r.Before), MaxBefore)
		}
		for _, l := range r.Before {
			if l.Role != "owner" && l.Role != "pet" {
				return nil, fmt.Errorf("ratings: rating %d (reply %q): an earlier turn's role is %q, not owner or pet", i+1, r.ReplyID, l.Role)
			}
		}
		if err := CheckNote(r.Note); err != nil {
			return nil, fmt.Errorf("ratings: rating %d (reply %q): %w", i+1, r.ReplyID, err)
		}
	}
	return &Book{ratings: f.Ratings}, nil
}
