package periph

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/purrd/purrd/hal"
)

// waitSlice bounds each WaitForEdge so that a cancelled context stops the
// watcher within this time. It is not polling: the pin is not read on a
// timeout, the goroutine only looks at ctx and at pending long presses.
const waitSlice = 200 * time.Millisecond

// stuckAfter is how long an input may stay active before it is reported as
// probably stuck (health degraded, one warning; no events are repeated).
const stuckAfter = 30 * time.Second

// chatterLimit is how many transitions per second an input may make before
// it is considered faulty and muted until it calms down; a finger manages
// about ten presses a second.
const chatterLimit = 20

// calmAfter is how long a muted (chattering) input must make no change at
// all before it is heard again: a contact that recovers comes back by
// itself, without a restart.
const calmAfter = 2 * time.Second

// pinInput is a push button or a TTP223-style touch pad on one GPIO pin.
type pinInput struct {
	spec      hal.DeviceSpec
	pin       gpio.PinIO
	activeLow bool
	debounce  time.Duration
	chatter   int
	tracker   hal.PressTracker
	strokes   *hal.StrokeTracker // touch pads only
	health    *healthTable
	log       *slog.Logger
	clock     func() time.Time // Hardware.Clock: time.Now outside tests
}

func parsePull(s hal.DeviceSpec) (gpio.Pull, error) {
	switch strings.ToLower(s.Pull) {
	case "":
		if s.Kind == hal.KindButton {
			return gpio.PullUp, nil
		}
		return gpio.Float, nil // TTP223 drives its output both ways
	case "up":
		return gpio.PullUp, nil
	case "down":
		return gpio.PullDown, nil
	case "none", "float":
		return gpio.Float, nil
	}
	return gpio.PullNoChange, fmt.Errorf("periph: device %s: pull %q is not up, down or none", s, s.Pull)
}

func (b *builder) newButton(s hal.DeviceSpec) (*pinInput, error) {
	pull, err := parsePull(s)
	if err != nil {
		return nil, err
	}
	p, err := b.pin(s, s.Pin)
	if err != nil {
		return nil, err
	}
	if err := p.In(pull, gpio.BothEdges); err != nil {
		return nil, fmt.Errorf("periph: device %s: %s.In(%s, BothEdges): %w", s, p, pull, err)
	}
	in := &pinInput{spec: s, pin: p, activeLow: s.ActiveLow, debounce: b.timing.Debounce, chatter: b.hw.ChatterLimit, health: b.health, log: b.log, clock: b.hw.Clock}
	if in.chatter == 0 {
		in.chatter = chatterLimit
	}
	in.tracker = hal.PressTracker{Device: s.Name, Kinds: hal.ButtonKinds(), Timing: b.timing}
	if s.Kind == hal.KindTouchPad {
		if s.Zone == "" {
			return nil, fmt.Errorf("periph: device %s: touch_pad needs a zone", s)
		}
		in.tracker.Kinds, in.tracker.Zone, in.strokes = hal.TouchKinds(), s.Zone, b.strokes
	}
	return in, nil
}

// Name implements hal.Input.
func (in *pinInput) Name() string { return in.spec.Name }

func (in *pinInput) active() bool {
	return (in.pin.Read() == gpio.High) != in.activeLow
}

// Watch implements hal.Input. It blocks in WaitForEdge; a press is reported
// on the first edge, then edges are ignored for the debounce lockout, after
// which the level is read once to catch a release that happened inside it.
func (in *pinInput) Watch(ctx context.Context, emit hal.Emit) error {
	w := watcher{in: in, emit: emit}
	if in.active() {
		// Held at start: most likely a fault. Report it like any press so
		// the stuck-input handling below sees it; it yields one long press.
		w.change(in.clock(), true)
	}
	for ctx.Err() == nil {
		wait := waitSlice
		if dl, ok := in.tracker.Deadline(); ok {
			wait = min(wait, max(dl.Sub(in.clock()), 0))
		}
		if !in.pin.WaitForEdge(wait) {
			w.tick(in.clock())
			continue
		}
		// Leading edge: whatever the level reads now (it may be mid-bounce),
		// an edge from rest is a press and an edge while held a release.
		now := in.clock()
		w.change(now, !w.active)
		w.lockout(ctx, now)
	}
	return nil
}

