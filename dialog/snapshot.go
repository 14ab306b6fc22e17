package dialog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// SnapshotVersion is the version of the mood snapshot format.
const SnapshotVersion = 1

// maxSnapshot bounds what Restore will read.
const maxSnapshot = 64 << 10

type moodSnapshot struct {
	Version     int       `json:"version"`
	Saved       time.Time `json:"saved"`
	Happy       float64   `json:"happy"`
	Calm        float64   `json:"calm"`
	Social      float64   `json:"social"`
	Energy      float64   `json:"energy"`
	Affection   float64   `json:"affection"`
	Fullness    float64   `json:"fullness"`
	Play        float64   `json:"play"`
	Asleep      bool      `json:"asleep"`
	SleptAt     time.Time `json:"slept_at,omitzero"`
	LastContact time.Time `json:"last_contact"`
}

// Snapshot returns the mood as versioned JSON, to be written to the state
// directory and given back to Restore after a restart.
func (m *Mind) Snapshot() ([]byte, error) {
	m.mu.Lock()
	s := moodSnapshot{
		Version: SnapshotVersion, Saved: m.last,
		Happy: m.v[axHappy], Calm: m.v[axCalm], Social: m.v[axSocial], Energy: m.v[axEnergy],
		Affection: m.v[axAffection], Fullness: m.v[axFullness], Play: m.v[axPlay],
		Asleep: m.asleep, LastContact: m.lastContact,
	}
	if m.asleep {
		s.SleptAt = m.sleptAt
	}
	m.mu.Unlock()
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("dialog: mood snapshot: %w", err)
	}
	return b, nil
}

// Restore replaces the mood with a snapshot. Bad data (not JSON, unknown
// keys, another version, values out of range, missing times) is an error
// and leaves the mind unchanged. Time that passed since the snapshot was
// saved is applied by the next Tick, so a pet switched off overnight wakes
// up hungry and lonely; a snapshot from the future (clock set back) counts
// as saved now.
func (m *Mind) Restore(data []byte) error {
	if len(data) > maxSnapshot {
		return fmt.Errorf("dialog: restore mood: snapshot is %d bytes, more than %d", len(data), maxSnapshot)
	}
	var s moodSnapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("dialog: restore mood: %w", err)
	}
	if dec.More() {
		return errors.New("dialog: restore mood: trailing data after the snapshot")
	}
	if s.Version != SnapshotVersion {
		return fmt.Errorf("dialog: restore mood: version %d, want %d", s.Version, SnapshotVersion)
	}
	vals := [nAxes]float64{s.Happy, s.Calm, s.Social, s.Energy, s.Affection, s.Fullness, s.Play}
	for i, x := range vals {
		lo, hi := axisRange(i)
		if math.IsNaN(x) || x < lo || x > hi {
			return fmt.Errorf("dialog: restore mood: %s %g is outside %g..%g", axisNames[i], x, lo, hi)
		}
	}
	if s.Saved.IsZero() || s.LastContact.IsZero() {
		return errors.New("dialog: restore mood: saved and last_contact times are required")
	}
	if s.Asleep && s.SleptAt.IsZero() {
		return errors.New("dialog: restore mood: asleep without slept_at")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	last := s.Saved
	if last.After(now) {
		last = now
	}
	contact := s.LastContact
	if contact.After(last) {
		contact = last
	}
	m.v = vals
	m.last, m.lastContact = last, contact
	m.asleep, m.sleptAt = s.Asleep, s.SleptAt
	if m.sleptAt.After(last) {
		m.sleptAt = last
	}
	m.hasLast = false
	m.lastKind = ""
	m.mood = m.moodName()
	return nil
}
