package hal

import (
	"fmt"
	"time"
)

// Device kinds a DeviceSpec can name. They mirror the daemon config's
// hardware.devices[].kind values one for one.
const (
	KindButton    = "button"
	KindTouchPad  = "touch_pad"
	KindBME280    = "bme280"
	KindMPU9250   = "mpu9250"
	KindINA219    = "ina219"
	KindCAP1xxx   = "cap1xxx"
	KindPCA9685   = "pca9685"
	KindSSD1306   = "ssd1306"
	KindNRZLED    = "nrzled"
	KindLED       = "led"
	KindBuzzer    = "buzzer"
	KindVibration = "vibration"
)

// Output roles: which Board field an output device fills.
const (
	RoleEyes    = "eyes"
	RoleBuzzer  = "buzzer"
	RolePurr    = "purr"
	RoleTail    = "tail"
	RoleDisplay = "display"
)

// DeviceSpec is one part wired to the board, as plain values. It mirrors
// daemon/config.Device field for field (hal must not import config); the
// daemon copies the fields across.
type DeviceSpec struct {
	Name      string
	Kind      string
	Pin       string // GPIO pin name (GPIO17); for cap1xxx an optional alert pin
	Bus       string // I2C bus ("1") or SPI port ("/dev/spidev0.0")
	Address   uint16 // I2C address; 0 means the part's default
	Optional  bool
	Interval  time.Duration // sensor read period; 0 means the kind's default
	Pull      string        // up|down|none|"" (kind default)
	ActiveLow bool
	Zone      string   // touch_pad: the zone it covers
	Zones     []string // cap1xxx: zone per channel, in channel order ("" skips a channel)
	Role      string   // outputs: eyes|buzzer|purr|tail|display ("" = the kind's natural role)
	Channel   int      // pca9685 channel
	MinAngle  float64  // servo limits, degrees
	MaxAngle  float64
	MaxSpeed  float64 // degrees per second; 0 means no limit
	Count     int     // nrzled: number of LEDs

	ShuntOhms         float64 // ina219
	BatteryEmptyVolts float64 // ina219: voltage read as 0 %
	BatteryFullVolts  float64 // ina219: voltage read as 100 %
}

// String names the device the way error messages do: name, kind, and where
// it is wired.
func (s DeviceSpec) String() string {
	switch {
	case s.Pin != "" && s.Bus == "":
		return fmt.Sprintf("%q (%s on pin %s)", s.Name, s.Kind, s.Pin)
	case s.Address != 0:
		return fmt.Sprintf("%q (%s on bus %s at %#02x)", s.Name, s.Kind, s.Bus, s.Address)
	case s.Bus != "":
		return fmt.Sprintf("%q (%s on bus %s)", s.Name, s.Kind, s.Bus)
	default:
		return fmt.Sprintf("%q (%s)", s.Name, s.Kind)
	}
}

// NaturalRole is the output role a kind fills when Role is empty, or "" for
// inputs.
func NaturalRole(kind string) string {
	switch kind {
	case KindLED, KindNRZLED:
		return RoleEyes
	case KindBuzzer:
		return RoleBuzzer
	case KindVibration:
		return RolePurr
	case KindPCA9685:
		return RoleTail
	case KindSSD1306:
		return RoleDisplay
	}
	return ""
}

// Timing is how button and touch-pad presses are interpreted.
type Timing struct {
	// Debounce is the lockout after an accepted edge: edges inside it are
	// bounces. The press itself is reported on the first edge.
	Debounce time.Duration
	// LongPress is how long a press must be held to count as long.
	LongPress time.Duration
	// DoublePress is the longest gap between a release and the next press
	// for the two to count as a double press.
	DoublePress time.Duration
}

// DefaultTiming matches the config defaults.
func DefaultTiming() Timing {
	return Timing{Debounce: 30 * time.Millisecond, LongPress: 800 * time.Millisecond, DoublePress: 350 * time.Millisecond}
}

// WithDefaults fills zero fields from DefaultTiming.
func (t Timing) WithDefaults() Timing {
	d := DefaultTiming()
	if t.Debounce <= 0 {
		t.Debounce = d.Debounce
	}
	if t.LongPress <= 0 {
		t.LongPress = d.LongPress
	}
	if t.DoublePress <= 0 {
		t.DoublePress = d.DoublePress
	}
	return t
}
