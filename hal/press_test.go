package hal

import (
	"slices"
	"testing"
	"time"
)

type evlog []Event

func (l *evlog) emit(e Event) { *l = append(*l, e) }
func (l evlog) kinds() []EventKind {
	var out []EventKind
	for _, e := range l {
		out = append(out, e.Kind)
	}
	return out
}

func TestPressTrackerSequences(t *testing.T) {
	timing := Timing{Debounce: 30 * time.Millisecond, LongPress: 800 * time.Millisecond, DoublePress: 350 * time.Millisecond}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	type step struct {
		at    int // ms
		press bool
		tick  bool
	}
	cases := []struct {
		name  string
		steps []step
		want  []EventKind
	}{
		{"click", []step{{0, true, false}, {100, false, false}}, []EventKind{ButtonPress, ButtonRelease}},
		{"double", []step{{0, true, false}, {100, false, false}, {300, true, false}, {400, false, false}},
			[]EventKind{ButtonPress, ButtonRelease, ButtonPress, ButtonDoublePress, ButtonRelease}},
		{"too slow for double", []step{{0, true, false}, {100, false, false}, {500, true, false}, {600, false, false}},
			[]EventKind{ButtonPress, ButtonRelease, ButtonPress, ButtonRelease}},
		{"triple is one double", []step{{0, true, false}, {80, false, false}, {160, true, false}, {240, false, false}, {320, true, false}, {400, false, false}},
			[]EventKind{ButtonPress, ButtonRelease, ButtonPress, ButtonDoublePress, ButtonRelease, ButtonPress, ButtonRelease}},
		{"long by tick", []step{{0, true, false}, {500, false, true}, {900, false, true}, {1000, false, true}, {1200, false, false}},
			[]EventKind{ButtonPress, ButtonLongPress, ButtonRelease}},
		{"long noticed at release", []step{{0, true, false}, {1000, false, false}},
			[]EventKind{ButtonPress, ButtonLongPress, ButtonRelease}},
		{"long then quick press is not double", []step{{0, true, false}, {900, false, false}, {1000, true, false}, {1050, false, false}},
			[]EventKind{ButtonPress, ButtonLongPress, ButtonRelease, ButtonPress, ButtonRelease}},
		{"repeated press while held is ignored", []step{{0, true, false}, {10, true, false}, {100, false, false}, {110, false, false}},
			[]EventKind{ButtonPress, ButtonRelease}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var l evlog
			p := PressTracker{Device: "b", Kinds: ButtonKinds(), Timing: timing}
			for _, s := range c.steps {
				switch {
				case s.tick:
					p.Tick(ms(s.at), l.emit)
				case s.press:
					p.Press(ms(s.at), l.emit)
				default:
					p.Release(ms(s.at), l.emit)
				}
			}
			if got := l.kinds(); !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for _, e := range l {
				if e.Device != "b" {
					t.Fatalf("event %+v lacks the device name", e)
				}
			}
		})
	}
}

func TestPressTrackerDeadline(t *testing.T) {
	timing := DefaultTiming()
	t0 := time.Now()
	var l evlog
	p := PressTracker{Kinds: TouchKinds(), Zone: "head", Timing: timing}
	if _, ok := p.Deadline(); ok {
		t.Fatal("idle tracker has a deadline")
	}
	p.Press(t0, l.emit)
	dl, ok := p.Deadline()
	if !ok || !dl.Equal(t0.Add(timing.LongPress)) {
		t.Fatalf("deadline %v %v, want %v", dl, ok, t0.Add(timing.LongPress))
	}
	p.Tick(dl, l.emit)
	if _, ok := p.Deadline(); ok {
		t.Fatal("deadline remains after the long press was sent: a stuck input would spin")
	}
	p.Tick(dl.Add(time.Hour), l.emit)
	if got, want := l.kinds(), []EventKind{TouchStart, TouchHeld}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if l[1].Zone != "head" || l[1].Held != timing.LongPress {
		t.Fatalf("held event %+v", l[1])
	}
}

func TestStrokeTracker(t *testing.T) {
	t0 := time.Now()
	var s StrokeTracker
	if _, ok := s.Touch(t0, "head"); ok {
		t.Fatal("first touch is a stroke")
	}
	s.Release(t0.Add(200*time.Millisecond), "head")
	from, ok := s.Touch(t0.Add(500*time.Millisecond), "back")
	if !ok || from != "head" {
		t.Fatalf("head then back within the window: %q %v", from, ok)
	}
	s.Release(t0.Add(600*time.Millisecond), "back")
	if _, ok := s.Touch(t0.Add(600*time.Millisecond+DefaultStrokeWindow+time.Millisecond), "chin"); ok {
		t.Fatal("touch after the window counted as a stroke")
	}
	if _, ok := s.Touch(t0.Add(5*time.Second), "chin"); ok {
		t.Fatal("same zone again counted as a stroke")
	}
}

func TestTimingDefaultsAndSpecString(t *testing.T) {
	if got := (Timing{LongPress: time.Second}).WithDefaults(); got.LongPress != time.Second || got.Debounce != 30*time.Millisecond || got.DoublePress != 350*time.Millisecond {
		t.Fatalf("WithDefaults = %+v", got)
	}
	for _, c := range []struct {
		s    DeviceSpec
		want string
	}{
		{DeviceSpec{Name: "env", Kind: KindBME280, Bus: "1", Address: 0x76}, `"env" (bme280 on bus 1 at 0x76)`},
		{DeviceSpec{Name: "button", Kind: KindButton, Pin: "GPIO17"}, `"button" (button on pin GPIO17)`},
		{DeviceSpec{Name: "ring", Kind: KindNRZLED, Bus: "/dev/spidev0.0"}, `"ring" (nrzled on bus /dev/spidev0.0)`},
	} {
		if got := c.s.String(); got != c.want {
			t.Errorf("String() = %s, want %s", got, c.want)
		}
	}
}
