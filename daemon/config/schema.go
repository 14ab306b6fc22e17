// Package config loads and validates purrd's YAML configuration: versioned,
// strict (unknown keys, wrong types and invalid values are all reported with
// file:line and the key path), with defaults that configs/purrd.yaml
// documents. It imports neither hal nor dialog; the daemon maps these plain
// values onto them.
//
// Defaults are applied only to keys that are absent (or null) in the file; a
// key that is present is validated as written, so "outbox_size: 0" is an
// error rather than a silent fallback. Relative paths (persona, profile,
// scenario, model, state dir, password and TLS files) are resolved against the
// config file's folder and stored absolute.
package config

import "time"

// Version is the only config file version this purrd reads.
const Version = 1

// Config is the whole configuration file (version 1).
type Config struct {
	Version  int      `yaml:"version"` // required, must be 1
	Robot    Robot    `yaml:"robot"`
	Log      Log      `yaml:"log"`
	State    State    `yaml:"state"`
	Hardware Hardware `yaml:"hardware"`
	MQTT     MQTT     `yaml:"mqtt"`
	Brain    Brain    `yaml:"brain"`
	Web      Web      `yaml:"web"`
	// Persona is the path of a persona file (configs/personas/*.yaml);
	// relative paths are resolved against the config file's folder.
	// Default: personas/mochi.yaml next to the config file when that file
	// exists, else "" which means the daemon's built-in persona. A persona
	// set explicitly must exist.
	Persona string `yaml:"persona"`
	Debug   Debug  `yaml:"debug"`

	// Path is the absolute path of the file this was loaded from (not a
	// YAML key); "" for Default.
	Path string `yaml:"-"`
}

// Robot identifies this cat.
type Robot struct {
	ID   string `yaml:"id"`   // default: the hostname's first label, lowercased, other characters as '-'; [a-z0-9_-]{1,64}
	Name string `yaml:"name"` // overrides the persona's name when set; at most 64 characters
}

// Log chooses the logger.
type Log struct {
	Level  string `yaml:"level"`  // debug|info|warn|error (default info)
	Format string `yaml:"format"` // auto|journal|text|json (default auto: journal when stderr is the journal)
	Engine string `yaml:"engine"` // level for llama.cpp's own messages: debug|info|warn|error|off (default warn)
}

// State is where purrd keeps what must survive a restart.
type State struct {
	Dir          string        `yaml:"dir"`           // default /var/lib/purrd ($STATE_DIRECTORY wins when set by systemd; the daemon applies that)
	SaveInterval time.Duration `yaml:"save_interval"` // default 5m, at least 1s
}

// Hardware describes the body.
type Hardware struct {
	Board string `yaml:"board"` // sim|periph (default: the profile's board when a profile is set, else sim)
	// Profile is a board profile file (configs/boards/*.yaml) whose devices
	// are used when Devices is empty; relative to the config file.
	Profile     string        `yaml:"profile"`
	Debounce    time.Duration `yaml:"debounce"`     // lockout after an edge, default 30ms (0 = none)
	LongPress   time.Duration `yaml:"long_press"`   // default 800ms, longer than debounce
	DoublePress time.Duration `yaml:"double_press"` // default 350ms, longer than debounce
	Devices     []Device      `yaml:"devices"`
	Sim         Sim           `yaml:"sim"`
}

// Device is one part wired to the board. Which keys a kind accepts is in
// docs/configuration.md; a key a kind does not use is an error, so a typo in
// kind cannot silently drop half a device's settings.
type Device struct {
	Name      string        `yaml:"name"`     // unique, [a-z0-9_]{1,32}
	Kind      string        `yaml:"kind"`     // button|touch_pad|bme280|mpu9250|ina219|cap1xxx|pca9685|ssd1306|nrzled|led|buzzer|vibration
	Pin       string        `yaml:"pin"`      // GPIO pin name for gpio kinds (e.g. GPIO17); cap1xxx: optional alert line
	Bus       string        `yaml:"bus"`      // I2C bus ("1", "I2C1", "/dev/i2c-1") or SPI port ("/dev/spidev0.0", "SPI0.0")
	Address   uint16        `yaml:"address"`  // I2C address (e.g. 0x76), 0x08-0x77
	Optional  bool          `yaml:"optional"` // start without it when absent
	Interval  time.Duration `yaml:"interval"` // sensor read period; absent = the driver's default; at least 1ms
	Pull      string        `yaml:"pull"`     // up|down|none (buttons, touch pads); absent = the driver's default
	ActiveLow bool          `yaml:"active_low"`
	Zone      string        `yaml:"zone"`                // touch_pad: the zone it covers
	Zones     []string      `yaml:"zones"`               // cap1xxx: zone per channel, in channel order (1-8); "" skips a channel
	Role      string        `yaml:"role"`                // outputs: eyes|buzzer|purr|tail|display; default from kind (led, nrzled: eyes; buzzer: buzzer; vibration: purr; pca9685: tail; ssd1306: display)
	Channel   int           `yaml:"channel"`             // pca9685 channel 0-15
	MinAngle  float64       `yaml:"min_angle"`           // servo limits, degrees 0-360, default 0
	MaxAngle  float64       `yaml:"max_angle"`           // default 180
	MaxSpeed  float64       `yaml:"max_speed"`           // degrees per second, 0 = no limit
	Count     int           `yaml:"count"`               // nrzled: number of LEDs (required, 1-1024)
	Shunt     float64       `yaml:"shunt_ohms"`          // ina219, default 0.1
	CellsMin  float64       `yaml:"battery_empty_volts"` // ina219: voltage read as 0 % (default 3.3, one Li-ion cell)
	CellsMax  float64       `yaml:"battery_full_volts"`  // ina219: voltage read as 100 % (default 4.2)
}

