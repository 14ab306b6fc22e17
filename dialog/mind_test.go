package dialog

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog/persona"
)

// utcPersona is the default persona with its night hours in UTC, so the
// tests do not depend on the machine's time zone.
func utcPersona(t testing.TB, extra string) *persona.Persona {
	t.Helper()
	p, err := persona.Parse("test.yaml", []byte("version: 1\nnight: {start: \"22:00\", end: \"07:00\", timezone: UTC}\n"+extra))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var noon = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func newTestMind(t testing.TB, start time.Time) (*Mind, *ManualClock) {
	t.Helper()
	c := NewManualClock(start)
	return NewMind(utcPersona(t, ""), MindOptions{Clock: c, Seed: 42}), c
}

func near(a, b, eps float64) bool { return math.Abs(a-b) <= eps }

func TestStartsAtBaseline(t *testing.T) {
	m, _ := newTestMind(t, noon)
	s := m.State()
	if s.Happy != 0.1 || s.Calm != 0.3 || s.Social != 0.1 || s.Energy != 0.8 || s.Fullness != 0.5 {
		t.Errorf("start state %+v", s)
	}
	if s.Mood != MoodContent || s.Line != "content" || s.Asleep {
		t.Errorf("start mood %q line %q asleep %v", s.Mood, s.Line, s.Asleep)
	}
}

func TestDecayTowardBaselineByHalfLife(t *testing.T) {
	m, c := newTestMind(t, noon)
	m.Feel(Stimulus{Kind: StimShaken}) // calm 0.3 -> -0.2
	if got := m.State().Calm; !near(got, -0.2, 1e-9) {
		t.Fatalf("calm after shake = %v, want -0.2", got)
	}
	// One half-life (10m) later calm is halfway back to its 0.3 baseline.
	m.Tick(c.Advance(10 * time.Minute))
	if got := m.State().Calm; !near(got, 0.05, 1e-3) {
		t.Errorf("calm after one half-life = %v, want 0.05", got)
	}
	m.Tick(c.Advance(10 * time.Hour))
	if got := m.State().Calm; !near(got, 0.3, 1e-3) {
		t.Errorf("calm long after = %v, want back at 0.3", got)
	}
}

// Decay is closed-form: many small ticks give the same values as one big one.
func TestDecayIndependentOfTickRate(t *testing.T) {
	a, ca := newTestMind(t, noon)
	b, cb := newTestMind(t, noon)
	for _, m := range []*Mind{a, b} {
		m.Feel(Stimulus{Kind: StimStroke, Zone: "chin"})
		m.Feel(Stimulus{Kind: StimPlay})
	}
	for i := 0; i < 120; i++ {
		a.Tick(ca.Advance(30 * time.Second))
	}
	b.Tick(cb.Advance(time.Hour))
	sa, sb := a.State(), b.State()
	if sa != sb {
		t.Errorf("tick rate changed the result:\n%+v\n%+v", sa, sb)
	}
}

func TestStrokeBeatsPoke(t *testing.T) {
	stroke, _ := newTestMind(t, noon)
	poke, _ := newTestMind(t, noon)
	stroke.Feel(Stimulus{Kind: StimStroke, Zone: "head"})
	poke.Feel(Stimulus{Kind: StimPoke, Zone: "head"})
	s, p := stroke.State(), poke.State()
	if !(s.Affection > p.Affection && p.Affection > 0.3) {
		t.Errorf("affection: stroke %v, poke %v, baseline 0.3", s.Affection, p.Affection)
	}
	if !(s.Calm > 0.3 && p.Calm < 0.3) {
		t.Errorf("calm: stroke %v should rise, poke %v should fall", s.Calm, p.Calm)
	}
}

func TestDislikedZoneAnnoys(t *testing.T) {
	m, _ := newTestMind(t, noon)
	r := m.Feel(Stimulus{Kind: StimStroke, Zone: "tail"})
	if r.Expression != "annoyed" || m.State().Affection >= 0.3 {
		t.Errorf("tail stroke: %+v, affection %v", r, m.State().Affection)
	}
}

func TestShakeAndFall(t *testing.T) {
	m, c := newTestMind(t, noon)
	m.Feel(Stimulus{Kind: StimShaken})
	if got := m.State().Calm; got >= 0 {
		t.Errorf("calm after shaking = %v", got)
	}
	c.Advance(time.Minute)
	r := m.Feel(Stimulus{Kind: StimFall, ID: "f1"})
	if r.Expression != "surprised" && r.Expression != "annoyed" {
		t.Errorf("fall reaction %+v", r)
	}
	if m.MoodName() != MoodScared || r.Emotion != MoodScared || r.ID != "f1" {
		t.Errorf("after a fall mood=%q emotion=%q id=%q, want scared", m.MoodName(), r.Emotion, r.ID)
	}
	ev := m.Tick(c.Now())
	if len(ev) == 0 || ev[len(ev)-1].Kind != EventMoodChanged || ev[len(ev)-1].Mood != MoodScared {
		t.Errorf("events %+v, want a mood_changed to scared", ev)
	}
}

func TestFeedAndPlay(t *testing.T) {
	m, c := newTestMind(t, noon)
	m.Feel(Stimulus{Kind: StimFeed})
	if got := m.State().Fullness; !near(got, 1, 1e-9) {
		t.Errorf("fullness after feeding = %v", got)
	}
	c.Advance(time.Minute)
	r := m.Feel(Stimulus{Kind: StimFeed})
	if r.Expression != "annoyed" {
		t.Errorf("overfed reaction %+v", r)
	}
	e0 := m.State().Energy
	c.Advance(time.Minute)
	r = m.Feel(Stimulus{Kind: StimPlay})
	if got := m.State().Energy; got >= e0-0.05 {
		t.Errorf("play energy %v -> %v, want it used", e0, got)
	}
	if r.Expression != "happy" && r.Expression != "surprised" {
		t.Errorf("play reaction %+v", r)
	}
	// Hunger comes back: fullness decays toward 0.
	m.Tick(c.Advance(24 * time.Hour))
	if m.State().Fullness > 0.1 {
		t.Errorf("fullness after a day = %v", m.State().Fullness)
	}
}

func TestNeglectMakesLonely(t *testing.T) {
	m, c := newTestMind(t, time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC))
	m.Feel(Stimulus{Kind: StimFeed})
	m.Tick(c.Advance(2 * time.Hour))
	if s := m.State(); s.Social < 0 {
		t.Fatalf("lonely too early: %+v", s)
	}
	m.Tick(c.Advance(3 * time.Hour)) // 5 h without contact (lonely_after 3h)
	s := m.State()
	if s.Social >= lonelyNamed || s.Mood != MoodLonely {
		t.Fatalf("after 5 h alone: social %v mood %q, want lonely", s.Social, s.Mood)
	}
	// Company fixes it: a chat and a stroke are greeted happily.
	r := m.Feel(Stimulus{Kind: StimButtonPress})
	if r.Expression != "happy" && r.Expression != "love" {
		t.Errorf("greeting a lonely pet: %+v", r)
	}
}

