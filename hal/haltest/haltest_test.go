package haltest_test

import (
	"errors"
	"image"
	"testing"
	"time"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/haltest"
	"github.com/purrd/purrd/hal/sim"
)

// The fakes pass the suites they stand in for.

func TestFakeButton(t *testing.T) {
	haltest.TestButton(t, func(t *testing.T) haltest.ButtonRig {
		b := haltest.NewButton("button", hal.Timing{})
		return haltest.ButtonRig{
			Input:     b,
			Click:     func(*testing.T) { b.Click(50 * time.Millisecond) },
			LongPress: func(*testing.T) { b.Click(b.Timing.LongPress + 100*time.Millisecond) },
			DoubleClick: func(*testing.T) {
				b.Click(50 * time.Millisecond)
				b.Click(50 * time.Millisecond)
			},
		}
	})
}

func TestFakeTouch(t *testing.T) {
	haltest.TestTouch(t, func(t *testing.T) haltest.TouchRig {
		f := haltest.NewTouch("touch", "head", "back", "chin")
		return haltest.TouchRig{
			Input: f, Zones: f.Zones,
			Touch: func(_ *testing.T, z string) { f.Touch(z, time.Now(), 100*time.Millisecond) },
			Stroke: func(_ *testing.T, from, to string) {
				now := time.Now()
				f.Touch(from, now, 200*time.Millisecond)
				f.Touch(to, now.Add(250*time.Millisecond), 200*time.Millisecond)
			},
		}
	})
}

// A fake IMU: synthesised samples through the real classifier.
func TestFakeMotion(t *testing.T) {
	haltest.TestMotion(t, func(t *testing.T) haltest.MotionRig {
		in := haltest.NewInput("imu")
		syn := sim.NewSynth(3)
		det := hal.NewMotionDetector(hal.DefaultMotionConfig())
		at := time.Now()
		feed := func(s []hal.Vec3) {
			for _, a := range s {
				if k := det.Update(at, a); k != "" {
					in.C <- hal.Event{Kind: k, Time: time.Now()}
				}
				at = at.Add(sim.SynthRate)
			}
		}
		feed(syn.Rest(2 * time.Second))
		return haltest.MotionRig{Input: in, Gesture: func(_ *testing.T, g string) { feed(syn.Gesture(g)) }}
	})
}

func TestFakeSensors(t *testing.T) {
	env := haltest.NewInput("env")
	env.C <- hal.Event{Kind: hal.EnvReading, Env: hal.Environment{TemperatureC: 22, HasTemp: true}}
	haltest.TestEnvSensor(t, env)
	bat := haltest.NewInput("battery")
	bat.C <- hal.Event{Kind: hal.BatteryReading, Battery: hal.Battery{Volts: 3.9, Percent: 66}}
	haltest.TestBattery(t, bat)
}

func TestFakeOutputs(t *testing.T) {
	f := haltest.NewBoard()
	haltest.TestEyes(t, haltest.EyesRig{Eyes: f.Eyes, Lit: f.Eyes.Lit})
	haltest.TestBuzzer(t, haltest.BuzzerRig{Buzzer: f.Buzzer, Sounding: f.Buzzer.Sounding})
	haltest.TestVibrator(t, haltest.VibratorRig{Vibrator: f.Vibrator, Running: f.Vibrator.Running})
	haltest.TestServo(t, haltest.ServoRig{Servo: f.Servo, Min: 0, Max: 180, Angle: f.Servo.Position})
	haltest.TestDisplay(t, haltest.DisplayRig{Display: f.Display, Current: f.Display.Current})
	haltest.TestPictureDisplay(t, haltest.PictureRig{Display: f.Display, Frame: func() image.Image {
		f.Display.Lock()
		defer f.Display.Unlock()
		if f.Display.Halted || len(f.Display.Shown) == 0 {
			return nil
		}
		return panel(f.Display.Shown[len(f.Display.Shown)-1], f.Display.Pictures)
	}})
}

// panel draws what a recording display shows: its last picture when the
// last thing shown was one (""), else the face.
func panel(e hal.Expression, pictures []image.Image) image.Image {
	img := image.NewGray(image.Rect(0, 0, 128, 64))
	if e == "" {
		_ = hal.DrawPicture(img, pictures[len(pictures)-1])
	} else {
		_ = hal.DrawFace(img, e)
	}
	return img
}

func TestFakeBoardHalt(t *testing.T) {
	f := haltest.NewBoard()
	b := f.HAL()
	_ = b.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{R: 1}, Brightness: 1})
	f.Servo.Err = errFake
	eyesErr := errors.New("eyes: i2c write failed")
	f.Eyes.Err = eyesErr
	err := b.Close()
	// Every failure is reported, not only the first.
	if !errors.Is(err, errFake) || !errors.Is(err, eyesErr) {
		t.Fatalf("Close = %v, want both the eyes' and the servo's errors", err)
	}
	if !f.Eyes.Halted || !f.Buzzer.Halted || !f.Vibrator.Halted || !f.Display.Halted {
		t.Fatal("one failing part stopped the others from halting")
	}
	// Close works once; later calls return the same result.
	f.Servo.Err, f.Eyes.Err, f.Buzzer.Halted = nil, nil, false
	if again := b.Close(); again != err || f.Buzzer.Halted {
		t.Fatalf("second Close = %v (halted again: %v), want the first result and nothing done", again, f.Buzzer.Halted)
	}
}

func TestBoardHealthAndCloseWithoutBackend(t *testing.T) {
	b := &hal.Board{Kind: "bare"}
	if h := b.Health(); h == nil || len(h) != 0 {
		t.Fatalf("Health() = %#v, want an empty, non-nil list", h)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close() of a board with no parts = %v", err)
	}
	released := 0
	b = &hal.Board{Kind: "backed", Eyes: &haltest.Eyes{}}
	b.SetBackend(func() []hal.Health { return []hal.Health{{Device: "eyes", OK: true}} }, func() error { released++; return nil })
	if h := b.Health(); len(h) != 1 || h[0].Device != "eyes" {
		t.Fatalf("Health() = %+v, want the backend's", h)
	}
	_ = b.Close()
	_ = b.Close()
	if released != 1 || !b.Eyes.(*haltest.Eyes).Halted {
		t.Fatalf("released %d times, eyes halted %v; want once, after halting", released, b.Eyes.(*haltest.Eyes).Halted)
	}
}

type fakeErr struct{}

func (fakeErr) Error() string { return "servo jammed" }

var errFake error = fakeErr{}
