// Package sim is a simulated robot body: the same hal interfaces as the
// periph board, driven by Inject (from the MQTT sim/<input> topics, tests and
// scenario files) or by the keyboard, with outputs that remember what they
// were told and a one-line status for a terminal.
//
// Motion inputs are not faked as events: the simulator synthesises
// accelerometer samples for the gesture and runs them through the same
// hal.MotionDetector the real MPU9250 feeds, so what the sim reports is
// what the classifier would report.
package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/purrd/purrd/hal"
)

// Options configures a simulated board. Zero values mean the defaults.
type Options struct {
	Log *slog.Logger
	// SensorInterval is how often the environment and battery report
	// (default 30 s). Between reports the sim costs no CPU.
	SensorInterval time.Duration
	Timing         hal.Timing // for the Held durations of injected presses
	Zones          []string   // touch zones (default head, back, chin)

	TemperatureC float64 // starting room (default 21 °C, 45 %, 101.3 kPa)
	HumidityPct  float64
	PressureKPa  float64
	BatteryPct   float64 // starting charge (default 80 %)

	TailMin, TailMax float64 // servo limits (default 0..180)
	TailMaxSpeed     float64 // degrees per second (default 120)
}

// Device names of the simulated inputs, as they appear in events.
const (
	DeviceButton  = "button"
	DeviceTouch   = "touch"
	DeviceIMU     = "imu"
	DeviceEnv     = "env"
	DeviceBattery = "battery"
)

// Battery voltage model: one Li-ion cell.
const (
	emptyVolts = 3.3
	fullVolts  = 4.2
)

// Board is a simulated body.
type Board struct {
	opts Options
	log  *slog.Logger

	button, touch, imu, env, battery *input

	mu      sync.Mutex
	room    hal.Environment
	bat     hal.Battery
	motion  *motionSim
	changed chan struct{} // poked when something the status line shows changed

	eyes    *Eyes
	buzzer  *Buzzer
	purr    *Vibrator
	tail    *Servo
	display *Display
	board   *hal.Board
}

// New returns a simulated board.
func New(opts Options) *Board {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.SensorInterval <= 0 {
		opts.SensorInterval = 30 * time.Second
	}
	opts.Timing = opts.Timing.WithDefaults()
	if len(opts.Zones) == 0 {
		opts.Zones = defaultZones()
	}
	if opts.TemperatureC == 0 && opts.HumidityPct == 0 {
		opts.TemperatureC, opts.HumidityPct = 21, 45
	}
	if opts.PressureKPa == 0 {
		opts.PressureKPa = 101.3
	}
	if opts.BatteryPct == 0 {
		opts.BatteryPct = 80
	}
	if opts.TailMin == 0 && opts.TailMax == 0 {
		opts.TailMax = 180
	}
	if opts.TailMaxSpeed == 0 {
		opts.TailMaxSpeed = 120
	}
	b := &Board{opts: opts, log: opts.Log, changed: make(chan struct{}, 1)}
	b.room = hal.Environment{TemperatureC: opts.TemperatureC, HumidityPct: opts.HumidityPct, PressureKPa: opts.PressureKPa, HasTemp: true, HasHumidity: true, HasPressure: true}
	b.bat = batteryAt(opts.BatteryPct, false)
	b.motion = newMotionSim()
	b.button = newInput(DeviceButton, 0, nil)
	b.touch = newInput(DeviceTouch, 0, nil)
	b.imu = newInput(DeviceIMU, 0, nil)
	b.env = newInput(DeviceEnv, opts.SensorInterval, b.envReading)
	b.battery = newInput(DeviceBattery, opts.SensorInterval, b.batteryReading)
	b.eyes = &Eyes{notify: b.poke}
	b.buzzer = &Buzzer{notify: b.poke}
	b.purr = &Vibrator{notify: b.poke}
	b.tail = &Servo{notify: b.poke, min: opts.TailMin, max: opts.TailMax, speed: opts.TailMaxSpeed, from: (opts.TailMin + opts.TailMax) / 2, to: (opts.TailMin + opts.TailMax) / 2}
	b.display = &Display{notify: b.poke}
	b.board = &hal.Board{
		Kind:    "sim",
		Inputs:  []hal.Input{b.button, b.touch, b.imu, b.env, b.battery},
		Eyes:    b.eyes,
		Buzzer:  b.buzzer,
		Purr:    b.purr,
		Tail:    b.tail,
		Display: b.display,
	}
	b.board.SetBackend(func() []hal.Health {
		var out []hal.Health
		for _, n := range []string{DeviceButton, DeviceTouch, DeviceIMU, DeviceEnv, DeviceBattery, "eyes", "buzzer", "purr", "tail", "display"} {
			out = append(out, hal.Health{Device: n, OK: true})
		}
		return out
	}, nil)
	return b
}

// HAL returns the board as the daemon uses it.
func (b *Board) HAL() *hal.Board { return b.board }

func (b *Board) poke() {
	select {
	case b.changed <- struct{}{}:
	default:
	}
}