func TestSleepsAtNightAndWakesOnTouch(t *testing.T) {
	m, c := newTestMind(t, time.Date(2026, 5, 4, 21, 0, 0, 0, time.UTC))
	if ev := m.Tick(c.Advance(30 * time.Minute)); len(ev) != 0 || m.Asleep() {
		t.Fatalf("asleep before night: %+v", ev)
	}
	// 22:01: night, but the owner just played: not asleep yet.
	c.Set(time.Date(2026, 5, 4, 22, 1, 0, 0, time.UTC))
	m.Feel(Stimulus{Kind: StimPet})
	if m.Tick(c.Now()); m.Asleep() {
		t.Fatal("fell asleep right after being petted")
	}
	if !m.State().Sleepy || m.MoodName() != MoodSleepy {
		t.Errorf("at night: %+v, want sleepy", m.State())
	}
	ev := m.Tick(c.Advance(11 * time.Minute)) // doze_after 10m
	if !m.Asleep() || len(ev) == 0 || ev[0].Kind != EventFellAsleep || ev[0].Reason != "night" {
		t.Fatalf("events %+v asleep %v, want fell_asleep/night", ev, m.Asleep())
	}
	if m.MoodName() != MoodAsleep {
		t.Errorf("mood %q", m.MoodName())
	}
	// A cold room does not wake it.
	c.Advance(time.Hour)
	r := m.Feel(Stimulus{Kind: StimCold})
	if !m.Asleep() || r.Expression != "sleepy" {
		t.Errorf("cold woke it or wrong reaction %+v", r)
	}
	// Energy refills while asleep.
	e := m.State().Energy
	m.Tick(c.Advance(2 * time.Hour))
	if m.State().Energy <= e || !m.Asleep() {
		t.Errorf("asleep energy %v -> %v (asleep %v): want refill and still asleep at night", e, m.State().Energy, m.Asleep())
	}
	// A touch wakes it.
	r = m.Feel(Stimulus{Kind: StimPoke, Zone: "head", ID: "t9"})
	if m.Asleep() {
		t.Fatal("still asleep after a touch")
	}
	if r.Expression != "sleepy" && r.Expression != "surprised" {
		t.Errorf("woken reaction %+v", r)
	}
	ev = m.Tick(c.Now())
	if len(ev) == 0 || ev[0].Kind != EventWokeUp || ev[0].Reason != "touch" || ev[0].ID != "t9" {
		t.Errorf("events %+v, want woke_up/touch/t9", ev)
	}
}

