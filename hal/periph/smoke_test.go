//go:build smoke

// Smoke tests: the conformance suites against the real parts of a real
// board. Run on the robot (as a user in the gpio, i2c and spi groups):
//
//	PURRD_SMOKE_PROFILE=configs/boards/pi5.yaml make smoke
//	# or: go test -tags smoke -run Smoke -v ./hal/periph/
//
// Outputs are exercised without asking anything: watch the eyes, listen to
// the buzzer. Inputs need a person: set PURRD_SMOKE_INTERACTIVE=1 and follow
// the prompts (press the button, touch each zone, pick the robot up...).
package periph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/haltest"
)

// smokeProfile mirrors the board profile keys (hal does not import the
// daemon's config package; the strict loader has already checked these
// files in its own tests).
type smokeProfile struct {
	Devices []struct {
		Name      string        `yaml:"name"`
		Kind      string        `yaml:"kind"`
		Pin       string        `yaml:"pin"`
		Bus       string        `yaml:"bus"`
		Address   uint16        `yaml:"address"`
		Optional  bool          `yaml:"optional"`
		Interval  time.Duration `yaml:"interval"`
		Pull      string        `yaml:"pull"`
		ActiveLow bool          `yaml:"active_low"`
		Zone      string        `yaml:"zone"`
		Zones     []string      `yaml:"zones"`
		Role      string        `yaml:"role"`
		Channel   int           `yaml:"channel"`
		MinAngle  float64       `yaml:"min_angle"`
		MaxAngle  float64       `yaml:"max_angle"`
		MaxSpeed  float64       `yaml:"max_speed"`
		Count     int           `yaml:"count"`
		Shunt     float64       `yaml:"shunt_ohms"`
		Empty     float64       `yaml:"battery_empty_volts"`
		Full      float64       `yaml:"battery_full_volts"`
	} `yaml:"devices"`
}

func smokeSpecs(t *testing.T) []hal.DeviceSpec {
	path := os.Getenv("PURRD_SMOKE_PROFILE")
	if path == "" {
		t.Skip("PURRD_SMOKE_PROFILE is not set: smoke tests need a real board and its profile (see docs/hardware.md)")
	}
	if _, err := os.Stat(path); err != nil && !filepath.IsAbs(path) {
		path = filepath.Join("..", "..", path) // relative to the repository root
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p smokeProfile
	if err := yaml.Unmarshal(data, &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var specs []hal.DeviceSpec
	for _, d := range p.Devices {
		specs = append(specs, hal.DeviceSpec{
			Name: d.Name, Kind: d.Kind, Pin: d.Pin, Bus: d.Bus, Address: d.Address, Optional: d.Optional,
			Interval: d.Interval, Pull: d.Pull, ActiveLow: d.ActiveLow, Zone: d.Zone, Zones: d.Zones, Role: d.Role,
			Channel: d.Channel, MinAngle: d.MinAngle, MaxAngle: d.MaxAngle, MaxSpeed: d.MaxSpeed, Count: d.Count,
			ShuntOhms: d.Shunt, BatteryEmptyVolts: d.Empty, BatteryFullVolts: d.Full,
		})
	}
	return specs
}

func prompt(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "\n>>> "+format+"\n", a...)
}

func TestSmokeBoard(t *testing.T) {
	specs := smokeSpecs(t)
	r := Inventory(context.Background(), specs, hal.Timing{}, testLog(t))
	if _, err := r.WriteTo(os.Stderr); err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatal("required devices missing (report above)")
	}
	b, err := Open(context.Background(), specs, hal.Timing{}, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	byKind := map[string]hal.DeviceSpec{}
	for _, s := range specs {
		byKind[s.Kind] = s
	}
	input := func(name string) hal.Input {
		for _, in := range b.Inputs {
			if in.Name() == name {
				return in
			}
		}
		return nil
	}

	if b.Eyes != nil {
		t.Run("Eyes", func(t *testing.T) {
			prompt("watch the eyes: red, blue breathing, blink, sparkle, then off")
			haltest.TestEyes(t, haltest.EyesRig{Eyes: b.Eyes})
		})
	}
	if b.Buzzer != nil {
		t.Run("Buzzer", func(t *testing.T) {
			prompt("listen: a chirp then a trill")
			haltest.TestBuzzer(t, haltest.BuzzerRig{Buzzer: b.Buzzer})
		})
	}
	if b.Purr != nil {
		t.Run("Purr", func(t *testing.T) {
			prompt("feel the purr motor for a moment")
			haltest.TestVibrator(t, haltest.VibratorRig{Vibrator: b.Purr})
		})
	}
	if s, ok := byKind[hal.KindPCA9685]; ok && b.Tail != nil {
		t.Run("Tail", func(t *testing.T) {
			prompt("watch the tail: middle, then each limit")
			haltest.TestServo(t, haltest.ServoRig{Servo: b.Tail, Min: s.MinAngle, Max: s.MaxAngle, Angle: b.Tail.(*servo).Angle})
		})
	}
	if b.Display != nil {
		t.Run("Display", func(t *testing.T) {
			prompt("watch the OLED: every expression, then off")
			haltest.TestDisplay(t, haltest.DisplayRig{Display: b.Display})
		})
	}
	if s, ok := byKind[hal.KindBME280]; ok && input(s.Name) != nil {
		t.Run("Env", func(t *testing.T) { haltest.TestEnvSensor(t, input(s.Name)) })
	}
	if s, ok := byKind[hal.KindINA219]; ok && input(s.Name) != nil {
		t.Run("Battery", func(t *testing.T) { haltest.TestBattery(t, input(s.Name)) })
	}
	if os.Getenv("PURRD_SMOKE_INTERACTIVE") == "" {
		t.Log("inputs not tested: set PURRD_SMOKE_INTERACTIVE=1 and follow the prompts")
		return
	}
	if s, ok := byKind[hal.KindButton]; ok {
		in := input(s.Name)
		haltest.TestButton(t, func(t *testing.T) haltest.ButtonRig {
			return haltest.ButtonRig{Input: in,
				Click:       func(*testing.T) { prompt("click the button once") },
				LongPress:   func(*testing.T) { prompt("hold the button for two seconds, then let go") },
				DoubleClick: func(*testing.T) { prompt("double-click the button") },
			}
		})
	}
	if s, ok := byKind[hal.KindCAP1xxx]; ok {
		in := input(s.Name)
		haltest.TestTouch(t, func(t *testing.T) haltest.TouchRig {
			return haltest.TouchRig{Input: in, Zones: s.Zones,
				Touch:  func(_ *testing.T, z string) { prompt("touch %s briefly", z) },
				Stroke: func(_ *testing.T, from, to string) { prompt("stroke from %s to %s", from, to) },
			}
		})
	}
	if s, ok := byKind[hal.KindMPU9250]; ok {
		in := input(s.Name)
		haltest.TestMotion(t, func(t *testing.T) haltest.MotionRig {
			return haltest.MotionRig{Input: in, Gesture: func(_ *testing.T, g string) {
				prompt(map[string]string{
					"tilt":    "tilt the robot on its bed by about 45 degrees and leave it",
					"pick_up": "pick the robot up and hold it", "shake": "shake it side to side",
					"put_down": "put it down and let go", "fall": "drop it 20 cm onto a cushion",
				}[g])
			}}
		})
	}
}
