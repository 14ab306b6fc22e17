package config

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	idRE   = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)
	nameRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
)

// validate checks every value after defaults; it only adds problems.
func validate(c *Config, d *decoder) {
	if !idRE.MatchString(c.Robot.ID) {
		d.at("robot.id", "%q is not a valid id (use 1-64 of a-z, 0-9, _ and -)", c.Robot.ID)
	}
	d.text("robot.name", c.Robot.Name, 64)

	d.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	d.oneOf("log.format", c.Log.Format, "auto", "journal", "text", "json")
	d.oneOf("log.engine", c.Log.Engine, "debug", "info", "warn", "error", "off")

	if c.State.Dir == "" {
		d.at("state.dir", "must not be empty")
	}
	d.atLeast("state.save_interval", c.State.SaveInterval, time.Second)

	validateHardware(c, d)
	validateMQTT(c, d)
	validateBrain(c, d)
	validateWeb(c, d)

	if d.has("persona") && c.Persona != "" {
		d.existing("persona", c.Persona)
	}
}

func validateHardware(c *Config, d *decoder) {
	h := &c.Hardware
	d.oneOf("hardware.board", h.Board, "sim", "periph")
	if h.LongPress <= h.Debounce {
		d.at("hardware.long_press", "%s must be longer than hardware.debounce (%s)", h.LongPress, h.Debounce)
	}
	if h.DoublePress <= h.Debounce {
		d.at("hardware.double_press", "%s must be longer than hardware.debounce (%s)", h.DoublePress, h.Debounce)
	}
	d.oneOf("hardware.sim.keyboard", h.Sim.Keyboard, "auto", "on", "off")
	if h.Sim.Scenario != "" {
		d.existing("hardware.sim.scenario", h.Sim.Scenario)
	}
	if d.has("hardware.devices") {
		validateDevices(d, h.Devices, "hardware.devices")
	}
	if h.Board == "periph" && len(h.Devices) == 0 && h.Profile == "" {
		d.at("hardware.board", "periph needs devices: set hardware.profile or list hardware.devices")
	}
}

func validateMQTT(c *Config, d *decoder) {
	m := &c.MQTT
	tlsScheme := false
	if m.Broker != "" {
		tlsScheme = d.brokerURL("mqtt.broker", m.Broker)
	}
	// Derived from robot.id, whose own problem is reported already.
	if d.has("mqtt.base_topic") {
		d.topic("mqtt.base_topic", m.BaseTopic)
	}
	if d.has("mqtt.client_id") && (m.ClientID == "" || len(m.ClientID) > 128 || strings.ContainsFunc(m.ClientID, notPrintable)) {
		d.at("mqtt.client_id", "%q must be 1-128 printable characters", m.ClientID)
	}
	d.text("mqtt.username", m.Username, 128)
	if m.PasswordFile != "" {
		if m.Username == "" {
			d.at("mqtt.password_file", "set but mqtt.username is empty (MQTT sends a password only with a username)")
		}
		d.secretFile("mqtt.password_file", m.PasswordFile)
	}
	if m.TLS != (TLS{}) {
		switch {
		case m.Broker == "":
			d.at("mqtt.tls", "only used with an external mqtt.broker; the embedded broker is plain TCP on loopback")
		case !tlsScheme:
			d.at("mqtt.tls", "set but mqtt.broker %q is not encrypted; use ssl://, tls://, mqtts:// or wss://", m.Broker)
		}
		for _, f := range []struct{ key, path string }{
			{"ca_file", m.TLS.CAFile}, {"cert_file", m.TLS.CertFile}, {"key_file", m.TLS.KeyFile},
		} {
			if f.path != "" {
				d.existing("mqtt.tls."+f.key, f.path)
			}
		}
		if (m.TLS.CertFile == "") != (m.TLS.KeyFile == "") {
			if m.TLS.CertFile == "" {
				d.at("mqtt.tls.key_file", "set without mqtt.tls.cert_file")
			} else {
				d.at("mqtt.tls.cert_file", "set without mqtt.tls.key_file")
			}
		}
	}
	if m.KeepAlive < time.Second || m.KeepAlive > 65535*time.Second || m.KeepAlive%time.Second != 0 {
		d.at("mqtt.keep_alive", "%s must be a whole number of seconds from 1s to 65535s", m.KeepAlive)
	}
	d.intRange("mqtt.outbox_size", m.OutboxSize, 1, 1000000)
	d.intRange("mqtt.max_payload", m.MaxPayload, 64, MaxPayloadLimit)
	if !(m.RateLimit.PerSecond > 0) || m.RateLimit.PerSecond > 10000 {
		d.at("mqtt.rate_limit.per_second", "%g must be more than 0 and at most 10000", m.RateLimit.PerSecond)
	}
	d.intRange("mqtt.rate_limit.burst", m.RateLimit.Burst, 1, 100000)
	d.atLeast("mqtt.state_interval", m.StateEvery, time.Second)
	validateEmbedded(c, d)
	d.topic("mqtt.home_assistant.prefix", m.HomeAssistant.Prefix)
}

