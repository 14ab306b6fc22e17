package periph

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/purrd/purrd/hal"
)

var testTiming = hal.Timing{Debounce: 20 * time.Millisecond, LongPress: 300 * time.Millisecond, DoublePress: 250 * time.Millisecond}

// openButton opens one active-low button with pull-up on a fake pin.
func openButton(t *testing.T, kind string, timing hal.Timing) (*gpiotest.Pin, hal.Input) {
	t.Helper()
	p := fakePin("GPIO17")
	spec := hal.DeviceSpec{Name: "button", Kind: kind, Pin: "GPIO17", Pull: "up", ActiveLow: true}
	if kind == hal.KindTouchPad {
		spec = hal.DeviceSpec{Name: "pad", Kind: kind, Pin: "GPIO17", Pull: "down", Zone: "head"}
	}
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{spec}, timing, testLog(t), Hardware{Pins: map[string]gpio.PinIO{"GPIO17": p}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if len(b.Inputs) != 1 {
		t.Fatalf("inputs = %d, want 1", len(b.Inputs))
	}
	if p.P != gpio.PullUp && kind == hal.KindButton {
		t.Fatalf("pull = %s, want Up", p.P)
	}
	return p, b.Inputs[0]
}

// The tests below run on virtual time (vpin): the edges come exactly when
// scheduled relative to the lockout and the press windows, however slow
// the machine (-race, qemu).

func TestButtonBounceShapes(t *testing.T) {
	L, H := gpio.Low, gpio.High
	ms := time.Millisecond
	cases := []struct {
		name  string
		press []gpio.Level // edges of the press (pin active low)
		gap   time.Duration
	}{
		{"clean", []gpio.Level{L}, 0},
		{"fast chatter", []gpio.Level{L, H, L, H, L, H, L}, 0},
		{"slow chatter inside lockout", []gpio.Level{L, H, L, H, L}, 3 * ms},
		{"one long bounce", []gpio.Level{L, H, L}, 8 * ms},
		{"last bounce at the lockout's end", []gpio.Level{L, H, L}, testTiming.Debounce / 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, rec, _ := openVButton(t, hal.KindButton, testTiming)
			p.Bounce(0, c.gap, c.press...)
			// Release with its own bounces, after the lockout.
			release := 2 * testTiming.Debounce
			p.Bounce(release, ms, H, L, H)
			p.RunTo(t, release+5*testTiming.Debounce) // anything spurious would show up here
			ev := rec.all()
			if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonRelease}; !slices.Equal(got, want) {
				t.Fatalf("events %v, want %v", got, want)
			}
			if ev[0].Device != "button" || ev[1].Held != release {
				t.Fatalf("events %+v: want from button, held %v", ev, release)
			}
		})
	}
}

func TestButtonShortPressInsideLockout(t *testing.T) {
	// Press and release both inside the lockout: the press is reported on
	// the first edge, the release when the lockout ends and the pin reads high.
	p, rec, _ := openVButton(t, hal.KindButton, testTiming)
	p.Bounce(0, time.Millisecond, gpio.Low, gpio.High, gpio.Low, gpio.High)
	p.RunTo(t, 5*testTiming.Debounce)
	ev := rec.all()
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonRelease}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if ev[1].Held != testTiming.Debounce {
		t.Fatalf("held %v, want the lockout %v", ev[1].Held, testTiming.Debounce)
	}
}

// bounce sends levels on a real-time fake pin's edge channel with gap
// between them.
func bounce(p *gpiotest.Pin, gap time.Duration, levels ...gpio.Level) {
	for i, l := range levels {
		if i > 0 && gap > 0 {
			time.Sleep(gap)
		}
		p.EdgesChan <- l
	}
}

// TestButtonLongPress runs on real time: the watcher's own clock and waits.
func TestButtonLongPress(t *testing.T) {
	p, in := openButton(t, hal.KindButton, testTiming)
	rec := newRecorder()
	watch(t, in, rec.emit)
	bounce(p, 0, gpio.Low)
	lp := rec.waitKind(t, hal.ButtonLongPress)
	if lp.Held < testTiming.LongPress {
		t.Fatalf("long press after %v, want >= %v", lp.Held, testTiming.LongPress)
	}
	bounce(p, 0, gpio.High)
	rel := rec.waitKind(t, hal.ButtonRelease)
	if rel.Held < lp.Held {
		t.Fatalf("release held %v < long press held %v", rel.Held, lp.Held)
	}
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress, hal.ButtonRelease}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

