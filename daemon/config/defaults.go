package config

import (
	"cmp"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The defaults, in one place so configs/purrd.yaml and the docs can be
// checked against them (see defaults_test.go).
const (
	DefaultLogLevel      = "info"
	DefaultLogFormat     = "auto"
	DefaultEngineLog     = "warn"
	DefaultStateDir      = "/var/lib/purrd"
	DefaultSaveInterval  = 5 * time.Minute
	DefaultBoard         = "sim"
	DefaultDebounce      = 30 * time.Millisecond
	DefaultLongPress     = 800 * time.Millisecond
	DefaultDoublePress   = 350 * time.Millisecond
	DefaultKeyboard      = "auto"
	DefaultKeepAlive     = 30 * time.Second
	DefaultOutboxSize    = 1000
	DefaultMaxPayload    = 4096
	DefaultRatePerSecond = 5
	DefaultRateBurst     = 10
	DefaultStateInterval = 60 * time.Second
	DefaultListen        = "127.0.0.1:1883"
	DefaultHAPrefix      = "homeassistant"
	DefaultUserRole      = "phone"
	DefaultBrainKind     = "auto"
	DefaultThreads       = 0 // auto
	DefaultFlashAttn     = "auto"
	DefaultRoutine       = "model"
	DefaultComfort       = "rules"
	DefaultQuestions     = "rules"
	DefaultFeelings      = "rules"
	DefaultBatch         = 64
	DefaultKVCache       = "auto"
	DefaultContext       = 1024
	DefaultMaxTokens     = 60
	DefaultHistoryTurns  = 16
	MinHistoryTurns      = 2  // brain.history_turns, at least
	MaxHistoryTurns      = 64 // brain.history_turns, at most
	DefaultFirstToken    = 1200 * time.Millisecond
	DefaultFirstSentence = 2 * time.Second
	DefaultStallAfter    = 2500 * time.Millisecond
	DefaultReplyDeadline = 30 * time.Second
	DefaultStableAfter   = 5 * time.Minute
	DefaultCareWindow    = 10 * time.Minute
	DefaultAdapterScale  = 1.0
	DefaultPersona       = "personas/mochi.yaml" // relative to the config file

	// brain.sampling, chosen by the conversation eval (docs/models.md):
	// with the cat adapter, temperature 0.5 and min-p 0.1 recalled 63 %
	// of facts against 53 % at 0.7 / 0.05, with no more repeats or echoes.
	DefaultTemperature      = 0.5
	DefaultTopK             = 40
	DefaultTopP             = 0.9
	DefaultMinP             = 0.1
	DefaultRepeatPenalty    = 1.1
	DefaultRepeatLastN      = 64
	DefaultFrequencyPenalty = 0.0
	DefaultPresencePenalty  = 0.0
	DefaultCandidates       = 1
	DefaultSpecificity      = 0.5
	DefaultGuidance         = 0.0
	DefaultNoRepeatNgram    = 0

	DefaultShuntOhms    = 0.1
	DefaultBatteryEmpty = 3.3
	DefaultBatteryFull  = 4.2
	DefaultMaxAngle     = 180
)

// MaxPayloadLimit is the most mqtt.max_payload may be: the embedded broker
// sizes its packet limit from it, and a command larger than this is no
// command an owner sends.
const MaxPayloadLimit = 256 << 10

// IDFromHostname turns a hostname into a robot id: the first label,
// lowercased, anything outside [a-z0-9_-] replaced by '-', at most 64
// characters; "purr" when nothing is left.
func IDFromHostname(host string) string {
	host, _, _ = strings.Cut(host, ".")
	b := make([]byte, 0, len(host))
	for _, r := range strings.ToLower(host) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			b = append(b, byte(r))
		default:
			b = append(b, '-')
		}
	}
	id := strings.Trim(string(b), "-")
	if len(id) > 64 {
		id = strings.Trim(id[:64], "-")
	}
	if id == "" {
		return "purr"
	}
	return id
}

