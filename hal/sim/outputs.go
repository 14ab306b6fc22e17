package sim

import (
	"fmt"
	"image"
	"math"
	"sync"
	"time"

	"github.com/purrd/purrd/hal"
)

// Eyes records what the eyes were told.
type Eyes struct {
	notify func()
	mu     sync.Mutex
	state  hal.EyeState
	calls  int
}

// SetEyes implements hal.Eyes.
func (e *Eyes) SetEyes(s hal.EyeState) error {
	if err := hal.CheckEyes(s); err != nil {
		return fmt.Errorf("sim: SetEyes: %w", err)
	}
	e.mu.Lock()
	e.state, e.calls = s, e.calls+1
	e.mu.Unlock()
	e.notify()
	return nil
}

// Halt implements hal.Halter: eyes dark.
func (e *Eyes) Halt() error {
	e.mu.Lock()
	e.state = hal.EyeState{}
	e.mu.Unlock()
	e.notify()
	return nil
}

// State is what the eyes show now (zero after Halt).
func (e *Eyes) State() hal.EyeState {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state
}

// Buzzer records the tunes it was asked to play.
type Buzzer struct {
	notify func()
	mu     sync.Mutex
	last   hal.Tune
	played []string
	until  time.Time
}

// Play implements hal.Buzzer.
func (z *Buzzer) Play(t hal.Tune) error {
	if err := hal.CheckTune(t); err != nil {
		return fmt.Errorf("sim: Play: %w", err)
	}
	var d time.Duration
	for _, n := range t.Notes {
		d += n.Dur
	}
	z.mu.Lock()
	z.last = hal.Tune{Name: t.Name, Notes: append([]hal.Note(nil), t.Notes...)}
	z.played = append(z.played, t.Name)
	if len(z.played) > 100 {
		z.played = z.played[len(z.played)-100:]
	}
	z.until = time.Now().Add(d)
	z.mu.Unlock()
	z.notify()
	return nil
}

// Halt implements hal.Halter: silence.
func (z *Buzzer) Halt() error {
	z.mu.Lock()
	z.until = time.Time{}
	z.mu.Unlock()
	z.notify()
	return nil
}

// Last is the last tune played ("" name when none).
func (z *Buzzer) Last() hal.Tune {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.last
}

// Played lists the names of the last (up to 100) tunes, oldest first.
func (z *Buzzer) Played() []string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]string(nil), z.played...)
}

// Sounding says whether a tune is still playing.
func (z *Buzzer) Sounding() bool {
	z.mu.Lock()
	defer z.mu.Unlock()
	return time.Now().Before(z.until)
}

// Vibrator records purr patterns.
type Vibrator struct {
	notify func()
	mu     sync.Mutex
	last   hal.PurrPattern
	until  time.Time
}

// Purr implements hal.Vibrator. Repeat <= 0 plays the pulse once.
func (v *Vibrator) Purr(p hal.PurrPattern) error {
	if err := hal.CheckPurr(p); err != nil {
		return fmt.Errorf("sim: Purr: %w", err)
	}
	d := time.Duration(max(p.Repeat, 1)) * (p.On + p.Off)
	v.mu.Lock()
	v.last, v.until = p, time.Now().Add(d)
	v.mu.Unlock()
	v.notify()
	return nil
}

// Halt implements hal.Halter: motor stopped.
func (v *Vibrator) Halt() error {
	v.mu.Lock()
	v.until = time.Time{}
	v.mu.Unlock()
	v.notify()
	return nil
}

// Purring says whether a pattern is running; Last is the last pattern.
func (v *Vibrator) Purring() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return time.Now().Before(v.until)
}

// Last is the last purr pattern asked for.
func (v *Vibrator) Last() hal.PurrPattern {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

// Servo models a speed-limited servo: its angle is computed from the time
// since the last command, so no goroutine ticks while it moves.
type Servo struct {
	notify   func()
	min, max float64
	speed    float64
	mu       sync.Mutex
	from, to float64
	at       time.Time
	relaxed  bool
}

// MoveTo implements hal.Servo.
func (s *Servo) MoveTo(deg float64) error {
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return fmt.Errorf("sim: MoveTo(%v): not a number", deg)
	}
	now := time.Now()
	s.mu.Lock()
	s.from = s.angleAt(now)
	s.to = math.Max(s.min, math.Min(s.max, deg))
	s.at, s.relaxed = now, false
	s.mu.Unlock()
	s.notify()
	return nil
}

