package haltest

import (
	"context"
	"image"
	"image/color"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/purrd/purrd/hal"
)

// Wait is how long a suite waits for something that should happen
// promptly. Generous, so a loaded machine or an emulated CPU does not fail
// it; only a broken implementation runs into it.
const Wait = 10 * time.Second

// quiet is how long a suite looks for events that should not come. Too
// short a look can only let a bug through, never fail a good implementation.
const quiet = 150 * time.Millisecond

// Collector gathers events from a Watch running in the background.
type Collector struct {
	mu     sync.Mutex
	events []hal.Event
	poke   chan struct{}
	cancel context.CancelFunc
	done   chan error
}

// Watch starts in.Watch and stops it when the test ends, failing the test
// when it does not return within Wait of the cancel or returns an error.
func Watch(t testing.TB, in hal.Input) *Collector {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &Collector{poke: make(chan struct{}, 1), cancel: cancel, done: make(chan error, 1)}
	go func() { c.done <- in.Watch(ctx, c.emit) }()
	t.Cleanup(func() { c.Stop(t) })
	return c
}

func (c *Collector) emit(e hal.Event) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
	select {
	case c.poke <- struct{}{}:
	default:
	}
}

// Stop cancels the Watch and checks that it returns nil promptly.
func (c *Collector) Stop(t testing.TB) {
	t.Helper()
	if c.cancel == nil {
		return
	}
	c.cancel()
	c.cancel = nil
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("Watch returned %v after cancel, want nil", err)
		}
	case <-time.After(Wait):
		t.Errorf("Watch still running %v after cancel", Wait)
	}
}

// Events returns what arrived so far.
func (c *Collector) Events() []hal.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.events)
}

// Kinds returns the kinds of what arrived so far.
func (c *Collector) Kinds() []hal.EventKind {
	var out []hal.EventKind
	for _, e := range c.Events() {
		out = append(out, e.Kind)
	}
	return out
}

// WaitFor waits until match accepts the events so far and returns them.
func (c *Collector) WaitFor(t testing.TB, what string, match func([]hal.Event) bool) []hal.Event {
	t.Helper()
	deadline := time.After(Wait)
	for {
		if ev := c.Events(); match(ev) {
			return ev
		}
		select {
		case <-c.poke:
		case <-deadline:
			t.Fatalf("waited %v for %s; got %v", Wait, what, c.Kinds())
			return nil
		}
	}
}

