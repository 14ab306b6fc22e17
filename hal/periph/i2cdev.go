package periph

import (
	"fmt"
	"math"
	"time"

	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/bmxx80"
	"periph.io/x/devices/v3/cap1xxx"
	"periph.io/x/devices/v3/ina219"
	"periph.io/x/devices/v3/mpu9250"

	"github.com/purrd/purrd/hal"
)

// Default read periods per kind when the config gives none.
const (
	defaultEnvInterval     = 30 * time.Second
	defaultBatteryInterval = 30 * time.Second
	defaultMotionInterval  = 20 * time.Millisecond // 50 Hz: what the classifier was tuned on
	defaultTouchInterval   = 50 * time.Millisecond
)

// Default I²C addresses per kind.
func defaultAddress(kind string) uint16 {
	switch kind {
	case hal.KindBME280:
		return 0x76
	case hal.KindMPU9250:
		return 0x68
	case hal.KindINA219:
		return 0x40
	case hal.KindCAP1xxx:
		return 0x28
	case hal.KindPCA9685:
		return 0x40
	case hal.KindSSD1306:
		return 0x3c
	}
	return 0
}

func withAddress(s hal.DeviceSpec) hal.DeviceSpec {
	if s.Address == 0 {
		s.Address = defaultAddress(s.Kind)
	}
	return s
}

func noAnswer(s hal.DeviceSpec, err error) error {
	return fmt.Errorf("periph: device %s: no answer (check wiring, address and `i2cdetect -y %s`): %w", s, s.Bus, err)
}

func (b *builder) newI2CInput(s hal.DeviceSpec) (hal.Input, error) {
	s = withAddress(s)
	bus, err := b.i2cBus(s)
	if err != nil {
		return nil, err
	}
	switch s.Kind {
	case hal.KindBME280:
		d, err := bmxx80.NewI2C(bus, s.Address, &bmxx80.DefaultOpts)
		if err != nil {
			return nil, noAnswer(s, err)
		}
		return b.polled(s, defaultEnvInterval, &envSensor{spec: s, dev: d}), nil
	case hal.KindMPU9250:
		tr, err := mpu9250.NewI2cTransport(bus, s.Address)
		if err != nil {
			return nil, noAnswer(s, err)
		}
		d, err := mpu9250.New(*tr)
		if err != nil {
			return nil, noAnswer(s, err)
		}
		if err := d.Init(); err != nil {
			return nil, noAnswer(s, err)
		}
		return b.polled(s, defaultMotionInterval, &motionSensor{spec: s, dev: d, det: hal.NewMotionDetector(b.hw.Motion)}), nil
	case hal.KindINA219:
		ohms := s.ShuntOhms
		if ohms <= 0 {
			ohms = 0.1
		}
		d, err := ina219.New(bus, &ina219.Opts{
			Address:       int(s.Address),
			SenseResistor: physic.ElectricResistance(ohms * float64(physic.Ohm)),
			MaxCurrent:    3200 * physic.MilliAmpere,
		})
		if err != nil {
			return nil, noAnswer(s, err)
		}
		empty, full := s.BatteryEmptyVolts, s.BatteryFullVolts
		if empty <= 0 {
			empty = 3.3 // one Li-ion cell
		}
		if full <= empty {
			full = max(4.2, empty+0.1)
		}
		return b.polled(s, defaultBatteryInterval, &batterySensor{spec: s, dev: d, empty: empty, full: full}), nil
	case hal.KindCAP1xxx:
		if len(s.Zones) == 0 {
			return nil, fmt.Errorf("periph: device %s: cap1xxx needs zones (one per channel)", s)
		}
		opts := cap1xxx.DefaultOpts
		opts.I2CAddr = s.Address
		opts.LinkedLEDs = false
		d, err := cap1xxx.NewI2C(bus, &opts)
		if err != nil {
			return nil, noAnswer(s, err)
		}
		if s.Pin != "" {
			b.log.Info("cap1xxx alert pin is not used yet; reading at the interval instead", "device", s.Name, "pin", s.Pin)
		}
		t := &touchSensor{spec: s, dev: d, strokes: b.strokes}
		for i, z := range s.Zones {
			if i >= len(t.trackers) {
				return nil, fmt.Errorf("periph: device %s: %d zones but at most %d channels", s, len(s.Zones), len(t.trackers))
			}
			t.trackers[i] = hal.PressTracker{Device: s.Name, Zone: z, Kinds: hal.TouchKinds(), Timing: b.timing}
		}
		return b.polled(s, defaultTouchInterval, t), nil
	}
	return nil, fmt.Errorf("periph: device %s: not an I2C input", s)
}

