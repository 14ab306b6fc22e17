// Package periph is the robot's body on a real board: hal's role interfaces
// implemented with periph.io host drivers (GPIO, I²C, SPI) and device drivers
// (bmxx80, mpu9250, ina219, cap1xxx, pca9685, ssd1306, nrzled).
//
// Open uses the host's registries; OpenWith takes the pins and buses to use,
// so tests drive the very same code with gpiotest and i2ctest fakes.
package periph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spireg"
	"periph.io/x/host/v3"

	"github.com/purrd/purrd/hal"
)

// Hardware is what OpenWith wires devices to. Nil maps and missing entries
// mean "not present"; Open fills them from periph's registries instead.
type Hardware struct {
	Pins map[string]gpio.PinIO // by pin name, e.g. "GPIO17"
	I2C  map[string]i2c.Bus    // by bus name, e.g. "1"
	SPI  map[string]spi.Port   // by port name, e.g. "/dev/spidev0.0"

	// RetryMin and RetryMax bound the backoff between attempts to read a
	// failed device (defaults 1 s and 1 min).
	RetryMin, RetryMax time.Duration
	// Motion overrides the motion classifier's thresholds (zero: defaults).
	Motion hal.MotionConfig
	// ChatterLimit is how many changes a second a GPIO input may make
	// before it is muted as faulty (0: 20; negative: never muted).
	ChatterLimit int
	// Clock stamps sensor readings and times GPIO inputs (debounce, long
	// and double press, chatter and stuck windows); nil: time.Now. Tests
	// replaying recorded samples give it the recording's clock, and GPIO
	// tests a virtual one that their fake pin advances in WaitForEdge.
	Clock func() time.Time

	// opened is set by Open: buses opened from the registries are closed
	// with the board.
	registry bool
}

// Open initialises periph's host drivers and opens every device in specs.
// A device that does not answer is an error naming it, its bus and address,
// unless it is Optional: then it is left out, logged, and reported by the
// board's Health as not OK.
func Open(ctx context.Context, specs []hal.DeviceSpec, timing hal.Timing, log *slog.Logger) (*hal.Board, error) {
	if _, err := host.Init(); err != nil {
		return nil, fmt.Errorf("periph: host.Init: %w", err)
	}
	return OpenWith(ctx, specs, timing, log, Hardware{registry: true})
}

// OpenWith is Open over the given pins and buses, without host.Init.
func OpenWith(ctx context.Context, specs []hal.DeviceSpec, timing hal.Timing, log *slog.Logger, hw Hardware) (*hal.Board, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if hw.RetryMin <= 0 {
		hw.RetryMin = time.Second
	}
	if hw.RetryMax < hw.RetryMin {
		hw.RetryMax = max(time.Minute, hw.RetryMin)
	}
	if hw.Clock == nil {
		hw.Clock = time.Now
	}
	if hw.Motion == (hal.MotionConfig{}) {
		hw.Motion = hal.DefaultMotionConfig()
	}
	b := &builder{
		hw: hw, timing: timing.WithDefaults(), log: log,
		health: &healthTable{}, strokes: &hal.StrokeTracker{},
		i2c: map[string]i2c.Bus{}, spi: map[string]spi.Port{},
	}
	board := &hal.Board{Kind: "periph"}
	seen := map[string]bool{}
	for _, s := range specs {
		if s.Name == "" {
			b.closeAll()
			return nil, fmt.Errorf("periph: device of kind %q has no name", s.Kind)
		}
		if seen[s.Name] {
			b.closeAll()
			return nil, fmt.Errorf("periph: device name %q used twice", s.Name)
		}
		seen[s.Name] = true
		if err := ctx.Err(); err != nil {
			b.closeAll()
			return nil, fmt.Errorf("periph: open: %w", err)
		}
		err := b.add(board, s)
		if err == nil {
			b.health.set(hal.Health{Device: s.Name, OK: true})
			continue
		}
		if !s.Optional {
			b.closeAll()
			return nil, err
		}
		log.Warn("optional device missing; continuing without it", "device", s.Name, "kind", s.Kind, "err", err)
		b.health.set(hal.Health{Device: s.Name, OK: false, Err: err.Error()})
	}
	board.SetBackend(b.health.snapshot, b.closeAll)
	return board, nil
}

