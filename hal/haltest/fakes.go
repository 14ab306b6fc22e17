// Package haltest has fakes for every hal role, with settable fields in the
// style of periph's gpiotest, and conformance suites in the style of
// testing/slogtest: TestButton, TestTouch, TestMotion, TestEnvSensor,
// TestBattery, TestEyes, TestBuzzer, TestVibrator, TestServo and
// TestDisplay. Every implementation runs the same suites: the fakes here,
// the simulator, periph over gpiotest/i2ctest, and periph on a real board
// under `make smoke`.
package haltest

import (
	"context"
	"fmt"
	"image"
	"math"
	"sync"
	"time"

	"github.com/purrd/purrd/hal"
)

// Input is a fake input: events sent on C are emitted by Watch.
type Input struct {
	DeviceName string
	C          chan hal.Event
	// WatchErr, when set, is returned by Watch at once.
	WatchErr error
}

// NewInput returns a fake input with a buffered channel.
func NewInput(name string) *Input { return &Input{DeviceName: name, C: make(chan hal.Event, 64)} }

// Name implements hal.Input.
func (in *Input) Name() string { return in.DeviceName }

// Watch implements hal.Input.
func (in *Input) Watch(ctx context.Context, emit hal.Emit) error {
	if in.WatchErr != nil {
		return in.WatchErr
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-in.C:
			if e.Device == "" {
				e.Device = in.DeviceName
			}
			if e.Time.IsZero() {
				e.Time = time.Now()
			}
			emit(e)
		}
	}
}

// Button is a fake push button producing events through hal.PressTracker,
// so its sequences are the real ones.
type Button struct {
	*Input
	Timing hal.Timing
	mu     sync.Mutex
	tr     hal.PressTracker
	next   time.Time // earliest start of the next click, so times never go back
}

// NewButton returns a fake button.
func NewButton(name string, timing hal.Timing) *Button {
	b := &Button{Input: NewInput(name), Timing: timing.WithDefaults()}
	b.tr = hal.PressTracker{Device: name, Kinds: hal.ButtonKinds(), Timing: b.Timing}
	return b
}

func (b *Button) send(e hal.Event) { b.C <- e }

// Click presses for held and releases, at virtual times starting now (or
// 50 ms after the previous click, if that is later).
func (b *Button) Click(held time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if now.Before(b.next) {
		now = b.next
	}
	b.next = now.Add(held + 50*time.Millisecond)
	b.tr.Press(now, b.send)
	b.tr.Tick(now.Add(held), b.send)
	b.tr.Release(now.Add(held), b.send)
}

// Touch is a fake set of touch zones.
type Touch struct {
	*Input
	Zones   []string
	strokes hal.StrokeTracker
}

// NewTouch returns fake touch zones.
func NewTouch(name string, zones ...string) *Touch {
	return &Touch{Input: NewInput(name), Zones: zones}
}

// Touch touches zone for held at virtual time at.
func (t *Touch) Touch(zone string, at time.Time, held time.Duration) {
	t.C <- hal.Event{Kind: hal.TouchStart, Time: at, Zone: zone}
	if from, ok := t.strokes.Touch(at, zone); ok {
		t.C <- hal.Event{Kind: hal.TouchStroke, Time: at, Zone: zone, From: from}
	}
	t.C <- hal.Event{Kind: hal.TouchEnd, Time: at.Add(held), Zone: zone, Held: held}
	t.strokes.Release(at.Add(held), zone)
}

// Eyes is a fake eyes output. Lock it to read the fields while in use.
type Eyes struct {
	sync.Mutex
	State  hal.EyeState
	Calls  int
	Halted bool
	Err    error // returned by every call when set
}

// SetEyes implements hal.Eyes.
func (e *Eyes) SetEyes(s hal.EyeState) error {
	e.Lock()
	defer e.Unlock()
	if e.Err != nil {
		return e.Err
	}
	if err := hal.CheckEyes(s); err != nil {
		return fmt.Errorf("haltest: SetEyes: %w", err)
	}
	e.State, e.Calls, e.Halted = s, e.Calls+1, false
	return nil
}

// Halt implements hal.Halter.
func (e *Eyes) Halt() error {
	e.Lock()
	defer e.Unlock()
	e.State, e.Halted = hal.EyeState{}, true
	return e.Err
}

// Lit says whether the eyes show any light.
func (e *Eyes) Lit() bool {
	e.Lock()
	defer e.Unlock()
	return e.State.Brightness > 0 && e.State.Color != (hal.RGB{})
}

// Buzzer is a fake buzzer.
type Buzzer struct {
	sync.Mutex
	Played []hal.Tune
	Halted bool
	Err    error
}

// Play implements hal.Buzzer.
func (z *Buzzer) Play(t hal.Tune) error {
	z.Lock()
	defer z.Unlock()
	if z.Err != nil {
		return z.Err
	}
	if err := hal.CheckTune(t); err != nil {
		return fmt.Errorf("haltest: Play: %w", err)
	}
	z.Played, z.Halted = append(z.Played, t), false
	return nil
}

// Halt implements hal.Halter.
func (z *Buzzer) Halt() error {
	z.Lock()
	defer z.Unlock()
	z.Halted = true
	return z.Err
}

