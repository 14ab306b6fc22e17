package dialog

import (
	"strings"
	"testing"
	"time"
)

func TestSnapshotRoundTrip(t *testing.T) {
	m, c := newTestMind(t, noon)
	m.Feel(Stimulus{Kind: StimStroke, Zone: "chin"})
	m.Feel(Stimulus{Kind: StimFeed})
	m.Feel(Stimulus{Kind: StimSleep})
	m.Tick(c.Advance(5 * time.Minute))
	b, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	n := NewMind(utcPersona(t, ""), MindOptions{Clock: c})
	if err := n.Restore(b); err != nil {
		t.Fatal(err)
	}
	if a, b := m.State(), n.State(); a != b {
		t.Errorf("restored state differs:\n%+v\n%+v", a, b)
	}
	if !n.Asleep() {
		t.Error("sleep not restored")
	}
	b2, _ := n.Snapshot()
	if string(b) != string(b2) {
		t.Errorf("snapshot not stable:\n%s\n%s", b, b2)
	}
}

// Time off counts: a pet restored 12 h after its snapshot is hungrier.
func TestRestoreAppliesElapsedTime(t *testing.T) {
	m, c := newTestMind(t, noon)
	m.Feel(Stimulus{Kind: StimFeed})
	b, _ := m.Snapshot()
	c2 := NewManualClock(noon.Add(12 * time.Hour))
	n := NewMind(utcPersona(t, ""), MindOptions{Clock: c2})
	if err := n.Restore(b); err != nil {
		t.Fatal(err)
	}
	n.Tick(c2.Now())
	if f := n.State().Fullness; f > 0.3 {
		t.Errorf("fullness after 12 h off = %v", f)
	}
	// A snapshot from the future (clock set back) does not freeze decay.
	c3 := NewManualClock(noon.Add(-time.Hour))
	p := NewMind(utcPersona(t, ""), MindOptions{Clock: c3})
	if err := p.Restore(b); err != nil {
		t.Fatal(err)
	}
	p.Tick(c3.Advance(6 * time.Hour))
	if f := p.State().Fullness; f > 0.6 {
		t.Errorf("future snapshot: fullness %v after 6 h", f)
	}
	_ = c
}

func TestRestoreRejectsCorrupt(t *testing.T) {
	good := `{"version":1,"saved":"2026-05-04T12:00:00Z","happy":0,"calm":0.3,"social":0,"energy":0.5,"affection":0.3,"fullness":0.5,"play":0.2,"asleep":false,"last_contact":"2026-05-04T12:00:00Z"}`
	for _, c := range []struct{ name, data, want string }{
		{"empty", "", "EOF"},
		{"garbage", "\x00\xffnot json", "invalid character"},
		{"truncated", good[:40], "unexpected EOF"},
		{"array", "[1,2]", "cannot unmarshal array"},
		{"unknown key", strings.Replace(good, `"play"`, `"joy":1,"play"`, 1), `unknown field "joy"`},
		{"version", strings.Replace(good, `"version":1`, `"version":9`, 1), "version 9, want 1"},
		{"range", strings.Replace(good, `"happy":0`, `"happy":3`, 1), "happy 3 is outside -1..1"},
		{"need range", strings.Replace(good, `"energy":0.5`, `"energy":-0.5`, 1), "energy -0.5 is outside 0..1"},
		{"wrong type", strings.Replace(good, `"calm":0.3`, `"calm":"x"`, 1), "cannot unmarshal string"},
		{"no times", strings.Replace(good, `"saved":"2026-05-04T12:00:00Z",`, ``, 1), "times are required"},
		{"asleep no time", strings.Replace(good, `"asleep":false`, `"asleep":true`, 1), "asleep without slept_at"},
		{"trailing", good + `{}`, "trailing data"},
		{"huge", `{"version":1,"x":"` + strings.Repeat("a", 70000) + `"}`, "more than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _ := newTestMind(t, noon)
			before := m.State()
			err := m.Restore([]byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dialog: restore mood") {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if m.State() != before {
				t.Error("a failed restore changed the mind")
			}
		})
	}
	m, _ := newTestMind(t, noon)
	if err := m.Restore([]byte(good)); err != nil {
		t.Fatalf("good snapshot refused: %v", err)
	}
}

func FuzzRestore(f *testing.F) {
	m, _ := newTestMind(f, noon)
	b, _ := m.Snapshot()
	f.Add(b)
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"saved":"0001-01-01T00:00:00Z","happy":1e308}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, c := newTestMind(t, noon)
		if err := m.Restore(data); err != nil {
			return
		}
		// Whatever was accepted must keep the mind usable and in range.
		m.Tick(c.Advance(time.Hour))
		checkReaction(t, m.Feel(Stimulus{Kind: StimPoke}))
		s := m.State()
		for _, v := range []float64{s.Energy, s.Affection, s.Fullness, s.Play} {
			if v < 0 || v > 1 {
				t.Fatalf("need out of range: %+v", s)
			}
		}
	})
}
