package daemon

import (
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/hal"
)

// eventMessage is the JSON of event/<class> on MQTT (docs/mqtt.md).
type eventMessage struct {
	mqtt.Stamp           // the event's id (ev-…) and ts
	Kind       string    `json:"kind"`
	Time       time.Time `json:"time"`
	Device     string    `json:"device,omitempty"`
	Zone       string    `json:"zone,omitempty"`
	From       string    `json:"from,omitempty"`
	HeldMS     int64     `json:"held_ms,omitempty"`

	TemperatureC *float64 `json:"temperature_c,omitempty"`
	HumidityPct  *float64 `json:"humidity_pct,omitempty"`
	PressureKPa  *float64 `json:"pressure_kpa,omitempty"`
	LightLux     *float64 `json:"light_lux,omitempty"`

	BatteryPct   *float64 `json:"percent,omitempty"`
	BatteryVolts *float64 `json:"volts,omitempty"`
	Charging     *bool    `json:"charging,omitempty"`

	Error    string    `json:"error,omitempty"`
	Reaction *reaction `json:"reaction,omitempty"`
}

// reaction is what the pet did, as published with the event that caused it
// (and in the answer to pet, feed, play, sleep, wake).
type reaction struct {
	Sound      string `json:"sound,omitempty"` // absent when the cat made no sound
	Expression string `json:"expression"`
	Purr       string `json:"purr,omitempty"`
	Tail       string `json:"tail"`
	Emotion    string `json:"emotion"`
}

// mindMessage is event/mind: the cat fell asleep, woke up or changed mood.
type mindMessage struct {
	mqtt.Stamp           // the mind event's own id (mind-…) and ts
	Kind       string    `json:"kind"`
	Time       time.Time `json:"time"`
	Reason     string    `json:"reason,omitempty"`
	Mood       string    `json:"mood"`
	Cause      string    `json:"cause,omitempty"` // id of the event or command that caused it
}

func fptr(v float64) *float64 { return &v }

// reactionOf is a reaction as the API publishes it.
func reactionOf(r dialog.Reaction) reaction {
	return reaction{Sound: audible(r.Sound), Expression: r.Expression, Purr: r.Purr, Tail: r.Tail, Emotion: r.Emotion}
}

// withReaction fills a reply chunk's reaction fields.
func withReaction(c mqtt.Reply, r dialog.Reaction) mqtt.Reply {
	c.Emotion, c.Sound, c.Expression = r.Emotion, audible(r.Sound), r.Expression
	return c
}

// audible is a reaction's sound as the API names it: "" (left out of the
// JSON) when the cat makes none, rather than a tune called "none" that an
// app would look up and try to play.
func audible(sound string) string {
	if sound == "none" {
		return ""
	}
	return sound
}

// lowBatteryPct is where the cat starts to complain and looks for its dock.
const lowBatteryPct = 15

