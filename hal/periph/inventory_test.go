package periph

import (
	"context"
	"errors"
	"strings"
	"testing"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2ctest"

	"github.com/purrd/purrd/hal"
)

type fakeDriver string

func (d fakeDriver) String() string          { return string(d) }
func (d fakeDriver) Prerequisites() []string { return nil }
func (d fakeDriver) After() []string         { return nil }
func (d fakeDriver) Init() (bool, error)     { return true, nil }

func TestProbeAndReport(t *testing.T) {
	pb := &i2ctest.Playback{Ops: bmeInitOps(0x76), DontPanic: true}
	hw := Hardware{Pins: map[string]gpio.PinIO{"GPIO17": fakePin("GPIO17")}, I2C: map[string]i2c.Bus{"1": pb}}
	specs := []hal.DeviceSpec{
		{Name: "button", Kind: "button", Pin: "GPIO17", ActiveLow: true},
		{Name: "env", Kind: "bme280", Bus: "1"},
		{Name: "imu", Kind: "mpu9250", Bus: "1", Optional: true},
		{Name: "tail", Kind: "pca9685", Bus: "1", Address: 0x40},
	}
	devs := Probe(context.Background(), specs, hal.Timing{}, testLog(t), hw)
	if len(devs) != 4 || !devs[0].OK || !devs[1].OK || devs[2].OK || devs[3].OK {
		t.Fatalf("probe results %+v", devs)
	}
	if !devs[2].Optional || !strings.Contains(devs[2].Err, "0x68") {
		t.Fatalf("imu result %+v", devs[2])
	}
	r := Report{Loaded: []string{"ioctl-gpio", "sysfs-i2c"}, Pins: []string{"GPIO17 (In/High)"}, I2C: []string{"I2C1 (aliases: /dev/i2c-1, 1)"}, Devices: devs}
	r.addState(&driverreg.State{Failed: []driverreg.DriverFailure{{D: fakeDriver("bcm2835-dma"), Err: errors.New("need root")}}})
	var sb strings.Builder
	if _, err := r.WriteTo(&sb); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{
		"Host drivers loaded (2): ioctl-gpio, sysfs-i2c",
		"Host drivers FAILED (1):\n  bcm2835-dma: need root",
		"GPIO pins (1): GPIO17 (In/High)",
		"I2C buses (1): I2C1 (aliases: /dev/i2c-1, 1)",
		"SPI ports (0): none",
		"button", "env", "bus 1, address 0x76",
		"MISSING (optional)", "MISSING",
		"Some required devices did not answer",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if r.OK() {
		t.Error("report with a missing required device says OK")
	}
	r.Devices = devs[:2]
	if !r.OK() {
		t.Error("report with all devices answering is not OK")
	}
}

func TestInventoryOnThisHost(t *testing.T) {
	// host.Init works everywhere; on a machine without GPIO every registry
	// is empty and every device is reported missing, with reasons.
	r := Inventory(context.Background(), []hal.DeviceSpec{{Name: "env", Kind: "bme280", Bus: "1", Address: 0x76}}, hal.Timing{}, testLog(t))
	if r.InitErr != "" {
		t.Fatalf("host.Init: %s", r.InitErr)
	}
	if len(r.Loaded)+len(r.Skipped)+len(r.Failed) == 0 {
		t.Fatal("no host drivers reported at all")
	}
	if len(r.Devices) != 1 {
		t.Fatalf("devices %+v", r.Devices)
	}
	if len(r.I2C) == 0 && (r.Devices[0].OK || !strings.Contains(r.Devices[0].Err, `I2C bus "1"`)) {
		t.Fatalf("no I2C bus here, yet %+v", r.Devices[0])
	}
}
