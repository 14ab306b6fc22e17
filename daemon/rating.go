package daemon

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/daemon/statedir"
	"github.com/purrd/purrd/dialog"
)

// ratingsFile keeps the owner's ratings of the cat's replies beside
// state.json: written when the owner rates, which is rare, so a busy
// cat does not wear the SD card with it.
const ratingsFile = "ratings.json"

// rateResult is the data of the response to cmd/rate.
type rateResult struct {
	ReplyID string `json:"reply_id"`
	Score   int    `json:"score"`
	Brain   string `json:"brain"`
	// OwnerScore is the owner's score after this rating: the mean of
	// the last ratings.ScoreWindow.
	OwnerScore ratings.Score `json:"owner_score"`
}

// ratingsResult is the data of the response to cmd/ratings.
type ratingsResult struct {
	OwnerScore ratings.Score    `json:"owner_score"`
	ByBrain    []ratings.Score  `json:"by_brain"`
	Last       []ratings.Rating `json:"last"` // the latest ratings, newest first
}

// lastRatings is how many ratings cmd/ratings lists.
const lastRatings = 10

// maxUnwanted is how many replies rated broken a new reply is kept from
// saying: months of an owner's ratings, and still a small map per reply.
const maxUnwanted = 200

// unwanted is what the owner rated broken, for the brain not to say again
// (dialog.Request.Unwanted): the owner's rating acts at once, before any
// maker retrains a model on it.
func (d *daemon) unwanted() []string { return d.ratings.Broken(maxUnwanted) }

// remember keeps a finished chat reply where cmd/rate can find it.
func (d *daemon) remember(job *replyJob, text string) {
	brain := job.brain
	if brain == "llama" && d.model != nil {
		// The model file and its adapter: a rating is of the words a
		// model made, and a new adapter gets its own score.
		brain += ":" + d.model.Status().Model
	}
	d.rememberExchange(job.id, job.req, text, brain, job.fallback != "", job.started)
}

// rememberExchange keeps one reply to req. What the owner had the cat
// forget after the request was made (forget.go) is not kept with it.
func (d *daemon) rememberExchange(id string, req dialog.Request, text, brain string, fallback bool, asked time.Time) {
	e := ratings.Exchange{ReplyID: id, At: d.now().UTC(), Owner: req.Text, Reply: text,
		Lang: req.Lang, Brain: brain, Fallback: fallback, Pet: req.PetName, Mood: req.Mood}
	if asked.After(d.forgotAt) {
		e.Facts = slices.Clone(req.Facts)
	}
	for _, t := range req.History {
		if t.Time.After(d.forgotAt) {
			e.Before = append(e.Before, ratings.Line{Role: t.Role, Text: t.Text})
		}
	}
	d.ratings.Said(e)
}

// onRate handles cmd/rate: the owner's score of one of the cat's recent
// replies, kept on disk and logged with the brain that answered.
func (d *daemon) onRate(c mqtt.Command) {
	if d.ratingsUnreadable != nil {
		// Saving now would replace the ratings on disk with this one.
		d.link.Respond(c, nil, fmt.Errorf("the saved ratings could not be read (%v); fix or move %s and restart purrd", d.ratingsUnreadable, ratingsFile))
		return
	}
	r, err := d.ratings.Rate(c.ReplyID, c.Score, c.Note, d.now())
	if err != nil {
		kind := mqtt.ErrBadField
		if errors.Is(err, ratings.ErrUnknownReply) {
			kind = mqtt.ErrNotFound
		}
		d.link.Respond(c, nil, &mqtt.CommandError{Topic: "cmd/" + c.Verb, Verb: c.Verb, ID: c.ID, Kind: kind, Msg: err.Error()})
		return
	}
	d.saveRatings()
	s := d.ratings.Score()
	d.log.Info("owner rated a reply", "component", "dialog", "event", "rating", "id", c.ID, "reply_id", r.ReplyID,
		"score", r.Score, "brain", r.Brain, "fallback", r.Fallback, "owner_score", s.Mean, "rated", s.Count)
	d.link.Respond(c, rateResult{ReplyID: r.ReplyID, Score: r.Score, Brain: r.Brain, OwnerScore: s}, nil)
	d.stateDirty = true
}

