package periph

import (
	"context"
	"image"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2ctest"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spitest"
	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/purrd/purrd/hal"
)

// regBus records every write and answers every read with zeros, like a
// freshly reset chip whose registers read 0.
type regBus struct {
	mu  sync.Mutex
	ops []i2ctest.IO
}

func (r *regBus) String() string                    { return "regBus" }
func (r *regBus) SetSpeed(f physic.Frequency) error { return nil }
func (r *regBus) Tx(addr uint16, w, rd []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(rd)
	r.ops = append(r.ops, i2ctest.IO{Addr: addr, W: slices.Clone(w)})
	return nil
}
func (r *regBus) writes() []i2ctest.IO {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ops)
}

// waitFor polls cond (a test helper, not product code) until it holds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTime)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", waitTime, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func openOne(t *testing.T, s hal.DeviceSpec, hw Hardware) *hal.Board {
	t.Helper()
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{s}, hal.Timing{}, testLog(t), hw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// servoWrites decodes the PCA9685 writes to channel ch: off counts, and
// whether the last one switched the channel fully off.
func servoWrites(ops []i2ctest.IO, addr uint16, ch int) (counts []int, fullOff bool) {
	regOn := byte(0x06 + 4*ch)
	for _, o := range ops {
		if o.Addr != addr || len(o.W) == 0 {
			continue
		}
		switch {
		case o.W[0] == regOn && len(o.W) == 5:
			counts = append(counts, int(o.W[3])|int(o.W[4])<<8)
			fullOff = false
		case o.W[0] == regOn+3 && len(o.W) >= 2 && o.W[1]&0x10 != 0:
			fullOff = true
		}
	}
	return counts, fullOff
}

func TestPCA9685ServoSpeedLimitClampAndHalt(t *testing.T) {
	bus := &regBus{}
	b := openOne(t, hal.DeviceSpec{Name: "tail", Kind: "pca9685", Bus: "1", Address: 0x41, Channel: 3, MinAngle: 30, MaxAngle: 150, MaxSpeed: 300},
		Hardware{I2C: map[string]i2c.Bus{"1": bus}})
	sv := b.Tail.(*servo)
	if err := b.Tail.MoveTo(500); err != nil { // beyond the limit: clamped
		t.Fatal(err)
	}
	waitFor(t, "tail at 150°", func() bool { return sv.Angle() == 150 })
	counts, _ := servoWrites(bus.writes(), 0x41, 3)
	if len(counts) < 9 {
		t.Fatalf("60° at 300°/s took %d frames, want >= 10 steps", len(counts))
	}
	maxStep := int(math.Ceil(300*servoStep.Seconds()*(servoMaxCount-servoMinCount)/180)) + 1
	for i := 1; i < len(counts); i++ {
		if d := counts[i] - counts[i-1]; d < 0 || d > maxStep {
			t.Fatalf("step %d: %d -> %d exceeds the speed limit (max %d counts/frame)", i, counts[i-1], counts[i], maxStep)
		}
	}
	if last := counts[len(counts)-1]; last != int(ServoDuty(150)) {
		t.Fatalf("final count %d, want %d (150°)", last, ServoDuty(150))
	}
	if err := b.Tail.MoveTo(math.NaN()); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("MoveTo(NaN) = %v", err)
	}
	if err := b.Tail.MoveTo(30); err != nil {
		t.Fatal(err)
	}
	if err := b.Tail.Halt(); err != nil {
		t.Fatal(err)
	}
	if _, off := servoWrites(bus.writes(), 0x41, 3); !off {
		t.Fatal("Halt did not switch the channel fully off")
	}
	n := len(bus.writes())
	time.Sleep(100 * time.Millisecond)
	if len(bus.writes()) != n {
		t.Fatal("the servo kept moving after Halt")
	}
}

func TestServoDuty(t *testing.T) {
	if ServoDuty(0) != 102 || ServoDuty(180) != 512 || ServoDuty(90) != 307 || ServoDuty(-5) != 102 {
		t.Fatalf("duties %d %d %d", ServoDuty(0), ServoDuty(90), ServoDuty(180))
	}
}

// ssdFrame rebuilds the panel's 128x64 frame buffer from the I²C writes.
func ssdFrame(ops []i2ctest.IO, addr uint16) (fb []byte, on bool) {
	fb = make([]byte, 128*8)
	page, col := 0, 0
	for _, o := range ops {
		if o.Addr != addr || len(o.W) == 0 {
			continue
		}
		switch o.W[0] {
		case 0x00: // commands
			cmds := o.W[1:]
			for i := 0; i < len(cmds); i++ {
				c := cmds[i]
				switch {
				case c == 0xAE:
					on = false
				case c == 0xAF:
					on = true
				case c >= 0xB0 && c <= 0xB7 && i+2 < len(cmds) && cmds[i+1] < 0x10 && cmds[i+2]&0xF0 == 0x10:
					page, col = int(c-0xB0), int(cmds[i+1])|int(cmds[i+2]&0x0F)<<4
					i += 2
				}
			}
		case 0x40: // data
			copy(fb[page*128+col:], o.W[1:])
		}
	}
	return fb, on
}

