package config

import (
	"fmt"
	"regexp"
	"strings"
)

// kindSpec says what a device kind needs and which keys it accepts.
type kindSpec struct {
	bus  string   // "i2c", "spi" or "" (wired to a GPIO pin)
	pin  bool     // pin is required
	keys []string // keys accepted besides name, kind and optional
	role string   // the output role it plays ("" for inputs and sensors)
}

// kindNames is the order kinds are listed in messages.
var kindNames = []string{"button", "touch_pad", "bme280", "mpu9250", "ina219", "cap1xxx", "pca9685", "ssd1306", "nrzled", "led", "buzzer", "vibration"}

var kindSpecs = map[string]kindSpec{
	"button":    {pin: true, keys: []string{"pin", "pull", "active_low"}},
	"touch_pad": {pin: true, keys: []string{"pin", "pull", "active_low", "zone"}},
	"led":       {pin: true, keys: []string{"pin", "active_low", "role"}, role: "eyes"},
	"buzzer":    {pin: true, keys: []string{"pin", "active_low", "role"}, role: "buzzer"},
	"vibration": {pin: true, keys: []string{"pin", "active_low", "role"}, role: "purr"},
	"bme280":    {bus: "i2c", keys: []string{"bus", "address", "interval"}},
	"mpu9250":   {bus: "i2c", keys: []string{"bus", "address", "interval"}},
	"ina219":    {bus: "i2c", keys: []string{"bus", "address", "interval", "shunt_ohms", "battery_empty_volts", "battery_full_volts"}},
	"cap1xxx":   {bus: "i2c", keys: []string{"bus", "address", "interval", "zones", "pin"}},
	"pca9685":   {bus: "i2c", keys: []string{"bus", "address", "role", "channel", "min_angle", "max_angle", "max_speed"}, role: "tail"},
	"ssd1306":   {bus: "i2c", keys: []string{"bus", "address", "role"}, role: "display"}, // 128x64
	"nrzled":    {bus: "spi", keys: []string{"bus", "count", "role"}, role: "eyes"},
}

var (
	// pinRE accepts periph.io pin names: GPIO17, P1_11, PA10, or a number.
	pinRE    = regexp.MustCompile(`^([A-Z][A-Z0-9_.]{0,31}[0-9]|[0-9]{1,4})$`)
	i2cBusRE = regexp.MustCompile(`^(?:I2C|/dev/i2c-)?([0-9]{1,3})$`)
	spiRE    = regexp.MustCompile(`^(?:/dev/spidev|SPI)([0-9]{1,2})\.([0-9]{1,2})$`)
)

// validateDevices checks a device list written at base ("hardware.devices"
// in a config, "devices" in a profile). Defaults must already be applied.
func validateDevices(d *decoder, devs []Device, base string) {
	names := map[string]int{}
	pins := map[string]int{}
	addrs := map[string]int{}
	spis := map[string]int{}
	servos := map[string]int{}
	for i := range devs {
		dv := &devs[i]
		p := indexed(base, i)
		used := func(j int) string {
			return fmt.Sprintf("device %q (line %d)", devs[j].Name, d.lineOf(indexed(base, j)))
		}

		switch {
		case dv.Name == "":
			d.at(p+".name", "required")
		case !nameRE.MatchString(dv.Name):
			d.at(p+".name", "%q is not a valid name (use 1-32 of a-z, 0-9 and _)", dv.Name)
		default:
			if j, dup := names[dv.Name]; dup {
				d.at(p+".name", "duplicate device name %q (first at line %d)", dv.Name, d.lineOf(indexed(base, j)))
			} else {
				names[dv.Name] = i
			}
		}

		spec, ok := kindSpecs[dv.Kind]
		if !ok {
			if dv.Kind == "" {
				d.at(p+".kind", "required (one of %s)", strings.Join(kindNames, ", "))
			} else {
				d.at(p+".kind", "unknown kind %q (one of %s)", dv.Kind, strings.Join(kindNames, ", "))
			}
			continue
		}
		accepted := map[string]bool{"name": true, "kind": true, "optional": true}
		for _, k := range spec.keys {
			accepted[k] = true
		}
		for _, k := range d.Keys(p) {
			if !accepted[k] {
				d.at(p+"."+k, "not used by kind %s", dv.Kind)
			}
		}

		// Wiring: pin, bus, address.
		if spec.pin && dv.Pin == "" {
			d.at(p+".pin", "required for kind %s (a GPIO pin name, e.g. GPIO17)", dv.Kind)
		}
		if dv.Pin != "" && accepted["pin"] {
			if !pinRE.MatchString(dv.Pin) {
				d.at(p+".pin", "%q is not a GPIO pin name (expected e.g. GPIO17, P1_11 or 17)", dv.Pin)
			} else if j, dup := pins[dv.Pin]; dup {
				d.at(p+".pin", "pin %s is already used by %s", dv.Pin, used(j))
			} else {
				pins[dv.Pin] = i
			}
		}
		switch spec.bus {
		case "i2c":
			bus, busOK := "", false
			if dv.Bus == "" {
				d.at(p+".bus", "required for kind %s (an I2C bus, e.g. \"1\")", dv.Kind)
			} else if m := i2cBusRE.FindStringSubmatch(dv.Bus); m == nil {
				d.at(p+".bus", "%q is not an I2C bus (expected e.g. \"1\", \"I2C1\" or \"/dev/i2c-1\")", dv.Bus)
			} else {
				bus, busOK = strings.TrimLeft(m[1], "0"), true
				if bus == "" {
					bus = "0"
				}
			}
			addrOK := false
			switch {
			case !d.has(p + ".address"):
				d.at(p+".address", "required for kind %s (e.g. 0x76)", dv.Kind)
			case dv.Address > 0x7f:
				d.at(p+".address", "%#x is not a 7-bit I2C address", dv.Address)
			case dv.Address < 0x08 || dv.Address > 0x77:
				d.at(p+".address", "%#02x is a reserved I2C address (devices use 0x08-0x77)", dv.Address)
			default:
				addrOK = true
			}
			if busOK && addrOK {
				key := fmt.Sprintf("bus %s address %#02x", bus, dv.Address)
				if j, dup := addrs[key]; dup && !(dv.Kind == "pca9685" && devs[j].Kind == "pca9685") {
					d.at(p+".address", "%s is already used by %s", key, used(j))
				} else if !dup {
					addrs[key] = i
				}
				if dv.Kind == "pca9685" && dv.Channel >= 0 && dv.Channel <= 15 {
					ch := fmt.Sprintf("channel %d of the pca9685 at %s", dv.Channel, key)
					if j, dup := servos[ch]; dup {
						d.at(p+".channel", "%s is already used by %s", ch, used(j))
					} else {
						servos[ch] = i
					}
				}
			}
		case "spi":
			if dv.Bus == "" {
				d.at(p+".bus", "required for kind %s (an SPI port, e.g. \"/dev/spidev0.0\")", dv.Kind)
			} else if m := spiRE.FindStringSubmatch(dv.Bus); m == nil {
				d.at(p+".bus", "%q is not an SPI port (expected e.g. \"/dev/spidev0.0\" or \"SPI0.0\")", dv.Bus)
			} else if j, dup := spis[m[1]+"."+m[2]]; dup {
				d.at(p+".bus", "SPI port %s is already used by %s", dv.Bus, used(j))
			} else {
				spis[m[1]+"."+m[2]] = i
			}
		}

		if d.has(p+".interval") && dv.Interval < 1e6 {
			d.at(p+".interval", "%s is too short (at least 1ms)", dv.Interval)
		}
		if d.has(p + ".pull") {
			d.oneOf(p+".pull", dv.Pull, "up", "down", "none")
		}
		if spec.role != "" && dv.Role != spec.role {
			if !isRole(dv.Role) {
				d.at(p+".role", "%q is not one of eyes, buzzer, purr, tail, display", dv.Role)
			} else {
				d.at(p+".role", "kind %s can only be %s", dv.Kind, spec.role)
			}
		}
		validateKind(d, dv, p)
	}
}

