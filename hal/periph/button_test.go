package periph

import (
	"context"
	"slices"
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

// bounce sends levels on the pin's edge channel with gap between them.
func bounce(p *gpiotest.Pin, gap time.Duration, levels ...gpio.Level) {
	for i, l := range levels {
		if i > 0 && gap > 0 {
			time.Sleep(gap)
		}
		p.EdgesChan <- l
	}
}

func TestButtonBounceShapes(t *testing.T) {
	L, H := gpio.Low, gpio.High
	cases := []struct {
		name  string
		press []gpio.Level // edges of the press (pin active low)
		gap   time.Duration
	}{
		{"clean", []gpio.Level{L}, 0},
		{"fast chatter", []gpio.Level{L, H, L, H, L, H, L}, 0},
		{"slow chatter inside lockout", []gpio.Level{L, H, L, H, L}, 3 * time.Millisecond},
		{"one long bounce", []gpio.Level{L, H, L}, 8 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, in := openButton(t, hal.KindButton, testTiming)
			rec := newRecorder()
			watch(t, in, rec.emit)
			bounce(p, c.gap, c.press...)
			ev := rec.waitN(t, 1)
			if ev[0].Kind != hal.ButtonPress || ev[0].Device != "button" {
				t.Fatalf("first event %+v, want press from button", ev[0])
			}
			time.Sleep(2 * testTiming.Debounce)
			// Release with its own bounces.
			bounce(p, 0, H, L, H)
			rec.waitKind(t, hal.ButtonRelease)
			time.Sleep(3 * testTiming.Debounce) // anything spurious would show up here
			got := rec.kinds()
			if want := []hal.EventKind{hal.ButtonPress, hal.ButtonRelease}; !slices.Equal(got, want) {
				t.Fatalf("events %v, want %v", got, want)
			}
		})
	}
}

func TestButtonShortPressInsideLockout(t *testing.T) {
	// Press and release both inside the lockout: the press is reported on
	// the first edge, the release when the lockout ends and the pin reads high.
	p, in := openButton(t, hal.KindButton, testTiming)
	rec := newRecorder()
	watch(t, in, rec.emit)
	bounce(p, 0, gpio.Low, gpio.High, gpio.Low, gpio.High)
	ev := rec.waitN(t, 2)
	if ev[0].Kind != hal.ButtonPress || ev[1].Kind != hal.ButtonRelease {
		t.Fatalf("events %v, want press, release", rec.kinds())
	}
	if ev[1].Held < testTiming.Debounce {
		t.Fatalf("held %v, want at least the lockout %v", ev[1].Held, testTiming.Debounce)
	}
}

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
	p, in := openButton(t, hal.KindButton, testTiming)
	rec := newRecorder()
	watch(t, in, rec.emit)
	click := func() {
		bounce(p, 0, gpio.Low, gpio.High, gpio.Low)
		time.Sleep(2 * testTiming.Debounce)
		bounce(p, 0, gpio.High)
		time.Sleep(2 * testTiming.Debounce)
	}
	click()
	click()
	rec.waitN(t, 5)
	want := []hal.EventKind{hal.ButtonPress, hal.ButtonRelease, hal.ButtonPress, hal.ButtonDoublePress, hal.ButtonRelease}
	if got := rec.kinds(); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	// A third click right after is not another double.
	click()
	rec.waitN(t, 7)
	time.Sleep(3 * testTiming.Debounce)
	if got := rec.kinds(); len(got) != 7 || got[5] != hal.ButtonPress || got[6] != hal.ButtonRelease {
		t.Fatalf("after the third click events %v", got)
	}
}

func TestButtonSlowSecondPressIsNotDouble(t *testing.T) {
	p, in := openButton(t, hal.KindButton, testTiming)
	rec := newRecorder()
	watch(t, in, rec.emit)
	bounce(p, 0, gpio.Low)
	time.Sleep(2 * testTiming.Debounce)
	bounce(p, 0, gpio.High)
	rec.waitN(t, 2)
	time.Sleep(testTiming.DoublePress + 50*time.Millisecond)
	bounce(p, 0, gpio.Low)
	time.Sleep(2 * testTiming.Debounce)
	bounce(p, 0, gpio.High)
	rec.waitN(t, 4)
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonRelease, hal.ButtonPress, hal.ButtonRelease}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

func TestButtonStuckPinDoesNotFlood(t *testing.T) {
	timing := testTiming
	timing.LongPress = 50 * time.Millisecond
	p, in := openButton(t, hal.KindButton, timing)
	rec := newRecorder()
	watch(t, in, rec.emit)
	bounce(p, 0, gpio.Low)
	rec.waitKind(t, hal.ButtonLongPress)
	// Held down for many long-press periods and several wait slices.
	time.Sleep(2*waitSlice + 20*timing.LongPress)
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress}; !slices.Equal(got, want) {
		t.Fatalf("stuck pin gave %v, want exactly %v", got, want)
	}
}

func TestButtonStuckAtStart(t *testing.T) {
	// A button already held when purrd starts (a fault, or a finger) is
	// reported once as a press and once as a long press, then nothing.
	timing := testTiming
	timing.LongPress = 50 * time.Millisecond
	p := fakePin("GPIO17")
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "button", Kind: "button", Pin: "GPIO17", Pull: "up", ActiveLow: true}}, timing, testLog(t), Hardware{Pins: map[string]gpio.PinIO{"GPIO17": p}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_ = p.Out(gpio.Low)
	rec := newRecorder()
	watch(t, b.Inputs[0], rec.emit)
	rec.waitKind(t, hal.ButtonLongPress)
	time.Sleep(2*waitSlice + 10*timing.LongPress)
	if got, want := rec.kinds(), []hal.EventKind{hal.ButtonPress, hal.ButtonLongPress}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestButtonChatteringPinIsMuted(t *testing.T) {
	timing := testTiming
	timing.Debounce = time.Millisecond
	p, in := openButton(t, hal.KindButton, timing)
	rec := newRecorder()
	watch(t, in, rec.emit)
	// A failing contact toggling every 2 ms for 400 ms.
	lvl := gpio.Low
	for i := 0; i < 200; i++ {
		p.EdgesChan <- lvl
		lvl = !lvl
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	// Each transition is one event, plus a double press at most every
	// other one, until the input is muted.
	if n := len(rec.all()); n > chatterLimit*3/2+2 {
		t.Fatalf("200 chattering edges produced %d events, want at most %d", n, chatterLimit*3/2+2)
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
