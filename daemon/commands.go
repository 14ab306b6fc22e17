package daemon

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/hal/sim"
)

// verbDebugStall freezes the loop so the systemd watchdog can be seen to
// work; only with debug.stall_trigger set.
const verbDebugStall = "debug_stall"

// actionResult is the data of a response to pet/feed/play/sleep/wake.
type actionResult struct {
	Reaction reaction `json:"reaction"`
	Mood     string   `json:"mood"`
	Asleep   bool     `json:"asleep"`
}

var personaName = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

// onCommand handles one phone command in the loop. Every command gets
// exactly one response: here, or when its reply finishes (chat).
func (d *daemon) onCommand(ctx context.Context, c mqtt.Command) {
	d.log.Debug("command", "component", "mqtt", "event", "command", "verb", c.Verb, "id", c.ID, "client", c.Client)
	switch c.Verb {
	case mqtt.VerbPing:
		d.link.Respond(c, map[string]any{"pong": true, "uptime_s": int64(time.Since(d.started).Seconds()), "version": d.inv.Version}, nil)
	case mqtt.VerbGetState:
		d.link.Respond(c, d.stateDocument(), nil)
	case mqtt.VerbChat:
		d.startChat(ctx, c)
	case mqtt.VerbPet, mqtt.VerbFeed, mqtt.VerbPlay, mqtt.VerbSleep, mqtt.VerbWake:
		k, ok := dialog.StimulusForCommand(c.Verb)
		if !ok {
			d.link.Respond(c, nil, fmt.Errorf("verb %q has no stimulus", c.Verb))
			return
		}
		if c.Verb == mqtt.VerbPet || c.Verb == mqtt.VerbSleep {
			d.cancelReply("interrupted by " + c.Verb)
		}
		r := d.feel(dialog.Stimulus{Kind: k, Zone: c.Zone, ID: c.ID.String()})
		d.link.Respond(c, actionResult{
			Reaction: reactionOf(r),
			Mood:     d.mind.MoodName(),
			Asleep:   d.mind.Asleep(),
		}, nil)
	case mqtt.VerbSet:
		data, err := d.applySet(c)
		d.link.Respond(c, data, err)
	case mqtt.VerbMemory, mqtt.VerbForget:
		d.onMemory(c)
	case mqtt.VerbRate:
		d.onRate(c)
	case mqtt.VerbRatings:
		d.onRatings(c)
	case mqtt.VerbSim:
		if d.sim == nil {
			d.link.Respond(c, nil, errors.New("sim inputs are accepted only when hardware.board is sim"))
			return
		}
		if err := d.sim.Inject(c.SimInput, c.SimArg); err != nil {
			d.link.Respond(c, nil, simError(c, err))
			return
		}
		d.link.Respond(c, map[string]string{"input": c.SimInput}, nil)
	case verbDebugStall:
		if !d.cfg.Debug.StallTrigger {
			d.link.Respond(c, nil, errors.New("debug_stall is disabled (debug.stall_trigger is false)"))
			return
		}
		d.log.Warn("main loop stalled on request (debug.stall_trigger): watchdog pings stop", "component", "daemon", "event", "debug_stall")
		d.link.Respond(c, map[string]bool{"stalling": true}, nil)
		select {
		case <-d.stall: // never closed: only the watchdog or a signal ends this
		case <-ctx.Done():
		}
	default:
		d.link.Respond(c, nil, fmt.Errorf("unknown verb %q", c.Verb))
	}
}

// applySet changes name, volume or persona; all given fields are checked
// before any is applied, so a bad field changes nothing.
func (d *daemon) applySet(c mqtt.Command) (any, error) {
	var newPersona string
	if c.Volume != nil && (*c.Volume < 0 || *c.Volume > 1) {
		return nil, fmt.Errorf("volume %v is outside 0..1", *c.Volume)
	}
	if c.Persona != nil {
		if !personaName.MatchString(*c.Persona) {
			return nil, fmt.Errorf("persona %q: want a persona file name like \"mochi\" ([a-z0-9_-])", *c.Persona)
		}
		newPersona = filepath.Join(d.personaDir(), *c.Persona+".yaml")
		if err := d.switchPersona(newPersona); err != nil {
			return nil, err
		}
	}
	if c.Persona != nil {
		d.personaSet = true
	}
	if c.Name != nil {
		d.petName, d.nameSet = *c.Name, true
	}
	if c.Volume != nil {
		d.volume = *c.Volume
	}
	d.stateDirty = true
	if err := d.saveState(); err != nil {
		d.log.Error("saving state", "component", "state", "err", err)
	}
	return map[string]any{"name": d.petName, "volume": d.volume, "persona": d.persona.Name}, nil
}

// personaDir is where `set {persona}` looks: next to the configured persona.
func (d *daemon) personaDir() string {
	if d.personaPath != "" {
		return filepath.Dir(d.personaPath)
	}
	return filepath.Join(filepath.Dir(d.cfg.Path), "personas")
}

// simError is the answer to a sim input the board refused: the caller's
// mistakes get the codes of the others (unknown_input like unknown_verb,
// bad_field for an argument), and only the board failing is "failed".
func simError(c mqtt.Command, err error) error {
	var kind error
	switch {
	case errors.Is(err, sim.ErrUnknownInput):
		kind = mqtt.ErrUnknownInput
	case errors.Is(err, sim.ErrBadArg):
		kind = mqtt.ErrBadField
	default:
		return err
	}
	return &mqtt.CommandError{Topic: "sim/" + c.SimInput, Verb: c.Verb, ID: c.ID, Kind: kind, Msg: err.Error()}
}
