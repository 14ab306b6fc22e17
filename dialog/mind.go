package dialog

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/purrd/purrd/dialog/persona"
)

// Axis indexes. Emotions are -1..1 (positive: happy, calm, social),
// needs are 0..1 (1: fully satisfied).
const (
	axHappy = iota
	axCalm
	axSocial
	axEnergy
	axAffection
	axFullness
	axPlay
	nAxes
)

var axisNames = [nAxes]string{"happy", "calm", "social", "energy", "affection", "fullness", "play"}

func axisIndex(name string) int {
	for i, n := range axisNames {
		if n == name {
			return i
		}
	}
	return -1
}

func kindIndex(k StimulusKind) int {
	for i, x := range stimulusKinds {
		if x == k {
			return i
		}
	}
	return -1
}

const nKinds = len(stimulusKinds)

// MindEventKind names a change of state the daemon should publish.
type MindEventKind string

// Mind events.
const (
	EventFellAsleep  MindEventKind = "fell_asleep"
	EventWokeUp      MindEventKind = "woke_up"
	EventMoodChanged MindEventKind = "mood_changed"
)

// MindEvent is a change of state: fell asleep, woke up, or the one-word
// mood changed.
type MindEvent struct {
	Kind   MindEventKind `json:"kind"`
	Time   time.Time     `json:"time"`
	Reason string        `json:"reason,omitempty"` // "night", "tired", "command", "touch", "rested", ...
	Mood   string        `json:"mood"`             // MoodName after the change
	ID     string        `json:"id,omitempty"`     // the stimulus that caused it, if any
	// Reaction is what to show for a change Tick made by itself (dozing
	// off, waking rested); zero for mood changes and for changes Feel
	// caused, whose reaction Feel already returned.
	Reaction Reaction `json:"-"`
}

// MoodState is every axis and need, for the MQTT state JSON.
type MoodState struct {
	Mood      string    `json:"mood"`      // one word: MoodName
	Line      string    `json:"line"`      // one line: MoodLine
	Happy     float64   `json:"happy"`     // -1 sad .. 1 happy
	Calm      float64   `json:"calm"`      // -1 excited/agitated .. 1 calm
	Social    float64   `json:"social"`    // -1 lonely .. 1 social
	Energy    float64   `json:"energy"`    // 0 exhausted .. 1 rested
	Affection float64   `json:"affection"` // 0 .. 1
	Fullness  float64   `json:"fullness"`  // 0 hungry .. 1 full
	Play      float64   `json:"play"`      // 0 bored .. 1 played out
	Asleep    bool      `json:"asleep"`
	Sleepy    bool      `json:"sleepy"`
	Night     bool      `json:"night"`
	LastPet   time.Time `json:"last_contact"` // last contact with the owner
}

// MindOptions are the mind's collaborators. Zero values pick the wall
// clock, seed 1 and a logger that discards (never the global one).
type MindOptions struct {
	Clock  Clock
	Seed   uint64
	Logger *slog.Logger
}

// Mind is the pet's mood, needs and sleep cycle. All methods are safe for
// concurrent use; the daemon loop is expected to be the main caller.
type Mind struct {
	mu    sync.Mutex
	p     *persona.Persona
	clock Clock
	log   *slog.Logger
	rng   *rand.Rand

	v       [nAxes]float64
	base    [nAxes]float64
	half    [nAxes]float64 // seconds
	effects [nKinds][nAxes]float64
	eyes    [nExpr][3]uint8

	asleep      bool
	sleptAt     time.Time
	last        time.Time // time the values were last advanced to
	lastContact time.Time
	lastKind    StimulusKind
	lastKindAt  time.Time
	repeats     int
	lastSig     signature
	hasLast     bool
	mood        string
	lastFiller  string
	pending     []MindEvent
}

