package periph

import (
	"fmt"
	"math"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/devices/v3/pca9685"

	"github.com/purrd/purrd/hal"
)

// Servo pulse range: 0.5 ms at 0° to 2.5 ms at 180°, in 1/4096 of a 20 ms
// (50 Hz) frame. Computed here rather than with pca9685.ServoGroup, whose
// angle arithmetic overflows int on 32-bit ARM.
const (
	servoMinCount = 4096 * 0.5 / 20
	servoMaxCount = 4096 * 2.5 / 20
	servoStep     = 20 * time.Millisecond // one PWM frame
)

// ServoDuty is the PCA9685 off-count for angle degrees (0..180).
func ServoDuty(deg float64) gpio.Duty {
	deg = math.Max(0, math.Min(180, deg))
	return gpio.Duty(math.Round(servoMinCount + (servoMaxCount-servoMinCount)*deg/180))
}

// servo is a hobby servo on a PCA9685 channel, moved no faster than
// MaxSpeed so the tail swishes rather than snaps.
type servo struct {
	spec     hal.DeviceSpec
	dev      *pca9685.Dev
	min, max float64
	speed    float64 // degrees per second, 0 = unlimited

	mu      sync.Mutex
	current float64
	play    player
}

func (b *builder) newServo(s hal.DeviceSpec) (*servo, error) {
	s = withAddress(s)
	if s.Channel < 0 || s.Channel > 15 {
		return nil, fmt.Errorf("periph: device %s: channel %d must be 0..15", s, s.Channel)
	}
	lo, hi := s.MinAngle, s.MaxAngle
	if lo == 0 && hi == 0 {
		hi = 180
	}
	if lo < 0 || hi > 180 || lo >= hi {
		return nil, fmt.Errorf("periph: device %s: angles %v..%v must satisfy 0 <= min < max <= 180", s, lo, hi)
	}
	if s.MaxSpeed < 0 {
		return nil, fmt.Errorf("periph: device %s: max_speed %v is negative", s, s.MaxSpeed)
	}
	bus, err := b.i2cBus(s)
	if err != nil {
		return nil, err
	}
	d, err := pca9685.NewI2C(bus, s.Address)
	if err != nil {
		return nil, noAnswer(s, err)
	}
	sv := &servo{spec: s, dev: d, min: lo, max: hi, speed: s.MaxSpeed, current: (lo + hi) / 2}
	return sv, nil
}

func (sv *servo) write(deg float64) error {
	return sv.dev.SetPwm(sv.spec.Channel, 0, ServoDuty(deg))
}

// Angle is the last angle commanded.
func (sv *servo) Angle() float64 {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.current
}

// MoveTo implements hal.Servo: the target is clamped to the configured
// limits, and approached at no more than MaxSpeed.
func (sv *servo) MoveTo(deg float64) error {
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return fmt.Errorf("periph: %s: MoveTo(%v): not a number", sv.spec.Name, deg)
	}
	target := math.Max(sv.min, math.Min(sv.max, deg))
	sv.play.halt()
	if sv.speed == 0 {
		sv.mu.Lock()
		defer sv.mu.Unlock()
		sv.current = target
		if err := sv.write(target); err != nil {
			return fmt.Errorf("periph: %s: MoveTo(%v): %w", sv.spec.Name, deg, err)
		}
		return nil
	}
	stepDeg := sv.speed * servoStep.Seconds()
	sv.play.start(func(stop <-chan struct{}) {
		for {
			sv.mu.Lock()
			cur := sv.current
			switch {
			case math.Abs(target-cur) <= stepDeg:
				cur = target
			case target > cur:
				cur += stepDeg
			default:
				cur -= stepDeg
			}
			sv.current = cur
			err := sv.write(cur)
			sv.mu.Unlock()
			if err != nil || cur == target || !sleep(stop, servoStep) {
				return
			}
		}
	})
	return nil
}

// Halt implements hal.Halter: movement stopped, pulses off so the servo
// goes limp (no buzzing, no force on a trapped tail).
func (sv *servo) Halt() error {
	sv.play.halt()
	if err := sv.dev.SetFullOff(sv.spec.Channel); err != nil {
		return fmt.Errorf("periph: %s: Halt: %w", sv.spec.Name, err)
	}
	return nil
}
