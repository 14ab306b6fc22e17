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
	in := &pinInput{spec: s, pin: p, activeLow: s.ActiveLow, debounce: b.timing.Debounce, chatter: b.hw.ChatterLimit, health: b.health, log: b.log}
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
		w.transition(time.Now(), true)
	}
	for ctx.Err() == nil {
		wait := waitSlice
		if dl, ok := in.tracker.Deadline(); ok {
			wait = min(wait, max(time.Until(dl), 0))
		}
		if !in.pin.WaitForEdge(wait) {
			w.tick(time.Now())
			continue
		}
		// Leading edge: whatever the level reads now (it may be mid-bounce),
		// an edge from rest is a press and an edge while held a release.
		now := time.Now()
		w.transition(now, !in.tracker.Pressed())
		w.lockout(ctx, now)
	}
	return nil
}

// watcher is the per-Watch state, kept off the heap's hot path.
type watcher struct {
	in        *pinInput
	emit      hal.Emit
	window    time.Time // start of the current chatter-count second
	count     int
	muted     bool
	stuckSent bool
}

func (w *watcher) transition(now time.Time, press bool) {
	in := w.in
	if now.Sub(w.window) >= time.Second {
		if w.muted && w.count <= in.chatter {
			w.muted = false
			in.log.Info("input calmed down", "device", in.spec.Name)
			in.health.set(hal.Health{Device: in.spec.Name, OK: true})
		}
		w.window, w.count = now, 0
	}
	w.count++
	if in.chatter > 0 && w.count > in.chatter && !w.muted {
		w.muted = true
		in.log.Warn("input is chattering; muting it", "device", in.spec.Name, "pin", in.spec.Pin)
		in.health.set(hal.Health{Device: in.spec.Name, OK: true, Degraded: true, Err: fmt.Sprintf("chattering: more than %d changes a second", in.chatter)})
	}
	emit := w.emit
	if w.muted {
		emit = func(hal.Event) {}
	}
	if press {
		in.tracker.Press(now, emit)
		if in.strokes != nil {
			if from, ok := in.strokes.Touch(now, in.tracker.Zone); ok {
				emit(hal.Event{Kind: hal.TouchStroke, Time: now, Device: in.spec.Name, Zone: in.tracker.Zone, From: from})
			}
		}
		return
	}
	in.tracker.Release(now, emit)
	if in.strokes != nil {
		in.strokes.Release(now, in.tracker.Zone)
	}
	if w.stuckSent {
		w.stuckSent = false
		in.log.Info("input released", "device", in.spec.Name)
		in.health.set(hal.Health{Device: in.spec.Name, OK: true})
	}
}

func (w *watcher) tick(now time.Time) {
	in := w.in
	if w.muted {
		return
	}
	in.tracker.Tick(now, w.emit)
	if dl, ok := in.pressedSince(); ok && !w.stuckSent && now.Sub(dl) >= stuckAfter {
		w.stuckSent = true
		in.log.Warn("input held for a long time; is it stuck?", "device", in.spec.Name, "pin", in.spec.Pin, "held", now.Sub(dl).Round(time.Second))
		in.health.set(hal.Health{Device: in.spec.Name, OK: true, Degraded: true, Err: fmt.Sprintf("pin %s active for over %s", in.spec.Pin, stuckAfter)})
	}
}

// lockout swallows bounces for the debounce time after an accepted edge at
// t, then reconciles with the pin's level (a short press may have ended,
// or a release bounced back, inside the lockout).
func (w *watcher) lockout(ctx context.Context, t time.Time) {
	in := w.in
	for ctx.Err() == nil {
		end := t.Add(in.debounce)
		for d := time.Until(end); d > 0; d = time.Until(end) {
			in.pin.WaitForEdge(d)
		}
		if in.active() == in.tracker.Pressed() {
			return
		}
		t = time.Now()
		w.transition(t, !in.tracker.Pressed())
	}
}

// pressedSince reports when the current press started.
func (in *pinInput) pressedSince() (time.Time, bool) {
	return in.tracker.PressedAt(), in.tracker.Pressed()
}
