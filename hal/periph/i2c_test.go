package periph

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2ctest"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/mpu9250/reg"

	"github.com/purrd/purrd/hal"
)

// faultBus fails chosen transactions (counted from 1) once each, the way a
// loose wire or a brown-out would, without consuming the recording.
type faultBus struct {
	i2c.Bus
	mu     sync.Mutex
	n      int
	failAt map[int]bool
}

var errNACK = errors.New("i2c: remote I/O error (NACK)")

func (f *faultBus) Tx(addr uint16, w, r []byte) error {
	f.mu.Lock()
	f.n++
	fail := f.failAt[f.n]
	f.mu.Unlock()
	if fail {
		return errNACK
	}
	return f.Bus.Tx(addr, w, r)
}

func (f *faultBus) String() string { return "faultBus" }

// --- BME280 -------------------------------------------------------------

// bme280Calib is the calibration block of the Bosch datasheet's
// compensation example (BMP280 datasheet 3.12, the same T/P formulas as the
// BME280): dig_T1..3, dig_P1..9, then H1, followed by humidity trims.
func bme280Calib() (calib, hcalib []byte) {
	le := binary.LittleEndian
	calib = make([]byte, 26)
	for i, v := range []int{27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000} {
		le.PutUint16(calib[2*i:], uint16(int16(v)))
		if i == 0 || i == 3 { // dig_T1 and dig_P1 are unsigned
			le.PutUint16(calib[2*i:], uint16(v))
		}
	}
	calib[25] = 75 // dig_H1
	// dig_H2=366 dig_H3=0 dig_H4=309 dig_H5=50 dig_H6=30 (a real part's trims)
	hcalib = []byte{0x6e, 0x01, 0x00, 0x13, 0x25, 0x03, 0x1e}
	return calib, hcalib
}

// The datasheet's raw example values: adc_T = 519888, adc_P = 415148; and a
// humidity raw value of 30987.
var bmeRaw = []byte{0x65, 0x5a, 0xc0, 0x7e, 0xed, 0x00, 0x79, 0x0b}

func bmeSenseOps(addr uint16) []i2ctest.IO {
	return []i2ctest.IO{
		{Addr: addr, W: []byte{0xf4, 0x6d}},            // forced measurement
		{Addr: addr, W: []byte{0xf3}, R: []byte{0x08}}, // measuring
		{Addr: addr, W: []byte{0xf3}, R: []byte{0x00}}, // done
		{Addr: addr, W: []byte{0xf7}, R: bmeRaw},
	}
}

func bmeInitOps(addr uint16) []i2ctest.IO {
	calib, hcalib := bme280Calib()
	return []i2ctest.IO{
		{Addr: addr, W: []byte{0xd0}, R: []byte{0x60}}, // chip id: BME280
		{Addr: addr, W: []byte{0x88}, R: calib},
		{Addr: addr, W: []byte{0xe1}, R: hcalib},
		{Addr: addr, W: []byte{0xf4, 0x6c, 0xf2, 0x3, 0xf5, 0xa0, 0xf4, 0x6c}},
	}
}

// datasheetHumidity is the BME280 datasheet's integer humidity formula
// (section 4.2.3), written out independently of periph to check it.
func datasheetHumidity(adcH, tFine int32) float64 {
	const h1, h2, h3, h4, h5, h6 = 75, 366, 0, 309, 50, 30
	v := tFine - 76800
	v = ((((adcH << 14) - (h4 << 20) - (h5 * v)) + 16384) >> 15) *
		(((((((v*h6)>>10)*(((v*h3)>>11)+32768))>>10)+2097152)*h2 + 8192) >> 14)
	v = v - (((((v >> 15) * (v >> 15)) >> 7) * h1) >> 4)
	v = max(0, min(v, 419430400))
	return float64(uint32(v>>12)) / 1024
}