// Profile is a board profile file (configs/boards/*.yaml): the devices of
// one build of the cat, shared by every robot built that way.
type Profile struct {
	Version     int      `yaml:"version"`     // required, must be 1
	Board       string   `yaml:"board"`       // sim|periph, required
	Description string   `yaml:"description"` // free text for people
	Devices     []Device `yaml:"devices"`     // at least one
	// Brain holds the engine settings this board runs best with; a config
	// that sets a key itself wins.
	Brain ProfileBrain `yaml:"brain"`
}

// ProfileBrain is a board's defaults for the engine keys of brain (the
// same keys and values; absent or zero = the config's own default).
type ProfileBrain struct {
	Threads        int    `yaml:"threads"`
	FlashAttention string `yaml:"flash_attention"`
	Batch          int    `yaml:"batch"`
	KVCache        string `yaml:"kv_cache"`
}

// Sim configures the simulated board.
type Sim struct {
	Keyboard string `yaml:"keyboard"` // auto|on|off (default auto: on when stdin is a terminal)
	Scenario string `yaml:"scenario"` // a scenario file to play at start; must exist when set
}

// MQTT configures the link to the owner's phone.
type MQTT struct {
	// Broker is an external broker URL (tcp://host:1883, ssl://host:8883,
	// ws://...). Empty runs the embedded broker.
	Broker        string        `yaml:"broker"`
	BaseTopic     string        `yaml:"base_topic"` // default purr/<robot id>
	ClientID      string        `yaml:"client_id"`  // default purrd-<robot id>
	Username      string        `yaml:"username"`
	PasswordFile  string        `yaml:"password_file"` // secrets come from files only (see ReadSecret)
	TLS           TLS           `yaml:"tls"`
	KeepAlive     time.Duration `yaml:"keep_alive"`     // default 30s, whole seconds 1s-65535s
	OutboxSize    int           `yaml:"outbox_size"`    // default 1000 messages
	MaxPayload    int           `yaml:"max_payload"`    // default 4096 bytes
	RateLimit     RateLimit     `yaml:"rate_limit"`     // for commands, per sender (see docs/mqtt.md)
	StateEvery    time.Duration `yaml:"state_interval"` // periodic retained state, default 60s
	Embedded      Embedded      `yaml:"embedded"`
	HomeAssistant HomeAssistant `yaml:"home_assistant"`
}

// TLS for the external broker (ssl://, tls://, mqtts:// or wss:// only).
type TLS struct {
	CAFile   string `yaml:"ca_file"`
	CertFile string `yaml:"cert_file"` // client certificate; needs key_file
	KeyFile  string `yaml:"key_file"`
}

// RateLimit bounds commands per sender.
type RateLimit struct {
	PerSecond float64 `yaml:"per_second"` // default 5
	Burst     int     `yaml:"burst"`      // default 10
}

// Embedded configures the in-process broker (used when Broker is empty).
type Embedded struct {
	Listen    string `yaml:"listen"`    // default 127.0.0.1:1883; port 0 picks a free one; non-loopback requires users
	Websocket string `yaml:"websocket"` // e.g. 0.0.0.0:8083; empty = off; non-loopback requires users
	Users     []User `yaml:"users"`
}

// User is a broker account for a phone.
type User struct {
	Username     string `yaml:"username"`
	PasswordFile string `yaml:"password_file"`
	Role         string `yaml:"role"` // phone (publish cmd/#, read all of the robot) | admin; default phone
}

// HomeAssistant discovery.
type HomeAssistant struct {
	Enabled bool   `yaml:"enabled"`
	Prefix  string `yaml:"prefix"` // default homeassistant
}