func TestSSD1306ShowsTheFaceAtConfiguredAddress(t *testing.T) {
	bus := &regBus{}
	b := openOne(t, hal.DeviceSpec{Name: "eyes_oled", Kind: "ssd1306", Bus: "1", Address: 0x3d}, Hardware{I2C: map[string]i2c.Bus{"1": bus}})
	for _, e := range hal.Expressions() {
		if err := b.Display.Show(e); err != nil {
			t.Fatal(err)
		}
		want := image1bit.NewVerticalLSB(image.Rect(0, 0, 128, 64))
		if err := hal.DrawFace(want, e); err != nil {
			t.Fatal(err)
		}
		fb, on := ssdFrame(bus.writes(), 0x3d)
		if !slices.Equal(fb, want.Pix) {
			t.Fatalf("%s: panel frame differs from DrawFace", e)
		}
		if !on {
			t.Fatalf("%s: panel not switched on", e)
		}
	}
	for _, o := range bus.writes() {
		if o.Addr != 0x3d {
			t.Fatalf("write to %#x; the display is at 0x3d", o.Addr)
		}
	}
	if err := b.Display.Show("grumpy"); err == nil || !strings.Contains(err.Error(), `"grumpy"`) {
		t.Fatalf("Show(grumpy) = %v", err)
	}
	if err := b.Display.Halt(); err != nil {
		t.Fatal(err)
	}
	if _, on := ssdFrame(bus.writes(), 0x3d); on {
		t.Fatal("Halt left the panel on")
	}
}

func TestFacesDiffer(t *testing.T) {
	seen := map[string]hal.Expression{}
	for _, e := range hal.Expressions() {
		img := image1bit.NewVerticalLSB(image.Rect(0, 0, 128, 64))
		if err := hal.DrawFace(img, e); err != nil {
			t.Fatal(err)
		}
		lit := 0
		for _, b := range img.Pix {
			for ; b != 0; b &= b - 1 {
				lit++
			}
		}
		if lit < 100 {
			t.Errorf("%s lights only %d pixels", e, lit)
		}
		if prev, ok := seen[string(img.Pix)]; ok {
			t.Errorf("%s looks the same as %s", e, prev)
		}
		seen[string(img.Pix)] = e
	}
}

// nrzPixels decodes a WS2812 SPI frame (4 SPI bits per data bit, GRB order)
// into RGB triplets.
func nrzPixels(w []byte) []hal.RGB {
	w = w[3 : len(w)-3]
	var out []hal.RGB
	dec := func(b []byte) uint8 {
		var v uint8
		for _, x := range b {
			for _, n := range []byte{x >> 4, x & 0xF} {
				v <<= 1
				if n == 0xE {
					v |= 1
				}
			}
		}
		return v
	}
	for i := 0; i+12 <= len(w); i += 12 {
		g, r, b := dec(w[i:i+4]), dec(w[i+4:i+8]), dec(w[i+8:i+12])
		out = append(out, hal.RGB{R: r, G: g, B: b})
	}
	return out
}

type spiRec struct{ spitest.Record }

func (s *spiRec) last() []hal.RGB {
	s.Lock()
	defer s.Unlock()
	if len(s.Ops) == 0 {
		return nil
	}
	return nrzPixels(s.Ops[len(s.Ops)-1].W)
}

func TestNRZLEDRing(t *testing.T) {
	port := &spiRec{}
	b := openOne(t, hal.DeviceSpec{Name: "ring", Kind: "nrzled", Bus: "/dev/spidev0.0", Count: 12}, Hardware{SPI: map[string]spi.Port{"/dev/spidev0.0": port}})
	px := port.last()
	if len(px) != 12 || px[0] != (hal.RGB{}) {
		t.Fatalf("ring not dark at start: %v", px)
	}
	if err := b.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{R: 200, G: 100, B: 0}, Brightness: 0.5}); err != nil {
		t.Fatal(err)
	}
	for i, p := range port.last() {
		if p != (hal.RGB{R: 100, G: 50, B: 0}) {
			t.Fatalf("pixel %d = %v, want {100 50 0}", i, p)
		}
	}
	if err := b.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{G: 255}, Brightness: 1, Animation: hal.EyesBreathe}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "breathing to change the ring", func() bool { p := port.last(); return p[0].G != 38 && p[0].G != 255 })
	for _, bad := range []hal.EyeState{{Brightness: 1.5}, {Brightness: math.NaN()}, {Brightness: 1, Animation: "wink"}} {
		if err := b.Eyes.SetEyes(bad); err == nil {
			t.Errorf("SetEyes(%+v) accepted", bad)
		}
	}
	if err := b.Eyes.Halt(); err != nil {
		t.Fatal(err)
	}
	n := len(port.Ops)
	for _, p := range port.last() {
		if p != (hal.RGB{}) {
			t.Fatalf("ring lit after Halt: %v", p)
		}
	}
	time.Sleep(3 * frame)
	if len(port.Ops) != n {
		t.Fatal("animation kept writing after Halt")
	}
}