func TestBME280DatasheetExampleWithFaultAndRecovery(t *testing.T) {
	const addr = 0x76
	ops := bmeInitOps(addr)
	ops = append(ops, bmeSenseOps(addr)...)     // reading 1
	ops = append(ops, bmeSenseOps(addr)[:2]...) // reading 2 ...
	// ... whose status poll fails (transaction 11), then the retry:
	ops = append(ops, bmeSenseOps(addr)...)
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	bus := &faultBus{Bus: pb, failAt: map[int]bool{11: true}}
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "env", Kind: "bme280", Bus: "1", Address: addr, Interval: 20 * time.Millisecond}},
		hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": bus}, RetryMin: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	stop := watch(t, b.Inputs[0], rec.emit)
	ev := rec.waitN(t, 4)
	stop()
	kinds := []hal.EventKind{ev[0].Kind, ev[1].Kind, ev[2].Kind, ev[3].Kind}
	want := []hal.EventKind{hal.EnvReading, hal.DeviceFailed, hal.DeviceRecovered, hal.EnvReading}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want %v first", rec.kinds(), want)
		}
	}
	// Datasheet: T = 25.08 °C, p = 100653.27 Pa (integer formulas: 100653 Pa).
	for _, e := range []hal.Event{ev[0], ev[3]} {
		env := e.Env
		if !env.HasTemp || !env.HasPressure || !env.HasHumidity {
			t.Fatalf("reading lacks fields: %+v", env)
		}
		if math.Abs(env.TemperatureC-25.08) > 0.005 {
			t.Errorf("temperature %.3f °C, datasheet says 25.08", env.TemperatureC)
		}
		if math.Abs(env.PressureKPa-100.653) > 0.001 {
			t.Errorf("pressure %.4f kPa, datasheet says 100.653", env.PressureKPa)
		}
		// t_fine for the example is 128422.
		if want := datasheetHumidity(30987, 128422); math.Abs(env.HumidityPct-want) > 0.01 {
			t.Errorf("humidity %.3f %%, datasheet formula gives %.3f", env.HumidityPct, want)
		}
	}
	if !strings.Contains(ev[1].Err, `"env" (bme280 on bus 1 at 0x76)`) || !strings.Contains(ev[1].Err, "NACK") {
		t.Errorf("failure event does not name device, bus, address and cause: %q", ev[1].Err)
	}
	if h := b.Health(); len(h) != 1 || !h[0].OK || h[0].Degraded {
		t.Errorf("health after recovery %+v", h)
	}
	if err := pb.Close(); err != nil {
		t.Fatalf("recorded traffic not all used: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDeviceHealthDegradedWhileFailing(t *testing.T) {
	const addr = 0x76
	pb := &i2ctest.Playback{Ops: bmeInitOps(addr), DontPanic: true} // nothing after init: every read fails
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "env", Kind: "bme280", Bus: "1", Address: addr, Interval: 10 * time.Millisecond}},
		hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": pb}, RetryMin: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rec := newRecorder()
	stop := watch(t, b.Inputs[0], rec.emit)
	rec.waitKind(t, hal.DeviceFailed)
	time.Sleep(200 * time.Millisecond) // several retries
	stop()
	n := 0
	for _, e := range rec.all() {
		if e.Kind == hal.DeviceFailed {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("a device failing repeatedly emitted %d device_failed events, want 1: %v", n, rec.kinds())
	}
	h := b.Health()
	if len(h) != 1 || h[0].OK || !h[0].Degraded || h[0].Err == "" {
		t.Fatalf("health while failing %+v", h)
	}
}

