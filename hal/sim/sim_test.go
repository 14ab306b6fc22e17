package sim_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/haltest"
	"github.com/purrd/purrd/hal/sim"
)

func input(t *testing.T, b *sim.Board, name string) hal.Input {
	t.Helper()
	for _, in := range b.HAL().Inputs {
		if in.Name() == name {
			return in
		}
	}
	t.Fatalf("sim has no input %q", name)
	return nil
}

func inject(t *testing.T, b *sim.Board, in, arg string) {
	t.Helper()
	if err := b.Inject(in, arg); err != nil {
		t.Fatal(err)
	}
}

func TestSimButton(t *testing.T) {
	haltest.TestButton(t, func(t *testing.T) haltest.ButtonRig {
		b := sim.New(sim.Options{})
		return haltest.ButtonRig{
			Input:       input(t, b, sim.DeviceButton),
			Click:       func(t *testing.T) { inject(t, b, "press", "") },
			LongPress:   func(t *testing.T) { inject(t, b, "long_press", "") },
			DoubleClick: func(t *testing.T) { inject(t, b, "double_press", "") },
		}
	})
}

func TestSimTouch(t *testing.T) {
	haltest.TestTouch(t, func(t *testing.T) haltest.TouchRig {
		b := sim.New(sim.Options{})
		return haltest.TouchRig{
			Input: input(t, b, sim.DeviceTouch), Zones: []string{"head", "back", "chin"},
			Touch:  func(t *testing.T, z string) { inject(t, b, "touch", z) },
			Stroke: func(t *testing.T, from, to string) { inject(t, b, "stroke", from+" "+to) },
		}
	})
}

func TestSimMotion(t *testing.T) {
	haltest.TestMotion(t, func(t *testing.T) haltest.MotionRig {
		b := sim.New(sim.Options{})
		return haltest.MotionRig{Input: input(t, b, sim.DeviceIMU), Gesture: func(t *testing.T, g string) { inject(t, b, g, "") }}
	})
}

func TestSimSensors(t *testing.T) {
	b := sim.New(sim.Options{})
	haltest.TestEnvSensor(t, input(t, b, sim.DeviceEnv))
	haltest.TestBattery(t, input(t, b, sim.DeviceBattery))
}

func TestSimOutputs(t *testing.T) {
	b := sim.New(sim.Options{TailMin: 20, TailMax: 160, TailMaxSpeed: 600})
	h := b.HAL()
	haltest.TestEyes(t, haltest.EyesRig{Eyes: h.Eyes, Lit: func() bool { s := b.Outputs().Eyes; return s.Brightness > 0 && s.Color != (hal.RGB{}) }})
	haltest.TestBuzzer(t, haltest.BuzzerRig{Buzzer: h.Buzzer, Sounding: b.BuzzerOutput().Sounding})
	haltest.TestVibrator(t, haltest.VibratorRig{Vibrator: h.Purr, Running: b.PurrOutput().Purring})
	haltest.TestServo(t, haltest.ServoRig{Servo: h.Tail, Min: 20, Max: 160, Angle: b.TailOutput().Angle})
	haltest.TestDisplay(t, haltest.DisplayRig{Display: h.Display, Current: b.DisplayOutput().Expression})
	haltest.TestPictureDisplay(t, haltest.PictureRig{Display: h.Display.(hal.PictureDisplay), Frame: func() image.Image {
		img := image.NewGray(image.Rect(0, 0, 128, 64))
		switch d := b.DisplayOutput(); {
		case d.Picture() != nil:
			_ = hal.DrawPicture(img, d.Picture())
		case d.Expression() != "":
			_ = hal.DrawFace(img, d.Expression())
		default:
			return nil
		}
		return img
	}})
	if got := b.BuzzerOutput().Played(); !slices.Equal(got, []string{"chirp", "trill"}) {
		t.Fatalf("buzzer recorded %v", got)
	}
}

func TestSimServoSpeedLimit(t *testing.T) {
	b := sim.New(sim.Options{TailMaxSpeed: 90})
	start := b.TailOutput().Angle()
	if start != 90 {
		t.Fatalf("tail starts at %v, want the middle (90)", start)
	}
	t0 := time.Now()
	if err := b.HAL().Tail.MoveTo(180); err != nil {
		t.Fatal(err)
	}
	// 90° at 90°/s takes a second: right after the call it cannot be there
	// yet unless a second passed (only a lower bound, safe under load).
	if a := b.TailOutput().Angle(); a == 180 && time.Since(t0) < time.Second {
		t.Fatalf("tail jumped to %v at once", a)
	}
	for b.TailOutput().Angle() < 180 {
		time.Sleep(5 * time.Millisecond)
		if time.Since(t0) > 10*time.Second {
			t.Fatal("tail never arrived")
		}
	}
	if el := time.Since(t0); el < 900*time.Millisecond {
		t.Fatalf("tail moved 90° in %v, faster than 90°/s", el)
	}
}