// Brain chooses what answers in words.
type Brain struct {
	Kind           string        `yaml:"kind"`                  // auto|rules|llama (default auto: llama when a model is set and the engine is built in)
	Model          string        `yaml:"model"`                 // GGUF file path; required for llama, must exist when set
	Adapter        string        `yaml:"adapter"`               // LoRA adapter GGUF for model; "" = none; one that does not fit is skipped with a warning
	AdapterScale   float64       `yaml:"adapter_scale"`         // adapter strength, default 1, more than 0 and at most 4
	Threads        int           `yaml:"threads"`               // 0-256, default 0 = auto (the cores, less one for the daemon when there are 3 or more)
	FlashAttention string        `yaml:"flash_attention"`       // auto|on|off, default auto (the model family's measured choice)
	Batch          int           `yaml:"batch"`                 // prompt tokens per decode call, 1-4096, default 64; a cancel waits for the batch in progress
	KVCache        string        `yaml:"kv_cache"`              // auto|f16|q8_0|q4_0, default auto (the family's measured choice); quantized needs flash attention
	Context        int           `yaml:"context"`               // tokens, default 1024
	MaxTokens      int           `yaml:"max_tokens"`            // per reply, default 60, less than context
	HistoryTurns   int           `yaml:"history_turns"`         // most turns (owner's and pet's) of the conversation the prompt holds, 2-64, default 16
	FirstToken     time.Duration `yaml:"first_token_budget"`    // filler when the brain has not begun by then, default 1.2s
	FirstSentence  time.Duration `yaml:"first_sentence_budget"` // filler when no sentence is out by then, default 2s
	StallAfter     time.Duration `yaml:"first_token_deadline"`  // no token by then: the brain is stalled, the fallback answers; default 2.5s
	Deadline       time.Duration `yaml:"reply_deadline"`        // hung-brain limit (killed and restarted), default 30s
	StableAfter    time.Duration `yaml:"stable_after"`          // a brain process up this long resets the restart backoff, default 5m
	MemoryMB       int           `yaml:"max_memory_mb"`         // refuse models larger than this; 0 = from /proc/meminfo
	Spontaneous    time.Duration `yaml:"spontaneous_every"`     // min gap between unprompted remarks, 0 = never, else at least 10s
	CareWindow     time.Duration `yaml:"care_window"`           // after distress words, every chat gets a care reply this long; 0 = only the turn itself
	Routine        string        `yaml:"routine"`               // model|rules: who answers a few words of the day's routine (bye, thanks, play, a cuddle, how are you, bedtime) when a model runs; default model
	Comfort        string        `yaml:"comfort"`               // rules|model: who answers a loss or an ache the owner tells of when a model runs; default rules
	Feelings       string        `yaml:"feelings"`              // rules|model: who answers the owner telling how they feel right now (bored, lonely, happy, nervous, sad, angry, cold, tired) when a model runs; default rules
	Questions      string        `yaml:"questions"`             // rules|model: who answers a question the rules brain has a cat's answer to (its tastes, the two of them, why it does cat things, the world) when a model runs; default rules
	Sampling       Sampling      `yaml:"sampling"`              // how the model picks each next token
}

// Sampling is how the model picks each next token. Each knob has a value
// that turns it off, so an eval can measure a setting with and without it.
type Sampling struct {
	Temperature      float64 `yaml:"temperature"`       // 0-2, default 0.7; 0 = greedy (always the likeliest token)
	TopK             int     `yaml:"top_k"`             // keep the K likeliest tokens, 0-1000, default 40; 0 = off
	TopP             float64 `yaml:"top_p"`             // keep the likeliest tokens up to this mass, more than 0 and at most 1, default 0.9; 1 = off
	MinP             float64 `yaml:"min_p"`             // drop tokens less likely than this times the best, at least 0 and less than 1, default 0.05; 0 = off
	RepeatPenalty    float64 `yaml:"repeat_penalty"`    // divides the odds of tokens seen in repeat_last_n, 1-2, default 1.1; 1 = off
	RepeatLastN      int     `yaml:"repeat_last_n"`     // tokens the penalties look back over, 0-1024, default 64; 0 = no penalties
	FrequencyPenalty float64 `yaml:"frequency_penalty"` // subtracted per time a token was seen, 0-2, default 0 = off
	PresencePenalty  float64 `yaml:"presence_penalty"`  // subtracted once from any token seen, 0-2, default 0 = off
	Candidates       int     `yaml:"candidates"`        // whole replies written per turn, the best said, 1-8, default 1 = say the first as it comes
	Specificity      float64 `yaml:"specificity"`       // how much picking among candidates favours what this conversation adds over stock lines, 0-1, default 0.5
	Guidance         float64 `yaml:"guidance"`          // how far each token is pushed from what the pet says whatever the owner said, 0-3, default 0 = off; one reply only (candidates 1)
	NoRepeatNgram    int     `yaml:"no_repeat_ngram"`   // no run of this many tokens from the pet's last 5 replies is said again, 0 or 2-16, default 0 = off
	Seed             int64   `yaml:"seed"`              // 0 (default) = a new random seed for every reply; 1-4294967295 = replies drawn from seeds that follow from it, so a run can be played again
}

// Debug holds switches for tests and technicians; never needed in production.
type Debug struct {
	// StallTrigger lets cmd/debug_stall freeze the main loop so the
	// systemd watchdog can be proven to work. Off by default.
	StallTrigger bool `yaml:"stall_trigger"`
}
