package persona

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// valueError is a validation problem tied to a key path, so Parse can add
// the line where that key was written.
type valueError struct{ key, msg string }

func (e *valueError) Error() string { return e.key + ": " + e.msg }

func bad(key, format string, args ...any) error {
	return &valueError{key: key, msg: fmt.Sprintf(format, args...)}
}

func validLang(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func checkText(key, s string, max int) error {
	if !utf8.ValidString(s) {
		return bad(key, "not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > max {
		return bad(key, "longer than %d characters", max)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return bad(key, "contains a control character")
		}
	}
	return nil
}

func between(key string, v, lo, hi float64) error {
	if math.IsNaN(v) || v < lo || v > hi {
		return bad(key, "%g is outside %g..%g", v, lo, hi)
	}
	return nil
}

func positive(key string, d time.Duration) error {
	if d <= 0 {
		return bad(key, "must be more than 0")
	}
	return nil
}

func most(key string, n, max int) error {
	if n > max {
		return bad(key, "%d entries, at most %d allowed", n, max)
	}
	return nil
}

// validate checks every value; the first problem is returned.
func (p *Persona) validate() error {
	if p.Version != Version {
		return bad("version", "unsupported version %d (want %d)", p.Version, Version)
	}
	// Lists end up in prompts and tables: keep them persona-sized.
	for _, c := range []struct {
		key    string
		n, max int
	}{
		{"names", len(p.Names), 10}, {"traits", len(p.Traits), 20}, {"languages", len(p.Languages), 10},
		{"samples", len(p.Samples), 10}, {"forbidden", len(p.Forbidden), 200}, {"fillers", len(p.Fillers), 10},
		{"touch_zones", len(p.TouchZones), 32}, {"mood.effects", len(p.Mood.Effects), len(stimuli)},
	} {
		if err := most(c.key, c.n, c.max); err != nil {
			return err
		}
	}
	for lang, l := range p.Samples {
		if err := most("samples."+lang, len(l), 20); err != nil {
			return err
		}
	}
	// Examples open every model prompt: a few are worth more than many.
	for lang, l := range p.Examples {
		if err := most("examples."+lang, len(l), 6); err != nil {
			return err
		}
	}
	for lang, l := range p.Fillers {
		if err := most("fillers."+lang, len(l), 20); err != nil {
			return err
		}
	}
	for intent, byLang := range p.Replies {
		for lang, l := range byLang {
			if err := most("replies."+intent+"."+lang, len(l), 50); err != nil {
				return err
			}
		}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "must not be empty")
	}
	if err := checkText("name", p.Name, 40); err != nil {
		return err
	}
	for lang, n := range p.Names {
		if !validLang(lang) {
			return bad("names."+lang, "not a language code like en or zh")
		}
		if err := checkText("names."+lang, n, 40); err != nil {
			return err
		}
	}
	if err := checkText("species", p.Species, 40); err != nil {
		return err
	}
	if strings.TrimSpace(p.Species) == "" {
		return bad("species", "must not be empty")
	}
	for i, t := range p.Traits {
		if err := checkText(fmt.Sprintf("traits[%d]", i), t, 80); err != nil {
			return err
		}
	}
	if err := checkText("style", p.Style, 400); err != nil {
		return err
	}
	if !validLang(p.Language) {
		return bad("language", "%q is not a language code like en or zh", p.Language)
	}
	if len(p.Languages) == 0 {
		return bad("languages", "must list at least one language")
	}
	for i, l := range p.Languages {
		if !validLang(l) {
			return bad(fmt.Sprintf("languages[%d]", i), "%q is not a language code like en or zh", l)
		}
	}
	if !p.Speaks(p.Language) {
		return bad("language", "%q is not in languages %v", p.Language, p.Languages)
	}
	for lang, lines := range p.Samples {
		if !validLang(lang) {
			return bad("samples."+lang, "not a language code like en or zh")
		}
		for i, l := range lines {
			if err := checkText(fmt.Sprintf("samples.%s[%d]", lang, i), l, 200); err != nil {
				return err
			}
		}
	}
	for lang, exs := range p.Examples {
		if !validLang(lang) {
			return bad("examples."+lang, "not a language code like en or zh")
		}
		for i, e := range exs {
			for _, f := range []struct{ key, text string }{{"owner", e.Owner}, {"pet", e.Pet}} {
				key := fmt.Sprintf("examples.%s[%d].%s", lang, i, f.key)
				if strings.TrimSpace(f.text) == "" {
					return bad(key, "is empty")
				}
				if err := checkText(key, f.text, 200); err != nil {
					return err
				}
			}
		}
	}
	for lang, lines := range p.Fillers {
		if !validLang(lang) {
			return bad("fillers."+lang, "not a language code like en or zh")
		}
		for i, l := range lines {
			key := fmt.Sprintf("fillers.%s[%d]", lang, i)
			if strings.TrimSpace(l) == "" {
				return bad(key, "must not be empty")
			}
			if err := checkText(key, l, 60); err != nil {
				return err
			}
		}
	}
	for i, w := range p.Forbidden {
		key := fmt.Sprintf("forbidden[%d]", i)
		if strings.TrimSpace(w) == "" {
			return bad(key, "must not be empty")
		}
		if err := checkText(key, w, 80); err != nil {
			return err
		}
	}
	for intent, byLang := range p.Replies {
		if !IsIntent(intent) {
			return bad("replies."+intent, "unknown intent (known: %s)", strings.Join(intents[:], ", "))
		}
		for lang, lines := range byLang {
			if !validLang(lang) {
				return bad("replies."+intent+"."+lang, "not a language code like en or zh")
			}
			if len(lines) == 0 {
				return bad("replies."+intent+"."+lang, "must list at least one line")
			}
			for i, l := range lines {
				key := fmt.Sprintf("replies.%s.%s[%d]", intent, lang, i)
				if strings.TrimSpace(l) == "" {
					return bad(key, "must not be empty")
				}
				if err := checkText(key, l, 200); err != nil {
					return err
				}
			}
		}
	}
	if _, err := parseClock(p.Night.Start); err != nil {
		return bad("night.start", "%v", err)
	}
	if _, err := parseClock(p.Night.End); err != nil {
		return bad("night.end", "%v", err)
	}
	if p.Night.Timezone != "" && p.Night.Timezone != "Local" {
		if _, err := time.LoadLocation(p.Night.Timezone); err != nil {
			return bad("night.timezone", "unknown time zone %q", p.Night.Timezone)
		}
	}
	if p.Reply.MaxSentences < 1 || p.Reply.MaxSentences > 5 {
		return bad("reply.max_sentences", "%d is outside 1..5", p.Reply.MaxSentences)
	}
	if p.Reply.MaxRunes < 20 || p.Reply.MaxRunes > 1000 {
		return bad("reply.max_runes", "%d is outside 20..1000", p.Reply.MaxRunes)
	}
	for expr, hex := range p.Eyes {
		if !IsExpression(expr) {
			return bad("eyes."+expr, "unknown expression (known: %s)", strings.Join(expressions[:], ", "))
		}
		if _, err := parseHex(hex); err != nil {
			return bad("eyes."+expr, "%v", err)
		}
	}
	for zone, v := range p.TouchZones {
		if err := between("touch_zones."+zone, v, -1, 1); err != nil {
			return err
		}
	}
	if err := between("comfort.min_c", p.Comfort.MinC, -40, 60); err != nil {
		return err
	}
	if err := between("comfort.max_c", p.Comfort.MaxC, -40, 60); err != nil {
		return err
	}
	if p.Comfort.MinC >= p.Comfort.MaxC {
		return bad("comfort.max_c", "%g must be above min_c %g", p.Comfort.MaxC, p.Comfort.MinC)
	}
	return p.Mood.validate()
}