// NewMind builds a mind for persona p (persona.Default when nil), starting
// rested, half fed and at every baseline.
func NewMind(p *persona.Persona, opt MindOptions) *Mind {
	if p == nil {
		p = persona.Default()
	}
	if opt.Clock == nil {
		opt.Clock = SystemClock{}
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Mind{
		p:     p,
		clock: opt.Clock,
		log:   opt.Logger,
		rng:   rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
	}
	b, h := p.Mood.Baseline, p.Mood.HalfLife
	m.base = [nAxes]float64{b.Happy, b.Calm, b.Social, 0, b.Affection, b.Fullness, b.Play}
	m.half = [nAxes]float64{
		h.Happy.Seconds(), h.Calm.Seconds(), h.Social.Seconds(), h.EnergyAwake.Seconds(),
		h.Affection.Seconds(), h.Fullness.Seconds(), h.Play.Seconds(),
	}
	m.effects = buildEffects(p)
	for i, e := range expressionNames {
		r, g, bl := p.EyeRGB(e)
		m.eyes[i] = [3]uint8{r, g, bl}
	}
	m.v = m.base
	m.v[axEnergy] = 0.8
	m.v[axFullness] = 0.5
	now := m.clock.Now()
	m.last, m.lastContact = now, now
	m.mood = m.moodName()
	return m
}

// Persona is the persona the mind was built with.
func (m *Mind) Persona() *persona.Persona { return m.p }

// step sizes named in the effect table.
const (
	szS = iota + 1
	szM
	szL
	szXL // twice large, capped at 1
)

type effect struct {
	axis int
	sign float64
	size int
}

// defaultEffects is how each stimulus moves the mood at intensity 1.
// Touch effects on happy and affection are further scaled by how much the
// pet likes the touched zone.
func defaultEffects(k StimulusKind) []effect {
	switch k {
	case StimButtonPress:
		return []effect{{axSocial, 1, szS}, {axHappy, 1, szS}}
	case StimButtonLong:
		return []effect{{axSocial, 1, szM}, {axCalm, 1, szS}}
	case StimButtonDouble:
		return []effect{{axPlay, 1, szS}, {axCalm, -1, szS}, {axHappy, 1, szS}}
	case StimPoke:
		return []effect{{axCalm, -1, szS}, {axSocial, 1, szS}, {axAffection, 1, szS}, {axHappy, 1, szS}}
	case StimTouchHeld:
		return []effect{{axAffection, 1, szM}, {axHappy, 1, szS}, {axCalm, 1, szS}, {axSocial, 1, szS}}
	case StimStroke:
		return []effect{{axAffection, 1, szL}, {axHappy, 1, szM}, {axCalm, 1, szM}, {axSocial, 1, szM}}
	case StimPickedUp:
		return []effect{{axCalm, -1, szS}, {axSocial, 1, szS}}
	case StimPutDown:
		return []effect{{axCalm, 1, szS}}
	case StimShaken:
		return []effect{{axCalm, -1, szL}, {axHappy, -1, szM}}
	case StimTilted:
		return []effect{{axCalm, -1, szS}}
	case StimFall:
		return []effect{{axCalm, -1, szXL}, {axHappy, -1, szM}}
	case StimFeed:
		return []effect{{axFullness, 1, szL}, {axHappy, 1, szS}}
	case StimPlay:
		return []effect{{axPlay, 1, szL}, {axEnergy, -1, szS}, {axHappy, 1, szM}, {axCalm, -1, szM}}
	case StimPet:
		return []effect{{axAffection, 1, szM}, {axHappy, 1, szS}, {axSocial, 1, szS}}
	case StimSleep:
		return []effect{{axCalm, 1, szM}}
	case StimWake:
		return []effect{{axCalm, -1, szS}}
	case StimChat:
		return []effect{{axSocial, 1, szM}, {axHappy, 1, szS}}
	case StimCold:
		return []effect{{axHappy, -1, szS}, {axCalm, -1, szS}}
	case StimHot:
		return []effect{{axEnergy, -1, szS}, {axHappy, -1, szS}}
	case StimBatteryLow:
		return []effect{{axEnergy, -1, szM}}
	case StimCharging:
		return []effect{{axCalm, 1, szS}, {axEnergy, 1, szS}}
	}
	return nil
}

func buildEffects(p *persona.Persona) [nKinds][nAxes]float64 {
	var out [nKinds][nAxes]float64
	st := p.Mood.Steps
	size := [...]float64{0, st.Small, st.Medium, st.Large, math.Min(1, 2*st.Large)}
	for ki, k := range stimulusKinds {
		for _, e := range defaultEffects(k) {
			out[ki][e.axis] = e.sign * size[e.size]
		}
	}
	for k, byAxis := range p.Mood.Effects {
		ki := kindIndex(StimulusKind(k))
		if ki < 0 {
			continue // persona validation already refused it
		}
		for a, v := range byAxis {
			if ai := axisIndex(a); ai >= 0 {
				out[ki][ai] = v
			}
		}
	}
	return out
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func axisRange(i int) (float64, float64) {
	if i <= axSocial {
		return -1, 1
	}
	return 0, 1
}

// advance decays every value toward its target from m.last to now. Decay
// is exponential in closed form, so ticking often or rarely gives the same
// values (except where the loneliness target switches, handled by
// splitting the interval there).
func (m *Mind) advance(now time.Time) {
	if !now.After(m.last) {
		return
	}
	if lonelyAt := m.lastContact.Add(m.p.Mood.LonelyAfter); lonelyAt.After(m.last) && lonelyAt.Before(now) {
		m.decay(lonelyAt)
	}
	m.decay(now)
}

func (m *Mind) decay(now time.Time) {
	dt := now.Sub(m.last).Seconds()
	if dt <= 0 {
		return
	}
	for i := range m.v {
		target, half := m.base[i], m.half[i]
		switch i {
		case axSocial:
			if now.Sub(m.lastContact) > m.p.Mood.LonelyAfter {
				target = m.p.Mood.LonelyLevel
			}
		case axEnergy:
			target = 0
			if m.asleep {
				target, half = 1, m.p.Mood.HalfLife.EnergyAsleep.Seconds()
			}
		}
		m.v[i] = target + (m.v[i]-target)*math.Exp2(-dt/half)
	}
	m.last = now
}

func (m *Mind) night() bool { return m.p.IsNight(m.last) }

func (m *Mind) sleepy() bool {
	return !m.asleep && (m.night() || m.v[axEnergy] < m.p.Mood.Sleep.SleepyEnergy)
}

func (m *Mind) emit(kind MindEventKind, reason, id string) {
	m.mood = m.moodName()
	m.pending = append(m.pending, MindEvent{Kind: kind, Time: m.last, Reason: reason, Mood: m.mood, ID: id})
}

func (m *Mind) fallAsleep(reason, id string) {
	if m.asleep {
		return
	}
	m.asleep = true
	m.sleptAt = m.last
	m.log.Info("mind: fell asleep", "reason", reason, "energy", round3(m.v[axEnergy]))
	m.emit(EventFellAsleep, reason, id)
}

func (m *Mind) wakeUp(reason, id string) {
	if !m.asleep {
		return
	}
	m.asleep = false
	m.log.Info("mind: woke up", "reason", reason, "energy", round3(m.v[axEnergy]))
	m.emit(EventWokeUp, reason, id)
}

// noteMood queues a mood_changed event when the one-word mood moved.
func (m *Mind) noteMood(id string) {
	if n := m.moodName(); n != m.mood {
		m.mood = n
		m.pending = append(m.pending, MindEvent{Kind: EventMoodChanged, Time: m.last, Mood: n, ID: id})
	}
}

// Tick advances decay to now and runs the sleep cycle. It returns the
// state changes since the last Tick, including those Feel caused (call
// Tick right after Feel to publish them at once). The slice is the
// caller's.
func (m *Mind) Tick(now time.Time) []MindEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.advance(now)
	sl := m.p.Mood.Sleep
	idle := m.last.Sub(m.lastContact)
	if m.asleep {
		if m.last.Sub(m.sleptAt) >= sl.MinSleep && m.v[axEnergy] >= sl.WakeEnergy && !m.night() {
			m.wakeUp("rested", "")
			m.pending[len(m.pending)-1].Reaction = m.react(fWoken)
		}
	} else {
		reason := ""
		switch {
		case m.v[axEnergy] < sl.ExhaustedEnergy && idle >= min(sl.DozeAfter, time.Minute):
			reason = "exhausted"
		case m.night() && idle >= sl.DozeAfter:
			reason = "night"
		case m.v[axEnergy] < sl.SleepyEnergy && idle >= sl.DozeAfter:
			reason = "tired"
		}
		if reason != "" {
			m.fallAsleep(reason, "")
			m.pending[len(m.pending)-1].Reaction = m.react(fDozing)
		}
	}
	m.noteMood("")
	out := m.pending
	m.pending = nil
	return out
}

// Asleep reports whether the pet is asleep.
func (m *Mind) Asleep() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.asleep
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// State returns every axis and need (rounded to 3 decimals) with the mood
// word and line, as of the last Tick or Feel.
func (m *Mind) State() MoodState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return MoodState{
		Mood:      m.moodName(),
		Line:      m.moodLine(),
		Happy:     round3(m.v[axHappy]),
		Calm:      round3(m.v[axCalm]),
		Social:    round3(m.v[axSocial]),
		Energy:    round3(m.v[axEnergy]),
		Affection: round3(m.v[axAffection]),
		Fullness:  round3(m.v[axFullness]),
		Play:      round3(m.v[axPlay]),
		Asleep:    m.asleep,
		Sleepy:    m.sleepy(),
		Night:     m.night(),
		LastPet:   m.lastContact,
	}
}

// Comfort turns a temperature reading into StimCold or StimHot when it is
// outside the persona's comfort range; ok is false when comfortable.
func (m *Mind) Comfort(tempC float64) (kind StimulusKind, ok bool) {
	switch {
	case tempC < m.p.Comfort.MinC:
		return StimCold, true
	case tempC > m.p.Comfort.MaxC:
		return StimHot, true
	}
	return "", false
}
