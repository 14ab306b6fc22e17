// Package hal is the robot's body as the rest of purrd sees it: small role
// interfaces for inputs and outputs, and the plain value types that cross
// them. It imports nothing outside the standard library so that the periph.io
// implementation (hal/periph), the simulated board (hal/sim) and the fakes
// (hal/haltest) can all be swapped under the daemon.
package hal

import (
	"context"
	"errors"
	"sync"
	"time"
)

// EventKind names what happened. The strings are part of the MQTT API
// (event/<kind> topics carry them), so they never change meaning.
type EventKind string

// Input event kinds.
const (
	ButtonPress       EventKind = "press"
	ButtonLongPress   EventKind = "long_press"
	ButtonDoublePress EventKind = "double_press"
	ButtonRelease     EventKind = "release"

	TouchStart  EventKind = "touch_start"
	TouchHeld   EventKind = "touch_held"
	TouchEnd    EventKind = "touch_end"
	TouchStroke EventKind = "stroke"

	MotionPickedUp EventKind = "picked_up"
	MotionPutDown  EventKind = "put_down"
	MotionShaken   EventKind = "shaken"
	MotionTilted   EventKind = "tilted"
	MotionFall     EventKind = "fall"

	EnvReading     EventKind = "environment"
	BatteryReading EventKind = "battery"

	DeviceFailed    EventKind = "device_failed"
	DeviceRecovered EventKind = "device_recovered"
)

// Class groups kinds for routing (and for the event/<class> MQTT topic).
type Class string

// Event classes.
const (
	ClassButton  Class = "button"
	ClassTouch   Class = "touch"
	ClassMotion  Class = "motion"
	ClassSensor  Class = "sensor"
	ClassBattery Class = "battery"
	ClassHealth  Class = "health"
)

// ClassOf returns the class an event kind belongs to.
func ClassOf(k EventKind) Class {
	switch k {
	case ButtonPress, ButtonLongPress, ButtonDoublePress, ButtonRelease:
		return ClassButton
	case TouchStart, TouchHeld, TouchEnd, TouchStroke:
		return ClassTouch
	case MotionPickedUp, MotionPutDown, MotionShaken, MotionTilted, MotionFall:
		return ClassMotion
	case EnvReading:
		return ClassSensor
	case BatteryReading:
		return ClassBattery
	default:
		return ClassHealth
	}
}

// Event is one thing the body noticed. It is a plain value (no pointers in
// the hot fields) so that producing one in the steady state allocates nothing.
type Event struct {
	Kind   EventKind
	Time   time.Time
	Device string // configured device name, e.g. "button", "touch", "imu"
	Zone   string // touch zone ("head", "back", "chin"); for strokes the zone it ended on
	From   string // stroke: the zone it started on
	Held   time.Duration

	Env     Environment // for EnvReading
	Battery Battery     // for BatteryReading
	Err     string      // for DeviceFailed: what went wrong, naming bus/address
}

// Environment is one reading of the room. A NaN-free zero means "not
// measured": Has* flags say which fields are valid, because 0 °C is real.
type Environment struct {
	TemperatureC float64
	HumidityPct  float64
	PressureKPa  float64
	LightLux     float64
	HasTemp      bool
	HasHumidity  bool
	HasPressure  bool
	HasLight     bool
}

// Battery is one reading of the power supply.
type Battery struct {
	Volts    float64
	Percent  float64
	Charging bool
}

// Emit delivers an event to whoever owns the order of events (the daemon
// loop). Implementations must not block for long; the daemon's emit never
// blocks (it drops and counts when its queue is full).
type Emit func(Event)

// Input is anything that produces events: buttons, touch pads, sensors.
// Watch blocks until ctx is done or the input fails for good, calling emit
// for each event. It must return promptly (well under a second) after ctx is
// cancelled.
type Input interface {
	Name() string
	Watch(ctx context.Context, emit Emit) error
}

// Halter is the part every output shares: return to an inert, safe state
// (LEDs off, buzzer silent, motor stopped, servo relaxed at rest).
type Halter interface {
	Halt() error
}

// RGB is a colour.
type RGB struct{ R, G, B uint8 }

