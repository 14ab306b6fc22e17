package periph

import (
	"fmt"
	"math"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/nrzled"

	"github.com/purrd/purrd/hal"
)

// animationLevel is the brightness factor of animation a at time t since
// it started; animations are slow enough for a 50 ms frame.
func animationLevel(a hal.EyeAnimation, t time.Duration) float64 {
	switch a {
	case hal.EyesBlink: // a 150 ms blink every 3 s
		if t%(3*time.Second) < 150*time.Millisecond {
			return 0
		}
		return 1
	case hal.EyesBreathe: // 4 s breath between 15 % and 100 %
		ph := float64(t%(4*time.Second)) / float64(4*time.Second)
		return 0.15 + 0.85*(0.5-0.5*math.Cos(2*math.Pi*ph))
	case hal.EyesSparkle: // a cheap deterministic flicker
		n := uint32(t / (50 * time.Millisecond))
		n ^= n << 13
		n ^= n >> 17
		n ^= n << 5
		return 0.5 + 0.5*float64(n%1000)/1000
	}
	return 1
}

const frame = 50 * time.Millisecond

// animated runs set(level) for the eye animation until stopped.
func animate(p *player, a hal.EyeAnimation, set func(level float64) error) error {
	if err := set(animationLevel(a, 0)); err != nil {
		return err
	}
	if a == "" || a == hal.EyesSteady {
		return nil
	}
	p.start(func(stop <-chan struct{}) {
		start := time.Now()
		for sleep(stop, frame) {
			_ = set(animationLevel(a, time.Since(start)))
		}
	})
	return nil
}

// pinOut drives a GPIO at a level 0..1: full on/off directly, in between
// with PWM when the pin can, else on.
type pinOut struct {
	pin       gpio.PinIO
	activeLow bool
	freq      physic.Frequency
	noPWM     bool
}

func (o *pinOut) level(f float64) error {
	on, off := gpio.High, gpio.Low
	if o.activeLow {
		on, off = off, on
	}
	switch {
	case f <= 0:
		return o.pin.Out(off)
	case f >= 0.999 || o.noPWM: // full on, allowing for rounding
		return o.pin.Out(on)
	}
	if o.activeLow {
		f = 1 - f
	}
	if err := o.pin.PWM(gpio.Duty(f*float64(gpio.DutyMax)), o.freq); err != nil {
		// Not every pin has PWM; full on is the honest fallback.
		o.noPWM = true
		return o.pin.Out(on)
	}
	return nil
}

// pinLED is the eyes as one LED on a GPIO pin.
type pinLED struct {
	name string
	out  pinOut
	play player
	mu   sync.Mutex
}

func (b *builder) newPinLED(s hal.DeviceSpec) (*pinLED, error) {
	p, err := b.pin(s, s.Pin)
	if err != nil {
		return nil, err
	}
	l := &pinLED{name: s.Name, out: pinOut{pin: p, activeLow: s.ActiveLow, freq: physic.KiloHertz}}
	if err := l.out.level(0); err != nil {
		return nil, fmt.Errorf("periph: device %s: %s.Out: %w", s, p, err)
	}
	return l, nil
}

