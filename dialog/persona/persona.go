// Package persona reads persona files (configs/personas/*.yaml): who the pet
// is (name, species, traits, speaking style, languages, sample lines, words
// it must never say) and every tunable of its mood (baselines, half-lives,
// step sizes, sleep thresholds). Files are strict: an unknown key, a wrong
// type or an invalid value is an error "file:line: key: problem". Keys left
// out keep the values of Default, so a persona file only says what differs.
package persona

import (
	"sort"
	"strings"
	"time"
)

// Version is the persona file format this package reads.
const Version = 1

// Persona is a loaded, validated persona. Treat it as read-only once loaded:
// the mind, the brains and the prompt builder share one value.
type Persona struct {
	Version int `yaml:"version"`
	// Name is what the pet calls itself; Names overrides it per language
	// (e.g. zh: 麻糬).
	Name      string            `yaml:"name"`
	Names     map[string]string `yaml:"names"`
	Species   string            `yaml:"species"`
	Traits    []string          `yaml:"traits"`
	Style     string            `yaml:"style"`     // speaking style, one line for the prompt
	Language  string            `yaml:"language"`  // default reply language
	Languages []string          `yaml:"languages"` // languages it answers in
	// Samples are example lines per language, shown to the model.
	Samples map[string][]string `yaml:"samples"`
	// Examples are a few short owner→pet exchanges per language. A small
	// model learns more from being shown how the pet answers than from any
	// description, so they open every prompt (see dialog.NewScript).
	Examples map[string][]Example `yaml:"examples"`
	// Forbidden words or phrases never reach the owner (matched case-insensitively).
	Forbidden []string `yaml:"forbidden"`
	// Fillers are said when words are slow or nothing sayable came out.
	Fillers map[string][]string `yaml:"fillers"`
	// Replies overrides the fallback brain's lines: intent -> language -> lines.
	// "{name}" is the pet's name, "{owner}" the owner's name when known.
	Replies    map[string]map[string][]string `yaml:"replies"`
	Night      Night                          `yaml:"night"`
	Reply      ReplyLimits                    `yaml:"reply"`
	Eyes       map[string]string              `yaml:"eyes"`        // expression -> "#rrggbb"
	TouchZones map[string]float64             `yaml:"touch_zones"` // zone -> liking -1..1
	Comfort    Comfort                        `yaml:"comfort"`
	Mood       Mood                           `yaml:"mood"`

	// Path is the file this was loaded from ("" for Default).
	Path string `yaml:"-"`

	loc        *time.Location
	nightStart int // minutes after local midnight
	nightEnd   int
}

// Example is one demonstrated exchange: what an owner says and how this
// pet answers.
type Example struct {
	Owner string `yaml:"owner"`
	Pet   string `yaml:"pet"`
}

// Night is when the pet gets sleepy, in its owner's local time.
type Night struct {
	Start    string `yaml:"start"`    // "22:00"
	End      string `yaml:"end"`      // "07:00"; may be earlier than Start (crosses midnight)
	Timezone string `yaml:"timezone"` // IANA name or "Local"
}

// ReplyLimits bounds what is said in one reply.
type ReplyLimits struct {
	MaxSentences int `yaml:"max_sentences"` // 1..5
	MaxRunes     int `yaml:"max_runes"`     // 20..1000
}

// Comfort is the temperature range the pet does not complain about.
type Comfort struct {
	MinC float64 `yaml:"min_c"`
	MaxC float64 `yaml:"max_c"`
}

// Mood holds every tunable of the mind.
type Mood struct {
	Baseline Baseline `yaml:"baseline"`
	HalfLife HalfLife `yaml:"half_life"`
	Steps    Steps    `yaml:"steps"`
	// LonelyAfter without any owner contact the social axis drifts toward
	// LonelyLevel instead of its baseline.
	LonelyAfter time.Duration `yaml:"lonely_after"`
	LonelyLevel float64       `yaml:"lonely_level"`
	Sleep       Sleep         `yaml:"sleep"`
	// Habituation: the same stimulus again within this window moves the
	// mood half as much each time, so a stuck sensor cannot saturate it.
	Habituation time.Duration `yaml:"habituation"`
	// Effects overrides the built-in effect of a stimulus on an axis:
	// stimulus kind -> axis -> delta (-1..1) at intensity 1.
	Effects map[string]map[string]float64 `yaml:"effects"`
}

// Baseline is where each value rests when nothing happens. Emotions are
// -1..1, needs 0..1. Energy has no baseline: it drains awake and refills
// asleep (see HalfLife).
type Baseline struct {
	Happy     float64 `yaml:"happy"`
	Calm      float64 `yaml:"calm"`
	Social    float64 `yaml:"social"`
	Affection float64 `yaml:"affection"`
	Fullness  float64 `yaml:"fullness"`
	Play      float64 `yaml:"play"`
}

