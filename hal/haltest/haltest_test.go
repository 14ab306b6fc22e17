package haltest_test

import (
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
}

func TestFakeBoardHalt(t *testing.T) {
	f := haltest.NewBoard()
	b := f.HAL()
	_ = b.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{R: 1}, Brightness: 1})
	f.Servo.Err = errFake
	if err := b.Close(); err != errFake {
		t.Fatalf("Close = %v, want the servo's error", err)
	}
	if !f.Eyes.Halted || !f.Buzzer.Halted || !f.Vibrator.Halted || !f.Display.Halted {
		t.Fatal("one failing part stopped the others from halting")
	}
}

type fakeErr struct{}

func (fakeErr) Error() string { return "servo jammed" }

var errFake error = fakeErr{}