func luminance(c hal.RGB) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// SetEyes implements hal.Eyes. One LED has no colour: it shows brightness,
// dimmed by how dark the colour is (black is off).
func (l *pinLED) SetEyes(s hal.EyeState) error {
	if err := hal.CheckEyes(s); err != nil {
		return fmt.Errorf("periph: %s: SetEyes: %w", l.name, err)
	}
	l.play.halt()
	base := s.Brightness
	if s.Color == (hal.RGB{}) {
		base = 0
	} else {
		base *= math.Max(0.25, luminance(s.Color))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err := animate(&l.play, s.Animation, func(f float64) error { return l.out.level(base * f) })
	if err != nil {
		return fmt.Errorf("periph: %s: SetEyes: %w", l.name, err)
	}
	return nil
}

// Halt implements hal.Halter: LED off.
func (l *pinLED) Halt() error {
	l.play.halt()
	if err := l.out.level(0); err != nil {
		return fmt.Errorf("periph: %s: Halt: %w", l.name, err)
	}
	return nil
}

// ring is the eyes as a WS2812 ring over SPI.
type ring struct {
	name string
	dev  *nrzled.Dev
	buf  []byte
	mu   sync.Mutex
	play player
}

func (b *builder) newRing(s hal.DeviceSpec) (*ring, error) {
	if s.Count <= 0 || s.Count > 1024 {
		return nil, fmt.Errorf("periph: device %s: count %d must be 1..1024", s, s.Count)
	}
	port, err := b.spiPort(s)
	if err != nil {
		return nil, err
	}
	d, err := nrzled.NewSPI(port, &nrzled.Opts{NumPixels: s.Count, Channels: 3, Freq: 2500 * physic.KiloHertz})
	if err != nil {
		return nil, fmt.Errorf("periph: device %s: nrzled.NewSPI: %w", s, err)
	}
	r := &ring{name: s.Name, dev: d, buf: make([]byte, 3*s.Count)}
	if err := r.fill(hal.RGB{}, 0); err != nil {
		return nil, fmt.Errorf("periph: device %s: %w", s, err)
	}
	return r, nil
}

func (r *ring) fill(c hal.RGB, f float64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := 0; i < len(r.buf); i += 3 {
		r.buf[i] = uint8(float64(c.R)*f + 0.5)
		r.buf[i+1] = uint8(float64(c.G)*f + 0.5)
		r.buf[i+2] = uint8(float64(c.B)*f + 0.5)
	}
	if _, err := r.dev.Write(r.buf); err != nil {
		return fmt.Errorf("nrzled write: %w", err)
	}
	return nil
}

// SetEyes implements hal.Eyes.
func (r *ring) SetEyes(s hal.EyeState) error {
	if err := hal.CheckEyes(s); err != nil {
		return fmt.Errorf("periph: %s: SetEyes: %w", r.name, err)
	}
	r.play.halt()
	if err := animate(&r.play, s.Animation, func(f float64) error { return r.fill(s.Color, s.Brightness*f) }); err != nil {
		return fmt.Errorf("periph: %s: SetEyes: %w", r.name, err)
	}
	return nil
}

// Halt implements hal.Halter: all LEDs dark.
func (r *ring) Halt() error {
	r.play.halt()
	if err := r.fill(hal.RGB{}, 0); err != nil {
		return fmt.Errorf("periph: %s: Halt: %w", r.name, err)
	}
	return nil
}

// buzzer is a passive piezo on a GPIO with PWM.
type buzzer struct {
	name string
	pin  gpio.PinIO
	play player
}

func (b *builder) newBuzzer(s hal.DeviceSpec) (*buzzer, error) {
	p, err := b.pin(s, s.Pin)
	if err != nil {
		return nil, err
	}
	if err := p.Out(gpio.Low); err != nil {
		return nil, fmt.Errorf("periph: device %s: %s.Out(Low): %w", s, p, err)
	}
	return &buzzer{name: s.Name, pin: p}, nil
}

// Play implements hal.Buzzer.
func (z *buzzer) Play(t hal.Tune) error {
	if err := hal.CheckTune(t); err != nil {
		return fmt.Errorf("periph: %s: Play: %w", z.name, err)
	}
	notes := append([]hal.Note(nil), t.Notes...)
	z.play.start(func(stop <-chan struct{}) {
		for _, n := range notes {
			if n.Hz == 0 {
				_ = z.pin.Out(gpio.Low)
			} else if err := z.pin.PWM(gpio.DutyHalf, physic.Frequency(n.Hz*float64(physic.Hertz))); err != nil {
				// No PWM on this pin (e.g. Pi 5 through periph): an
				// active buzzer still beeps the rhythm when driven high.
				_ = z.pin.Out(gpio.High)
			}
			if !sleep(stop, n.Dur) {
				break
			}
		}
		_ = z.pin.Out(gpio.Low)
	})
	return nil
}

// Halt implements hal.Halter: silent.
func (z *buzzer) Halt() error {
	z.play.halt()
	if err := z.pin.Out(gpio.Low); err != nil {
		return fmt.Errorf("periph: %s: Halt: %w", z.name, err)
	}
	return nil
}

// vibrator is a small motor behind a transistor on a GPIO.
type vibrator struct {
	name string
	out  pinOut
	play player
}

func (b *builder) newVibrator(s hal.DeviceSpec) (*vibrator, error) {
	p, err := b.pin(s, s.Pin)
	if err != nil {
		return nil, err
	}
	v := &vibrator{name: s.Name, out: pinOut{pin: p, activeLow: s.ActiveLow, freq: 200 * physic.Hertz}}
	if err := v.out.level(0); err != nil {
		return nil, fmt.Errorf("periph: device %s: %s.Out: %w", s, p, err)
	}
	return v, nil
}

// Purr implements hal.Vibrator. Repeat <= 0 plays the pulse once.
func (v *vibrator) Purr(p hal.PurrPattern) error {
	if err := hal.CheckPurr(p); err != nil {
		return fmt.Errorf("periph: %s: Purr: %w", v.name, err)
	}
	n := max(p.Repeat, 1)
	v.play.start(func(stop <-chan struct{}) {
		defer func() { _ = v.out.level(0) }()
		for i := 0; i < n; i++ {
			_ = v.out.level(p.Strength)
			if !sleep(stop, p.On) {
				return
			}
			_ = v.out.level(0)
			if !sleep(stop, p.Off) {
				return
			}
		}
	})
	return nil
}

// Halt implements hal.Halter: motor stopped.
func (v *vibrator) Halt() error {
	v.play.halt()
	if err := v.out.level(0); err != nil {
		return fmt.Errorf("periph: %s: Halt: %w", v.name, err)
	}
	return nil
}

// addrBus moves a driver that hard-codes its address (ssd1306 uses 0x3C)
// to the configured one.
type addrBus struct {
	i2c.Bus
	from, to uint16
}

func (a *addrBus) Tx(addr uint16, w, r []byte) error {
	if addr == a.from {
		addr = a.to
	}
	return a.Bus.Tx(addr, w, r)
}