func batteryAt(pct float64, charging bool) hal.Battery {
	pct = math.Max(0, math.Min(100, pct))
	return hal.Battery{Volts: math.Round((emptyVolts+(fullVolts-emptyVolts)*pct/100)*1000) / 1000, Percent: pct, Charging: charging}
}

func (b *Board) envReading(now time.Time) hal.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return hal.Event{Kind: hal.EnvReading, Time: now, Device: DeviceEnv, Env: b.room}
}

func (b *Board) batteryReading(now time.Time) hal.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return hal.Event{Kind: hal.BatteryReading, Time: now, Device: DeviceBattery, Battery: b.bat}
}

// Inputs lists what Inject accepts, with the argument each takes.
func Inputs() []string {
	return []string{"press", "long_press", "double_press", "button press|long|double", "touch <zone>", "stroke <from> <to>",
		"pick_up", "put_down", "shake", "fall", "tilt",
		"temp <celsius>", "humidity <percent>", "battery <percent>", "charge on|off"}
}

// ErrUnknownInput is wrapped by Inject's error for an input it does not know.
var ErrUnknownInput = errors.New("unknown sim input")

// ErrBadArg is wrapped by Inject's error for a known input with an
// argument it cannot take (a zone the board lacks, a number out of range).
var ErrBadArg = errors.New("bad sim argument")

// argError is a parse error of a known input: its message as it was, and
// ErrBadArg for errors.Is.
type argError struct{ err error }

func (e argError) Error() string   { return e.err.Error() }
func (e argError) Unwrap() []error { return []error{e.err, ErrBadArg} }

// command is a validated Inject call.
type command struct {
	input string
	args  []string
	num   float64
}

// parseInput checks an input and its arguments against the rules Inject
// applies, without acting on them.
func parseInput(input, arg string, zones []string) (command, error) {
	input = strings.TrimSpace(input)
	if name, rest, ok := strings.Cut(input, " "); ok && arg == "" {
		input, arg = name, strings.TrimSpace(rest)
	}
	input = strings.ReplaceAll(strings.ToLower(input), "-", "_")
	switch input { // the names people (and the MQTT docs) also use
	case "button":
		switch strings.TrimSpace(arg) {
		case "", "press", "click":
			input, arg = "press", ""
		case "long", "long_press", "hold":
			input, arg = "long_press", ""
		case "double", "double_press":
			input, arg = "double_press", ""
		default:
			return command{input: input}, fmt.Errorf("sim: button %q: want press, long or double", arg)
		}
	case "pickup":
		input = "pick_up"
	case "putdown":
		input = "put_down"
	case "temperature":
		input = "temp"
	}
	c := command{input: input, args: strings.Fields(arg)}
	need := func(n int) error {
		if len(c.args) != n {
			return fmt.Errorf("sim: %s takes %d argument(s), got %q", input, n, arg)
		}
		return nil
	}
	zone := func(z string) error {
		if slices.Contains(zones, z) {
			return nil
		}
		return fmt.Errorf("sim: unknown touch zone %q (zones: %s)", z, strings.Join(zones, ", "))
	}
	switch input {
	case "press", "long_press", "double_press", "pick_up", "put_down", "shake", "fall", "tilt":
		return c, need(0)
	case "touch":
		if err := need(1); err != nil {
			return c, err
		}
		return c, zone(c.args[0])
	case "stroke":
		if err := need(2); err != nil {
			return c, err
		}
		for _, z := range c.args {
			if err := zone(z); err != nil {
				return c, err
			}
		}
		if c.args[0] == c.args[1] {
			return c, fmt.Errorf("sim: stroke from %s to itself: give two different zones", c.args[0])
		}
		return c, nil
	case "temp", "humidity", "battery":
		if err := need(1); err != nil {
			return c, err
		}
		v, err := strconv.ParseFloat(c.args[0], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return c, fmt.Errorf("sim: %s %q: not a number", input, c.args[0])
		}
		lo, hi, unit := 0.0, 100.0, "%"
		if input == "temp" {
			lo, hi, unit = -40, 85, "°C"
		}
		if v < lo || v > hi {
			return c, fmt.Errorf("sim: %s %v %s is outside %v..%v", input, v, unit, lo, hi)
		}
		c.num = v
		return c, nil
	case "charge":
		if err := need(1); err != nil {
			return c, err
		}
		if c.args[0] != "on" && c.args[0] != "off" {
			return c, fmt.Errorf("sim: charge %q: want on or off", c.args[0])
		}
		return c, nil
	}
	return c, fmt.Errorf("sim: %w %q (want one of: %s)", ErrUnknownInput, input, strings.Join(Inputs(), ", "))
}