// builder carries what devices share while the board is assembled.
type builder struct {
	hw      Hardware
	timing  hal.Timing
	log     *slog.Logger
	health  *healthTable
	strokes *hal.StrokeTracker
	i2c     map[string]i2c.Bus
	spi     map[string]spi.Port
	closers []io.Closer
	halters []hal.Halter // outputs created so far, halted if Open fails
}

func (b *builder) closeAll() error {
	var errs []error
	for _, h := range b.halters {
		errs = append(errs, h.Halt())
	}
	b.halters = nil
	for i := len(b.closers) - 1; i >= 0; i-- {
		errs = append(errs, b.closers[i].Close())
	}
	b.closers = nil
	return errors.Join(errs...)
}

func (b *builder) pin(s hal.DeviceSpec, name string) (gpio.PinIO, error) {
	if name == "" {
		return nil, fmt.Errorf("periph: device %s: no pin configured", s)
	}
	if p, ok := b.hw.Pins[name]; ok && p != nil {
		return p, nil
	}
	if b.hw.registry {
		if p := gpioreg.ByName(name); p != nil {
			return p, nil
		}
	}
	return nil, fmt.Errorf("periph: device %s: GPIO pin %s not found on this board (run `purrd hw` to list pins)", s, name)
}

func (b *builder) i2cBus(s hal.DeviceSpec) (i2c.Bus, error) {
	return sharedConn(b, s, "I2C", "bus", b.i2c, b.hw.I2C, func(name string) (i2c.Bus, io.Closer, error) {
		bus, err := i2creg.Open(name)
		return bus, bus, err
	})
}

func (b *builder) spiPort(s hal.DeviceSpec) (spi.Port, error) {
	return sharedConn(b, s, "SPI", "port", b.spi, b.hw.SPI, func(name string) (spi.Port, io.Closer, error) {
		p, err := spireg.Open(name)
		return p, p, err
	})
}

// sharedConn returns the I2C bus or SPI port a device names, shared by
// every device on it: the one already opened for an earlier device, one
// handed in through Hardware, or on a real board one opened from periph's
// registry (and closed with the board). proto and noun ("I2C", "bus") word
// the errors.
func sharedConn[T any](b *builder, s hal.DeviceSpec, proto, noun string, opened, given map[string]T, open func(name string) (T, io.Closer, error)) (T, error) {
	name := s.Bus
	if c, ok := opened[name]; ok {
		return c, nil
	}
	if c, ok := given[name]; ok && any(c) != nil {
		opened[name] = c
		return c, nil
	}
	var none T
	if b.hw.registry {
		c, closer, err := open(name)
		if err != nil {
			return none, fmt.Errorf("periph: device %s: open %s %s %q: %w (is %s enabled? see docs/hardware.md)", s, proto, noun, name, err, proto)
		}
		b.closers = append(b.closers, closer)
		opened[name] = c
		return c, nil
	}
	return none, fmt.Errorf("periph: device %s: %s %s %q not found", s, proto, noun, name)
}

// add opens one device and puts it where it belongs on the board.
func (b *builder) add(board *hal.Board, s hal.DeviceSpec) error {
	switch s.Kind {
	case hal.KindButton, hal.KindTouchPad:
		in, err := b.newButton(s)
		if err != nil {
			return err
		}
		board.Inputs = append(board.Inputs, in)
		return nil
	case hal.KindBME280, hal.KindMPU9250, hal.KindINA219, hal.KindCAP1xxx:
		in, err := b.newI2CInput(s)
		if err != nil {
			return err
		}
		board.Inputs = append(board.Inputs, in)
		return nil
	case hal.KindLED, hal.KindNRZLED, hal.KindBuzzer, hal.KindVibration, hal.KindPCA9685, hal.KindSSD1306:
		return b.addOutput(board, s)
	}
	return fmt.Errorf("periph: device %q: unknown kind %q (want one of button, touch_pad, bme280, mpu9250, ina219, cap1xxx, pca9685, ssd1306, nrzled, led, buzzer, vibration)", s.Name, s.Kind)
}