func (s *Servo) angleAt(now time.Time) float64 {
	if s.speed <= 0 {
		return s.to
	}
	travel := s.speed * now.Sub(s.at).Seconds()
	if d := s.to - s.from; math.Abs(d) <= travel {
		return s.to
	} else if d > 0 {
		return s.from + travel
	}
	return s.from - travel
}

// Angle is where the servo is now.
func (s *Servo) Angle() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.angleAt(time.Now())
}

// Relaxed says whether the servo was halted and not moved since.
func (s *Servo) Relaxed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.relaxed
}

// Halt implements hal.Halter: stops where it is, limp.
func (s *Servo) Halt() error {
	now := time.Now()
	s.mu.Lock()
	a := s.angleAt(now)
	s.from, s.to, s.at, s.relaxed = a, a, now, true
	s.mu.Unlock()
	s.notify()
	return nil
}

// Display records the expression (or picture) shown.
type Display struct {
	notify  func()
	mu      sync.Mutex
	expr    hal.Expression
	picture image.Image
	on      bool
}

// Show implements hal.Display.
func (d *Display) Show(e hal.Expression) error {
	if err := hal.CheckExpression(e); err != nil {
		return fmt.Errorf("sim: Show: %w", err)
	}
	d.mu.Lock()
	d.expr, d.picture, d.on = e, nil, true
	d.mu.Unlock()
	d.notify()
	return nil
}

// ShowPicture implements hal.PictureDisplay, with the SSD1306's 128x64.
func (d *Display) ShowPicture(img image.Image) error {
	if err := hal.CheckPicture(img, image.Rect(0, 0, 128, 64)); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	d.mu.Lock()
	d.expr, d.picture, d.on = "", img, true
	d.mu.Unlock()
	d.notify()
	return nil
}

// Picture is the picture shown, nil when the face (or nothing) is.
func (d *Display) Picture() image.Image {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.on {
		return nil
	}
	return d.picture
}

// Halt implements hal.Halter: panel off.
func (d *Display) Halt() error {
	d.mu.Lock()
	d.on = false
	d.mu.Unlock()
	d.notify()
	return nil
}

// Expression is what the panel shows ("" when off).
func (d *Display) Expression() hal.Expression {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.on {
		return ""
	}
	return d.expr
}

// Outputs is a snapshot of every simulated output.
type Outputs struct {
	Eyes       hal.EyeState
	Purring    bool
	Purr       string // last purr pattern's name
	TailAngle  float64
	TailLimp   bool
	Tune       string // last tune's name
	Sounding   bool
	Expression hal.Expression
}

// Outputs returns what every output is doing now.
func (b *Board) Outputs() Outputs {
	return Outputs{
		Eyes: b.eyes.State(), Purring: b.purr.Purring(), Purr: b.purr.Last().Name,
		TailAngle: b.tail.Angle(), TailLimp: b.tail.Relaxed(),
		Tune: b.buzzer.Last().Name, Sounding: b.buzzer.Sounding(), Expression: b.display.Expression(),
	}
}

// EyesOutput, BuzzerOutput, ... give tests the concrete recorders.
func (b *Board) EyesOutput() *Eyes { return b.eyes }

// BuzzerOutput is the simulated buzzer.
func (b *Board) BuzzerOutput() *Buzzer { return b.buzzer }

// PurrOutput is the simulated vibration motor.
func (b *Board) PurrOutput() *Vibrator { return b.purr }

// TailOutput is the simulated tail servo.
func (b *Board) TailOutput() *Servo { return b.tail }

// DisplayOutput is the simulated OLED.
func (b *Board) DisplayOutput() *Display { return b.display }