func validateEmbedded(c *Config, d *decoder) {
	e := &c.MQTT.Embedded
	if c.MQTT.Broker != "" && d.has("mqtt.embedded") {
		d.at("mqtt.embedded", "not used when mqtt.broker is set; remove one of them")
	}
	// Beyond loopback (LoopbackOnly) every client logs in: the broker takes
	// anonymous clients from loopback peers only, and never on a websocket.
	// With no phone user listed here purrd makes the paired phone user
	// itself (`purrd pair`), so neither an open listener nor a websocket
	// needs users in this file, and neither is open to anyone.
	d.listenAddr("mqtt.embedded.listen", e.Listen)
	if e.Websocket != "" {
		d.listenAddr("mqtt.embedded.websocket", e.Websocket)
		if e.Websocket == e.Listen {
			d.at("mqtt.embedded.websocket", "%s is also mqtt.embedded.listen; use another port", e.Websocket)
		}
	}
	first := map[string]int{}
	for i, u := range e.Users {
		p := indexed("mqtt.embedded.users", i)
		switch {
		case u.Username == "":
			d.at(p+".username", "required")
		case len(u.Username) > 128 || strings.ContainsFunc(u.Username, notPrintable) || strings.Contains(u.Username, ":"):
			d.at(p+".username", "%q must be 1-128 printable characters without ':'", u.Username)
		default:
			if j, dup := first[u.Username]; dup {
				d.at(p+".username", "duplicate user %q (first at line %d)", u.Username, d.lineOf(indexed("mqtt.embedded.users", j)))
			} else {
				first[u.Username] = i
			}
		}
		if u.PasswordFile == "" {
			d.at(p+".password_file", "required (a file holding the password; inline passwords are not allowed)")
		} else {
			d.secretFile(p+".password_file", u.PasswordFile)
		}
		d.oneOf(p+".role", u.Role, "phone", "admin")
	}
}

func validateBrain(c *Config, d *decoder) {
	b := &c.Brain
	d.oneOf("brain.kind", b.Kind, "auto", "rules", "llama")
	if b.Kind == "llama" && b.Model == "" {
		d.at("brain.model", "required when brain.kind is llama (a GGUF file)")
	}
	// A missing or broken model is not a config error: the cat starts and
	// answers with its fallback brain (never dead), the log and the state
	// say why, and `purrd check-config` warns about it.
	// The adapter likewise: one that is missing or does not fit the model
	// is skipped with a warning and the base model answers.
	if !(b.AdapterScale > 0 && b.AdapterScale <= 4) { // NaN too
		d.at("brain.adapter_scale", "%g must be more than 0 and at most 4 (1 is the strength it was trained at)", b.AdapterScale)
	}
	b.Sampling.check(func(key, format string, args ...any) { d.at("brain.sampling."+key, format, args...) })
	validateEngine(d, "brain.", ProfileBrain{Threads: b.Threads, FlashAttention: b.FlashAttention, Batch: b.Batch, KVCache: b.KVCache}, false)
	d.intRange("brain.context", b.Context, 128, 131072)
	if b.MaxTokens < 1 || b.MaxTokens >= b.Context {
		d.at("brain.max_tokens", "%d must be at least 1 and less than brain.context (%d)", b.MaxTokens, b.Context)
	}
	d.intRange("brain.history_turns", b.HistoryTurns, MinHistoryTurns, MaxHistoryTurns)
	d.oneOf("brain.routine", b.Routine, "rules", "model")
	d.oneOf("brain.comfort", b.Comfort, "rules", "model")
	d.oneOf("brain.questions", b.Questions, "rules", "model")
	d.oneOf("brain.feelings", b.Feelings, "rules", "model")
	if b.FirstToken <= 0 {
		d.at("brain.first_token_budget", "must be more than 0")
	}
	if b.FirstSentence < b.FirstToken {
		d.at("brain.first_sentence_budget", "%s must be at least brain.first_token_budget (%s)", b.FirstSentence, b.FirstToken)
	}
	if b.StallAfter <= 0 {
		d.at("brain.first_token_deadline", "must be more than 0")
	}
	if b.Deadline <= b.FirstSentence || b.Deadline <= b.StallAfter {
		d.at("brain.reply_deadline", "%s must be longer than brain.first_sentence_budget (%s) and brain.first_token_deadline (%s)",
			b.Deadline, b.FirstSentence, b.StallAfter)
	}
	if b.StableAfter < time.Second {
		d.at("brain.stable_after", "%s is too short; a brain must run at least 1s to count as stable", b.StableAfter)
	}
	if b.MemoryMB < 0 {
		d.at("brain.max_memory_mb", "must not be negative, got %d", b.MemoryMB)
	}
	if b.CareWindow < 0 || b.CareWindow > 24*time.Hour {
		d.at("brain.care_window", "%s is out of range (0s-24h)", b.CareWindow)
	}
	if b.Spontaneous != 0 && b.Spontaneous < 10*time.Second {
		d.at("brain.spontaneous_every", "%s is too chatty; use 0 (never) or at least 10s", b.Spontaneous)
	}
}