// HalfLife is how long each value takes to get halfway back to its baseline.
type HalfLife struct {
	Happy        time.Duration `yaml:"happy"`
	Calm         time.Duration `yaml:"calm"`
	Social       time.Duration `yaml:"social"`
	Affection    time.Duration `yaml:"affection"`
	Fullness     time.Duration `yaml:"fullness"`
	Play         time.Duration `yaml:"play"`
	EnergyAwake  time.Duration `yaml:"energy_awake"`  // drain toward 0 while awake
	EnergyAsleep time.Duration `yaml:"energy_asleep"` // refill toward 1 while asleep
}

// Steps are the sizes of a small, medium and large mood change (Vector
// uses 0.10 / 0.25 / 0.50).
type Steps struct {
	Small  float64 `yaml:"small"`
	Medium float64 `yaml:"medium"`
	Large  float64 `yaml:"large"`
}

// Sleep sets the sleep cycle.
type Sleep struct {
	SleepyEnergy    float64       `yaml:"sleepy_energy"`    // below this it is sleepy
	ExhaustedEnergy float64       `yaml:"exhausted_energy"` // below this it dozes off quickly
	WakeEnergy      float64       `yaml:"wake_energy"`      // rested enough to wake by itself
	DozeAfter       time.Duration `yaml:"doze_after"`       // idle time before a sleepy pet falls asleep
	MinSleep        time.Duration `yaml:"min_sleep"`        // shortest nap before waking by itself
}

// Expressions the eyes can show; Eyes keys must be among them.
var expressions = [...]string{"neutral", "happy", "sleepy", "surprised", "sad", "annoyed", "love"}

// Axes a stimulus can move.
var axes = [...]string{"happy", "calm", "social", "energy", "affection", "fullness", "play"}

// stimuli are the stimulus kinds dialog knows (dialog.StimulusKind values).
var stimuli = [...]string{
	"button_press", "button_long", "button_double",
	"poke", "touch_held", "stroke",
	"picked_up", "put_down", "shaken", "tilted", "fall",
	"feed", "play", "pet", "sleep", "wake", "chat",
	"cold", "hot", "battery_low", "charging",
}

// intents the fallback brain recognises.
var intents = [...]string{
	"greeting", "name", "owner_name", "food", "play", "sleep",
	"affection", "how_are_you", "thanks", "bye", "told", "asked", "noticed_see", "noticed_hear", "noticed_smell",
	"asked_night", "asked_ate", "cat_day", "sleepless", "wake", "scold",
	"told_loss", "told_ache", "told_good", "told_visit", "told_cooking", "told_weather", "asked_invite", "asked_should", "about_cat", "unknown",
	"likes_yes", "likes_no", "likes_person", "likes_new", "likes_maybe", "fears_yes", "fears_no", "fears_maybe",
	"favourite_food", "favourite_toy", "favourite_place", "favourite_person", "favourite_time", "favourite_season", "favourite",
	"can_no", "can_yes", "trait_good", "trait_teased",
	"bond_yes", "bond_no", "asked_me", "asked_offer", "asked_help", "asked_find", "why_cat", "asked_world", "self_dream", "self_real", "self_if", "self_others",
	"felt_bored", "felt_lonely", "felt_happy", "felt_nervous", "felt_sad", "felt_angry", "felt_cold", "felt_tired",
}