// Sounding says whether a tune was started and not halted.
func (z *Buzzer) Sounding() bool {
	z.Lock()
	defer z.Unlock()
	return len(z.Played) > 0 && !z.Halted
}

// Vibrator is a fake purr motor.
type Vibrator struct {
	sync.Mutex
	Patterns []hal.PurrPattern
	Halted   bool
	Err      error
}

// Purr implements hal.Vibrator.
func (v *Vibrator) Purr(p hal.PurrPattern) error {
	v.Lock()
	defer v.Unlock()
	if v.Err != nil {
		return v.Err
	}
	if err := hal.CheckPurr(p); err != nil {
		return fmt.Errorf("haltest: Purr: %w", err)
	}
	v.Patterns, v.Halted = append(v.Patterns, p), false
	return nil
}

// Halt implements hal.Halter.
func (v *Vibrator) Halt() error {
	v.Lock()
	defer v.Unlock()
	v.Halted = true
	return v.Err
}

// Running says whether a pattern was started and not halted.
func (v *Vibrator) Running() bool {
	v.Lock()
	defer v.Unlock()
	return len(v.Patterns) > 0 && !v.Halted
}

// Servo is a fake servo that jumps to its (clamped) target.
type Servo struct {
	sync.Mutex
	Min, Max float64
	Angle    float64
	Moves    []float64
	Halted   bool
	Err      error
}

// MoveTo implements hal.Servo.
func (s *Servo) MoveTo(deg float64) error {
	s.Lock()
	defer s.Unlock()
	if s.Err != nil {
		return s.Err
	}
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return fmt.Errorf("haltest: MoveTo(%v): not a number", deg)
	}
	lo, hi := s.Min, s.Max
	if lo == 0 && hi == 0 {
		hi = 180
	}
	s.Angle = math.Max(lo, math.Min(hi, deg))
	s.Moves, s.Halted = append(s.Moves, s.Angle), false
	return nil
}

// Halt implements hal.Halter.
func (s *Servo) Halt() error {
	s.Lock()
	defer s.Unlock()
	s.Halted = true
	return s.Err
}

// Position is the current angle.
func (s *Servo) Position() float64 {
	s.Lock()
	defer s.Unlock()
	return s.Angle
}

// Display is a fake OLED. Pictures holds what ShowPicture showed; Shown
// gets "" for each, so Current tells a picture from the face.
type Display struct {
	sync.Mutex
	Shown    []hal.Expression
	Pictures []image.Image
	Halted   bool
	Err      error
}

// ShowPicture implements hal.PictureDisplay, with the SSD1306's 128x64.
func (d *Display) ShowPicture(img image.Image) error {
	d.Lock()
	defer d.Unlock()
	if d.Err != nil {
		return d.Err
	}
	if err := hal.CheckPicture(img, image.Rect(0, 0, 128, 64)); err != nil {
		return fmt.Errorf("haltest: %w", err)
	}
	d.Shown, d.Pictures, d.Halted = append(d.Shown, ""), append(d.Pictures, img), false
	return nil
}

// Show implements hal.Display.
func (d *Display) Show(e hal.Expression) error {
	d.Lock()
	defer d.Unlock()
	if d.Err != nil {
		return d.Err
	}
	if err := hal.CheckExpression(e); err != nil {
		return fmt.Errorf("haltest: Show: %w", err)
	}
	d.Shown, d.Halted = append(d.Shown, e), false
	return nil
}

// Halt implements hal.Halter.
func (d *Display) Halt() error {
	d.Lock()
	defer d.Unlock()
	d.Halted = true
	return d.Err
}

// Current is the expression shown, "" when halted or never shown.
func (d *Display) Current() hal.Expression {
	d.Lock()
	defer d.Unlock()
	if d.Halted || len(d.Shown) == 0 {
		return ""
	}
	return d.Shown[len(d.Shown)-1]
}

// Board bundles a fake of every part.
type Board struct {
	Button   *Button
	Touch    *Touch
	Motion   *Input
	Env      *Input
	Battery  *Input
	Eyes     *Eyes
	Buzzer   *Buzzer
	Vibrator *Vibrator
	Servo    *Servo
	Display  *Display
}

// NewBoard returns fakes for a whole robot.
func NewBoard() *Board {
	return &Board{
		Button: NewButton("button", hal.Timing{}), Touch: NewTouch("touch", "head", "back", "chin"),
		Motion: NewInput("imu"), Env: NewInput("env"), Battery: NewInput("battery"),
		Eyes: &Eyes{}, Buzzer: &Buzzer{}, Vibrator: &Vibrator{}, Servo: &Servo{Max: 180}, Display: &Display{},
	}
}

// HAL returns the fakes as a hal.Board.
func (f *Board) HAL() *hal.Board {
	b := &hal.Board{
		Kind:   "fake",
		Inputs: []hal.Input{f.Button, f.Touch, f.Motion, f.Env, f.Battery},
		Eyes:   f.Eyes, Buzzer: f.Buzzer, Purr: f.Vibrator, Tail: f.Servo, Display: f.Display,
	}
	return b
}
