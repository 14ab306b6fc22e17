package daemon

import (
	"context"
	"image"
	"log/slog"
	"time"

	"github.com/purrd/purrd/hal"
)

// bodyCommand is one reaction expressed in hal's terms. Zero fields mean
// "leave that part as it is".
type bodyCommand struct {
	ID       string
	Eyes     *hal.EyeState
	Tune     *hal.Tune
	Purr     *hal.PurrPattern
	StopPurr bool
	Tail     *float64
	Display  hal.Expression
}

// body applies reactions to the outputs beside the loop: an I2C write to an
// OLED takes milliseconds, and the loop must never wait on a bus. Only the
// newest pending reaction matters (a cat does not replay stale reactions),
// so the mailbox holds one and a newer command replaces an older one.
type body struct {
	board *hal.Board
	log   *slog.Logger
	box   chan bodyCommand
	// applied is closed-over by tests to observe what reached the outputs.
	applied func(bodyCommand)
	// view is what the body was last told to show (loop goroutine only);
	// viewChanged asks the loop to publish the state.
	view        *bodyDoc
	viewChanged bool
	// pictures asks for a picture in place of the face (the pairing code)
	// or, with a nil image, for the face back. Apart from box: a reaction
	// must not replace it before it is shown.
	pictures chan picture
}

// picture is shown on the display for hold, unless the face is asked back
// first (img nil).
type picture struct {
	img  image.Image
	hold time.Duration
}

func newBody(b *hal.Board, log *slog.Logger) *body {
	return &body{board: b, log: log, box: make(chan bodyCommand, 1), pictures: make(chan picture, 1)}
}

// showPicture shows img on the display in place of the face for hold (a
// display that cannot show pictures ignores it); clearPicture brings the
// face back sooner. Neither blocks.
func (b *body) showPicture(img image.Image, hold time.Duration) {
	sendLatest(b.pictures, picture{img: img, hold: hold})
}

func (b *body) clearPicture() { sendLatest(b.pictures, picture{}) }

// send never blocks: it replaces a pending command that was not applied yet.
func (b *body) send(c bodyCommand) {
	if b.view == nil {
		b.view = &bodyDoc{}
	}
	if b.view.note(c) {
		b.viewChanged = true
	}
	sendLatest(b.box, c)
}

func (b *body) run(ctx context.Context) error {
	// While a picture is shown, reactions still move the eyes, sounds and
	// tail, but the face they ask for waits (face) until the picture ends.
	var (
		holding bool
		face    = hal.ExprNeutral
		timer   = time.NewTimer(time.Hour)
	)
	timer.Stop()
	defer timer.Stop()
	restore := func(why string) {
		if holding {
			holding = false
			timer.Stop()
			b.log.Info("picture off the display; the face is back", "why", why)
			b.apply(bodyCommand{ID: "picture-end", Display: face})
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-b.box:
			if c.Display != "" {
				face = c.Display
				if holding {
					c.Display = ""
				}
			}
			b.apply(c)
		case p := <-b.pictures:
			if p.img == nil {
				restore("asked")
				continue
			}
			pd, ok := b.board.Display.(hal.PictureDisplay)
			if !ok {
				continue
			}
			if err := pd.ShowPicture(p.img); err != nil {
				b.log.Warn("output failed", "component", "hal", "part", "display", "reaction", "picture", "err", err)
				continue
			}
			holding = true
			timer.Reset(p.hold)
		case <-timer.C:
			restore("shown long enough")
		}
	}
}

func (b *body) apply(c bodyCommand) {
	fail := func(part string, err error) {
		if err != nil {
			b.log.Warn("output failed", "component", "hal", "part", part, "reaction", c.ID, "err", err)
		}
	}
	if c.Eyes != nil && b.board.Eyes != nil {
		fail("eyes", b.board.Eyes.SetEyes(*c.Eyes))
	}
	if c.Tune != nil && b.board.Buzzer != nil {
		fail("buzzer", b.board.Buzzer.Play(*c.Tune))
	}
	if c.StopPurr && b.board.Purr != nil {
		fail("purr", b.board.Purr.Halt())
	}
	if c.Purr != nil && b.board.Purr != nil {
		fail("purr", b.board.Purr.Purr(*c.Purr))
	}
	if c.Tail != nil && b.board.Tail != nil {
		fail("tail", b.board.Tail.MoveTo(*c.Tail))
	}
	if c.Display != "" && b.board.Display != nil {
		fail("display", b.board.Display.Show(c.Display))
	}
	if b.applied != nil {
		b.applied(c)
	}
}

// tunes are the sounds a reaction can name. Frequencies follow what small
// piezo buzzers reproduce well (1–4 kHz); a "meow" is a falling glide.
var tunes = map[string]hal.Tune{
	"chirp":       {Name: "chirp", Notes: []hal.Note{{Hz: 2800, Dur: 40 * time.Millisecond}, {Hz: 3400, Dur: 60 * time.Millisecond}}},
	"trill":       {Name: "trill", Notes: []hal.Note{{Hz: 2200, Dur: 30 * time.Millisecond}, {Hz: 2600, Dur: 30 * time.Millisecond}, {Hz: 2200, Dur: 30 * time.Millisecond}, {Hz: 2600, Dur: 30 * time.Millisecond}, {Hz: 3000, Dur: 60 * time.Millisecond}}},
	"meow":        {Name: "meow", Notes: []hal.Note{{Hz: 1800, Dur: 60 * time.Millisecond}, {Hz: 2400, Dur: 120 * time.Millisecond}, {Hz: 1600, Dur: 180 * time.Millisecond}}},
	"purr_rumble": {Name: "purr_rumble", Notes: []hal.Note{{Hz: 200, Dur: 80 * time.Millisecond}, {Hz: 0, Dur: 40 * time.Millisecond}, {Hz: 200, Dur: 80 * time.Millisecond}}},
	"hiss":        {Name: "hiss", Notes: []hal.Note{{Hz: 3900, Dur: 250 * time.Millisecond}}},
	"yawn":        {Name: "yawn", Notes: []hal.Note{{Hz: 1400, Dur: 150 * time.Millisecond}, {Hz: 900, Dur: 350 * time.Millisecond}}},
	"mrrp":        {Name: "mrrp", Notes: []hal.Note{{Hz: 1500, Dur: 50 * time.Millisecond}, {Hz: 2100, Dur: 90 * time.Millisecond}}},
}

// purrs are the vibration patterns a reaction can name.
var purrs = map[string]hal.PurrPattern{
	"soft":   {Name: "soft", Strength: 0.4, On: 40 * time.Millisecond, Off: 25 * time.Millisecond, Repeat: 40},
	"strong": {Name: "strong", Strength: 0.8, On: 45 * time.Millisecond, Off: 20 * time.Millisecond, Repeat: 60},
}