func TestSimInjectErrors(t *testing.T) {
	b := sim.New(sim.Options{})
	for _, c := range []struct{ in, arg, want string }{
		{"wag", "", `unknown sim input "wag"`},
		{"touch", "", "takes 1 argument"},
		{"touch", "tail", `unknown touch zone "tail"`},
		{"stroke", "head head", "to itself"},
		{"stroke", "head", "takes 2 argument"},
		{"temp", "hot", `"hot": not a number`},
		{"temp", "200", "outside -40..85"},
		{"humidity", "-3", "outside 0..100"},
		{"battery", "NaN", "not a number"},
		{"charge", "maybe", "want on or off"},
		{"press", "twice", "takes 0 argument"},
		{"button", "thrice", `button "thrice": want press, long or double`},
	} {
		err := b.Inject(c.in, c.arg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Inject(%q, %q) = %v, want an error containing %q", c.in, c.arg, err, c.want)
		}
		if c.in != "wag" && (!errors.Is(err, sim.ErrBadArg) || errors.Is(err, sim.ErrUnknownInput)) {
			t.Errorf("Inject(%q, %q) = %v: a bad argument must wrap ErrBadArg alone", c.in, c.arg, err)
		}
	}
	if err := b.Inject("wag", ""); !errors.Is(err, sim.ErrUnknownInput) || errors.Is(err, sim.ErrBadArg) {
		t.Errorf("unknown input error does not wrap ErrUnknownInput alone: %v", err)
	}
}

func TestSimAliases(t *testing.T) {
	b := sim.New(sim.Options{})
	c := haltest.Watch(t, input(t, b, sim.DeviceButton))
	inject(t, b, "button", "long")
	c.WaitKind(t, hal.ButtonLongPress, 0)
	inject(t, b, "Button", "double")
	c.WaitKind(t, hal.ButtonDoublePress, 0)
	m := haltest.Watch(t, input(t, b, sim.DeviceIMU))
	inject(t, b, "pick-up", "")
	m.WaitKind(t, hal.MotionPickedUp, 0)
}

func TestSimLevelsAndCharging(t *testing.T) {
	b := sim.New(sim.Options{SensorInterval: time.Hour})
	c := haltest.Watch(t, input(t, b, sim.DeviceEnv))
	c.WaitKind(t, hal.EnvReading, 0) // the reading at start
	inject(t, b, "temp 31.5", "")
	e := c.WaitKind(t, hal.EnvReading, 1)
	if e.Env.TemperatureC != 31.5 {
		t.Fatalf("temperature %v after temp 31.5", e.Env.TemperatureC)
	}
	bc := haltest.Watch(t, input(t, b, sim.DeviceBattery))
	bc.WaitKind(t, hal.BatteryReading, 0)
	inject(t, b, "battery", "10")
	inject(t, b, "charge", "on")
	e = bc.WaitFor(t, "charging reading", func(ev []hal.Event) bool { return len(ev) >= 3 })[2]
	if e.Battery.Percent != 10 || !e.Battery.Charging || e.Battery.Volts < 3.3 || e.Battery.Volts > 3.5 {
		t.Fatalf("battery %+v, want 10 %% charging at about 3.39 V", e.Battery)
	}
}

func TestSimPeriodicReadings(t *testing.T) {
	b := sim.New(sim.Options{SensorInterval: 20 * time.Millisecond})
	c := haltest.Watch(t, input(t, b, sim.DeviceEnv))
	c.WaitFor(t, "five periodic readings", func(ev []hal.Event) bool { return len(ev) >= 5 })
}

func TestSimPutDownOnTableDoesNothing(t *testing.T) {
	b := sim.New(sim.Options{})
	c := haltest.Watch(t, input(t, b, sim.DeviceIMU))
	inject(t, b, "put_down", "")
	inject(t, b, "pick_up", "")
	c.WaitKind(t, hal.MotionPickedUp, 0)
	if k := c.Kinds(); !slices.Equal(k, []hal.EventKind{hal.MotionPickedUp}) {
		t.Fatalf("put_down while resting, then pick_up: %v", k)
	}
	if s := b.MotionState(); s != "held" {
		t.Fatalf("motion state %q after pick_up", s)
	}
}

