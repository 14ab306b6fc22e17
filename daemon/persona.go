package daemon

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/dialog/rules"
)

// drawSeed seeds the pet's own draws (which reaction, which of the rules
// brain's lines): a new one each time, or brain.sampling.seed when one is
// set, as the model's replies follow it, so an eval played twice hears
// the same lines.
func (d *daemon) drawSeed() uint64 {
	if s := d.cfg.Brain.Sampling.Seed; s != 0 {
		return uint64(s)
	}
	return rand.Uint64()
}

// fixedLinePick chooses among the care and refusal paths' fixed lines:
// by the clock, or with brain.sampling.seed set by the seed and the words
// and history answered, as the model's replies are, so a seeded eval
// hears the same line again.
func (d *daemon) fixedLinePick(req dialog.Request, now time.Time) int {
	s := d.cfg.Brain.Sampling.Seed
	if s == 0 {
		return int(now.UnixNano() % 64)
	}
	h := fnv.New32a()
	for _, t := range req.History {
		h.Write([]byte(t.Role + "\x00" + t.Text + "\x00"))
	}
	h.Write([]byte(req.Text))
	return int((uint32(s) + h.Sum32()) % 64)
}

func (d *daemon) newMind(p *persona.Persona) *dialog.Mind {
	return dialog.NewMind(p, dialog.MindOptions{
		Clock:  dialog.ClockFunc(d.now),
		Seed:   d.drawSeed(),
		Logger: d.log.With("component", "mind"),
	})
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