// EyeAnimation names a simple animation the eyes/LED ring can play.
type EyeAnimation string

// Eye animations.
const (
	EyesSteady  EyeAnimation = "steady"
	EyesBlink   EyeAnimation = "blink"
	EyesBreathe EyeAnimation = "breathe"
	EyesSparkle EyeAnimation = "sparkle"
)

// EyeState is what the eyes/LEDs should show.
type EyeState struct {
	Color      RGB
	Brightness float64 // 0..1
	Animation  EyeAnimation
}

// Eyes drives LEDs (a GPIO LED, a PWM LED or a WS2812 ring).
type Eyes interface {
	Halter
	SetEyes(EyeState) error
}

// Note is one tone of a tune. Hz 0 is a rest.
type Note struct {
	Hz  float64
	Dur time.Duration
}

// Tune is a named tone sequence (chirp, trill, ...).
type Tune struct {
	Name  string
	Notes []Note
}

// Buzzer plays tunes. Play starts the tune and returns; a new Play replaces
// the one in progress.
type Buzzer interface {
	Halter
	Play(Tune) error
}

// PurrPattern is a vibration pattern: on/off pulses repeated.
type PurrPattern struct {
	Name     string
	Strength float64 // 0..1
	On, Off  time.Duration
	Repeat   int
}

// Vibrator drives the purr motor. Purr starts the pattern and returns.
type Vibrator interface {
	Halter
	Purr(PurrPattern) error
}

// Servo moves the tail or ears. MoveTo limits the speed to what the config
// allows and returns immediately.
type Servo interface {
	Halter
	MoveTo(angleDeg float64) error
}

// Expression names a face for the OLED eyes.
type Expression string

// Expressions.
const (
	ExprNeutral   Expression = "neutral"
	ExprHappy     Expression = "happy"
	ExprSleepy    Expression = "sleepy"
	ExprSurprised Expression = "surprised"
	ExprSad       Expression = "sad"
	ExprAnnoyed   Expression = "annoyed"
	ExprLove      Expression = "love"
)

// Display shows an expression (SSD1306 OLED eyes).
type Display interface {
	Halter
	Show(Expression) error
}

// Health is what a device reports about itself.
type Health struct {
	Device   string `json:"device"`
	OK       bool   `json:"ok"`
	Degraded bool   `json:"degraded"`
	Err      string `json:"error,omitempty"`
}

// Board is a whole body: its inputs and the outputs it has (nil when the
// robot has no such part). An implementation fills the parts and gives
// SetBackend what only it knows: the devices' health and how to release
// its buses and pins.
type Board struct {
	Kind    string // "sim" or "periph"
	Inputs  []Input
	Eyes    Eyes
	Buzzer  Buzzer
	Purr    Vibrator
	Tail    Servo
	Display Display

	health    func() []Health
	release   func() error
	closeOnce sync.Once
	closeErr  error
}

// SetBackend sets what the implementation supplies: health reports the
// current health of every configured device, release frees what the board
// holds (buses, pins) once its outputs are halted. Either may be nil.
// Call it before the board is used.
func (b *Board) SetBackend(health func() []Health, release func() error) {
	b.health, b.release = health, release
}

// Health returns the current health of every configured device; empty, not
// nil, when the board reports none.
func (b *Board) Health() []Health {
	if b.health == nil {
		return []Health{}
	}
	if h := b.health(); h != nil {
		return h
	}
	return []Health{}
}

// Close halts every output and then releases the board. Only the first call
// does anything; every call returns its result.
func (b *Board) Close() error {
	b.closeOnce.Do(func() {
		errs := []error{b.Halt()}
		if b.release != nil {
			errs = append(errs, b.release())
		}
		b.closeErr = errors.Join(errs...)
	})
	return b.closeErr
}

// Halt returns every output the board has to its safe state. It keeps going
// past errors, so that one broken part does not leave the motor running,
// and returns them all (errors.Join).
func (b *Board) Halt() error {
	var errs []error
	for _, h := range []Halter{b.Eyes, b.Buzzer, b.Purr, b.Tail, b.Display} {
		if h == nil {
			continue
		}
		errs = append(errs, h.Halt())
	}
	return errors.Join(errs...)
}