func in(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// IsStimulus reports whether kind is a stimulus kind persona files may name.
func IsStimulus(kind string) bool { return in(stimuli[:], kind) }

// IsAxis reports whether name is a mood axis or need.
func IsAxis(name string) bool { return in(axes[:], name) }

// IsIntent reports whether name is an intent of the fallback brain.
func IsIntent(name string) bool { return in(intents[:], name) }

// IsExpression reports whether name is an eye expression.
func IsExpression(name string) bool { return in(expressions[:], name) }

// Stimuli lists the stimulus kinds, in a fixed order.
func Stimuli() []string { return append([]string(nil), stimuli[:]...) }

// Intents lists the fallback brain's intents, in a fixed order.
func Intents() []string { return append([]string(nil), intents[:]...) }

// Default returns the built-in persona: Mochi, a curious cat who speaks
// English and Chinese. Every call returns a fresh value.
func Default() *Persona {
	p := &Persona{
		Version:   Version,
		Name:      "Mochi",
		Names:     map[string]string{"zh": "麻糬"},
		Species:   "cat",
		Traits:    []string{"curious", "affectionate", "a little lazy", "playful"},
		Style:     "very short, warm and playful; sometimes says mrrp or meow; talks like a cat, not like an assistant",
		Language:  "en",
		Languages: []string{"en", "zh"},
		Samples: map[string][]string{
			"en": {"Mrrp! You're back!", "Is it dinner time yet?", "I'll sit right here on your keyboard."},
			"zh": {"喵～你回来啦！", "是不是该吃饭了？", "我就趴在这里陪你。"},
		},
		Examples: map[string][]Example{
			"en": {
				{Owner: "Hello, little one!", Pet: "Mrrp! Hello! Did you bring me a snack?"},
				{Owner: "I'm so tired today.", Pet: "Then lie down and I'll purr on your lap."},
			},
			"zh": {
				{Owner: "我下班回来了。", Pet: "喵～等你好久了！今天累不累？"},
				{Owner: "你在干什么呀？", Pet: "我在窗边晒太阳，呼噜呼噜～"},
			},
		},
		Forbidden: []string{"as an ai", "language model", "system prompt", "openai", "作为一个ai", "语言模型"},
		Fillers: map[string][]string{
			"en": {"Mrrp...", "Hmm, mrrow...", "Mew?"},
			"zh": {"喵……", "嗯……喵？", "咪？"},
		},
		Night:   Night{Start: "22:00", End: "07:00", Timezone: "Local"},
		Reply:   ReplyLimits{MaxSentences: 2, MaxRunes: 160},
		Comfort: Comfort{MinC: 16, MaxC: 30},
		Eyes: map[string]string{
			"neutral":   "#00c878",
			"happy":     "#ffb400",
			"sleepy":    "#3c3cb4",
			"surprised": "#ffffff",
			"sad":       "#2850ff",
			"annoyed":   "#ff2800",
			"love":      "#ff3ca0",
		},
		TouchZones: map[string]float64{
			"head": 1, "chin": 1, "cheek": 1, "back": 0.7, "side": 0.5,
			"paw": 0.2, "belly": -0.4, "tail": -0.6,
		},
		Mood: Mood{
			Baseline: Baseline{Happy: 0.1, Calm: 0.3, Social: 0.1, Affection: 0.3, Fullness: 0, Play: 0.2},
			HalfLife: HalfLife{
				Happy: 30 * time.Minute, Calm: 10 * time.Minute, Social: time.Hour,
				Affection: 3 * time.Hour, Fullness: 6 * time.Hour, Play: 2 * time.Hour,
				EnergyAwake: 10 * time.Hour, EnergyAsleep: 90 * time.Minute,
			},
			Steps:       Steps{Small: 0.10, Medium: 0.25, Large: 0.50},
			LonelyAfter: 3 * time.Hour,
			LonelyLevel: -0.7,
			Sleep: Sleep{
				SleepyEnergy: 0.3, ExhaustedEnergy: 0.1, WakeEnergy: 0.9,
				DozeAfter: 10 * time.Minute, MinSleep: 20 * time.Minute,
			},
			Habituation: 3 * time.Second,
		},
	}
	if err := p.finish(); err != nil {
		// The built-in values are constants checked by tests; reaching
		// this is a programming error, not bad input.
		panic("persona: default persona invalid: " + err.Error())
	}
	return p
}

// AllNames are the pet's names, Name first, then each language's own.
func (p *Persona) AllNames() []string {
	names := []string{p.Name}
	langs := make([]string, 0, len(p.Names))
	for lang := range p.Names {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		names = append(names, p.Names[lang])
	}
	return names
}

// NameIn is the pet's name in lang (Names[lang], else Name).
func (p *Persona) NameIn(lang string) string {
	if n := p.Names[lang]; n != "" {
		return n
	}
	return p.Name
}

// FillersIn returns the fillers for lang, falling back to the default
// language, then to a plain "Mrrp...".
func (p *Persona) FillersIn(lang string) []string {
	if f := p.Fillers[lang]; len(f) > 0 {
		return f
	}
	if f := p.Fillers[p.Language]; len(f) > 0 {
		return f
	}
	return []string{"Mrrp..."}
}

// Speaks reports whether lang is one of the persona's languages.
func (p *Persona) Speaks(lang string) bool { return in(p.Languages, lang) }

// Location is the time zone of the night hours.
func (p *Persona) Location() *time.Location {
	if p.loc == nil {
		return time.Local
	}
	return p.loc
}

// IsNight reports whether t falls within the night hours, in the persona's
// time zone.
func (p *Persona) IsNight(t time.Time) bool {
	lt := t.In(p.Location())
	m := lt.Hour()*60 + lt.Minute()
	s, e := p.nightStart, p.nightEnd
	switch {
	case s == e:
		return false
	case s < e:
		return m >= s && m < e
	default: // crosses midnight
		return m >= s || m < e
	}
}

// EyeRGB is the eye colour for an expression (neutral's when unknown).
func (p *Persona) EyeRGB(expression string) (r, g, b uint8) {
	h, ok := p.Eyes[expression]
	if !ok {
		h = p.Eyes["neutral"]
	}
	c, err := parseHex(h)
	if err != nil {
		return 0, 200, 120
	}
	return c[0], c[1], c[2]
}

// ZoneLiking is how much the pet likes being touched on zone (-1..1);
// unknown or empty zones count as mildly pleasant (0.5).
func (p *Persona) ZoneLiking(zone string) float64 {
	if v, ok := p.TouchZones[strings.ToLower(zone)]; ok {
		return v
	}
	return 0.5
}