// applyDefaults fills every key the file left out. dir is the config
// file's folder ("" for Default); prof is the loaded profile, if any.
func applyDefaults(c *Config, d *decoder, hostname func() (string, error), dir string, prof *Profile) {
	str := func(path string, v *string, def string) {
		if !d.has(path) {
			*v = def
		}
	}
	dur := func(path string, v *time.Duration, def time.Duration) {
		if !d.has(path) {
			*v = def
		}
	}
	num := func(path string, v *int, def int) {
		if !d.has(path) {
			*v = def
		}
	}
	if !d.has("version") {
		c.Version = Version
	}
	// id, base_topic and client_id are derived; "" asks for the derivation
	// too, so the reference config can show them without pinning a value.
	if c.Robot.ID == "" {
		h, err := hostname()
		if err != nil {
			h = ""
		}
		c.Robot.ID = IDFromHostname(h)
	}
	str("log.level", &c.Log.Level, DefaultLogLevel)
	str("log.format", &c.Log.Format, DefaultLogFormat)
	str("log.engine", &c.Log.Engine, DefaultEngineLog)
	str("state.dir", &c.State.Dir, DefaultStateDir)
	dur("state.save_interval", &c.State.SaveInterval, DefaultSaveInterval)

	board := DefaultBoard
	if prof != nil {
		board = prof.Board
	}
	str("hardware.board", &c.Hardware.Board, board)
	dur("hardware.debounce", &c.Hardware.Debounce, DefaultDebounce)
	dur("hardware.long_press", &c.Hardware.LongPress, DefaultLongPress)
	dur("hardware.double_press", &c.Hardware.DoublePress, DefaultDoublePress)
	str("hardware.sim.keyboard", &c.Hardware.Sim.Keyboard, DefaultKeyboard)
	if len(c.Hardware.Devices) == 0 && prof != nil {
		c.Hardware.Devices = prof.Devices
	} else {
		deviceDefaults(c.Hardware.Devices, d, "hardware.devices")
	}

	m := &c.MQTT
	if m.BaseTopic == "" {
		m.BaseTopic = "purr/" + c.Robot.ID
	}
	if m.ClientID == "" {
		m.ClientID = "purrd-" + c.Robot.ID
	}
	dur("mqtt.keep_alive", &m.KeepAlive, DefaultKeepAlive)
	num("mqtt.outbox_size", &m.OutboxSize, DefaultOutboxSize)
	num("mqtt.max_payload", &m.MaxPayload, DefaultMaxPayload)
	if !d.has("mqtt.rate_limit.per_second") {
		m.RateLimit.PerSecond = DefaultRatePerSecond
	}
	num("mqtt.rate_limit.burst", &m.RateLimit.Burst, DefaultRateBurst)
	dur("mqtt.state_interval", &m.StateEvery, DefaultStateInterval)
	str("mqtt.embedded.listen", &m.Embedded.Listen, DefaultListen)
	for i := range m.Embedded.Users {
		str(indexed("mqtt.embedded.users", i)+".role", &m.Embedded.Users[i].Role, DefaultUserRole)
	}
	str("mqtt.home_assistant.prefix", &m.HomeAssistant.Prefix, DefaultHAPrefix)
	webDefaults(c, d)

	b := &c.Brain
	str("brain.kind", &b.Kind, DefaultBrainKind)
	// The engine keys: the config's value, else the board profile's,
	// else the default.
	var pb ProfileBrain
	if prof != nil {
		pb = prof.Brain
	}
	num("brain.threads", &b.Threads, cmp.Or(pb.Threads, DefaultThreads))
	str("brain.flash_attention", &b.FlashAttention, cmp.Or(pb.FlashAttention, DefaultFlashAttn))
	num("brain.batch", &b.Batch, cmp.Or(pb.Batch, DefaultBatch))
	str("brain.kv_cache", &b.KVCache, cmp.Or(pb.KVCache, DefaultKVCache))
	num("brain.context", &b.Context, DefaultContext)
	num("brain.max_tokens", &b.MaxTokens, DefaultMaxTokens)
	num("brain.history_turns", &b.HistoryTurns, DefaultHistoryTurns)
	dur("brain.first_token_budget", &b.FirstToken, DefaultFirstToken)
	dur("brain.first_sentence_budget", &b.FirstSentence, DefaultFirstSentence)
	dur("brain.first_token_deadline", &b.StallAfter, DefaultStallAfter)
	dur("brain.reply_deadline", &b.Deadline, DefaultReplyDeadline)
	dur("brain.stable_after", &b.StableAfter, DefaultStableAfter)
	dur("brain.care_window", &b.CareWindow, DefaultCareWindow)
	str("brain.routine", &b.Routine, DefaultRoutine)
	str("brain.comfort", &b.Comfort, DefaultComfort)
	str("brain.questions", &b.Questions, DefaultQuestions)
	str("brain.feelings", &b.Feelings, DefaultFeelings)
	if !d.has("brain.adapter_scale") {
		b.AdapterScale = DefaultAdapterScale
	}
	samplingDefaults(&b.Sampling, d)

	// The default persona is optional: a config without personas/ next to
	// it (a test, a minimal install) gets the daemon's built-in persona
	// rather than an error about a file nobody asked for.
	if !d.has("persona") && dir != "" {
		p := filepath.Join(dir, DefaultPersona)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			c.Persona = p
		}
	}
}