func isRole(r string) bool {
	switch r {
	case "eyes", "buzzer", "purr", "tail", "display":
		return true
	}
	return false
}

// validateKind checks the settings only one kind has.
func validateKind(d *decoder, dv *Device, p string) {
	switch dv.Kind {
	case "touch_pad":
		if dv.Zone == "" {
			d.at(p+".zone", "required for kind touch_pad (e.g. head, back, chin)")
		} else {
			d.zone(p+".zone", dv.Zone)
		}
	case "cap1xxx":
		switch {
		case len(dv.Zones) == 0:
			d.at(p+".zones", "required for kind cap1xxx (one zone per channel, in channel order)")
		case len(dv.Zones) > 8:
			d.at(p+".zones", "has %d entries; a CAP1xxx has at most 8 channels", len(dv.Zones))
		}
		used := 0
		for i, z := range dv.Zones {
			if z == "" { // an unconnected channel
				continue
			}
			used++
			d.zone(indexed(p+".zones", i), z)
		}
		if len(dv.Zones) > 0 && used == 0 {
			d.at(p+".zones", "every channel is skipped (\"\"); name the zone of at least one")
		}
	case "pca9685":
		if dv.Channel < 0 || dv.Channel > 15 {
			d.at(p+".channel", "%d is out of range (0-15)", dv.Channel)
		}
		if dv.MinAngle < 0 || dv.MinAngle > 360 {
			d.at(p+".min_angle", "%g is out of range (0-360 degrees)", dv.MinAngle)
		}
		if dv.MaxAngle < 0 || dv.MaxAngle > 360 {
			d.at(p+".max_angle", "%g is out of range (0-360 degrees)", dv.MaxAngle)
		} else if dv.MaxAngle <= dv.MinAngle {
			d.at(p+".max_angle", "%g must be more than min_angle (%g)", dv.MaxAngle, dv.MinAngle)
		}
		if dv.MaxSpeed < 0 {
			d.at(p+".max_speed", "must not be negative, got %g", dv.MaxSpeed)
		}
	case "nrzled":
		if !d.has(p + ".count") {
			d.at(p+".count", "required for kind nrzled (number of LEDs)")
		} else if dv.Count < 1 || dv.Count > 1024 {
			d.at(p+".count", "%d is out of range (1-1024)", dv.Count)
		}
	case "ina219":
		if !(dv.Shunt > 0) || dv.Shunt > 10 {
			d.at(p+".shunt_ohms", "%g must be more than 0 and at most 10", dv.Shunt)
		}
		if !(dv.CellsMin > 0) || dv.CellsMin > 26 {
			d.at(p+".battery_empty_volts", "%g is out of range (more than 0, at most 26; the INA219 reads up to 26 V)", dv.CellsMin)
		} else if dv.CellsMax <= dv.CellsMin || dv.CellsMax > 26 {
			d.at(p+".battery_full_volts", "%g must be more than battery_empty_volts (%g) and at most 26", dv.CellsMax, dv.CellsMin)
		}
	}
}

func (d *decoder) zone(path, z string) {
	if !nameRE.MatchString(z) {
		d.at(path, "%q is not a valid zone name (use 1-32 of a-z, 0-9 and _)", z)
	}
}