func (b *builder) addOutput(board *hal.Board, s hal.DeviceSpec) error {
	role := s.Role
	if role == "" {
		role = hal.NaturalRole(s.Kind)
	}
	var h hal.Halter
	var err error
	switch role {
	case hal.RoleEyes:
		if board.Eyes != nil {
			return fmt.Errorf("periph: device %s: a second device with role eyes", s)
		}
		switch s.Kind {
		case hal.KindLED:
			board.Eyes, err = b.newPinLED(s)
		case hal.KindNRZLED:
			board.Eyes, err = b.newRing(s)
		default:
			err = fmt.Errorf("periph: device %s: kind %s cannot be the eyes (use led or nrzled)", s, s.Kind)
		}
		h = board.Eyes
	case hal.RoleBuzzer:
		if board.Buzzer != nil {
			return fmt.Errorf("periph: device %s: a second device with role buzzer", s)
		}
		if s.Kind != hal.KindBuzzer {
			return fmt.Errorf("periph: device %s: kind %s cannot be the buzzer", s, s.Kind)
		}
		board.Buzzer, err = b.newBuzzer(s)
		h = board.Buzzer
	case hal.RolePurr:
		if board.Purr != nil {
			return fmt.Errorf("periph: device %s: a second device with role purr", s)
		}
		if s.Kind != hal.KindVibration && s.Kind != hal.KindLED {
			return fmt.Errorf("periph: device %s: kind %s cannot purr", s, s.Kind)
		}
		board.Purr, err = b.newVibrator(s)
		h = board.Purr
	case hal.RoleTail:
		if board.Tail != nil {
			return fmt.Errorf("periph: device %s: a second device with role tail", s)
		}
		if s.Kind != hal.KindPCA9685 {
			return fmt.Errorf("periph: device %s: kind %s cannot move the tail (use pca9685)", s, s.Kind)
		}
		board.Tail, err = b.newServo(s)
		h = board.Tail
	case hal.RoleDisplay:
		if board.Display != nil {
			return fmt.Errorf("periph: device %s: a second device with role display", s)
		}
		if s.Kind != hal.KindSSD1306 {
			return fmt.Errorf("periph: device %s: kind %s cannot be the display (use ssd1306)", s, s.Kind)
		}
		board.Display, err = b.newDisplay(s)
		h = board.Display
	default:
		return fmt.Errorf("periph: device %s: unknown role %q (want eyes, buzzer, purr, tail or display)", s, role)
	}
	if err != nil {
		// Interfaces holding typed nil pointers would look present.
		switch role {
		case hal.RoleEyes:
			board.Eyes = nil
		case hal.RoleBuzzer:
			board.Buzzer = nil
		case hal.RolePurr:
			board.Purr = nil
		case hal.RoleTail:
			board.Tail = nil
		case hal.RoleDisplay:
			board.Display = nil
		}
		return err
	}
	b.halters = append(b.halters, h)
	return nil
}

// healthTable is the board's view of its devices, updated by watchers.
type healthTable struct {
	mu    sync.Mutex
	order []string
	m     map[string]hal.Health
}

func (t *healthTable) set(h hal.Health) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]hal.Health{}
	}
	if _, ok := t.m[h.Device]; !ok {
		t.order = append(t.order, h.Device)
	}
	t.m[h.Device] = h
}

func (t *healthTable) snapshot() []hal.Health {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]hal.Health, 0, len(t.order))
	for _, n := range t.order {
		out = append(out, t.m[n])
	}
	return out
}