func pinState(p *gpiotest.Pin) (gpio.Level, gpio.Duty, physic.Frequency) {
	p.Lock()
	defer p.Unlock()
	return p.L, p.D, p.F
}

func TestPinOutputs(t *testing.T) {
	led, bz, mot := fakePin("GPIO12"), fakePin("GPIO18"), fakePin("GPIO23")
	hw := Hardware{Pins: map[string]gpio.PinIO{"GPIO12": led, "GPIO18": bz, "GPIO23": mot}}
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{
		{Name: "eye_led", Kind: "led", Pin: "GPIO12", ActiveLow: true},
		{Name: "buzzer", Kind: "buzzer", Pin: "GPIO18"},
		{Name: "purr", Kind: "vibration", Pin: "GPIO23"},
	}, hal.Timing{}, testLog(t), hw)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	// Eyes on an active-low LED: off is High.
	if l, _, _ := pinState(led); l != gpio.High {
		t.Fatal("active-low LED not off at start")
	}
	if err := b.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{R: 255, G: 255, B: 255}, Brightness: 1}); err != nil {
		t.Fatal(err)
	}
	if l, _, _ := pinState(led); l != gpio.Low {
		t.Fatal("LED not on")
	}
	if err := b.Eyes.SetEyes(hal.EyeState{Color: hal.RGB{R: 255, G: 255, B: 255}, Brightness: 0.25}); err != nil {
		t.Fatal(err)
	}
	if _, d, f := pinState(led); f != physic.KiloHertz || math.Abs(float64(d)/float64(gpio.DutyMax)-0.75) > 0.01 {
		t.Fatalf("dim active-low LED: duty %v at %v, want 75%% at 1kHz", d, f)
	}

	// Buzzer: plays the notes, silent at the end and after Halt.
	chirp := hal.Tune{Name: "chirp", Notes: []hal.Note{{Hz: 2000, Dur: 30 * time.Millisecond}, {Hz: 3000, Dur: 30 * time.Millisecond}}}
	if err := b.Buzzer.Play(chirp); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second note", func() bool { _, _, f := pinState(bz); return f == 3000*physic.Hertz })
	waitFor(t, "silence after the tune", func() bool { l, _, _ := pinState(bz); return l == gpio.Low })
	for _, bad := range []hal.Tune{{Name: "empty"}, {Name: "neg", Notes: []hal.Note{{Hz: -1, Dur: time.Second}}}, {Name: "zero", Notes: []hal.Note{{Hz: 440}}}, {Name: "long", Notes: []hal.Note{{Hz: 440, Dur: time.Minute}}}} {
		if err := b.Buzzer.Play(bad); err == nil || !strings.Contains(err.Error(), bad.Name) {
			t.Errorf("Play(%s) = %v", bad.Name, err)
		}
	}

	// Purr: pulses, then stops by itself; Halt stops a long one at once.
	if err := b.Purr.Purr(hal.PurrPattern{Name: "soft", Strength: 1, On: 20 * time.Millisecond, Off: 10 * time.Millisecond, Repeat: 2}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the motor to run", func() bool { l, _, _ := pinState(mot); return l == gpio.High })
	waitFor(t, "the motor to stop", func() bool { l, _, _ := pinState(mot); return l == gpio.Low })
	if err := b.Purr.Purr(hal.PurrPattern{Name: "long", Strength: 1, On: time.Hour, Repeat: 1}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the motor to run", func() bool { l, _, _ := pinState(mot); return l == gpio.High })
	if err := b.Halt(); err != nil {
		t.Fatal(err)
	}
	if l, _, _ := pinState(mot); l != gpio.Low {
		t.Fatal("motor still running after Halt")
	}
	if l, _, _ := pinState(led); l != gpio.High {
		t.Fatal("LED still on after Halt")
	}
	for _, bad := range []hal.PurrPattern{{Name: "strong", Strength: 2, On: time.Second}, {Name: "noon", Strength: 1}} {
		if err := b.Purr.Purr(bad); err == nil || !strings.Contains(err.Error(), bad.Name) {
			t.Errorf("Purr(%s) = %v", bad.Name, err)
		}
	}
}