// WaitKind waits for an event of kind k after the first skip events.
func (c *Collector) WaitKind(t testing.TB, k hal.EventKind, skip int) hal.Event {
	t.Helper()
	var found hal.Event
	c.WaitFor(t, "a "+string(k)+" event", func(ev []hal.Event) bool {
		for _, e := range ev[min(skip, len(ev)):] {
			if e.Kind == k {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

// nonHealth drops device health events, which a real board may interleave.
func nonHealth(ev []hal.Event) []hal.Event {
	return slices.DeleteFunc(ev, func(e hal.Event) bool { return hal.ClassOf(e.Kind) == hal.ClassHealth })
}

func kinds(ev []hal.Event) []hal.EventKind {
	var out []hal.EventKind
	for _, e := range ev {
		out = append(out, e.Kind)
	}
	return out
}

// expectSeq waits for exactly want (ignoring health events) after skip,
// checks device names and times, looks briefly for extras, and returns
// the new events.
func expectSeq(t *testing.T, c *Collector, name string, skip int, want ...hal.EventKind) []hal.Event {
	t.Helper()
	c.WaitFor(t, "events "+fmtKinds(want), func(ev []hal.Event) bool { return len(nonHealth(ev[min(skip, len(ev)):])) >= len(want) })
	time.Sleep(quiet)
	got := nonHealth(c.Events()[skip:])
	if !slices.Equal(kinds(got), want) {
		t.Fatalf("events %v, want %v", kinds(got), want)
	}
	var prev time.Time
	for _, e := range got {
		if e.Device != name {
			t.Errorf("event %s from device %q, want %q (the input's Name)", e.Kind, e.Device, name)
		}
		if e.Time.IsZero() {
			t.Errorf("event %s has no time", e.Kind)
		}
		if e.Time.Before(prev) {
			t.Errorf("event %s at %v is before the previous one at %v", e.Kind, e.Time, prev)
		}
		prev = e.Time
	}
	return got
}

func fmtKinds(k []hal.EventKind) string {
	s := ""
	for i, x := range k {
		if i > 0 {
			s += ", "
		}
		s += string(x)
	}
	return s
}

// ButtonRig is one push button and the means to press it.
type ButtonRig struct {
	Input       hal.Input
	Click       func(t *testing.T) // press briefly and release
	LongPress   func(t *testing.T) // hold past the long-press time, then release
	DoubleClick func(t *testing.T) // two clicks within the double-press time
}

// TestButton checks a push button: click, long press, double press, names,
// times, and a Watch that stops promptly. newRig is called for each subtest.
func TestButton(t *testing.T, newRig func(t *testing.T) ButtonRig) {
	t.Run("Click", func(t *testing.T) {
		r := newRig(t)
		c := Watch(t, r.Input)
		r.Click(t)
		ev := expectSeq(t, c, r.Input.Name(), 0, hal.ButtonPress, hal.ButtonRelease)
		if ev[1].Held < 0 {
			t.Errorf("release held %v", ev[1].Held)
		}
	})
	t.Run("LongPress", func(t *testing.T) {
		r := newRig(t)
		c := Watch(t, r.Input)
		r.LongPress(t)
		ev := expectSeq(t, c, r.Input.Name(), 0, hal.ButtonPress, hal.ButtonLongPress, hal.ButtonRelease)
		if ev[1].Held <= 0 || ev[2].Held < ev[1].Held {
			t.Errorf("held times: long %v, release %v", ev[1].Held, ev[2].Held)
		}
	})
	t.Run("DoubleClick", func(t *testing.T) {
		r := newRig(t)
		c := Watch(t, r.Input)
		r.DoubleClick(t)
		expectSeq(t, c, r.Input.Name(), 0, hal.ButtonPress, hal.ButtonRelease, hal.ButtonPress, hal.ButtonDoublePress, hal.ButtonRelease)
	})
	t.Run("NameAndCancel", func(t *testing.T) {
		r := newRig(t)
		if r.Input.Name() == "" {
			t.Error("Name is empty")
		}
		c := Watch(t, r.Input)
		c.Stop(t)
	})
}

// TouchRig is a touch input with named zones and the means to touch them.
type TouchRig struct {
	Input  hal.Input
	Zones  []string                            // at least two
	Touch  func(t *testing.T, zone string)     // touch briefly (less than the long-press time) and let go
	Stroke func(t *testing.T, from, to string) // touch from, then slide to to
}

// TestTouch checks touch zones: start and end per zone, and a stroke.
func TestTouch(t *testing.T, newRig func(t *testing.T) TouchRig) {
	t.Run("EachZone", func(t *testing.T) {
		r := newRig(t)
		c := Watch(t, r.Input)
		skip := 0
		for i, z := range r.Zones {
			if i > 0 {
				// Far enough apart in time not to be a stroke.
				time.Sleep(hal.DefaultStrokeWindow + 100*time.Millisecond)
			}
			r.Touch(t, z)
			ev := expectSeq(t, c, r.Input.Name(), skip, hal.TouchStart, hal.TouchEnd)
			for _, e := range ev {
				if e.Zone != z {
					t.Fatalf("touching %s gave %s on zone %q", z, e.Kind, e.Zone)
				}
			}
			skip += len(ev)
		}
	})
	t.Run("Stroke", func(t *testing.T) {
		r := newRig(t)
		if len(r.Zones) < 2 {
			t.Fatalf("rig has zones %v; a stroke needs two", r.Zones)
		}
		c := Watch(t, r.Input)
		r.Stroke(t, r.Zones[0], r.Zones[1])
		e := c.WaitKind(t, hal.TouchStroke, 0)
		if e.From != r.Zones[0] || e.Zone != r.Zones[1] {
			t.Fatalf("stroke from %q to %q, want %s to %s", e.From, e.Zone, r.Zones[0], r.Zones[1])
		}
		c.WaitFor(t, "both zones released", func(ev []hal.Event) bool {
			ends := 0
			for _, e := range ev {
				if e.Kind == hal.TouchEnd {
					ends++
				}
			}
			return ends >= 2
		})
	})
}

// MotionRig is a motion input and the means to move the robot.
type MotionRig struct {
	Input   hal.Input
	Gesture func(t *testing.T, name string) // pick_up, put_down, shake, fall, tilt
}

// TestMotion plays a day in the life: tilted on its bed, picked up, shaken,
// put down, picked up again and dropped. Each gesture must produce exactly
// its event.
func TestMotion(t *testing.T, newRig func(t *testing.T) MotionRig) {
	r := newRig(t)
	c := Watch(t, r.Input)
	skip := 0
	for _, g := range []struct {
		gesture string
		want    hal.EventKind
	}{
		{"tilt", hal.MotionTilted},
		{"pick_up", hal.MotionPickedUp},
		{"shake", hal.MotionShaken},
		{"put_down", hal.MotionPutDown},
		{"pick_up", hal.MotionPickedUp},
		{"fall", hal.MotionFall},
	} {
		r.Gesture(t, g.gesture)
		ev := expectSeq(t, c, r.Input.Name(), skip, g.want)
		skip = len(c.Events())
		_ = ev
	}
}

// TestEnvSensor checks that an environment input reports a plausible room.
func TestEnvSensor(t *testing.T, in hal.Input) {
	c := Watch(t, in)
	e := c.WaitKind(t, hal.EnvReading, 0)
	if e.Device != in.Name() {
		t.Errorf("reading from %q, want %q", e.Device, in.Name())
	}
	env := e.Env
	if !env.HasTemp && !env.HasHumidity && !env.HasPressure && !env.HasLight {
		t.Fatal("reading has no valid field")
	}
	if env.HasTemp && (env.TemperatureC < -40 || env.TemperatureC > 85 || math.IsNaN(env.TemperatureC)) {
		t.Errorf("temperature %v °C is implausible", env.TemperatureC)
	}
	if env.HasHumidity && (env.HumidityPct < 0 || env.HumidityPct > 100) {
		t.Errorf("humidity %v %% is outside 0..100", env.HumidityPct)
	}
	if env.HasPressure && (env.PressureKPa < 30 || env.PressureKPa > 110) {
		t.Errorf("pressure %v kPa is implausible", env.PressureKPa)
	}
}

// TestBattery checks that a battery input reports a plausible battery.
func TestBattery(t *testing.T, in hal.Input) {
	c := Watch(t, in)
	e := c.WaitKind(t, hal.BatteryReading, 0)
	if e.Device != in.Name() {
		t.Errorf("reading from %q, want %q", e.Device, in.Name())
	}
	b := e.Battery
	if b.Volts <= 0 || b.Volts > 30 || math.IsNaN(b.Volts) {
		t.Errorf("battery at %v V is implausible", b.Volts)
	}
	if b.Percent < 0 || b.Percent > 100 || math.IsNaN(b.Percent) {
		t.Errorf("battery at %v %% is outside 0..100", b.Percent)
	}
}

// eventually waits for cond; nil cond means "cannot observe", which passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if cond == nil {
		return
	}
	deadline := time.Now().Add(Wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", Wait, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// EyesRig is an eyes output and, when it can be observed, a probe.
type EyesRig struct {
	Eyes hal.Eyes
	Lit  func() bool // nil on real hardware nobody is watching
}

// TestEyes checks colours, animations, bad input and Halt.
func TestEyes(t *testing.T, r EyesRig) {
	for _, s := range []hal.EyeState{
		{Color: hal.RGB{R: 255}, Brightness: 1},
		{Color: hal.RGB{G: 128, B: 255}, Brightness: 0.3, Animation: hal.EyesBreathe},
		{Color: hal.RGB{R: 255, G: 200}, Brightness: 0.8, Animation: hal.EyesBlink},
		{Color: hal.RGB{R: 255, G: 255, B: 255}, Brightness: 1, Animation: hal.EyesSparkle},
		{Color: hal.RGB{R: 255}, Brightness: 1, Animation: hal.EyesSteady},
	} {
		if err := r.Eyes.SetEyes(s); err != nil {
			t.Fatalf("SetEyes(%+v) = %v", s, err)
		}
	}
	eventually(t, "the eyes to light", r.Lit)
	for _, bad := range []hal.EyeState{{Brightness: 1.5}, {Brightness: -0.1}, {Brightness: math.NaN()}, {Brightness: 1, Animation: "wink"}} {
		if err := r.Eyes.SetEyes(bad); err == nil {
			t.Errorf("SetEyes(%+v) accepted bad input", bad)
		}
	}
	if err := r.Eyes.Halt(); err != nil {
		t.Fatalf("Halt = %v", err)
	}
	if r.Lit != nil && r.Lit() {
		t.Fatal("eyes lit after Halt")
	}
	if err := r.Eyes.Halt(); err != nil {
		t.Fatalf("second Halt = %v", err)
	}
}

// BuzzerRig is a buzzer and, when observable, a probe.
type BuzzerRig struct {
	Buzzer   hal.Buzzer
	Sounding func() bool
}

// Chirp and Trill are the tunes the suites play.
func Chirp() hal.Tune {
	return hal.Tune{Name: "chirp", Notes: []hal.Note{{Hz: 2000, Dur: 60 * time.Millisecond}, {Hz: 3000, Dur: 80 * time.Millisecond}}}
}

// Trill is a meow-like trill, long enough to be heard while a test looks.
func Trill() hal.Tune {
	var n []hal.Note
	for i := 0; i < 10; i++ {
		n = append(n, hal.Note{Hz: 700 + 40*float64(i%5), Dur: 200 * time.Millisecond})
	}
	return hal.Tune{Name: "trill", Notes: n}
}

// TestBuzzer checks play, replace, bad tunes and Halt.
func TestBuzzer(t *testing.T, r BuzzerRig) {
	if err := r.Buzzer.Play(Chirp()); err != nil {
		t.Fatalf("Play(chirp) = %v", err)
	}
	if err := r.Buzzer.Play(Trill()); err != nil {
		t.Fatalf("Play(trill) replacing chirp = %v", err)
	}
	eventually(t, "the buzzer to sound", r.Sounding)
	for _, bad := range []hal.Tune{{Name: "empty"}, {Name: "negative", Notes: []hal.Note{{Hz: -5, Dur: time.Second}}}, {Name: "instant", Notes: []hal.Note{{Hz: 440}}}, {Name: "nan", Notes: []hal.Note{{Hz: math.NaN(), Dur: time.Second}}}} {
		if err := r.Buzzer.Play(bad); err == nil {
			t.Errorf("Play(%s) accepted a bad tune", bad.Name)
		}
	}
	if err := r.Buzzer.Halt(); err != nil {
		t.Fatalf("Halt = %v", err)
	}
	if r.Sounding != nil && r.Sounding() {
		t.Fatal("still sounding after Halt")
	}
}

// VibratorRig is a purr motor and, when observable, a probe.
type VibratorRig struct {
	Vibrator hal.Vibrator
	Running  func() bool
}

// TestVibrator checks purring, bad patterns and Halt.
func TestVibrator(t *testing.T, r VibratorRig) {
	long := hal.PurrPattern{Name: "deep", Strength: 1, On: 2 * time.Second, Off: 100 * time.Millisecond, Repeat: 3}
	if err := r.Vibrator.Purr(long); err != nil {
		t.Fatalf("Purr = %v", err)
	}
	eventually(t, "the motor to run", r.Running)
	for _, bad := range []hal.PurrPattern{{Name: "too strong", Strength: 1.5, On: time.Second}, {Name: "no pulse", Strength: 0.5}, {Name: "backwards", Strength: 0.5, On: time.Second, Off: -time.Second}} {
		if err := r.Vibrator.Purr(bad); err == nil {
			t.Errorf("Purr(%s) accepted a bad pattern", bad.Name)
		}
	}
	if err := r.Vibrator.Halt(); err != nil {
		t.Fatalf("Halt = %v", err)
	}
	if r.Running != nil && r.Running() {
		t.Fatal("motor running after Halt")
	}
}

// ServoRig is a servo, its limits, and its position when observable.
type ServoRig struct {
	Servo    hal.Servo
	Min, Max float64
	Angle    func() float64
}

// TestServo checks moves within and beyond the limits, bad input and Halt.
func TestServo(t *testing.T, r ServoRig) {
	mid := (r.Min + r.Max) / 2
	near := func(want float64) func() bool {
		if r.Angle == nil {
			return nil
		}
		return func() bool { return math.Abs(r.Angle()-want) < 0.5 }
	}
	if err := r.Servo.MoveTo(mid); err != nil {
		t.Fatalf("MoveTo(%v) = %v", mid, err)
	}
	eventually(t, "the servo at the middle", near(mid))
	if err := r.Servo.MoveTo(r.Max + 90); err != nil {
		t.Fatalf("MoveTo beyond the limit = %v, want it clamped", err)
	}
	eventually(t, "the servo at its upper limit", near(r.Max))
	if r.Angle != nil && r.Angle() > r.Max+0.5 {
		t.Fatalf("servo at %v, beyond its limit %v", r.Angle(), r.Max)
	}
	if err := r.Servo.MoveTo(r.Min - 90); err != nil {
		t.Fatalf("MoveTo below the limit = %v", err)
	}
	eventually(t, "the servo at its lower limit", near(r.Min))
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		if err := r.Servo.MoveTo(bad); err == nil {
			t.Errorf("MoveTo(%v) accepted", bad)
		}
	}
	if err := r.Servo.Halt(); err != nil {
		t.Fatalf("Halt = %v", err)
	}
}

// DisplayRig is a display and what it shows when observable.
type DisplayRig struct {
	Display hal.Display
	Current func() hal.Expression
}

// TestDisplay shows every expression, rejects an unknown one, and halts.
func TestDisplay(t *testing.T, r DisplayRig) {
	for _, e := range hal.Expressions() {
		if err := r.Display.Show(e); err != nil {
			t.Fatalf("Show(%s) = %v", e, err)
		}
		if r.Current != nil && r.Current() != e {
			t.Fatalf("after Show(%s) the display shows %q", e, r.Current())
		}
	}
	if err := r.Display.Show("grumpy"); err == nil {
		t.Error(`Show("grumpy") accepted an unknown expression`)
	}
	if err := r.Display.Halt(); err != nil {
		t.Fatalf("Halt = %v", err)
	}
	if r.Current != nil && r.Current() != "" {
		t.Fatalf("display shows %q after Halt", r.Current())
	}
}

// PictureRig is a PictureDisplay and what its 128x64 panel shows: Frame
// returns the lit pixels (white) of the panel, nil when it is off.
type PictureRig struct {
	Display hal.PictureDisplay
	Frame   func() image.Image
}

// TestPictureDisplay shows a QR-sized picture, checks every pixel of the
// panel, refuses a picture too large without touching the panel, and
// brings the face back with Show.
func TestPictureDisplay(t *testing.T, r PictureRig) {
	// Concentric squares, 29 modules wide: a version-3 QR code's size.
	pic := image.NewGray(image.Rect(0, 0, 29, 29))
	for y := 0; y < 29; y++ {
		for x := 0; x < 29; x++ {
			if ring := min(x, y, 28-x, 28-y); ring%2 == 0 {
				pic.SetGray(x, y, color.Gray{Y: 0xff})
			}
		}
	}
	if err := r.Display.ShowPicture(pic); err != nil {
		t.Fatalf("ShowPicture = %v", err)
	}
	want := image.NewGray(image.Rect(0, 0, 128, 64))
	if err := hal.DrawPicture(want, pic); err != nil {
		t.Fatal(err)
	}
	samePanel(t, "after ShowPicture", r.Frame(), want)
	if err := r.Display.ShowPicture(image.NewGray(image.Rect(0, 0, 200, 10))); err == nil {
		t.Error("ShowPicture took a 200x10 picture on a 128x64 panel")
	}
	samePanel(t, "after a refused picture", r.Frame(), want)
	if err := r.Display.Show(hal.ExprHappy); err != nil {
		t.Fatalf("Show(happy) after a picture = %v", err)
	}
	face := image.NewGray(image.Rect(0, 0, 128, 64))
	if err := hal.DrawFace(face, hal.ExprHappy); err != nil {
		t.Fatal(err)
	}
	samePanel(t, "after Show(happy)", r.Frame(), face)
}

func samePanel(t *testing.T, when string, got image.Image, want *image.Gray) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: the panel is off", when)
	}
	diff := 0
	for y := 0; y < 64; y++ {
		for x := 0; x < 128; x++ {
			g := color.GrayModel.Convert(got.At(x, y)).(color.Gray).Y >= 0x80
			if g != (want.GrayAt(x, y).Y >= 0x80) {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Fatalf("%s: %d of 8192 pixels differ from what should show", when, diff)
	}
}