func TestButtonDoublePress(t *testing.T) {
	p, rec, _ := openVButton(t, hal.KindButton, testTiming)
	d := testTiming.Debounce
	click := func(at time.Duration) {
		p.Bounce(at, time.Millisecond, gpio.Low, gpio.High, gpio.Low)
		p.Set(at+2*d, gpio.High)
	}
	click(0)
	click(4 * d)
	p.RunTo(t, 8*d)
	want := []hal.EventKind{hal.ButtonPress, hal.ButtonRelease, hal.ButtonPress, hal.ButtonDoublePress, hal.ButtonRelease}
	if got := rec.kinds(); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	// A third click right after is not another double.
	click(8 * d)
	p.RunTo(t, 14*d)
	if got := rec.kinds(); len(got) != 7 || got[5] != hal.ButtonPress || got[6] != hal.ButtonRelease {
		t.Fatalf("after the third click events %v", got)
	}
}

func TestButtonSlowSecondPressIsNotDouble(t *testing.T) {
	p, rec, _ := openVButton(t, hal.KindButton, testTiming)
	d := testTiming.Debounce
	p.Set(0, gpio.Low)
	p.Set(2*d, gpio.High)
	second := 2*d + testTiming.DoublePress + time.Millisecond
	p.Set(second, gpio.Low)
	p.Set(second+2*d, gpio.High)
	p.RunTo(t, second+5*d)
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonRelease, hal.ButtonPress, hal.ButtonRelease}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

// TestButtonStuckPin: a pin held for good gives one press and one long
// press, then nothing; after stuckAfter (not before) its health is
// degraded; when it is released the warning clears and the button works.
func TestButtonStuckPin(t *testing.T) {
	timing := testTiming
	timing.LongPress = 50 * time.Millisecond
	p, rec, b := openVButton(t, hal.KindButton, timing)
	p.Set(0, gpio.Low)
	p.RunTo(t, stuckAfter-time.Millisecond)
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress}; !slices.Equal(got, want) {
		t.Fatalf("stuck pin gave %v, want exactly %v", got, want)
	}
	if h := deviceHealth(t, b, "button"); !h.OK || h.Degraded {
		t.Fatalf("health %+v before %v held, want OK", h, stuckAfter)
	}
	p.RunTo(t, stuckAfter+waitSlice)
	if h := deviceHealth(t, b, "button"); !h.OK || !h.Degraded || !strings.Contains(h.Err, "active for over") {
		t.Fatalf("health %+v after %v held, want degraded: stuck", h, stuckAfter)
	}
	if n := len(rec.all()); n != 2 {
		t.Fatalf("the stuck warning came with events: %v", rec.kinds())
	}
	// The contact recovers.
	free := stuckAfter + time.Second
	p.Set(free, gpio.High)
	p.Set(free+time.Second, gpio.Low)
	p.Set(free+time.Second+2*timing.Debounce, gpio.High)
	p.RunTo(t, free+2*time.Second)
	if h := deviceHealth(t, b, "button"); !h.OK || h.Degraded {
		t.Fatalf("health %+v after the release, want OK again", h)
	}
	want := []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress, hal.ButtonRelease, hal.ButtonPress, hal.ButtonRelease}
	if got := rec.kinds(); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

func TestButtonStuckAtStart(t *testing.T) {
	// A button already held when purrd starts (a fault, or a finger) is
	// reported once as a press and once as a long press, then nothing; it
	// is reported stuck after stuckAfter.
	timing := testTiming
	timing.LongPress = 50 * time.Millisecond
	p := newVPin("GPIO17", gpio.Low)
	rec, b := watchVPin(t, hal.DeviceSpec{Name: "button", Kind: "button", Pin: "GPIO17", Pull: "up", ActiveLow: true}, p, timing)
	p.RunTo(t, stuckAfter+waitSlice)
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if h := deviceHealth(t, b, "button"); !h.Degraded {
		t.Fatalf("health %+v, want degraded: stuck", h)
	}
}

// chatter schedules n level changes step apart from at, starting active
// (low); it returns when the last one is.
func chatter(p *vpin, at, step time.Duration, n int) time.Duration {
	lvl := gpio.Low
	for i := range n {
		p.Set(at+time.Duration(i)*step, lvl)
		lvl = !lvl
	}
	return at + time.Duration(n-1)*step
}

