package daemon

import (
	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/hal"
)

// deviceSpecs copies the config's hardware map into hal's plain values; the
// two mirror each other because hal must not import config.
func deviceSpecs(devs []config.Device) []hal.DeviceSpec {
	out := make([]hal.DeviceSpec, 0, len(devs))
	for _, d := range devs {
		out = append(out, hal.DeviceSpec{
			Name:              d.Name,
			Kind:              d.Kind,
			Pin:               d.Pin,
			Bus:               d.Bus,
			Address:           d.Address,
			Optional:          d.Optional,
			Interval:          d.Interval,
			Pull:              d.Pull,
			ActiveLow:         d.ActiveLow,
			Zone:              d.Zone,
			Zones:             append([]string(nil), d.Zones...),
			Role:              d.Role,
			Channel:           d.Channel,
			MinAngle:          d.MinAngle,
			MaxAngle:          d.MaxAngle,
			MaxSpeed:          d.MaxSpeed,
			Count:             d.Count,
			ShuntOhms:         d.Shunt,
			BatteryEmptyVolts: d.CellsMin,
			BatteryFullVolts:  d.CellsMax,
		})
	}
	return out
}

func timing(h config.Hardware) hal.Timing {
	return hal.Timing{Debounce: h.Debounce, LongPress: h.LongPress, DoublePress: h.DoublePress}
}