func samplingDefaults(s *Sampling, d *decoder) {
	float := func(key string, v *float64, def float64) {
		if !d.has("brain.sampling." + key) {
			*v = def
		}
	}
	whole := func(key string, v *int, def int) {
		if !d.has("brain.sampling." + key) {
			*v = def
		}
	}
	float("temperature", &s.Temperature, DefaultTemperature)
	whole("top_k", &s.TopK, DefaultTopK)
	float("top_p", &s.TopP, DefaultTopP)
	float("min_p", &s.MinP, DefaultMinP)
	float("repeat_penalty", &s.RepeatPenalty, DefaultRepeatPenalty)
	whole("repeat_last_n", &s.RepeatLastN, DefaultRepeatLastN)
	float("frequency_penalty", &s.FrequencyPenalty, DefaultFrequencyPenalty)
	float("presence_penalty", &s.PresencePenalty, DefaultPresencePenalty)
	whole("candidates", &s.Candidates, DefaultCandidates)
	float("specificity", &s.Specificity, DefaultSpecificity)
	float("guidance", &s.Guidance, DefaultGuidance)
	whole("no_repeat_ngram", &s.NoRepeatNgram, DefaultNoRepeatNgram)
}

// deviceDefaults fills the per-kind defaults of devices written at base.
func deviceDefaults(devs []Device, d *decoder, base string) {
	for i := range devs {
		dv := &devs[i]
		p := indexed(base, i)
		spec, ok := kindSpecs[dv.Kind]
		if !ok {
			continue
		}
		if !d.has(p+".role") && spec.role != "" {
			dv.Role = spec.role
		}
		switch dv.Kind {
		case "ina219":
			if !d.has(p + ".shunt_ohms") {
				dv.Shunt = DefaultShuntOhms
			}
			if !d.has(p + ".battery_empty_volts") {
				dv.CellsMin = DefaultBatteryEmpty
			}
			if !d.has(p + ".battery_full_volts") {
				dv.CellsMax = DefaultBatteryFull
			}
		case "pca9685":
			if !d.has(p + ".max_angle") {
				dv.MaxAngle = DefaultMaxAngle
			}
		}
	}
}

func indexed(base string, i int) string {
	return base + "[" + strconv.Itoa(i) + "]"
}

// resolvePaths makes every relative path in c absolute against dir.
func resolvePaths(c *Config, dir string) {
	for _, p := range []*string{
		&c.Persona, &c.State.Dir, &c.Hardware.Profile, &c.Hardware.Sim.Scenario,
		&c.MQTT.PasswordFile, &c.MQTT.TLS.CAFile, &c.MQTT.TLS.CertFile, &c.MQTT.TLS.KeyFile,
		&c.Brain.Model, &c.Brain.Adapter,
	} {
		*p = resolve(dir, *p)
	}
	for i := range c.MQTT.Embedded.Users {
		u := &c.MQTT.Embedded.Users[i]
		u.PasswordFile = resolve(dir, u.PasswordFile)
	}
}

func resolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
