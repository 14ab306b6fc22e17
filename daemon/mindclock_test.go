package daemon

import (
	"log/slog"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog"
)

// The mind lives by the mind clock where one is set (purrd eval's turn
// clock), by the wall clock otherwise. A cat made on the wall clock and
// first stroked three months later has drained its energy by then; one
// made on a mind clock that stands still is stroked fresh, however far
// the wall clock has run since it was made.
func TestMindLivesByTheMindClock(t *testing.T) {
	made := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	strokedAt := made.AddDate(0, 3, 0)
	mood := func(mindClock func() time.Time) string {
		wall := made
		d := &daemon{cfg: config.Default("test"), log: slog.New(slog.DiscardHandler), now: func() time.Time { return wall }, mindClock: mindClock}
		if err := d.loadPersona(""); err != nil {
			t.Fatal(err)
		}
		m := d.newMind(d.persona)
		wall = strokedAt
		m.Feel(dialog.Stimulus{Kind: dialog.StimPet, Time: d.mindTime(d.now())})
		m.Tick(d.mindTime(d.now()))
		return m.MoodName()
	}
	fresh := mood(func() time.Time { return strokedAt })
	onTheWall := mood(nil)
	if fresh == onTheWall {
		t.Errorf("stroked three months after it was made on the wall clock the cat is %q, as on a mind clock that stood still; want the wall clock to have drained it", onTheWall)
	}
	if d := (&daemon{}); !d.mindTime(strokedAt).Equal(strokedAt) {
		t.Error("mindTime without a mind clock is not the wall time given")
	}
	t.Logf("fresh: %s; three months on the wall clock: %s", fresh, onTheWall)
}
