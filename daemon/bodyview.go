package daemon

import (
	"fmt"

	"github.com/purrd/purrd/hal"
)

// bodyDoc is what the body shows, as the loop last told it (the state's
// "body"; docs/mqtt.md): what a phone draws as the cat. On the simulated
// board it is the whole body there is.
type bodyDoc struct {
	Eyes          string  `json:"eyes"`           // colour, #rrggbb; #000000 when dark
	EyeBrightness float64 `json:"eye_brightness"` // 0..1
	EyeAnimation  string  `json:"eye_animation,omitempty"`
	Face          string  `json:"face,omitempty"` // the display's expression (neutral, happy, sleepy, …)
	Purring       bool    `json:"purring"`
	Tail          float64 `json:"tail_deg"`
}

// note folds a command into the view; called from the loop with every
// command sent to the body.
func (v *bodyDoc) note(c bodyCommand) (changed bool) {
	old := *v
	if e := c.Eyes; e != nil {
		v.Eyes = fmt.Sprintf("#%02x%02x%02x", e.Color.R, e.Color.G, e.Color.B)
		v.EyeBrightness = e.Brightness
		v.EyeAnimation = string(e.Animation)
		if v.EyeAnimation == "" {
			v.EyeAnimation = string(hal.EyesSteady)
		}
	}
	if c.Display != "" {
		v.Face = string(c.Display)
	}
	if c.StopPurr {
		v.Purring = false
	}
	if c.Purr != nil {
		v.Purring = true
	}
	if c.Tail != nil {
		v.Tail = *c.Tail
	}
	return *v != old
}
