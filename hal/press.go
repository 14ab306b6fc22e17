package hal

import "time"

// PressKinds are the event kinds a PressTracker reports. Buttons and touch
// pads share the timing logic and differ only in what they call things.
type PressKinds struct {
	Press, Long, Double, Release EventKind // Double "" = never reported
}

// ButtonKinds are the kinds a push button reports.
func ButtonKinds() PressKinds {
	return PressKinds{Press: ButtonPress, Long: ButtonLongPress, Double: ButtonDoublePress, Release: ButtonRelease}
}

// TouchKinds are the kinds a touch zone reports: held after LongPress, and
// no double touch.
func TouchKinds() PressKinds {
	return PressKinds{Press: TouchStart, Long: TouchHeld, Release: TouchEnd}
}

// PressTracker turns debounced press/release transitions into events. It is
// pure logic: the caller says what happened and when, and asks Deadline when
// it next needs a Tick, so it runs the same under periph, the sim and tests.
//
// The press is reported at once; a long press once per press however long
// it is held (a stuck input therefore yields exactly one); a double press
// when a press starts within DoublePress of the previous short press's
// release. It is not safe for concurrent use.
type PressTracker struct {
	Device string
	Zone   string
	Kinds  PressKinds
	Timing Timing

	pressed     bool
	pressedAt   time.Time
	longSent    bool
	inDouble    bool
	canDouble   bool
	lastRelease time.Time
}

// Pressed says whether the tracker believes the input is held.
func (p *PressTracker) Pressed() bool { return p.pressed }

// Press records the start of a press at now.
func (p *PressTracker) Press(now time.Time, emit Emit) {
	if p.pressed {
		return
	}
	p.pressed, p.pressedAt, p.longSent = true, now, false
	emit(Event{Kind: p.Kinds.Press, Time: now, Device: p.Device, Zone: p.Zone})
	if p.Kinds.Double != "" && p.canDouble && now.Sub(p.lastRelease) <= p.Timing.DoublePress {
		p.inDouble = true
		emit(Event{Kind: p.Kinds.Double, Time: now, Device: p.Device, Zone: p.Zone})
	}
	p.canDouble = false
}

// Release records the end of a press at now.
func (p *PressTracker) Release(now time.Time, emit Emit) {
	if !p.pressed {
		return
	}
	p.Tick(now, emit) // a long press that ended before anyone ticked still counts
	p.pressed = false
	emit(Event{Kind: p.Kinds.Release, Time: now, Device: p.Device, Zone: p.Zone, Held: now.Sub(p.pressedAt)})
	// Only a short single press can be the first half of a double.
	p.canDouble = !p.longSent && !p.inDouble
	p.inDouble = false
	p.lastRelease = now
}

// Deadline is when Tick next has something to do; ok is false when nothing
// is pending (the caller may then wait for edges only).
func (p *PressTracker) Deadline() (t time.Time, ok bool) {
	if p.pressed && !p.longSent {
		return p.pressedAt.Add(p.Timing.LongPress), true
	}
	return time.Time{}, false
}

// Tick reports a long press whose time has come.
func (p *PressTracker) Tick(now time.Time, emit Emit) {
	if p.pressed && !p.longSent && now.Sub(p.pressedAt) >= p.Timing.LongPress {
		p.longSent = true
		emit(Event{Kind: p.Kinds.Long, Time: now, Device: p.Device, Zone: p.Zone, Held: now.Sub(p.pressedAt)})
	}
}

// PressedAt is when the current (or last) press started.
func (p *PressTracker) PressedAt() time.Time { return p.pressedAt }
