package daemon

import (
	"fmt"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/dialog/rules"
)

func (d *daemon) newMind(p *persona.Persona) *dialog.Mind {
	return dialog.NewMind(p, dialog.MindOptions{
		Clock:  dialog.ClockFunc(func() time.Time { return d.mindTime(d.now()) }),
		Seed:   d.drawSeed(),
		Logger: d.log.With("component", "mind"),
	})
}

// mindTime is the time the mind lives by at wall time t: t itself, or
// the mind clock's time where one is set (daemon.mindClock).
func (d *daemon) mindTime(t time.Time) time.Time {
	if d.mindClock != nil {
		return d.mindClock()
	}
	return t
}

// openMind builds the mind and restores what the last run saved.
func (d *daemon) openMind() {
	d.mind = d.newMind(d.persona)
	d.conv = d.newConversation()
	d.loadState()
	d.loadRatings()
}

func (d *daemon) resetMind() {
	d.mind = d.newMind(d.persona)
	d.conv = d.newConversation()
}

// switchPersona loads another persona and carries the mood across: the
// cat changes how it talks, not how it feels.
func (d *daemon) switchPersona(path string) error {
	p, err := persona.Load(path)
	if err != nil {
		return err
	}
	snap, err := d.mind.Snapshot()
	if err != nil {
		return fmt.Errorf("persona: snapshot mind: %w", err)
	}
	m := d.newMind(p)
	if err := m.Restore(snap); err != nil {
		d.log.Warn("mood did not carry over to the new persona", "component", "mind", "err", err)
	}
	d.mind, d.persona, d.personaPath = m, p, path
	if d.cfg.Robot.Name == "" && !d.nameSet {
		d.petName = p.Name // before the model starts: its cached prefix names the cat
	}
	d.rules = rules.New(p, d.drawSeed(), d.log.With("component", "brain"))
	if d.model != nil {
		// The model's cached prefix is the old persona's system prompt:
		// start it again (in the background; the fallback answers meanwhile).
		old := d.model
		d.model = nil
		go func() { // stopping a child process may take a moment: not in the loop
			if err := old.Close(); err != nil {
				d.log.Warn("stopping the old brain process", "component", "brain", "err", err)
			}
		}()
		d.openModel()
	}
	d.log.Info("persona changed", "component", "mind", "event", "persona", "persona", p.Name, "file", path)
	return nil
}