// envSensor reads a BME280.
type envSensor struct {
	spec hal.DeviceSpec
	dev  *bmxx80.Dev
}

func (e *envSensor) sample(now time.Time, emit hal.Emit) error {
	var env physic.Env
	if err := e.dev.Sense(&env); err != nil {
		return err
	}
	emit(hal.Event{Kind: hal.EnvReading, Time: now, Device: e.spec.Name, Env: hal.Environment{
		TemperatureC: env.Temperature.Celsius(), HasTemp: true,
		HumidityPct: float64(env.Humidity) / float64(physic.PercentRH), HasHumidity: true,
		PressureKPa: float64(env.Pressure) / float64(physic.KiloPascal), HasPressure: true,
	}})
	return nil
}

// motionSensor reads the MPU9250 accelerometer and classifies its samples.
type motionSensor struct {
	spec hal.DeviceSpec
	dev  *mpu9250.MPU9250
	det  *hal.MotionDetector
}

// lsbPerG is the accelerometer's scale in its power-on ±2 g range.
const lsbPerG = 16384.0

func (m *motionSensor) sample(now time.Time, emit hal.Emit) error {
	a, err := m.dev.GetAcceleration()
	if err != nil {
		return err
	}
	v := hal.Vec3{X: float64(a.X) / lsbPerG, Y: float64(a.Y) / lsbPerG, Z: float64(a.Z) / lsbPerG}
	if k := m.det.Update(now, v); k != "" {
		emit(hal.Event{Kind: k, Time: now, Device: m.spec.Name})
	}
	return nil
}

// batterySensor reads an INA219 on the battery lead.
type batterySensor struct {
	spec        hal.DeviceSpec
	dev         *ina219.Dev
	empty, full float64
}

// chargeCurrent is the reverse current above which the battery counts as
// charging (the shunt sits between battery and load, so charging reads
// negative).
const chargeCurrent = -10 * physic.MilliAmpere

func (bs *batterySensor) sample(now time.Time, emit hal.Emit) error {
	pm, err := bs.dev.Sense()
	if err != nil {
		return err
	}
	v := float64(pm.Voltage) / float64(physic.Volt)
	emit(hal.Event{Kind: hal.BatteryReading, Time: now, Device: bs.spec.Name, Battery: hal.Battery{
		Volts: v, Percent: BatteryPercent(v, bs.empty, bs.full), Charging: pm.Current < chargeCurrent,
	}})
	return nil
}

// BatteryPercent maps a voltage linearly between empty and full, clamped.
func BatteryPercent(v, empty, full float64) float64 {
	if full <= empty || math.IsNaN(v) {
		return 0
	}
	p := (v - empty) / (full - empty) * 100
	return math.Max(0, math.Min(100, math.Round(p*10)/10))
}

// touchSensor reads a CAP1xxx and turns its channels into zone events.
type touchSensor struct {
	spec     hal.DeviceSpec
	dev      *cap1xxx.Dev
	strokes  *hal.StrokeTracker
	status   [8]cap1xxx.TouchStatus
	trackers [8]hal.PressTracker
}

func (t *touchSensor) sample(now time.Time, emit hal.Emit) error {
	if err := t.dev.InputStatus(t.status[:]); err != nil {
		return err
	}
	// The status bits latch until the interrupt flag is cleared.
	if err := t.dev.ClearInterrupt(); err != nil {
		return err
	}
	for i := range t.trackers {
		tr := &t.trackers[i]
		if tr.Zone == "" {
			continue
		}
		on := t.status[i] != cap1xxx.OffStatus
		switch {
		case on && !tr.Pressed():
			tr.Press(now, emit)
			if from, ok := t.strokes.Touch(now, tr.Zone); ok {
				emit(hal.Event{Kind: hal.TouchStroke, Time: now, Device: t.spec.Name, Zone: tr.Zone, From: from})
			}
		case !on && tr.Pressed():
			tr.Release(now, emit)
			t.strokes.Release(now, tr.Zone)
		default:
			tr.Tick(now, emit)
		}
	}
	return nil
}

var _ i2c.Bus = (*addrBus)(nil)