// onRatings handles cmd/ratings: the owner's score, per brain too.
func (d *daemon) onRatings(c mqtt.Command) {
	all := d.ratings.Ratings()
	last := make([]ratings.Rating, 0, lastRatings)
	for i := len(all) - 1; i >= 0 && len(last) < lastRatings; i-- {
		last = append(last, all[i])
	}
	d.link.Respond(c, ratingsResult{OwnerScore: d.ratings.Score(), ByBrain: d.ratings.ByBrain(), Last: last}, nil)
}

// ownerScore is the state document's owner_score: nil until the owner
// has rated a reply.
func (d *daemon) ownerScore() *ratings.Score {
	s := d.ratings.Score()
	if s.Count == 0 {
		return nil
	}
	return &s
}

// saveRatings hands the ratings to the saver goroutine.
func (d *daemon) saveRatings() {
	if d.ratingsUnreadable != nil {
		return // the file on disk is the owner's; it was not read, so it is not replaced
	}
	data, err := d.ratings.Marshal()
	if err != nil {
		d.log.Error("saving ratings", "component", "state", "err", err)
		return
	}
	d.ratingsChanged = true
	sendLatest(d.ratingSaves, data)
}

// saveRatingsNow writes the ratings at shutdown, after the saver stopped,
// if they changed in this run.
func (d *daemon) saveRatingsNow() {
	if !d.ratingsChanged || d.ratingsUnreadable != nil {
		return
	}
	data, err := d.ratings.Marshal()
	if err == nil {
		err = d.state.Write(ratingsFile, data)
	}
	if err != nil {
		d.log.Error("saving ratings", "component", "state", "err", err)
	}
}

// loadRatings restores the owner's ratings. A file that cannot be read
// is moved aside (statedir keeps it for a person to look at) and the
// ratings start empty: the cat still starts.
func (d *daemon) loadRatings() {
	d.ratings = &ratings.Book{}
	var loaded *ratings.Book
	_, err := d.state.Read(ratingsFile, func(b []byte) error {
		var err error
		loaded, err = ratings.Load(b)
		return err
	})
	var corrupt *statedir.CorruptError
	d.ratingsUnreadable = ratingsLeftInPlace(err)
	switch {
	case err == nil:
		d.ratings = loaded
		s := loaded.Score()
		d.log.Info("owner ratings restored", "component", "state", "ratings", len(loaded.Ratings()), "owner_score", s.Mean)
	case errors.Is(err, fs.ErrNotExist):
	case d.ratingsUnreadable != nil:
		d.log.Error("reading saved ratings; rating is off until purrd can read them", "component", "state", "err", d.ratingsUnreadable)
	case errors.As(err, &corrupt):
		d.log.Error("saved ratings unusable, starting with none", "component", "state", "event", "state_corrupt",
			"file", corrupt.File, "moved_to", corrupt.MovedTo, "err", corrupt.Err)
	}
}

// ratingsLeftInPlace is why the owner's ratings file could not be used
// while it is still where a save would replace it (statedir could not
// move it aside, or the read failed otherwise), nil when starting with
// no ratings loses nothing: read, missing, or moved aside.
func ratingsLeftInPlace(err error) error {
	var corrupt *statedir.CorruptError
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.As(err, &corrupt):
		if corrupt.MoveErr != nil {
			return fmt.Errorf("%s: %w (and it could not be moved aside: %v)", corrupt.File, corrupt.Err, corrupt.MoveErr)
		}
		return nil
	}
	return fmt.Errorf("%s: %w", ratingsFile, err)
}