func (m *Mood) validate() error {
	b := m.Baseline
	for _, c := range []struct {
		key    string
		v      float64
		lo, hi float64
	}{
		{"mood.baseline.happy", b.Happy, -1, 1},
		{"mood.baseline.calm", b.Calm, -1, 1},
		{"mood.baseline.social", b.Social, -1, 1},
		{"mood.baseline.affection", b.Affection, 0, 1},
		{"mood.baseline.fullness", b.Fullness, 0, 1},
		{"mood.baseline.play", b.Play, 0, 1},
		{"mood.steps.small", m.Steps.Small, 0.001, 1},
		{"mood.steps.medium", m.Steps.Medium, 0.001, 1},
		{"mood.steps.large", m.Steps.Large, 0.001, 1},
		{"mood.lonely_level", m.LonelyLevel, -1, 1},
		{"mood.sleep.sleepy_energy", m.Sleep.SleepyEnergy, 0, 1},
		{"mood.sleep.exhausted_energy", m.Sleep.ExhaustedEnergy, 0, 1},
		{"mood.sleep.wake_energy", m.Sleep.WakeEnergy, 0, 1},
	} {
		if err := between(c.key, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	if !(m.Steps.Small <= m.Steps.Medium && m.Steps.Medium <= m.Steps.Large) {
		return bad("mood.steps", "want small <= medium <= large, got %g, %g, %g", m.Steps.Small, m.Steps.Medium, m.Steps.Large)
	}
	if m.Sleep.ExhaustedEnergy > m.Sleep.SleepyEnergy {
		return bad("mood.sleep.exhausted_energy", "%g must not be above sleepy_energy %g", m.Sleep.ExhaustedEnergy, m.Sleep.SleepyEnergy)
	}
	if m.Sleep.WakeEnergy <= m.Sleep.SleepyEnergy {
		return bad("mood.sleep.wake_energy", "%g must be above sleepy_energy %g", m.Sleep.WakeEnergy, m.Sleep.SleepyEnergy)
	}
	h := m.HalfLife
	for _, c := range []struct {
		key string
		d   time.Duration
	}{
		{"mood.half_life.happy", h.Happy}, {"mood.half_life.calm", h.Calm},
		{"mood.half_life.social", h.Social}, {"mood.half_life.affection", h.Affection},
		{"mood.half_life.fullness", h.Fullness}, {"mood.half_life.play", h.Play},
		{"mood.half_life.energy_awake", h.EnergyAwake}, {"mood.half_life.energy_asleep", h.EnergyAsleep},
		{"mood.lonely_after", m.LonelyAfter}, {"mood.sleep.doze_after", m.Sleep.DozeAfter},
	} {
		if err := positive(c.key, c.d); err != nil {
			return err
		}
	}
	for kind, byAxis := range m.Effects {
		if !IsStimulus(kind) {
			return bad("mood.effects."+kind, "unknown stimulus (known: %s)", strings.Join(stimuli[:], ", "))
		}
		for axis, v := range byAxis {
			key := "mood.effects." + kind + "." + axis
			if !IsAxis(axis) {
				return bad(key, "unknown axis (known: %s)", strings.Join(axes[:], ", "))
			}
			if err := between(key, v, -1, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// finish derives the parsed forms of validated values.
func (p *Persona) finish() error {
	s, err := parseClock(p.Night.Start)
	if err != nil {
		return fmt.Errorf("night.start: %w", err)
	}
	e, err := parseClock(p.Night.End)
	if err != nil {
		return fmt.Errorf("night.end: %w", err)
	}
	p.nightStart, p.nightEnd = s, e
	p.loc = time.Local
	if tz := p.Night.Timezone; tz != "" && tz != "Local" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return fmt.Errorf("night.timezone: %w", err)
		}
		p.loc = loc
	}
	return nil
}

// parseClock reads "HH:MM" into minutes after midnight.
func parseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time like 22:00", s)
	}
	for i, c := range s {
		if i != 2 && (c < '0' || c > '9') {
			return 0, fmt.Errorf("%q is not a time like 22:00", s)
		}
	}
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, nil
}

// parseHex reads "#rrggbb".
func parseHex(s string) ([3]uint8, error) {
	var c [3]uint8
	if len(s) != 7 || s[0] != '#' {
		return c, fmt.Errorf("%q is not a colour like #ff8800", s)
	}
	for i := 0; i < 3; i++ {
		var v uint8
		for _, ch := range s[1+2*i : 3+2*i] {
			var d uint8
			switch {
			case ch >= '0' && ch <= '9':
				d = uint8(ch - '0')
			case ch >= 'a' && ch <= 'f':
				d = uint8(ch-'a') + 10
			case ch >= 'A' && ch <= 'F':
				d = uint8(ch-'A') + 10
			default:
				return c, fmt.Errorf("%q is not a colour like #ff8800", s)
			}
			v = v*16 + d
		}
		c[i] = v
	}
	return c, nil
}
