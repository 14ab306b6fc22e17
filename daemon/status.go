package daemon

import (
	"fmt"
	"strings"
	"time"

	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/hal"
)

// stateDoc is the retained state JSON (docs/mqtt.md; Home Assistant's
// value templates read these names).
type stateDoc struct {
	Mood     string             `json:"mood"`
	MoodLine string             `json:"mood_line"`
	Emotion  emotionDoc         `json:"emotion"`
	Needs    needsDoc           `json:"needs"`
	Asleep   bool               `json:"asleep"`
	Name     string             `json:"name"`
	Volume   float64            `json:"volume"`
	Persona  string             `json:"persona"`
	Battery  *batteryDoc        `json:"battery,omitempty"`
	Sensors  sensorsDoc         `json:"sensors"`
	Hardware hardwareDoc        `json:"hardware"`
	Body     *bodyDoc           `json:"body,omitempty"`
	Brain    dialog.BrainStatus `json:"brain"`
	// OwnerScore is the owner's rating of the cat's words (cmd/rate),
	// absent until the first rating.
	OwnerScore  *ratings.Score `json:"owner_score,omitempty"`
	Version     string         `json:"version"`
	UptimeS     int64          `json:"uptime_s"`
	LastContact time.Time      `json:"last_contact"`
}

type emotionDoc struct {
	Happy  float64 `json:"happy"`
	Calm   float64 `json:"calm"`
	Social float64 `json:"social"`
}

type needsDoc struct {
	Energy    float64 `json:"energy"`
	Affection float64 `json:"affection"`
	Fullness  float64 `json:"fullness"`
	Play      float64 `json:"play"`
}

type batteryDoc struct {
	Percent  float64 `json:"percent"`
	Volts    float64 `json:"volts"`
	Charging bool    `json:"charging"`
}

type sensorsDoc struct {
	TemperatureC *float64 `json:"temperature_c,omitempty"`
	HumidityPct  *float64 `json:"humidity_pct,omitempty"`
	PressureKPa  *float64 `json:"pressure_kpa,omitempty"`
	LightLux     *float64 `json:"light_lux,omitempty"`
}

type hardwareDoc struct {
	Board         string       `json:"board"`
	OK            bool         `json:"ok"`
	Devices       []hal.Health `json:"devices"`
	DroppedEvents uint64       `json:"dropped_events"`
}

func (d *daemon) stateDocument() stateDoc {
	m := d.mind.State()
	doc := stateDoc{
		Mood:        m.Mood,
		MoodLine:    m.Line,
		Emotion:     emotionDoc{Happy: m.Happy, Calm: m.Calm, Social: m.Social},
		Needs:       needsDoc{Energy: m.Energy, Affection: m.Affection, Fullness: m.Fullness, Play: m.Play},
		Asleep:      m.Asleep,
		Name:        d.petName,
		Volume:      d.volume,
		Persona:     d.persona.Name,
		Brain:       d.brainStatus(),
		OwnerScore:  d.ownerScore(),
		Version:     d.inv.Version,
		UptimeS:     int64(time.Since(d.started).Seconds()),
		LastContact: m.LastPet,
	}
	if b := d.lastBattery; b != nil {
		doc.Battery = &batteryDoc{Percent: b.Percent, Volts: b.Volts, Charging: b.Charging}
	}
	e := d.lastEnv
	if e.HasTemp {
		doc.Sensors.TemperatureC = fptr(e.TemperatureC)
	}
	if e.HasHumidity {
		doc.Sensors.HumidityPct = fptr(e.HumidityPct)
	}
	if e.HasPressure {
		doc.Sensors.PressureKPa = fptr(e.PressureKPa)
	}
	if e.HasLight {
		doc.Sensors.LightLux = fptr(e.LightLux)
	}
	if v := d.body.view; v != nil {
		b := *v
		doc.Body = &b
	}
	doc.Hardware = hardwareDoc{Board: d.board.Kind, OK: true, DroppedEvents: d.droppedEvents.Load()}
	doc.Hardware.Devices = d.board.Health()
	for _, h := range doc.Hardware.Devices {
		if !h.OK {
			doc.Hardware.OK = false
		}
	}
	return doc
}

func (d *daemon) publishState() {
	d.link.SetState(d.stateDocument())
	d.updateStatus()
}

// brainStatus is the brain that would answer now: the model when it is
// ready, otherwise the fallback with the reason the model is not.
func (d *daemon) brainStatus() dialog.BrainStatus {
	if d.model != nil {
		s := d.model.Status()
		if s.State == "ready" {
			return s
		}
		r := d.rules.Status()
		r.Reason = fmt.Sprintf("model %s: %s", s.State, s.Reason)
		if s.Reason == "" {
			r.Reason = "model " + s.State
		}
		return r
	}
	return d.rules.Status()
}

// statusLine is the one-line summary `systemctl status purrd` shows.
func (d *daemon) statusLine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mood=%s", d.mind.MoodName())
	if d.mind.Asleep() {
		b.WriteString(" asleep")
	}
	hw := d.board.Kind
	bad := 0
	hs := d.board.Health()
	for _, h := range hs {
		if !h.OK {
			bad++
		}
	}
	if bad > 0 {
		hw = fmt.Sprintf("%s(%d/%d degraded)", hw, bad, len(hs))
	}
	fmt.Fprintf(&b, " hal=%s mqtt=%s", hw, d.link.Status())
	bs := d.brainStatus()
	if d.model != nil && bs.Name != "llama" {
		fmt.Fprintf(&b, " brain=rules(model %s)", d.model.Status().State)
	} else if bs.Model != "" {
		fmt.Fprintf(&b, " brain=%s:%s", bs.Name, bs.Model)
	} else {
		fmt.Fprintf(&b, " brain=%s", bs.Name)
	}
	return b.String()
}

func (d *daemon) updateStatus() {
	if err := d.notify.Status(d.statusLine()); err != nil {
		d.log.Debug("sd_notify STATUS failed", "component", "daemon", "err", err)
	}
}

func (d *daemon) mqttDesc() string {
	if d.cfg.MQTT.Broker == "" {
		return "embedded " + d.cfg.MQTT.Embedded.Listen
	}
	return d.cfg.MQTT.Broker
}