func TestMissingDeviceErrorNamesDeviceBusAddress(t *testing.T) {
	pb := &i2ctest.Playback{DontPanic: true} // nothing answers
	specs := []hal.DeviceSpec{{Name: "env", Kind: "bme280", Bus: "1", Address: 0x77}}
	_, err := OpenWith(context.Background(), specs, hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": pb}})
	if err == nil {
		t.Fatal("opening an absent BME280 succeeded")
	}
	for _, s := range []string{`"env"`, "bme280", "bus 1", "0x77"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
	// Optional: the board opens without it and Health says why.
	specs[0].Optional = true
	b, err := OpenWith(context.Background(), specs, hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": pb}})
	if err != nil {
		t.Fatalf("optional device missing: %v", err)
	}
	defer b.Close()
	if len(b.Inputs) != 0 {
		t.Fatalf("absent optional device still has an input")
	}
	h := b.Health()
	if len(h) != 1 || h[0].OK || !strings.Contains(h[0].Err, "0x77") {
		t.Fatalf("health %+v does not report the missing device", h)
	}
	// A bus that is not there at all.
	_, err = OpenWith(context.Background(), []hal.DeviceSpec{{Name: "imu", Kind: "mpu9250", Bus: "7"}}, hal.Timing{}, testLog(t), Hardware{})
	if err == nil || !strings.Contains(err.Error(), `I2C bus "7" not found`) || !strings.Contains(err.Error(), "0x68") {
		t.Fatalf("missing bus error %v", err)
	}
}

func TestOpenRejectsBadSpecs(t *testing.T) {
	cases := []struct {
		spec hal.DeviceSpec
		want string
	}{
		{hal.DeviceSpec{Kind: "button", Pin: "GPIO1"}, "has no name"},
		{hal.DeviceSpec{Name: "x", Kind: "laser"}, `unknown kind "laser"`},
		{hal.DeviceSpec{Name: "b", Kind: "button", Pin: "GPIO1", Pull: "sideways"}, `pull "sideways"`},
		{hal.DeviceSpec{Name: "b", Kind: "button", Pin: "GPIO99"}, "GPIO pin GPIO99 not found"},
		{hal.DeviceSpec{Name: "b", Kind: "button"}, "no pin configured"},
		{hal.DeviceSpec{Name: "t", Kind: "pca9685", Bus: "1", Channel: 16}, "channel 16"},
		{hal.DeviceSpec{Name: "t", Kind: "pca9685", Bus: "1", MinAngle: 90, MaxAngle: 10}, "angles"},
		{hal.DeviceSpec{Name: "r", Kind: "nrzled", Bus: "/dev/spidev0.0"}, "count 0"},
		{hal.DeviceSpec{Name: "c", Kind: "cap1xxx", Bus: "1"}, "needs zones"},
		{hal.DeviceSpec{Name: "e", Kind: "buzzer", Pin: "GPIO1", Role: "tail"}, "cannot move the tail"},
		{hal.DeviceSpec{Name: "e", Kind: "led", Pin: "GPIO1", Role: "nose"}, `unknown role "nose"`},
	}
	for _, c := range cases {
		_, err := OpenWith(context.Background(), []hal.DeviceSpec{c.spec}, hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": &i2ctest.Playback{DontPanic: true}}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one containing %q", c.spec, err, c.want)
		}
	}
	_, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "a", Kind: "bme280", Bus: "1", Optional: true}, {Name: "a", Kind: "bme280", Bus: "1", Optional: true}}, hal.Timing{}, testLog(t), Hardware{})
	if err == nil || !strings.Contains(err.Error(), `"a" used twice`) {
		t.Errorf("duplicate names: %v", err)
	}
}

// --- INA219 -------------------------------------------------------------

func inaSenseOps(busMilliVolts int, currentRaw int16) []i2ctest.IO {
	bv := uint16(busMilliVolts/4) << 3
	return []i2ctest.IO{
		{Addr: 0x40, W: []byte{0x01}, R: []byte{0x00, 0x20}},              // shunt
		{Addr: 0x40, W: []byte{0x02}, R: []byte{byte(bv >> 8), byte(bv)}}, // bus voltage
		{Addr: 0x40, W: []byte{0x04}, R: []byte{byte(uint16(currentRaw) >> 8), byte(uint16(currentRaw))}},
		{Addr: 0x40, W: []byte{0x03}, R: []byte{0x00, 0x10}}, // power
	}
}

