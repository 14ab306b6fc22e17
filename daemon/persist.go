package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/purrd/purrd/daemon/statedir"
)

// stateFile is the one file purrd keeps in its state directory.
const stateFile = "state.json"

// savedState is what survives a restart: the mood, what the owner told the
// pet, and the settings the phone changed.
type savedState struct {
	Version      int             `json:"version"`
	SavedAt      time.Time       `json:"saved_at"`
	Mind         json.RawMessage `json:"mind"`
	Conversation json.RawMessage `json:"conversation,omitempty"`
	Name         string          `json:"name,omitempty"`
	Volume       *float64        `json:"volume,omitempty"`
	Persona      string          `json:"persona,omitempty"`
}

// snapshot encodes what must survive a restart. It is cheap and runs in the
// loop; writing it (two fsyncs, slow on an SD card) does not.
func (d *daemon) snapshot() ([]byte, error) {
	mind, err := d.mind.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("state: snapshot mind: %w", err)
	}
	s := savedState{Version: 1, SavedAt: d.now().UTC(), Mind: mind, Volume: &d.volume}
	// Only what the owner chose from the phone is kept over the config:
	// an edited config must win over a value nobody chose.
	if d.nameSet {
		s.Name = d.petName
	}
	if d.personaSet {
		s.Persona = d.personaPath
	}
	if d.conv != nil {
		if s.Conversation, err = d.conv.Snapshot(); err != nil {
			return nil, fmt.Errorf("state: snapshot conversation: %w", err)
		}
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("state: encode: %w", err)
	}
	return data, nil
}

// saveState hands a snapshot to the saver goroutine; a newer snapshot
// replaces one that was not written yet.
func (d *daemon) saveState() error {
	data, err := d.snapshot()
	if err != nil {
		return err
	}
	sendLatest(d.saves, data)
	return nil
}

// runSaver writes snapshots beside the loop.
func (d *daemon) runSaver(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case data := <-d.saves:
			if err := d.state.Write(stateFile, data); err != nil {
				d.log.Error("saving state", "component", "state", "err", err)
			}
		case data := <-d.ratingSaves:
			if err := d.state.Write(ratingsFile, data); err != nil {
				d.log.Error("saving ratings", "component", "state", "err", err)
			}
		}
	}
}

// saveNow writes the final snapshot at shutdown, after the saver stopped.
func (d *daemon) saveNow() {
	data, err := d.snapshot()
	if err == nil {
		err = d.state.Write(stateFile, data)
	}
	if err != nil {
		d.log.Error("saving state", "component", "state", "err", err)
	}
}

// loadState restores what the last run saved. Anything unusable is moved
// aside by statedir and the pet starts fresh: a cat that forgot its mood is
// better than a cat that does not start.
func (d *daemon) loadState() {
	var s savedState
	_, err := d.state.Read(stateFile, func(b []byte) error {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		if s.Version != 1 {
			return fmt.Errorf("unknown state version %d", s.Version)
		}
		if len(s.Mind) > 0 {
			if err := d.mind.Restore(s.Mind); err != nil {
				return fmt.Errorf("mind: %w", err)
			}
		}
		if len(s.Conversation) > 0 && d.conv != nil {
			if err := d.conv.Restore(s.Conversation); err != nil {
				return fmt.Errorf("conversation: %w", err)
			}
		}
		return nil
	})
	var corrupt *statedir.CorruptError
	switch {
	case err == nil:
		if s.Volume != nil && *s.Volume >= 0 && *s.Volume <= 1 {
			d.volume = *s.Volume
		}
		// A persona the owner chose with `set` outlives a restart.
		if s.Name != "" {
			d.petName, d.nameSet = s.Name, true
		}
		if s.Persona != "" {
			d.personaSet = true
			if s.Persona != d.personaPath {
				if err := d.switchPersona(s.Persona); err != nil {
					d.personaSet = false
					d.log.Warn("saved persona unusable, keeping the configured one", "component", "state", "persona", s.Persona, "err", err)
				}
			}
		}
		d.log.Info("state restored", "component", "state", "saved_at", s.SavedAt, "mood", d.mind.MoodName())
	case errors.Is(err, fs.ErrNotExist):
		d.log.Info("no saved state, starting fresh", "component", "state", "dir", d.state.Path())
	case errors.As(err, &corrupt):
		d.log.Error("saved state unusable, starting fresh", "component", "state", "event", "state_corrupt",
			"file", corrupt.File, "moved_to", corrupt.MovedTo, "err", corrupt.Err)
		// A half-restored mind would be worse than a fresh one.
		d.resetMind()
	default:
		d.log.Error("reading saved state", "component", "state", "err", err)
	}
}