// Inject makes something happen to the body, as if in the real world: a
// press, a touch, a gesture or a change of room or battery. The input may
// carry its argument after a space ("touch head") or in arg. Events are
// queued to the matching input's Watch; when nobody watches and the queue
// is full, the event is dropped and reported as an error.
func (b *Board) Inject(input, arg string) error {
	c, err := parseInput(input, arg, b.opts.Zones)
	if err != nil {
		if !errors.Is(err, ErrUnknownInput) {
			err = argError{err}
		}
		return err
	}
	now := time.Now()
	t := b.opts.Timing
	switch c.input {
	case "press", "long_press", "double_press":
		tr := hal.PressTracker{Device: DeviceButton, Kinds: hal.ButtonKinds(), Timing: t}
		var evs []hal.Event
		emit := func(e hal.Event) { evs = append(evs, e) }
		switch c.input {
		case "press":
			tr.Press(now, emit)
			tr.Release(now.Add(80*time.Millisecond), emit)
		case "long_press":
			tr.Press(now, emit)
			tr.Release(now.Add(t.LongPress+100*time.Millisecond), emit)
		case "double_press":
			gap := min(t.DoublePress/2, 100*time.Millisecond)
			tr.Press(now, emit)
			tr.Release(now.Add(80*time.Millisecond), emit)
			tr.Press(now.Add(80*time.Millisecond+gap), emit)
			tr.Release(now.Add(160*time.Millisecond+gap), emit)
		}
		return b.button.push(evs...)
	case "touch":
		z := c.args[0]
		return b.touch.push(
			hal.Event{Kind: hal.TouchStart, Time: now, Device: DeviceTouch, Zone: z},
			hal.Event{Kind: hal.TouchEnd, Time: now.Add(300 * time.Millisecond), Device: DeviceTouch, Zone: z, Held: 300 * time.Millisecond})
	case "stroke":
		from, to := c.args[0], c.args[1]
		t1 := now.Add(250 * time.Millisecond)
		return b.touch.push(
			hal.Event{Kind: hal.TouchStart, Time: now, Device: DeviceTouch, Zone: from},
			hal.Event{Kind: hal.TouchEnd, Time: t1, Device: DeviceTouch, Zone: from, Held: 250 * time.Millisecond},
			hal.Event{Kind: hal.TouchStart, Time: t1, Device: DeviceTouch, Zone: to},
			hal.Event{Kind: hal.TouchStroke, Time: t1, Device: DeviceTouch, Zone: to, From: from},
			hal.Event{Kind: hal.TouchEnd, Time: t1.Add(250 * time.Millisecond), Device: DeviceTouch, Zone: to, Held: 250 * time.Millisecond})
	case "pick_up", "put_down", "shake", "fall", "tilt":
		b.mu.Lock()
		kinds := b.motion.gesture(c.input)
		b.mu.Unlock()
		evs := make([]hal.Event, 0, len(kinds))
		for _, k := range kinds {
			evs = append(evs, hal.Event{Kind: k, Time: now, Device: DeviceIMU})
		}
		if len(evs) == 0 {
			b.log.Info("sim gesture produced no motion event", "gesture", c.input, "state", b.MotionState())
		}
		b.poke()
		return b.imu.push(evs...)
	case "temp", "humidity", "battery":
		return b.setLevel(c.input, c.num, now)
	case "charge":
		b.mu.Lock()
		b.bat = batteryAt(b.bat.Percent, c.args[0] == "on")
		b.mu.Unlock()
		b.poke()
		return b.battery.push(b.batteryReading(now))
	}
	return fmt.Errorf("sim: %w %q", ErrUnknownInput, c.input)
}

func (b *Board) setLevel(what string, v float64, now time.Time) error {
	b.mu.Lock()
	switch what {
	case "temp":
		b.room.TemperatureC = v
	case "humidity":
		b.room.HumidityPct = v
	case "battery":
		b.bat = batteryAt(v, b.bat.Charging)
	}
	b.mu.Unlock()
	b.poke()
	if what == "battery" {
		return b.battery.push(b.batteryReading(now))
	}
	return b.env.push(b.envReading(now))
}

// Room is the simulated environment now.
func (b *Board) Room() hal.Environment {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.room
}

// Battery is the simulated battery now.
func (b *Board) Battery() hal.Battery {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bat
}

// MotionState is "resting", "held" or "unknown": where the simulated
// accelerometer's classifier believes the robot is.
func (b *Board) MotionState() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.motion.state()
}

// input is one simulated input: injected events queue here until Watch
// delivers them; a periodic reading (env, battery) is produced on a timer.
type input struct {
	name     string
	q        chan hal.Event
	interval time.Duration
	periodic func(time.Time) hal.Event
}

func newInput(name string, interval time.Duration, periodic func(time.Time) hal.Event) *input {
	return &input{name: name, q: make(chan hal.Event, 256), interval: interval, periodic: periodic}
}

func (in *input) Name() string { return in.name }

func (in *input) push(evs ...hal.Event) error {
	for _, e := range evs {
		select {
		case in.q <- e:
		default:
			return fmt.Errorf("sim: %s queue full (is anything watching the board?); dropped %s", in.name, e.Kind)
		}
	}
	return nil
}

// Watch implements hal.Input. It sleeps in select: idle costs nothing.
func (in *input) Watch(ctx context.Context, emit hal.Emit) error {
	var tick <-chan time.Time
	if in.periodic != nil {
		t := time.NewTicker(in.interval)
		defer t.Stop()
		tick = t.C
		emit(in.periodic(time.Now()))
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-in.q:
			emit(e)
		case now := <-tick:
			emit(in.periodic(now))
		}
	}
}

func defaultZones() []string { return []string{"head", "back", "chin"} }