// onHalEvent is one hardware event in the loop: publish it, let the mind
// feel it, show the reaction.
func (d *daemon) onHalEvent(ev hal.Event) {
	id := d.ids.Next("ev")
	msg := &eventMessage{Stamp: mqtt.Stamp{ID: mqtt.TextID(id)}, Kind: string(ev.Kind), Time: ev.Time, Device: ev.Device, Zone: ev.Zone, From: ev.From}
	if ev.Held > 0 {
		msg.HeldMS = ev.Held.Milliseconds()
	}
	var stim *dialog.Stimulus
	switch ev.Kind {
	case hal.EnvReading:
		e := ev.Env
		if e.HasTemp {
			msg.TemperatureC = fptr(e.TemperatureC)
			d.lastEnv.TemperatureC, d.lastEnv.HasTemp = e.TemperatureC, true
			if k, ok := d.mind.Comfort(e.TemperatureC); ok && !d.mind.Asleep() {
				stim = &dialog.Stimulus{Kind: k, Time: ev.Time, ID: id, Intensity: 0.5}
			}
		}
		if e.HasHumidity {
			msg.HumidityPct = fptr(e.HumidityPct)
			d.lastEnv.HumidityPct, d.lastEnv.HasHumidity = e.HumidityPct, true
		}
		if e.HasPressure {
			msg.PressureKPa = fptr(e.PressureKPa)
			d.lastEnv.PressureKPa, d.lastEnv.HasPressure = e.PressureKPa, true
		}
		if e.HasLight {
			msg.LightLux = fptr(e.LightLux)
			d.lastEnv.LightLux, d.lastEnv.HasLight = e.LightLux, true
		}
		d.stateDirty = true
	case hal.BatteryReading:
		b := ev.Battery
		msg.BatteryPct, msg.BatteryVolts, msg.Charging = fptr(b.Percent), fptr(b.Volts), &b.Charging
		prev := d.lastBattery
		d.lastBattery = &b
		switch {
		case b.Charging && (prev == nil || !prev.Charging):
			stim = &dialog.Stimulus{Kind: dialog.StimCharging, Time: ev.Time, ID: id}
		case !b.Charging && b.Percent < lowBatteryPct && (prev == nil || prev.Percent >= lowBatteryPct):
			stim = &dialog.Stimulus{Kind: dialog.StimBatteryLow, Time: ev.Time, ID: id}
			d.log.Warn("battery low", "component", "hal", "event", "battery_low", "percent", b.Percent, "volts", b.Volts)
		}
		d.stateDirty = true
	case hal.DeviceFailed:
		msg.Error = ev.Err
		d.log.Warn("device failed", "component", "hal", "event", "device_failed", "device", ev.Device, "err", ev.Err)
		d.stateDirty = true
	case hal.DeviceRecovered:
		d.log.Info("device recovered", "component", "hal", "event", "device_recovered", "device", ev.Device)
		d.stateDirty = true
	default:
		if k, ok := dialog.StimulusForEvent(string(ev.Kind)); ok {
			stim = &dialog.Stimulus{Kind: k, Zone: ev.Zone, Time: ev.Time, ID: id}
		}
		d.lastEvent = ev.Time
	}

	if stim != nil {
		// A touch or a button press interrupts the cat mid-sentence, as
		// a real cat stops meowing when you pick it up.
		if c := hal.ClassOf(ev.Kind); (c == hal.ClassTouch || c == hal.ClassButton || c == hal.ClassMotion) && d.current != nil {
			d.cancelReply("interrupted by " + string(ev.Kind))
		}
		r := d.feel(*stim)
		if d.loopCtx != nil {
			d.startRemark(d.loopCtx, stim.Kind, id, r)
		}
		rc := reactionOf(r)
		msg.Reaction = &rc
	}
	d.link.PublishEvent(string(hal.ClassOf(ev.Kind)), msg)
	d.log.Debug("hal event", "component", "hal", "event", string(ev.Kind), "id", id, "device", ev.Device, "zone", ev.Zone)
}

// feel runs a stimulus through the mind, shows the reaction on the body and
// publishes any change of state it caused.
func (d *daemon) feel(s dialog.Stimulus) dialog.Reaction {
	if s.Time.IsZero() || d.mindClock != nil {
		s.Time = d.mindTime(d.now())
	}
	r := d.mind.Feel(s)
	d.body.send(d.bodyFor(r))
	d.publishMindEvents(d.mind.Tick(d.mindTime(d.now())))
	d.stateDirty = true
	return r
}

func (d *daemon) publishMindEvents(evs []dialog.MindEvent) {
	for _, e := range evs {
		if e.Kind == dialog.EventFellAsleep {
			d.body.send(bodyCommand{ID: e.ID, StopPurr: true, Display: hal.ExprSleepy,
				Eyes: &hal.EyeState{Color: hal.RGB{R: 20, G: 20, B: 60}, Brightness: 0.05, Animation: hal.EyesBreathe}})
		}
		d.log.Info(string(e.Kind), "component", "mind", "event", string(e.Kind), "reason", e.Reason, "mood", e.Mood, "id", e.ID)
		// Each message gets its own id; the id of what caused it is "cause".
		d.link.PublishEvent("mind", &mindMessage{Stamp: mqtt.Stamp{ID: mqtt.TextID(d.ids.Next("mind"))}, Kind: string(e.Kind), Time: e.Time, Reason: e.Reason, Mood: e.Mood, Cause: e.ID})
	}
}

// bodyFor turns the mind's reaction into hal commands.
func (d *daemon) bodyFor(r dialog.Reaction) bodyCommand {
	c := bodyCommand{ID: r.ID, Display: hal.Expression(r.Expression)}
	c.Eyes = &hal.EyeState{
		Color:      hal.RGB{R: r.Eyes.R, G: r.Eyes.G, B: r.Eyes.B},
		Brightness: r.Eyes.Brightness,
		Animation:  hal.EyeAnimation(r.Eyes.Animation),
	}
	if t, ok := tunes[r.Sound]; ok && d.volume > 0 {
		c.Tune = &t
	}
	if p, ok := purrs[r.Purr]; ok {
		if r.PurrStrength > 0 {
			p.Strength = r.PurrStrength
		}
		c.Purr = &p
	} else {
		c.StopPurr = true
	}
	if r.Tail != "" {
		a := r.TailAngle
		c.Tail = &a
	}
	return c
}

// onTick advances the mood's decay and sleep cycle and keeps STATUS fresh.
func (d *daemon) onTick(now time.Time) {
	if evs := d.mind.Tick(d.mindTime(now)); len(evs) > 0 {
		d.publishMindEvents(evs)
		d.stateDirty = true
	}
	d.updateStatus()
}