// validateEngine checks the engine keys at prefix (brain. in a config, the
// same in a profile, where absent keys are zero and allowed).
func validateEngine(d *decoder, prefix string, e ProfileBrain, profile bool) {
	if e.Threads < 0 || e.Threads > 256 {
		d.at(prefix+"threads", "%d is out of range (0-256; 0 = auto: the cores, less one for the daemon)", e.Threads)
	}
	if !(profile && e.FlashAttention == "") {
		d.oneOf(prefix+"flash_attention", e.FlashAttention, "auto", "on", "off")
	}
	if !(profile && e.Batch == 0) {
		d.intRange(prefix+"batch", e.Batch, 1, 4096)
	}
	if !(profile && e.KVCache == "") {
		d.oneOf(prefix+"kv_cache", e.KVCache, "auto", "f16", "q8_0", "q4_0")
	}
	if (e.KVCache == "q8_0" || e.KVCache == "q4_0") && e.FlashAttention == "off" {
		d.at(prefix+"kv_cache", "%s needs flash attention (llama.cpp quantizes the V cache only with it); set %sflash_attention to auto or on, or kv_cache to f16",
			e.KVCache, prefix)
	}
}

// Check reports the first out-of-range value of s, for settings that do
// not come from a file (`purrd eval -temp ...`).
func (s Sampling) Check() error {
	var err error
	s.check(func(key, format string, args ...any) {
		if err == nil {
			err = fmt.Errorf("config: brain.sampling.%s: %s", key, fmt.Sprintf(format, args...))
		}
	})
	return err
}

// check calls report for each value of s out of its range. The ranges
// are wider than anything useful, narrow enough that a typo (top_p: 9)
// is caught; NaN fails every comparison and so every check.
func (s Sampling) check(report func(key, format string, args ...any)) {
	if !(s.Temperature >= 0 && s.Temperature <= 2) {
		report("temperature", "%g is out of range (0-2; 0 = greedy)", s.Temperature)
	}
	if s.TopK < 0 || s.TopK > 1000 {
		report("top_k", "%d is out of range (0-1000; 0 = off)", s.TopK)
	}
	if !(s.TopP > 0 && s.TopP <= 1) {
		report("top_p", "%g must be more than 0 and at most 1 (1 = off)", s.TopP)
	}
	if !(s.MinP >= 0 && s.MinP < 1) {
		report("min_p", "%g must be at least 0 and less than 1 (0 = off)", s.MinP)
	}
	if !(s.RepeatPenalty >= 1 && s.RepeatPenalty <= 2) {
		report("repeat_penalty", "%g is out of range (1-2; 1 = off)", s.RepeatPenalty)
	}
	if s.RepeatLastN < 0 || s.RepeatLastN > 1024 {
		report("repeat_last_n", "%d is out of range (0-1024; 0 = no penalties)", s.RepeatLastN)
	}
	if !(s.FrequencyPenalty >= 0 && s.FrequencyPenalty <= 2) {
		report("frequency_penalty", "%g is out of range (0-2; 0 = off)", s.FrequencyPenalty)
	}
	if !(s.PresencePenalty >= 0 && s.PresencePenalty <= 2) {
		report("presence_penalty", "%g is out of range (0-2; 0 = off)", s.PresencePenalty)
	}
	if s.Candidates < 1 || s.Candidates > 8 {
		report("candidates", "%d is out of range (1-8; 1 = say the first reply as it comes)", s.Candidates)
	}
	if !(s.Specificity >= 0 && s.Specificity <= 1) {
		report("specificity", "%g is out of range (0-1)", s.Specificity)
	}
	if !(s.Guidance >= 0 && s.Guidance <= 3) {
		report("guidance", "%g is out of range (0-3; 0 = off)", s.Guidance)
	} else if s.Guidance > 0 && s.Candidates > 1 {
		report("guidance", "%g with candidates %d: guidance applies to one reply as it comes; set one of them only", s.Guidance, s.Candidates)
	}
	if s.NoRepeatNgram != 0 && (s.NoRepeatNgram < 2 || s.NoRepeatNgram > 16) {
		report("no_repeat_ngram", "%d is out of range (0 = off, or 2-16 tokens)", s.NoRepeatNgram)
	}
	if s.Seed < 0 || s.Seed > math.MaxUint32 {
		report("seed", "%d is out of range (0 = a new seed for every reply, or 1-4294967295)", s.Seed)
	}
}