// TestButtonChatteringPinIsMuted: a contact toggling every 2 ms is muted
// after chatterLimit changes (its health degraded); it stays muted while it
// is not quiet for calmAfter, and is heard again, without a restart, once
// it is.
func TestButtonChatteringPinIsMuted(t *testing.T) {
	timing := testTiming
	timing.Debounce = time.Millisecond
	p, rec, b := openVButton(t, hal.KindButton, timing)
	last := chatter(p, 0, 2*time.Millisecond, 200) // ends released
	p.RunTo(t, last+100*time.Millisecond)
	// Each change is one event, plus a double press at most every other
	// one, until the input is muted.
	if n := len(rec.all()); n > chatterLimit*3/2+2 {
		t.Fatalf("200 chattering edges produced %d events, want at most %d", n, chatterLimit*3/2+2)
	}
	if k := rec.kinds(); k[len(k)-1] != hal.ButtonRelease {
		t.Fatalf("events %v: the last is not a release (listeners would think it held)", k)
	}
	if h := deviceHealth(t, b, "button"); !h.Degraded || !strings.Contains(h.Err, "chattering") {
		t.Fatalf("health %+v, want degraded: chattering", h)
	}
	muted := len(rec.all())

	// Not quiet long enough: a press is not heard.
	early := last + calmAfter/2
	p.Set(early, gpio.Low)
	p.Set(early+50*time.Millisecond, gpio.High)
	p.RunTo(t, early+calmAfter-time.Millisecond)
	if n := len(rec.all()); n != muted {
		t.Fatalf("a press %v after the chatter was reported (%v); want the input still muted", calmAfter/2, rec.kinds()[muted:])
	}
	// Quiet for calmAfter: heard again.
	calm := early + 50*time.Millisecond + calmAfter + waitSlice
	p.RunTo(t, calm)
	if h := deviceHealth(t, b, "button"); !h.OK || h.Degraded {
		t.Fatalf("health %+v after %v of quiet, want OK", h, calmAfter)
	}
	p.Set(calm, gpio.Low)
	p.Set(calm+50*time.Millisecond, gpio.High)
	p.RunTo(t, calm+time.Second)
	if got, want := rec.kinds()[muted:], []hal.EventKind{hal.ButtonPress, hal.ButtonRelease}; !slices.Equal(got, want) {
		t.Fatalf("a press after the input calmed down gave %v, want %v", got, want)
	}
}

// TestButtonChatterEndingHeld: a contact that chatters and then stays
// closed is reported, once quiet, as an ordinary held press (press, long
// press), and then as stuck.
func TestButtonChatterEndingHeld(t *testing.T) {
	timing := testTiming
	timing.Debounce = time.Millisecond
	p, rec, b := openVButton(t, hal.KindButton, timing)
	last := chatter(p, 0, 2*time.Millisecond, 201) // ends pressed
	p.RunTo(t, last+calmAfter-time.Millisecond)
	muted := len(rec.all())
	p.RunTo(t, last+calmAfter+waitSlice+timing.LongPress)
	if got, want := rec.kinds()[muted:], []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress}; !slices.Equal(got, want) {
		t.Fatalf("after calming down held: %v, want %v", got, want)
	}
	p.RunTo(t, last+stuckAfter+waitSlice)
	if h := deviceHealth(t, b, "button"); !h.Degraded || !strings.Contains(h.Err, "active for over") {
		t.Fatalf("health %+v, want degraded: stuck", h)
	}
}

func TestButtonCancelStopsWatcherPromptly(t *testing.T) {
	_, in := openButton(t, hal.KindButton, testTiming)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Watch(ctx, func(hal.Event) {}) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Watch returned %v after cancel, want nil", err)
		}
	case <-time.After(waitTime):
		t.Fatalf("Watch still running %v after cancel", waitTime)
	}
}

func TestTouchPadStartHeldEndAndStroke(t *testing.T) {
	head, back := fakePin("GPIO5"), fakePin("GPIO6")
	timing := testTiming
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{
		{Name: "pad_head", Kind: "touch_pad", Pin: "GPIO5", Zone: "head"},
		{Name: "pad_back", Kind: "touch_pad", Pin: "GPIO6", Zone: "back"},
	}, timing, testLog(t), Hardware{Pins: map[string]gpio.PinIO{"GPIO5": head, "GPIO6": back}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if head.P != gpio.Float {
		t.Fatalf("touch pad pull = %s, want Float (TTP223 drives its output)", head.P)
	}
	rec := newRecorder()
	for _, in := range b.Inputs {
		watch(t, in, rec.emit)
	}
	head.EdgesChan <- gpio.High
	held := rec.waitKind(t, hal.TouchHeld)
	if held.Zone != "head" {
		t.Fatalf("held zone %q", held.Zone)
	}
	head.EdgesChan <- gpio.Low
	rec.waitKind(t, hal.TouchEnd)
	back.EdgesChan <- gpio.High
	st := rec.waitKind(t, hal.TouchStroke)
	if st.From != "head" || st.Zone != "back" {
		t.Fatalf("stroke %+v, want head -> back", st)
	}
}
