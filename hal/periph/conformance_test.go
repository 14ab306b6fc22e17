package periph

import (
	"context"
	"image"
	"slices"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2ctest"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/devices/v3/mpu9250/reg"
	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/haltest"
	"github.com/purrd/purrd/hal/sim"
)

// The periph implementation passes the same suites as the fakes and the
// simulator, over periph's own fakes: the drivers and our code are real,
// only the wires are not.

func TestConformanceButton(t *testing.T) {
	// On virtual time (vpin): each click's bounces fall inside the lockout
	// however slow the machine is; a real-time rig failed under qemu when
	// the test goroutine was descheduled between two bounces.
	timing := hal.Timing{Debounce: 10 * time.Millisecond, LongPress: 200 * time.Millisecond, DoublePress: 300 * time.Millisecond}
	spec := hal.DeviceSpec{Name: "button", Kind: hal.KindButton, Pin: "GPIO17", Pull: "up", ActiveLow: true}
	haltest.TestButton(t, func(t *testing.T) haltest.ButtonRig {
		p := newVPin("GPIO17", gpio.High)
		b, err := OpenWith(context.Background(), []hal.DeviceSpec{spec}, timing, testLog(t), Hardware{Pins: map[string]gpio.PinIO{"GPIO17": p}, Clock: p.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		t.Cleanup(p.close)
		click := func(t *testing.T, held time.Duration) {
			at := p.Horizon()
			p.Bounce(at, time.Millisecond, gpio.Low, gpio.High, gpio.Low) // with contact bounce
			p.Bounce(at+held, time.Millisecond, gpio.High, gpio.Low, gpio.High)
			p.RunTo(t, at+held+2*timing.Debounce)
		}
		return haltest.ButtonRig{
			Input:       b.Inputs[0],
			Click:       func(t *testing.T) { click(t, 3*timing.Debounce) },
			LongPress:   func(t *testing.T) { click(t, timing.LongPress+100*time.Millisecond) },
			DoubleClick: func(t *testing.T) { click(t, 3*timing.Debounce); click(t, 3*timing.Debounce) },
		}
	})
}

// capBus is a CAP1188 as a register file: the status register is what the
// test sets, and the test can wait until the driver has read it.
type capBus struct {
	mu     sync.Mutex
	cond   *sync.Cond
	status byte
	reads  int
}

func newCapBus() *capBus { c := &capBus{}; c.cond = sync.NewCond(&c.mu); return c }

func (c *capBus) String() string                    { return "capBus" }
func (c *capBus) SetSpeed(f physic.Frequency) error { return nil }
func (c *capBus) Tx(addr uint16, w, r []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(r)
	if len(w) == 1 && len(r) == 1 {
		switch w[0] {
		case 0xfd:
			r[0] = 0x50
		case 0x03:
			r[0] = c.status
			c.reads++
			c.cond.Broadcast()
		}
	}
	return nil
}

// set changes the status and waits until the driver has read it twice,
// so the change cannot be missed however slow the machine is.
func (c *capBus) set(status byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status = status
	until := c.reads + 2
	for c.reads < until {
		c.cond.Wait()
	}
}

func TestConformanceTouchCAP1188(t *testing.T) {
	zones := []string{"head", "back", "chin"}
	haltest.TestTouch(t, func(t *testing.T) haltest.TouchRig {
		bus := newCapBus()
		b := openOne(t, hal.DeviceSpec{Name: "touch", Kind: "cap1xxx", Bus: "1", Zones: zones, Interval: 5 * time.Millisecond},
			Hardware{I2C: map[string]i2c.Bus{"1": bus}})
		bit := func(z string) byte { return 0x80 >> slices.Index(zones, z) }
		return haltest.TouchRig{
			Input: b.Inputs[0], Zones: zones,
			Touch: func(_ *testing.T, z string) { bus.set(bit(z)); bus.set(0) },
			Stroke: func(_ *testing.T, from, to string) {
				bus.set(bit(from))
				bus.set(bit(from) | bit(to))
				bus.set(bit(to))
				bus.set(0)
			},
		}
	})
}

// mpuBus is an MPU9250 as a register file whose accelerometer plays
// synthesised samples; each sample advances a virtual clock by the
// synthesiser's 20 ms, so the classifier sees 50 Hz whatever the real
// polling rate and machine load.
type mpuBus struct {
	mu    sync.Mutex
	cond  *sync.Cond
	syn   *sim.Synth
	queue []hal.Vec3
	cur   hal.Vec3
	now   time.Time
}

func newMPUBus() *mpuBus {
	m := &mpuBus{syn: sim.NewSynth(9), now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m.cond = sync.NewCond(&m.mu)
	return m
}

func (m *mpuBus) String() string                    { return "mpuBus" }
func (m *mpuBus) SetSpeed(f physic.Frequency) error { return nil }
func (m *mpuBus) clock() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *mpuBus) Tx(addr uint16, w, r []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(r)
	if len(w) != 1 || len(r) != 1 {
		return nil
	}
	word := func(g float64) uint16 { return uint16(int16(g * lsbPerG)) }
	switch w[0] {
	case reg.MPU9250_PWR_MGMT_2:
		r[0] = 0x01
	case reg.MPU9250_ACCEL_XOUT_H: // the first register of a sample: next one
		if len(m.queue) == 0 {
			m.queue = m.syn.Rest(sim.SynthRate)
		}
		m.cur, m.queue = m.queue[0], m.queue[1:]
		m.now = m.now.Add(sim.SynthRate)
		m.cond.Broadcast()
		r[0] = byte(word(m.cur.X) >> 8)
	case reg.MPU9250_ACCEL_XOUT_H + 1:
		r[0] = byte(word(m.cur.X))
	case reg.MPU9250_ACCEL_XOUT_H + 2:
		r[0] = byte(word(m.cur.Y) >> 8)
	case reg.MPU9250_ACCEL_XOUT_H + 3:
		r[0] = byte(word(m.cur.Y))
	case reg.MPU9250_ACCEL_XOUT_H + 4:
		r[0] = byte(word(m.cur.Z) >> 8)
	case reg.MPU9250_ACCEL_XOUT_H + 5:
		r[0] = byte(word(m.cur.Z))
	}
	return nil
}

// play queues a gesture and waits until the driver has read all of it.
func (m *mpuBus) play(g string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queue = append(m.queue, m.syn.Gesture(g)...)
	for len(m.queue) > 0 {
		m.cond.Wait()
	}
}

func TestConformanceMotionMPU9250(t *testing.T) {
	haltest.TestMotion(t, func(t *testing.T) haltest.MotionRig {
		bus := newMPUBus()
		b := openOne(t, hal.DeviceSpec{Name: "imu", Kind: "mpu9250", Bus: "1", Interval: time.Millisecond},
			Hardware{I2C: map[string]i2c.Bus{"1": bus}, Clock: bus.clock})
		return haltest.MotionRig{Input: b.Inputs[0], Gesture: func(_ *testing.T, g string) { bus.play(g) }}
	})
}

func TestConformanceSensors(t *testing.T) {
	env := &i2ctest.Playback{Ops: append(bmeInitOps(0x76), bmeSenseOps(0x76)...), DontPanic: true}
	b := openOne(t, hal.DeviceSpec{Name: "env", Kind: "bme280", Bus: "1"}, Hardware{I2C: map[string]i2c.Bus{"1": env}})
	haltest.TestEnvSensor(t, b.Inputs[0])
	bat := &i2ctest.Playback{Ops: append([]i2ctest.IO{{Addr: 0x40, W: []byte{0x05, 0x10, 0x62}}, {Addr: 0x40, W: []byte{0x00, 0x1f, 0xff}}}, inaSenseOps(3700, 100)...), DontPanic: true}
	b = openOne(t, hal.DeviceSpec{Name: "battery", Kind: "ina219", Bus: "1"}, Hardware{I2C: map[string]i2c.Bus{"1": bat}})
	haltest.TestBattery(t, b.Inputs[0])
}

// probePin is a gpiotest.Pin that remembers whether PWM is running.
type probePin struct {
	*gpiotest.Pin
	mu  sync.Mutex
	pwm bool
}

func (p *probePin) PWM(d gpio.Duty, f physic.Frequency) error {
	p.mu.Lock()
	p.pwm = d > 0
	p.mu.Unlock()
	return p.Pin.PWM(d, f)
}

func (p *probePin) Out(l gpio.Level) error {
	p.mu.Lock()
	p.pwm = false
	p.mu.Unlock()
	return p.Pin.Out(l)
}

func (p *probePin) on() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pwm || p.Pin.Read() == gpio.High
}

func TestConformanceOutputs(t *testing.T) {
	led, bz, mot := &probePin{Pin: fakePin("GPIO12")}, &probePin{Pin: fakePin("GPIO18")}, &probePin{Pin: fakePin("GPIO23")}
	i2cBus := &regBus{}
	ringPort := &spiRec{}
	hw := Hardware{
		Pins: map[string]gpio.PinIO{"GPIO12": led, "GPIO18": bz, "GPIO23": mot},
		I2C:  map[string]i2c.Bus{"1": i2cBus},
		SPI:  map[string]spi.Port{"/dev/spidev0.0": ringPort},
	}
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{
		{Name: "eye_led", Kind: "led", Pin: "GPIO12"},
		{Name: "buzzer", Kind: "buzzer", Pin: "GPIO18"},
		{Name: "purr", Kind: "vibration", Pin: "GPIO23"},
		{Name: "tail", Kind: "pca9685", Bus: "1", Channel: 0, MinAngle: 20, MaxAngle: 160, MaxSpeed: 720},
		{Name: "face", Kind: "ssd1306", Bus: "1"},
	}, hal.Timing{}, testLog(t), hw)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	haltest.TestEyes(t, haltest.EyesRig{Eyes: b.Eyes, Lit: led.on})
	haltest.TestBuzzer(t, haltest.BuzzerRig{Buzzer: b.Buzzer, Sounding: bz.on})
	haltest.TestVibrator(t, haltest.VibratorRig{Vibrator: b.Purr, Running: mot.on})
	haltest.TestServo(t, haltest.ServoRig{Servo: b.Tail, Min: 20, Max: 160, Angle: b.Tail.(*servo).Angle})
	haltest.TestDisplay(t, haltest.DisplayRig{Display: b.Display, Current: func() hal.Expression {
		fb, on := ssdFrame(i2cBus.writes(), 0x3c)
		if !on {
			return ""
		}
		for _, e := range hal.Expressions() {
			img := image1bit.NewVerticalLSB(image.Rect(0, 0, 128, 64))
			_ = hal.DrawFace(img, e)
			if slices.Equal(img.Pix, fb) {
				return e
			}
		}
		return "(unrecognised frame)"
	}})
	haltest.TestPictureDisplay(t, haltest.PictureRig{Display: b.Display.(hal.PictureDisplay), Frame: func() image.Image {
		fb, on := ssdFrame(i2cBus.writes(), 0x3c)
		if !on {
			return nil
		}
		img := image1bit.NewVerticalLSB(image.Rect(0, 0, 128, 64))
		copy(img.Pix, fb)
		return img
	}})

	// The ring as eyes, on its own board.
	rp := &spiRec{}
	rb := openOne(t, hal.DeviceSpec{Name: "ring", Kind: "nrzled", Bus: "/dev/spidev0.0", Count: 16}, Hardware{SPI: map[string]spi.Port{"/dev/spidev0.0": rp}})
	haltest.TestEyes(t, haltest.EyesRig{Eyes: rb.Eyes, Lit: func() bool {
		for _, p := range rp.last() {
			if p != (hal.RGB{}) {
				return true
			}
		}
		return false
	}})
}