// watcher is the per-Watch state, kept off the heap's hot path.
type watcher struct {
	in     *pinInput
	emit   hal.Emit
	active bool      // the debounced level: what the last accepted change said
	last   time.Time // when the last change was accepted
	window time.Time // start of the current chatter-count second
	count  int       // changes in that second
	muted  bool      // chattering: changes are not reported
	stuck  bool      // active for over stuckAfter: health degraded
}

// change accepts a change of the debounced level at now. While the input is
// muted the press tracker is not fed: it was released when the input was
// muted, and hears the level again once the input is quiet.
func (w *watcher) change(now time.Time, active bool) {
	in := w.in
	if w.muted && now.Sub(w.last) >= calmAfter {
		w.unmute() // quiet long enough before this change; the tracker hears it below
	}
	w.active, w.last = active, now
	if !active && w.stuck {
		w.stuck = false
		in.log.Info("input released", "device", in.spec.Name)
		w.setHealth()
	}
	if now.Sub(w.window) >= time.Second {
		w.window, w.count = now, 0
	}
	w.count++
	if !w.muted && in.chatter > 0 && w.count > in.chatter {
		w.mute(now)
	}
	if !w.muted {
		w.feed(now, active)
	}
}

// feed tells the press (and stroke) trackers about a change.
func (w *watcher) feed(now time.Time, active bool) {
	in := w.in
	if active {
		in.tracker.Press(now, w.emit)
		if in.strokes != nil {
			if from, ok := in.strokes.Touch(now, in.tracker.Zone); ok {
				w.emit(hal.Event{Kind: hal.TouchStroke, Time: now, Device: in.spec.Name, Zone: in.tracker.Zone, From: from})
			}
		}
		return
	}
	in.tracker.Release(now, w.emit)
	if in.strokes != nil {
		in.strokes.Release(now, in.tracker.Zone)
	}
}

// mute stops reporting a chattering input. A press in progress is ended
// (its release reported) so that listeners never see a press that lasts
// as long as the fault.
func (w *watcher) mute(now time.Time) {
	in := w.in
	w.muted = true
	in.log.Warn("input is chattering; muting it", "device", in.spec.Name, "pin", in.spec.Pin)
	if in.tracker.Pressed() {
		w.feed(now, false)
	}
	w.setHealth()
}

// unmute hears the input again after it stayed quiet for calmAfter.
func (w *watcher) unmute() {
	in := w.in
	w.muted = false
	in.log.Info("input calmed down", "device", in.spec.Name)
	w.setHealth()
}

// setHealth reports the input's state: chattering (muted) outranks stuck.
func (w *watcher) setHealth() {
	in := w.in
	h := hal.Health{Device: in.spec.Name, OK: true}
	switch {
	case w.muted:
		h.Degraded, h.Err = true, fmt.Sprintf("chattering: more than %d changes a second", in.chatter)
	case w.stuck:
		h.Degraded, h.Err = true, fmt.Sprintf("pin %s active for over %s", in.spec.Pin, stuckAfter)
	}
	in.health.set(h)
}

// tick runs when no edge came for a while: it un-mutes an input that has
// been quiet for calmAfter, reports a long press whose time has come, and
// raises the stuck warning for an input active for stuckAfter.
func (w *watcher) tick(now time.Time) {
	in := w.in
	if w.muted {
		if now.Sub(w.last) < calmAfter {
			return
		}
		w.unmute()
		if w.active {
			w.feed(now, true) // still held: from now on it is an ordinary press
		}
	}
	in.tracker.Tick(now, w.emit)
	if w.active && !w.stuck && now.Sub(w.last) >= stuckAfter {
		w.stuck = true
		in.log.Warn("input held for a long time; is it stuck?", "device", in.spec.Name, "pin", in.spec.Pin, "held", now.Sub(w.last).Round(time.Second))
		w.setHealth()
	}
}

// lockout swallows bounces for the debounce time after an accepted edge at
// t, then reconciles with the pin's level (a short press may have ended,
// or a release bounced back, inside the lockout).
func (w *watcher) lockout(ctx context.Context, t time.Time) {
	in := w.in
	for ctx.Err() == nil {
		end := t.Add(in.debounce)
		for d := end.Sub(in.clock()); d > 0; d = end.Sub(in.clock()) {
			in.pin.WaitForEdge(d)
		}
		if in.active() == w.active {
			return
		}
		t = in.clock()
		w.change(t, !w.active)
	}
}
