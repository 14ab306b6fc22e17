package daemon

import (
	"log/slog"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/daemon/sd"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/dialog/rules"
	"github.com/purrd/purrd/hal"
)

// mindClockDaemon is a daemon with the default persona and its mind, on
// the wall clock *wall and the mind clock given (nil for none), able to
// feel and tick: a body to show reactions, a link never connected to
// publish the mind's events, a bare board and the rules brain for its
// status line.
func mindClockDaemon(t *testing.T, wall *time.Time, mindClock func() time.Time) *daemon {
	t.Helper()
	o, err := linkOptions(config.Default("cat"), "v1", true, phoneLogin{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	link, err := mqtt.New(o)
	if err != nil {
		t.Fatal(err)
	}
	d := &daemon{cfg: config.Default("cat"), log: slog.New(slog.DiscardHandler), now: func() time.Time { return *wall }, mindClock: mindClock,
		body: &body{box: make(chan bodyCommand, 1)}, link: link, notify: sd.NewNotifier(), board: &hal.Board{Kind: "sim"}, ids: mqtt.NewIDs()}
	if err := d.loadPersona(""); err != nil {
		t.Fatal(err)
	}
	d.mind = d.newMind(d.persona)
	d.rules = rules.New(d.persona, 1, d.log)
	return d
}

// The mind lives by the mind clock where one is set (purrd eval's turn
// clock), by the wall clock otherwise, through every way a time reaches
// it: when it is made, a stimulus that carries the wall time it happened
// (a hardware event), and the loop's tick. A cat made on the wall clock
// and stroked three months later has drained its energy by then; one made
// on a mind clock that stands still is stroked fresh, however far the
// wall clock has run since.
func TestMindLivesByTheMindClock(t *testing.T) {
	loc := persona.Default().Location()
	made := time.Date(2026, 1, 5, 12, 0, 0, 0, loc) // noon: no night's sleepiness
	later := made.AddDate(0, 3, 0)
	mood := func(strokedAt time.Time, mindClock func() time.Time) string {
		wall := made
		d := mindClockDaemon(t, &wall, mindClock)
		wall = strokedAt
		d.feel(dialog.Stimulus{Kind: dialog.StimPet, Time: wall})
		d.onTick(wall)
		return d.mind.MoodName()
	}
	atOnce := mood(made, nil)
	fresh := mood(later, func() time.Time { return made })
	onTheWall := mood(later, nil)
	if fresh != atOnce || onTheWall == atOnce {
		t.Errorf("stroked at once: %q; three months later on a mind clock that stood still: %q (want the same); on the wall clock: %q (want another)", atOnce, fresh, onTheWall)
	}
	if d := (&daemon{}); !d.mindTime(later).Equal(later) {
		t.Error("mindTime without a mind clock is not the wall time given")
	}
	t.Logf("stroked at once: %s; three months on the wall clock: %s", atOnce, onTheWall)
}

// An eval's cats are made at a time that is day where the persona keeps
// its night hours, whatever the machine's time zone: night makes a cat
// sleepy, and the prompt says so.
func TestEvalEpochIsDayForThePersona(t *testing.T) {
	for _, yaml := range []string{
		"version: 1\n",
		"version: 1\nnight: {start: \"22:00\", end: \"07:00\", timezone: America/New_York}\n",
		"version: 1\nnight: {start: \"22:00\", end: \"07:00\", timezone: Pacific/Auckland}\n",
		"version: 1\nnight: {start: \"11:00\", end: \"14:30\", timezone: Asia/Shanghai}\n",
	} {
		p, err := persona.Parse("p.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		e := evalEpoch(p)
		if p.IsNight(e) || p.IsNight(e.Add(time.Hour)) {
			t.Errorf("%q: the epoch %s is night, or an hour after it is", yaml, e.In(p.Location()))
		}
	}
}