// oneOf reports v unless it is one of allowed.
func (d *decoder) oneOf(path, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	d.at(path, "%q is not one of %s", v, strings.Join(allowed, ", "))
}

func (d *decoder) intRange(path string, v, lo, hi int) {
	if v < lo || v > hi {
		d.at(path, "%d is out of range (%d-%d)", v, lo, hi)
	}
}

func (d *decoder) atLeast(path string, v, lo time.Duration) {
	if v < lo {
		d.at(path, "%s is too short (at least %s)", v, lo)
	}
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) }

// text checks a free-text value for length and control characters, which
// would garble log lines and MQTT payloads.
func (d *decoder) text(path, v string, max int) {
	if len(v) > max {
		d.at(path, "too long (%d bytes, at most %d)", len(v), max)
	} else if strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) }) {
		d.at(path, "must not contain control characters")
	}
}

// file reports a path that is missing or not a regular file.
func (d *decoder) existing(path, p string) {
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		d.at(path, "%s", fileError(p, err))
	case fi.IsDir():
		d.at(path, "%s is a folder, not a file", p)
	}
}

// secretFile checks a password file the way the daemon will read it.
func (d *decoder) secretFile(path, p string) {
	if _, err := ReadSecret(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			d.at(path, "%s", fileError(p, err))
			return
		}
		d.at(path, "%s", strings.TrimPrefix(err.Error(), "config: "))
	}
}

// topic checks an MQTT topic prefix: wildcards and empty levels in a
// prefix make every topic under it unusable.
func (d *decoder) topic(path, t string) {
	switch {
	case t == "":
		d.at(path, "must not be empty")
	case strings.ContainsAny(t, "+#"):
		d.at(path, "%q must not contain the wildcards + or #", t)
	case strings.HasPrefix(t, "$"):
		d.at(path, "%q must not start with $ (reserved for the broker)", t)
	case strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/") || strings.Contains(t, "//"):
		d.at(path, "%q must not start or end with / or contain empty levels", t)
	case len(t) > 256 || strings.ContainsFunc(t, notPrintable):
		d.at(path, "%q must be at most 256 printable characters", t)
	}
}

// brokerURL checks an external broker URL and says whether it is encrypted.
func (d *decoder) brokerURL(path, raw string) (tls bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		d.at(path, "%q is not a broker URL (expected e.g. tcp://host:1883, ssl://host:8883 or wss://host/mqtt)", raw)
		return false
	}
	if _, set := u.User.Password(); set {
		d.at(path, "inline secrets are not allowed: remove the password from the URL and use mqtt.username and mqtt.password_file")
	}
	switch u.Scheme {
	case "tcp", "mqtt", "ws":
	case "ssl", "tls", "mqtts", "wss":
		tls = true
	default:
		d.at(path, "scheme %q is not supported (tcp, mqtt, ssl, tls, mqtts, ws or wss)", u.Scheme)
		return false
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			d.at(path, "port %q is out of range (1-65535)", port)
		}
	}
	return tls
}

// listenAddr checks host:port and says whether it is reachable from other
// machines.
func (d *decoder) listenAddr(path, addr string) (open, ok bool) {
	loop, err := LoopbackOnly(addr)
	if err != nil {
		d.at(path, "%q is not host:port (e.g. 127.0.0.1:1883)", addr)
		return false, false
	}
	_, port, _ := net.SplitHostPort(addr)
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		d.at(path, "port %q is out of range (0-65535; 0 picks a free port)", port)
		return false, false
	}
	return !loop, true
}

// LoopbackOnly reports whether a listener on addr ("host:port") can be
// reached from this machine only. An empty host, 0.0.0.0 and :: listen on
// every interface; "localhost" is loopback; any other name is counted as
// reachable, since it could resolve to any interface, so it is treated like
// a LAN address. This is the one place purrd decides it.
func LoopbackOnly(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("config: LoopbackOnly(%q): %w", addr, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}