func TestINA219BatteryWithFaultAndRecovery(t *testing.T) {
	ops := []i2ctest.IO{
		// Calibration for 0.1 Ω and 3.2 A, then continuous conversion.
		{Addr: 0x40, W: []byte{0x05, 0x10, 0x62}},
		{Addr: 0x40, W: []byte{0x00, 0x1f, 0xff}},
	}
	ops = append(ops, inaSenseOps(3900, 2000)...)     // 3.9 V, discharging
	ops = append(ops, inaSenseOps(4000, -512)[:1]...) // then the bus read fails (tx 8)...
	ops = append(ops, inaSenseOps(4000, -512)...)     // ...and the retry works: charging
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	bus := &faultBus{Bus: pb, failAt: map[int]bool{8: true}}
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "battery", Kind: "ina219", Bus: "1", Interval: 20 * time.Millisecond, ShuntOhms: 0.1, BatteryEmptyVolts: 3.3, BatteryFullVolts: 4.2}},
		hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": bus}, RetryMin: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rec := newRecorder()
	stop := watch(t, b.Inputs[0], rec.emit)
	ev := rec.waitN(t, 4)
	stop()
	if ev[0].Kind != hal.BatteryReading || ev[1].Kind != hal.DeviceFailed || ev[2].Kind != hal.DeviceRecovered || ev[3].Kind != hal.BatteryReading {
		t.Fatalf("events %v", rec.kinds())
	}
	if b0 := ev[0].Battery; math.Abs(b0.Volts-3.9) > 0.001 || math.Abs(b0.Percent-66.7) > 0.01 || b0.Charging {
		t.Errorf("first reading %+v, want 3.9 V, 66.7 %%, discharging", b0)
	}
	if b1 := ev[3].Battery; math.Abs(b1.Volts-4.0) > 0.001 || !b1.Charging {
		t.Errorf("second reading %+v, want 4.0 V, charging", b1)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBatteryPercent(t *testing.T) {
	for _, c := range []struct{ v, want float64 }{{3.3, 0}, {3.0, 0}, {4.2, 100}, {4.5, 100}, {3.75, 50}, {math.NaN(), 0}} {
		if got := BatteryPercent(c.v, 3.3, 4.2); got != c.want {
			t.Errorf("BatteryPercent(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	if got := BatteryPercent(4, 4, 4); got != 0 {
		t.Errorf("degenerate range gave %v", got)
	}
}

// --- CAP1188 ------------------------------------------------------------

func capInitOps(addr uint16) []i2ctest.IO {
	return []i2ctest.IO{
		{Addr: addr, W: []byte{0xfd}, R: []byte{0x50}}, // product id: CAP1188
		{Addr: addr, W: []byte{0x00}, R: []byte{0x00}}, // clear interrupt
		{Addr: addr, W: []byte{0x00, 0x00}},
		{Addr: addr, W: []byte{0x21, 0xff}}, // enable inputs
		{Addr: addr, W: []byte{0x27, 0xff}}, // enable interrupts
		{Addr: addr, W: []byte{0x28, 0xff}},
		{Addr: addr, W: []byte{0x2a, 0x04}}, // multitouch
		{Addr: addr, W: []byte{0x24, 0x08}}, // sampling
		{Addr: addr, W: []byte{0x1f, 0x50}}, // sensitivity
		{Addr: addr, W: []byte{0x28, 0x00}}, // no repeat on hold
		{Addr: addr, W: []byte{0x20, 0x30}},
		{Addr: addr, W: []byte{0x44, 0x61}},
	}
}

// capRead is one poll: the status register (input 0 is bit 7), then the
// interrupt flag cleared so the status can change.
func capRead(addr uint16, status byte) []i2ctest.IO {
	return []i2ctest.IO{
		{Addr: addr, W: []byte{0x03}, R: []byte{status}},
		{Addr: addr, W: []byte{0x00}, R: []byte{0x01}},
		{Addr: addr, W: []byte{0x00, 0x00}},
	}
}

func TestCAP1188ZonesStrokeWithFaultAndRecovery(t *testing.T) {
	const addr = 0x29
	ops := capInitOps(addr)
	ops = append(ops, capRead(addr, 0x00)...)     // nothing
	ops = append(ops, capRead(addr, 0x80)...)     // head (channel 0)
	ops = append(ops, capRead(addr, 0x80)[:1]...) // head still; clearing fails (tx 20)
	ops = append(ops, capRead(addr, 0x40)...)     // recovered: back (channel 1) only
	ops = append(ops, capRead(addr, 0x00)...)     // released
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	bus := &faultBus{Bus: pb, failAt: map[int]bool{20: true}}
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "touch", Kind: "cap1xxx", Bus: "1", Address: addr, Zones: []string{"head", "back", "chin"}, Interval: 20 * time.Millisecond}},
		hal.Timing{LongPress: time.Hour}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": bus}, RetryMin: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rec := newRecorder()
	stop := watch(t, b.Inputs[0], rec.emit)
	rec.waitN(t, 7)
	stop()
	type zk struct {
		k          hal.EventKind
		zone, from string
	}
	var got []zk
	for _, e := range rec.all()[:7] {
		got = append(got, zk{e.Kind, e.Zone, e.From})
	}
	want := []zk{
		{hal.TouchStart, "head", ""},
		{hal.DeviceFailed, "", ""},
		{hal.DeviceRecovered, "", ""},
		{hal.TouchEnd, "head", ""},
		{hal.TouchStart, "back", ""},
		{hal.TouchStroke, "back", "head"},
		{hal.TouchEnd, "back", ""},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events %+v\nwant %+v", got, want)
		}
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

// --- MPU9250 ------------------------------------------------------------

func mpuInitOps(addr uint16) []i2ctest.IO {
	return []i2ctest.IO{
		{Addr: addr, W: []byte{reg.MPU9250_PWR_MGMT_1, 0x00}},
		{Addr: addr, W: []byte{reg.MPU9250_PWR_MGMT_2, 0x01}},
		{Addr: addr, W: []byte{reg.MPU9250_CONFIG, 0x03}},
		{Addr: addr, W: []byte{reg.MPU9250_SMPLRT_DIV, 0x04}},
	}
}

// mpuSampleOps is the traffic of one GetAcceleration: per axis, the enable
// bit in PWR_MGMT_2, then the high and low bytes.
func mpuSampleOps(addr uint16, a hal.Vec3) []i2ctest.IO {
	var ops []i2ctest.IO
	for i, g := range []float64{a.X, a.Y, a.Z} {
		v := uint16(int16(math.Round(g * lsbPerG)))
		hi := byte(reg.MPU9250_ACCEL_XOUT_H + 2*i)
		ops = append(ops,
			i2ctest.IO{Addr: addr, W: []byte{reg.MPU9250_PWR_MGMT_2}, R: []byte{0x01}},
			i2ctest.IO{Addr: addr, W: []byte{hi}, R: []byte{byte(v >> 8)}},
			i2ctest.IO{Addr: addr, W: []byte{hi + 1}, R: []byte{byte(v)}},
		)
	}
	return ops
}

func TestMPU9250PickUpFromRegisterTrafficWithFault(t *testing.T) {
	const addr = 0x68
	// 1.2 s level and still, then a lift and a hand hold. The motion config
	// is scaled to the test's 10 ms sampling: durations in samples matter.
	var samples []hal.Vec3
	for i := 0; i < 60; i++ {
		samples = append(samples, hal.Vec3{X: 0.01 * float64(i%3-1), Y: 0.005, Z: 1.0})
	}
	for i := 0; i < 20; i++ {
		samples = append(samples, hal.Vec3{X: 0.02, Y: -0.01, Z: 1.3})
	}
	ops := mpuInitOps(addr)
	failAt := map[int]bool{}
	for i, s := range samples {
		if i == 30 {
			// A read of the Y high byte fails mid-sample: the sample is
			// dropped, the device reported, then read again.
			o := mpuSampleOps(addr, s)
			ops = append(ops, o[:4]...)
			failAt[len(ops)+1] = true
		}
		ops = append(ops, mpuSampleOps(addr, s)...)
	}
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	bus := &faultBus{Bus: pb, failAt: failAt}
	cfg := hal.DefaultMotionConfig()
	cfg.StillFor = 300 * time.Millisecond
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "imu", Kind: "mpu9250", Bus: "1", Interval: 10 * time.Millisecond}},
		hal.Timing{}, testLog(t), Hardware{I2C: map[string]i2c.Bus{"1": bus}, RetryMin: 10 * time.Millisecond, Motion: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rec := newRecorder()
	stop := watch(t, b.Inputs[0], rec.emit)
	rec.waitKind(t, hal.MotionPickedUp)
	stop()
	got := rec.kinds()
	want := []hal.EventKind{hal.DeviceFailed, hal.DeviceRecovered, hal.MotionPickedUp}
	if len(got) < 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("events %v, want %v first", got, want)
	}
}

var _ = physic.Hertz