func TestScenario(t *testing.T) {
	const sc = `# a short visit
at 0s press
at 50ms touch head
at 100ms stroke head back
at 120ms   temp 25
at 150ms pick_up
`
	steps, err := sim.ParseScenario(strings.NewReader(sc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 5 || steps[3].Input != "temp" || steps[3].Arg != "25" || steps[3].At != 120*time.Millisecond || steps[3].Line != 5 {
		t.Fatalf("steps %+v", steps)
	}
	b := sim.New(sim.Options{SensorInterval: time.Hour})
	var cs []*haltest.Collector
	for _, in := range b.HAL().Inputs {
		cs = append(cs, haltest.Watch(t, in))
	}
	start := time.Now()
	if err := b.PlayScenario(context.Background(), strings.NewReader(sc)); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("scenario finished after %v, before its last step at 150ms", el)
	}
	cs[0].WaitKind(t, hal.ButtonRelease, 0)
	cs[1].WaitKind(t, hal.TouchStroke, 0)
	cs[2].WaitKind(t, hal.MotionPickedUp, 0)
	cs[3].WaitFor(t, "25 °C", func(ev []hal.Event) bool { return len(ev) > 0 && ev[len(ev)-1].Env.TemperatureC == 25 })
}

func TestScenarioErrors(t *testing.T) {
	for _, c := range []struct{ sc, want string }{
		{"press", `line 1: "press": want "at <time> <input> [args]"`},
		{"\n\nat soon press", "line 3: time \"soon\""},
		{"at 1s press\nat 500ms press", "line 2: time 500ms goes back before 1s"},
		{"at -1s press", "outside 0..24h"},
		{"at 1s touch nose", `line 1: sim: unknown touch zone "nose"`},
		{"at 1s dance", `unknown sim input "dance"`},
		{"at 100h press", "outside"},
	} {
		_, err := sim.ParseScenario(strings.NewReader(c.sc), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.sc, err, c.want)
		}
	}
}

func TestScenarioCancel(t *testing.T) {
	b := sim.New(sim.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.PlayScenario(ctx, strings.NewReader("at 1h press")) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(haltest.Wait):
		t.Fatal("scenario did not stop on cancel")
	}
}

func FuzzParseScenario(f *testing.F) {
	f.Add("at 0s press\nat 1s touch head\n")
	f.Add("# c\n\nat 1.5s stroke head back\nat 2s temp -3.5\nat 2s charge on")
	f.Add("at 1s")
	f.Add("at 9999999999h press")
	f.Add("at 1s temp 1e400")
	f.Fuzz(func(t *testing.T, s string) {
		steps, err := sim.ParseScenario(strings.NewReader(s), nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "sim: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		var last time.Duration
		for _, st := range steps {
			if st.At < last || st.At < 0 || st.Line < 1 {
				t.Fatalf("bad step %+v", st)
			}
			last = st.At
		}
	})
}

func TestKeyboardDrivesTheBoard(t *testing.T) {
	b := sim.New(sim.Options{SensorInterval: time.Hour})
	btn := haltest.Watch(t, input(t, b, sim.DeviceButton))
	touch := haltest.Watch(t, input(t, b, sim.DeviceTouch))
	imu := haltest.Watch(t, input(t, b, sim.DeviceIMU))
	env := haltest.Watch(t, input(t, b, sim.DeviceEnv))
	pr, pw := io.Pipe()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- b.Keyboard(context.Background(), pr, &out) }()
	if _, err := pw.Write([]byte(" hpk+z")); err != nil {
		t.Fatal(err)
	}
	btn.WaitKind(t, hal.ButtonPress, 0)
	if e := touch.WaitKind(t, hal.TouchStart, 0); e.Zone != "head" {
		t.Fatalf("h touched %q", e.Zone)
	}
	imu.WaitKind(t, hal.MotionPickedUp, 0)
	imu.WaitKind(t, hal.MotionShaken, 0)
	env.WaitFor(t, "22 °C after +", func(ev []hal.Event) bool { return len(ev) > 0 && ev[len(ev)-1].Env.TemperatureC == 22 })
	if _, err := pw.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, sim.ErrQuit) {
			t.Fatalf("Keyboard returned %v after q, want ErrQuit", err)
		}
	case <-time.After(haltest.Wait):
		t.Fatal("Keyboard did not return after q")
	}
	if !strings.Contains(out.String(), `key 'z' does nothing`) {
		t.Fatalf("unknown key not reported; output %q", out.String())
	}
}

func TestKeyboardEOFAndCancel(t *testing.T) {
	b := sim.New(sim.Options{})
	if err := b.Keyboard(context.Background(), strings.NewReader(""), io.Discard); err != nil {
		t.Fatalf("EOF: %v", err)
	}
	pr, _ := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Keyboard(ctx, pr, io.Discard) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(haltest.Wait):
		t.Fatal("Keyboard did not return on cancel")
	}
}

func TestStatusLine(t *testing.T) {
	b := sim.New(sim.Options{})
	h := b.HAL()
	if err := h.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{R: 0xff, G: 0x88}, Brightness: 0.6, Animation: hal.EyesBreathe}); err != nil {
		t.Fatal(err)
	}
	_ = h.Purr.Purr(hal.PurrPattern{Name: "content", Strength: 0.5, On: time.Hour})
	_ = h.Buzzer.Play(haltest.Chirp())
	_ = h.Display.Show(hal.ExprHappy)
	inject(t, b, "charge on", "")
	line := b.StatusLine()
	for _, want := range []string{"eyes #ff8800 60% breathe", "purring content", "tail 90°", "tune chirp", "face happy", "resting", "21.0°C", "bat 80% charging"} {
		if !strings.Contains(line, want) {
			t.Errorf("status %q lacks %q", line, want)
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	line = b.StatusLine()
	for _, want := range []string{"eyes off", "quiet", "limp"} {
		if !strings.Contains(line, want) {
			t.Errorf("after Close status %q lacks %q", line, want)
		}
	}
}