func TestSleepCommandAndNaturalWake(t *testing.T) {
	m, c := newTestMind(t, noon)
	m.Feel(Stimulus{Kind: StimSleep, ID: "s1"})
	if !m.Asleep() {
		t.Fatal("sleep command ignored")
	}
	ev := m.Tick(c.Now())
	if len(ev) == 0 || ev[0].Kind != EventFellAsleep || ev[0].Reason != "command" || ev[0].ID != "s1" {
		t.Fatalf("events %+v", ev)
	}
	// Not before min_sleep, even when rested.
	if m.Tick(c.Advance(10 * time.Minute)); !m.Asleep() {
		t.Fatal("woke before min_sleep")
	}
	// Daytime, energy refilled past wake_energy: wakes by itself.
	var woke []MindEvent
	for i := 0; i < 24*60 && m.Asleep(); i++ {
		woke = m.Tick(c.Advance(time.Minute))
	}
	if m.Asleep() || len(woke) == 0 || woke[0].Reason != "rested" {
		t.Fatalf("did not wake rested: %+v, energy %v", woke, m.State().Energy)
	}
	if m.State().Energy < 0.9 {
		t.Errorf("woke with energy %v", m.State().Energy)
	}
	// And a wake command wakes it early.
	m.Feel(Stimulus{Kind: StimSleep})
	c.Advance(time.Minute)
	m.Feel(Stimulus{Kind: StimWake})
	if m.Asleep() {
		t.Error("wake command ignored")
	}
}

func TestSleepsWhenTired(t *testing.T) {
	m, c := newTestMind(t, noon)
	snap := []byte(`{"version":1,"saved":"2026-05-04T12:00:00Z","happy":0,"calm":0.3,"social":0,"energy":0.25,"affection":0.3,"fullness":0.5,"play":0.2,"asleep":false,"last_contact":"2026-05-04T12:00:00Z"}`)
	if err := m.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if m.MoodName() != MoodSleepy {
		t.Errorf("low energy mood %q", m.MoodName())
	}
	r := m.Feel(Stimulus{Kind: StimPlay})
	if r.Expression != "sleepy" {
		t.Errorf("tired pet asked to play: %+v", r)
	}
	ev := m.Tick(c.Advance(11 * time.Minute))
	if !m.Asleep() || len(ev) == 0 || ev[0].Reason != "tired" {
		t.Errorf("events %+v", ev)
	}
}

func TestHabituation(t *testing.T) {
	spaced, cs := newTestMind(t, noon)
	burst, cb := newTestMind(t, noon)
	for i := 0; i < 4; i++ {
		spaced.Feel(Stimulus{Kind: StimTilted})
		cs.Advance(10 * time.Second)
		burst.Feel(Stimulus{Kind: StimTilted})
		cb.Advance(100 * time.Millisecond)
	}
	// Spaced: 4 full steps minus a little decay; burst: 1 + 1/2 + 1/4 + 1/8.
	if s, b := spaced.State().Calm, burst.State().Calm; !(b > s) || !near(b, 0.3-0.1*1.875, 0.005) {
		t.Errorf("calm spaced %v, burst %v (want burst %v)", s, b, 0.3-0.1*1.875)
	}
}

func TestIntensityScales(t *testing.T) {
	soft, _ := newTestMind(t, noon)
	hard, _ := newTestMind(t, noon)
	soft.Feel(Stimulus{Kind: StimShaken, Intensity: 0.5})
	hard.Feel(Stimulus{Kind: StimShaken, Intensity: 2})
	if s, h := soft.State().Calm, hard.State().Calm; !near(s, 0.05, 1e-9) || !near(h, -0.7, 1e-9) {
		t.Errorf("calm soft %v hard %v", s, h)
	}
	nan, _ := newTestMind(t, noon)
	nan.Feel(Stimulus{Kind: StimShaken, Intensity: math.NaN()})
	if got := nan.State().Calm; !near(got, -0.2, 1e-9) {
		t.Errorf("NaN intensity gave calm %v", got)
	}
}

func TestPersonaEffectsOverride(t *testing.T) {
	c := NewManualClock(noon)
	m := NewMind(utcPersona(t, "mood:\n  effects:\n    picked_up: {calm: -0.6}\n"), MindOptions{Clock: c})
	m.Feel(Stimulus{Kind: StimPickedUp})
	if got := m.State().Calm; !near(got, -0.3, 1e-9) {
		t.Errorf("calm %v, want -0.3 from the persona's effect", got)
	}
}

func TestUnknownStimulusStillReacts(t *testing.T) {
	m, _ := newTestMind(t, noon)
	before := m.State()
	r := m.Feel(Stimulus{Kind: "sneeze"})
	if r.Sound == "" || r.Expression == "" || m.State().Happy != before.Happy {
		t.Errorf("unknown stimulus: %+v", r)
	}
}

func TestMoodLine(t *testing.T) {
	m, c := newTestMind(t, noon)
	snap := func(happy, energy, fullness, social float64) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"version": 1, "saved": c.Now(), "happy": happy, "calm": 0.3, "social": social,
			"energy": energy, "affection": 0.3, "fullness": fullness, "play": 0.5, "asleep": false, "last_contact": c.Now()})
		if err := m.Restore(b); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		happy, energy, fullness, social float64
		want                            string
	}{
		{0.1, 0.8, 0.5, 0.1, "content"},
		{0.6, 0.8, 0.5, 0.1, "happy"},
		{0.6, 0.2, 0.5, 0.1, "sleepy"},
		{0.1, 0.8, 0.1, 0.1, "hungry"},
		{0.1, 0.8, 0.5, -0.6, "lonely"},
		{0.6, 0.8, 0.2, 0.1, "happy, a bit hungry"},
		{0.1, 0.8, 0.1, -0.6, "hungry, lonely"},
		{0.1, 0.2, 0.1, -0.3, "sleepy, very hungry and a bit lonely"},
	} {
		snap(tc.happy, tc.energy, tc.fullness, tc.social)
		if got := m.MoodLine(); got != tc.want {
			t.Errorf("happy %v energy %v fullness %v social %v: line %q, want %q", tc.happy, tc.energy, tc.fullness, tc.social, got, tc.want)
		}
		if name := m.MoodName(); !slices.Contains(MoodNames(), name) || !strings.HasPrefix(m.MoodLine(), name) {
			t.Errorf("name %q not a mood word or not the line's start", name)
		}
	}
}

func TestComfort(t *testing.T) {
	m, _ := newTestMind(t, noon)
	if k, ok := m.Comfort(10); !ok || k != StimCold {
		t.Error("10 C should be cold")
	}
	if k, ok := m.Comfort(35); !ok || k != StimHot {
		t.Error("35 C should be hot")
	}
	if _, ok := m.Comfort(22); ok {
		t.Error("22 C should be comfortable")
	}
}

func TestStimulusKindsMatchPersona(t *testing.T) {
	var got []string
	for _, k := range StimulusKinds() {
		got = append(got, string(k))
		if kindIndex(k) < 0 || len(defaultEffects(k)) == 0 && k != StimSleep && k != StimWake {
			t.Errorf("%s has no index or no effect", k)
		}
	}
	want := persona.Stimuli()
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("dialog kinds %v\npersona kinds %v", got, want)
	}
	for _, hk := range []string{"press", "long_press", "double_press", "touch_start", "touch_held", "stroke", "picked_up", "put_down", "shaken", "tilted", "fall"} {
		if k, ok := StimulusForEvent(hk); !ok || kindIndex(k) < 0 {
			t.Errorf("hal kind %q not mapped", hk)
		}
	}
	if _, ok := StimulusForEvent("release"); ok {
		t.Error("release should not be a stimulus")
	}
	if k, ok := StimulusForCommand("feed"); !ok || k != StimFeed {
		t.Error("feed command")
	}
	if _, ok := StimulusForCommand("explode"); ok {
		t.Error("unknown command mapped")
	}
}

func TestTickEventsCarryReactions(t *testing.T) {
	m, c := newTestMind(t, time.Date(2026, 5, 4, 22, 0, 0, 0, time.UTC))
	ev := m.Tick(c.Advance(11 * time.Minute))
	if len(ev) == 0 || ev[0].Kind != EventFellAsleep || ev[0].Reaction.Expression != "sleepy" {
		t.Fatalf("events %+v", ev)
	}
	var woke *MindEvent
	for i := 0; i < 24*60 && woke == nil; i++ {
		for _, e := range m.Tick(c.Advance(time.Minute)) {
			if e.Kind == EventWokeUp {
				woke = &e
			}
		}
	}
	if woke == nil || woke.Reason != "rested" || woke.Reaction.Sound == "" {
		t.Fatalf("woke %+v", woke)
	}
	if h := woke.Time.Hour(); h < 7 || h > 8 {
		t.Errorf("woke at %v, want soon after night ends at 07:00", woke.Time)
	}
}

func TestFiller(t *testing.T) {
	m, _ := newTestMind(t, noon)
	prev := ""
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		r, line := m.Filler("f", "zh")
		checkReaction(t, r)
		if r.ID != "f" || !slices.Contains(m.Persona().FillersIn("zh"), line) || line == prev {
			t.Fatalf("filler %+v %q (prev %q)", r, line, prev)
		}
		prev = line
		seen[line] = true
	}
	if len(seen) < 2 {
		t.Error("fillers never vary")
	}
	before := m.State()
	m.Filler("f", "en")
	if m.State() != before {
		t.Error("a filler changed the mood")
	}
}
