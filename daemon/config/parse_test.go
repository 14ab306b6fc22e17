package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badCases are configs with the exact problem lines they must produce, in
// order. $DIR stands for the test's config folder.
var badCases = []struct {
	name string
	yaml string
	want string
}{
	{"missing version", "robot:\n  name: Mochi\n",
		`purrd.yaml:1: version: missing; add "version: 1" as the first line`},
	{"unsupported version stops", "version: 2\nlog:\n  level: loud\n",
		`purrd.yaml:1: version: version 2 is not supported; this purrd reads version 1`},
	{"version not a number", "version: one\n",
		`purrd.yaml:1: version: expected 1, got "one"`},
	{"unknown key with suggestion", "version: 1\nhardware:\n  debouce: 20ms\n",
		`purrd.yaml:3: hardware.debouce: unknown key (did you mean debounce?)`},
	{"unknown top-level key", "version: 1\nmood: grumpy\n",
		`purrd.yaml:2: mood: unknown key`},
	{"mapping expected", "version: 1\nlog: [a]\n",
		`purrd.yaml:2: log: expected a mapping of keys, got a list`},
	{"bad enum", "version: 1\nlog:\n  level: verbose\n",
		`purrd.yaml:3: log.level: "verbose" is not one of debug, info, warn, error`},
	{"negative duration", "version: 1\nhardware:\n  debounce: -5ms\n",
		`purrd.yaml:3: hardware.debounce: must not be negative, got -5ms`},
	{"duration without unit", "version: 1\nhardware:\n  long_press: 800\n",
		`purrd.yaml:3: hardware.long_press: 800 has no unit; write e.g. "800ms" or "800s"`},
	{"not a duration", "version: 1\nbrain:\n  reply_deadline: soon\n",
		`purrd.yaml:3: brain.reply_deadline: "soon" is not a duration (write e.g. "800ms", "2s", "5m")`},
	{"long press shorter than debounce", "version: 1\nhardware:\n  debounce: 900ms\n",
		"purrd.yaml:2: hardware.long_press: 800ms must be longer than hardware.debounce (900ms)\n" +
			"purrd.yaml:2: hardware.double_press: 350ms must be longer than hardware.debounce (900ms)"},
	{"yes is not a bool", "version: 1\nmqtt:\n  home_assistant:\n    enabled: yes\n",
		`purrd.yaml:4: mqtt.home_assistant.enabled: expected true or false, got "yes"`},
	{"float for int", "version: 1\nmqtt:\n  outbox_size: 1.5\n",
		`purrd.yaml:3: mqtt.outbox_size: expected a whole number, got 1.5`},
	{"zero where a default exists is not a default", "version: 1\nmqtt:\n  outbox_size: 0\n",
		`purrd.yaml:3: mqtt.outbox_size: 0 is out of range (1-1000000)`},
	{"address beyond 7 bits", "version: 1\nhardware:\n  devices:\n    - name: climate\n      kind: bme280\n      bus: \"1\"\n      address: 0x1ff\n",
		`purrd.yaml:7: hardware.devices[0].address: 0x1ff is not a 7-bit I2C address`},
	{"reserved address", "version: 1\nhardware:\n  devices:\n    - {name: climate, kind: bme280, bus: \"1\", address: 0x03}\n",
		`purrd.yaml:4: hardware.devices[0].address: 0x03 is a reserved I2C address (devices use 0x08-0x77)`},
	{"address wider than 16 bits", "version: 1\nhardware:\n  devices:\n    - {name: climate, kind: bme280, bus: \"1\", address: 0x10000}\n",
		`purrd.yaml:4: hardware.devices[0].address: 0x10000 is not a whole number from 0 to 65535`},
	{"i2c without bus and address", "version: 1\nhardware:\n  devices:\n    - name: climate\n      kind: bme280\n",
		"purrd.yaml:4: hardware.devices[0].bus: required for kind bme280 (an I2C bus, e.g. \"1\")\n" +
			"purrd.yaml:4: hardware.devices[0].address: required for kind bme280 (e.g. 0x76)"},
	{"gpio kind without pin", "version: 1\nhardware:\n  devices:\n    - name: head\n      kind: button\n",
		`purrd.yaml:4: hardware.devices[0].pin: required for kind button (a GPIO pin name, e.g. GPIO17)`},
	{"bad pin shape", "version: 1\nhardware:\n  devices:\n    - name: head\n      kind: button\n      pin: gpio 17\n",
		`purrd.yaml:6: hardware.devices[0].pin: "gpio 17" is not a GPIO pin name (expected e.g. GPIO17, P1_11 or 17)`},
	{"duplicate names and pins", "version: 1\nhardware:\n  devices:\n" +
		"    - {name: head, kind: button, pin: GPIO17}\n" +
		"    - {name: head, kind: button, pin: GPIO17}\n",
		"purrd.yaml:5: hardware.devices[1].name: duplicate device name \"head\" (first at line 4)\n" +
			"purrd.yaml:5: hardware.devices[1].pin: pin GPIO17 is already used by device \"head\" (line 4)"},
	{"key the kind does not use", "version: 1\nhardware:\n  devices:\n    - name: head\n      kind: button\n      pin: GPIO17\n      address: 0x40\n",
		`purrd.yaml:7: hardware.devices[0].address: not used by kind button`},
	{"unknown kind", "version: 1\nhardware:\n  devices:\n    - {name: air, kind: bme680}\n",
		`purrd.yaml:4: hardware.devices[0].kind: unknown kind "bme680" (one of button, touch_pad, bme280, mpu9250, ina219, cap1xxx, pca9685, ssd1306, nrzled, led, buzzer, vibration)`},
	{"touch pad, cap1xxx, nrzled specifics", "version: 1\nhardware:\n  devices:\n" +
		"    - {name: chin, kind: touch_pad, pin: GPIO27}\n" +
		"    - {name: fur, kind: cap1xxx, bus: \"1\", address: 0x28, zones: [a, b, c, d, e, f, g, h, i]}\n" +
		"    - {name: whiskers, kind: cap1xxx, bus: \"1\", address: 0x29, zones: [\"\", \"\"]}\n" +
		"    - {name: paws, kind: cap1xxx, bus: \"1\", address: 0x2a, zones: [\"\", Paw]}\n" +
		"    - {name: eyes, kind: nrzled, bus: /dev/spi0}\n" +
		"    - {name: lamp, kind: led, pin: GPIO5, role: tail}\n",
		"purrd.yaml:4: hardware.devices[0].zone: required for kind touch_pad (e.g. head, back, chin)\n" +
			"purrd.yaml:5: hardware.devices[1].zones: has 9 entries; a CAP1xxx has at most 8 channels\n" +
			"purrd.yaml:6: hardware.devices[2].zones: every channel is skipped (\"\"); name the zone of at least one\n" +
			"purrd.yaml:7: hardware.devices[3].zones[1]: \"Paw\" is not a valid zone name (use 1-32 of a-z, 0-9 and _)\n" +
			"purrd.yaml:8: hardware.devices[4].bus: \"/dev/spi0\" is not an SPI port (expected e.g. \"/dev/spidev0.0\" or \"SPI0.0\")\n" +
			"purrd.yaml:8: hardware.devices[4].count: required for kind nrzled (number of LEDs)\n" +
			"purrd.yaml:9: hardware.devices[5].role: kind led can only be eyes"},
	{"servos", "version: 1\nhardware:\n  devices:\n" +
		"    - {name: tail, kind: pca9685, bus: \"1\", address: 0x40, channel: 0}\n" +
		"    - {name: ears, kind: pca9685, bus: I2C1, address: 0x40, channel: 0, min_angle: 90, max_angle: 45}\n" +
		"    - {name: face, kind: ssd1306, bus: /dev/i2c-1, address: 0x40, height: 40}\n",
		"purrd.yaml:5: hardware.devices[1].channel: channel 0 of the pca9685 at bus 1 address 0x40 is already used by device \"tail\" (line 4)\n" +
			"purrd.yaml:5: hardware.devices[1].max_angle: 45 must be more than min_angle (90)\n" +
			"purrd.yaml:6: hardware.devices[2].height: unknown key\n" +
			"purrd.yaml:6: hardware.devices[2].address: bus 1 address 0x40 is already used by device \"tail\" (line 4)"},
	{"periph without devices", "version: 1\nhardware:\n  board: periph\n",
		`purrd.yaml:3: hardware.board: periph needs devices: set hardware.profile or list hardware.devices`},
	{"missing persona", "version: 1\npersona: personas/nope.yaml\n",
		`purrd.yaml:2: persona: $DIR/personas/nope.yaml does not exist`},
	{"missing profile", "version: 1\nhardware:\n  profile: boards/nope.yaml\n",
		`purrd.yaml:3: hardware.profile: $DIR/boards/nope.yaml does not exist`},
	{"missing model and llama needs one", "version: 1\nbrain:\n  kind: llama\n",
		`purrd.yaml:2: brain.model: required when brain.kind is llama (a GGUF file)`},
	{"payload limit above the broker's", "version: 1\nmqtt:\n  max_payload: 262145\n",
		`purrd.yaml:3: mqtt.max_payload: 262145 is out of range (64-262144)`},
	{"users with bad password files", "version: 1\nmqtt:\n  embedded:\n    listen: 0.0.0.0:1883\n    users:\n" +
		"      - {username: phone, password_file: nope.pass}\n" +
		"      - {username: phone, password_file: empty.pass, role: root}\n" +
		"      - {password_file: good.pass}\n",
		"purrd.yaml:6: mqtt.embedded.users[0].password_file: $DIR/nope.pass does not exist\n" +
			"purrd.yaml:7: mqtt.embedded.users[1].username: duplicate user \"phone\" (first at line 6)\n" +
			"purrd.yaml:7: mqtt.embedded.users[1].password_file: secret $DIR/empty.pass is empty\n" +
			"purrd.yaml:7: mqtt.embedded.users[1].role: \"root\" is not one of phone, admin\n" +
			"purrd.yaml:8: mqtt.embedded.users[2].username: required"},
	{"inline secrets", "version: 1\nmqtt:\n  username: cat\n  password: hunter2\n  embedded:\n    users:\n      - {username: phone, token: abc}\n",
		"purrd.yaml:4: mqtt.password: inline secrets are not allowed; put the secret in a file (mode 0600) and set password_file to its path\n" +
			"purrd.yaml:7: mqtt.embedded.users[0].token: inline secrets are not allowed; put the secret in a file (mode 0600) and set password_file to its path\n" +
			"purrd.yaml:7: mqtt.embedded.users[0].password_file: required (a file holding the password; inline passwords are not allowed)"},
	{"password in broker URL", "version: 1\nmqtt:\n  broker: tcp://cat:hunter2@broker.lan:1883\n",
		`purrd.yaml:3: mqtt.broker: inline secrets are not allowed: remove the password from the URL and use mqtt.username and mqtt.password_file`},
	{"broker and embedded together, tls on tcp", "version: 1\nmqtt:\n  broker: tcp://broker.lan:1883\n  tls:\n    ca_file: good.pass\n  embedded:\n    listen: 127.0.0.1:1884\n",
		"purrd.yaml:4: mqtt.tls: set but mqtt.broker \"tcp://broker.lan:1883\" is not encrypted; use ssl://, tls://, mqtts:// or wss://\n" +
			"purrd.yaml:6: mqtt.embedded: not used when mqtt.broker is set; remove one of them"},
	{"bad broker scheme and topic", "version: 1\nmqtt:\n  broker: http://broker.lan\n  base_topic: purr/#\n",
		"purrd.yaml:3: mqtt.broker: scheme \"http\" is not supported (tcp, mqtt, ssl, tls, mqtts, ws or wss)\n" +
			"purrd.yaml:4: mqtt.base_topic: \"purr/#\" must not contain the wildcards + or #"},
	{"adapter scale", "version: 1\nbrain:\n  adapter_scale: 0\n",
		"purrd.yaml:3: brain.adapter_scale: 0 must be more than 0 and at most 4 (1 is the strength it was trained at)"},
	{"adapter scale not a number", "version: 1\nbrain:\n  adapter_scale: .nan\n",
		"purrd.yaml:3: brain.adapter_scale: expected a finite number, got .nan"},
	{"sampling out of range", "version: 1\nbrain:\n  sampling:\n    temperature: 2.5\n    top_k: -1\n    top_p: 0\n    min_p: 1\n" +
		"    repeat_penalty: 0.9\n    repeat_last_n: 2048\n    frequency_penalty: -0.1\n    presence_penalty: 3\n",
		"purrd.yaml:4: brain.sampling.temperature: 2.5 is out of range (0-2; 0 = greedy)\n" +
			"purrd.yaml:5: brain.sampling.top_k: -1 is out of range (0-1000; 0 = off)\n" +
			"purrd.yaml:6: brain.sampling.top_p: 0 must be more than 0 and at most 1 (1 = off)\n" +
			"purrd.yaml:7: brain.sampling.min_p: 1 must be at least 0 and less than 1 (0 = off)\n" +
			"purrd.yaml:8: brain.sampling.repeat_penalty: 0.9 is out of range (1-2; 1 = off)\n" +
			"purrd.yaml:9: brain.sampling.repeat_last_n: 2048 is out of range (0-1024; 0 = no penalties)\n" +
			"purrd.yaml:10: brain.sampling.frequency_penalty: -0.1 is out of range (0-2; 0 = off)\n" +
			"purrd.yaml:11: brain.sampling.presence_penalty: 3 is out of range (0-2; 0 = off)"},
	{"candidates out of range", "version: 1\nbrain:\n  sampling:\n    candidates: 9\n    specificity: 1.5\n",
		"purrd.yaml:4: brain.sampling.candidates: 9 is out of range (1-8; 1 = say the first reply as it comes)\n" +
			"purrd.yaml:5: brain.sampling.specificity: 1.5 is out of range (0-1)"},
	{"guidance out of range", "version: 1\nbrain:\n  sampling:\n    guidance: 3.5\n",
		"purrd.yaml:4: brain.sampling.guidance: 3.5 is out of range (0-3; 0 = off)"},
	{"no_repeat_ngram of one token", "version: 1\nbrain:\n  sampling:\n    no_repeat_ngram: 1\n",
		"purrd.yaml:4: brain.sampling.no_repeat_ngram: 1 is out of range (0 = off, or 2-16 tokens)"},
	{"no_repeat_ngram too long", "version: 1\nbrain:\n  sampling:\n    no_repeat_ngram: 40\n",
		"purrd.yaml:4: brain.sampling.no_repeat_ngram: 40 is out of range (0 = off, or 2-16 tokens)"},
	{"negative seed", "version: 1\nbrain:\n  sampling:\n    seed: -1\n",
		"purrd.yaml:4: brain.sampling.seed: -1 is out of range (0 = a new seed for every reply, or 1-4294967295)"},
	{"seed past 32 bits", "version: 1\nbrain:\n  sampling:\n    seed: 4294967296\n",
		"purrd.yaml:4: brain.sampling.seed: 4294967296 is out of range (0 = a new seed for every reply, or 1-4294967295)"},
	{"guidance with candidates", "version: 1\nbrain:\n  sampling:\n    candidates: 3\n    guidance: 0.5\n",
		"purrd.yaml:5: brain.sampling.guidance: 0.5 with candidates 3: guidance applies to one reply as it comes; set one of them only"},
	{"no candidates", "version: 1\nbrain:\n  sampling: {candidates: 0}\n",
		"purrd.yaml:3: brain.sampling.candidates: 0 is out of range (1-8; 1 = say the first reply as it comes)"},
	{"sampling wrong types and typo", "version: 1\nbrain:\n  sampling: {temperature: warm, top_k: 4.5, min_p: .inf, topp: 0.5}\n",
		"purrd.yaml:3: brain.sampling.temperature: expected a number, got \"warm\"\n" +
			"purrd.yaml:3: brain.sampling.top_k: expected a whole number, got 4.5\n" +
			"purrd.yaml:3: brain.sampling.min_p: expected a finite number, got .inf\n" +
			"purrd.yaml:3: brain.sampling.topp: unknown key (did you mean top_p?)"},
	{"sampling not a mapping", "version: 1\nbrain:\n  sampling: greedy\n",
		"purrd.yaml:3: brain.sampling: expected a mapping of keys, got \"greedy\""},
	{"brain limits", "version: 1\nbrain:\n  context: 64\n  max_tokens: 100\n  threads: -1\n  spontaneous_every: 1s\n",
		"purrd.yaml:3: brain.context: 64 is out of range (128-131072)\n" +
			"purrd.yaml:4: brain.max_tokens: 100 must be at least 1 and less than brain.context (64)\n" +
			"purrd.yaml:5: brain.threads: -1 is out of range (0-256; 0 = auto: the cores, less one for the daemon)\n" +
			"purrd.yaml:6: brain.spontaneous_every: 1s is too chatty; use 0 (never) or at least 10s"},
	{"history turns", "version: 1\nbrain:\n  history_turns: 1\n",
		"purrd.yaml:3: brain.history_turns: 1 is out of range (2-64)"},
	{"engine settings", "version: 1\nbrain:\n  threads: 300\n  flash_attention: yes\n  batch: 0\n  kv_cache: q8\n",
		"purrd.yaml:3: brain.threads: 300 is out of range (0-256; 0 = auto: the cores, less one for the daemon)\n" +
			"purrd.yaml:4: brain.flash_attention: \"yes\" is not one of auto, on, off\n" +
			"purrd.yaml:5: brain.batch: 0 is out of range (1-4096)\n" +
			"purrd.yaml:6: brain.kv_cache: \"q8\" is not one of auto, f16, q8_0, q4_0"},
	{"quantized KV cache without flash attention", "version: 1\nbrain:\n  flash_attention: off\n  kv_cache: q4_0\n  batch: 5000\n",
		"purrd.yaml:4: brain.kv_cache: q4_0 needs flash attention (llama.cpp quantizes the V cache only with it); set brain.flash_attention to auto or on, or kv_cache to f16\n" +
			"purrd.yaml:5: brain.batch: 5000 is out of range (1-4096)"},
	{"engine settings of the wrong type", "version: 1\nbrain:\n  threads: auto\n  batch: 64.5\n",
		"purrd.yaml:3: brain.threads: expected a whole number, got \"auto\"\n" +
			"purrd.yaml:4: brain.batch: expected a whole number, got 64.5"},
	{"care window", "version: 1\nbrain:\n  care_window: 25h\n", "purrd.yaml:3: brain.care_window: 25h0m0s is out of range (0s-24h)"},
	{"robot id", "version: 1\nrobot:\n  id: Mochi!\n",
		`purrd.yaml:3: robot.id: "Mochi!" is not a valid id (use 1-64 of a-z, 0-9, _ and -)`},
	{"robot id with a control character", "version: 1\nrobot: {id: \"\\t\"}\n",
		`purrd.yaml:2: robot.id: "\t" is not a valid id (use 1-64 of a-z, 0-9, _ and -)`},
	{"client id and topic written out", "version: 1\nmqtt:\n  client_id: \"\"\n  base_topic: /purr/\n  home_assistant:\n    prefix: $SYS\n",
		"purrd.yaml:4: mqtt.base_topic: \"/purr/\" must not start or end with / or contain empty levels\n" +
			"purrd.yaml:6: mqtt.home_assistant.prefix: \"$SYS\" must not start with $ (reserved for the broker)"},
	{"duplicate key", "version: 1\nlog:\n  level: info\n  level: debug\n",
		`purrd.yaml:4: log.level: duplicate key (first set at line 3)`},
	{"yaml syntax", "version: 1\nlog:\n  level: info\n bad: [\n",
		`purrd.yaml:3: invalid YAML: did not find expected key`},
	{"empty file", "# nothing here\n",
		`purrd.yaml: file is empty; expected a mapping starting with "version: 1"`},
	{"top level list", "- version: 1\n",
		`purrd.yaml:1: expected a mapping of keys at the top level, got a list`},
	{"two documents", "version: 1\n---\nversion: 1\n",
		`purrd.yaml:2: a second YAML document (---) is not allowed; a config file holds one`},
	{"merge keys", "version: 1\nlog: &l {level: info}\nstate:\n  <<: *l\n",
		`purrd.yaml:4: state: merge keys (<<) are not supported; write the keys out`},
	{"alias bomb", aliasBomb(),
		"purrd.yaml:2: x: unknown key\n" +
			`purrd.yaml:2: hardware.devices[9].zones[940]: aliases expand to more than 10000 values; refusing to read further`},
	{"many problems in one file, all listed in line order",
		"version: 1\n" +
			"log:\n" +
			"  level: loud\n" +
			"  format: xml\n" +
			"hardware:\n" +
			"  board: robot\n" +
			"  devices:\n" +
			"    - name: Head\n" +
			"      kind: button\n" +
			"    - name: air\n" +
			"      kind: bme280\n" +
			"      bus: \"1\"\n" +
			"      address: 0x1ff\n" +
			"mqtt:\n" +
			"  keep_alive: 1500ms\n" +
			"  colour: blue\n",
		"purrd.yaml:3: log.level: \"loud\" is not one of debug, info, warn, error\n" +
			"purrd.yaml:4: log.format: \"xml\" is not one of auto, journal, text, json\n" +
			"purrd.yaml:6: hardware.board: \"robot\" is not one of sim, periph\n" +
			"purrd.yaml:8: hardware.devices[0].name: \"Head\" is not a valid name (use 1-32 of a-z, 0-9 and _)\n" +
			"purrd.yaml:8: hardware.devices[0].pin: required for kind button (a GPIO pin name, e.g. GPIO17)\n" +
			"purrd.yaml:13: hardware.devices[1].address: 0x1ff is not a 7-bit I2C address\n" +
			"purrd.yaml:15: mqtt.keep_alive: 1.5s must be a whole number of seconds from 1s to 65535s\n" +
			"purrd.yaml:16: mqtt.colour: unknown key"},
}

// aliasBomb lists one device 1000 times, each with 1000 zones: a million
// values from a few KiB if expanded.
func aliasBomb() string {
	return "version: 1\nx: &d {name: fur, kind: cap1xxx, bus: \"1\", address: 0x28, zones: [&z back" + strings.Repeat(", *z", 999) + "]}\n" +
		"hardware:\n  devices: [" + strings.Repeat("*d, ", 999) + "*d]\n"
}

// writeFiles makes the files the bad cases refer to.
func writeFiles(t *testing.T, dir string, files map[string]string, mode os.FileMode) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadConfigs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"empty.pass": "", "good.pass": "s3cret\n"}, 0o600)
	name := filepath.Join(dir, "purrd.yaml")
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(name, []byte(tc.yaml))
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", c)
			}
			if c != nil {
				t.Errorf("Parse returned a config with an error")
			}
			var errs *Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T, want *Errors: %v", err, err)
			}
			got := strings.ReplaceAll(err.Error(), name+":", "purrd.yaml:")
			want := strings.ReplaceAll(tc.want, "$DIR", dir)
			if got != want {
				t.Errorf("problems differ\n got:\n%s\nwant:\n%s", got, want)
			}
			for _, p := range errs.Problems {
				if p.File != name {
					t.Errorf("problem %q names file %q, want %q", p, p.File, name)
				}
			}
		})
	}
}

// TestOpenWithoutUsers: an open listener or a websocket needs no users in
// the file, since purrd makes the paired phone user itself (`purrd pair`);
// the broker still takes anonymous clients from loopback only.
func TestOpenWithoutUsers(t *testing.T) {
	for _, y := range []string{
		"version: 1\nmqtt:\n  embedded:\n    listen: 0.0.0.0:1883\n",
		"version: 1\nmqtt:\n  embedded:\n    websocket: :8083\n",
		"version: 1\nmqtt:\n  embedded:\n    websocket: 127.0.0.1:8083\n",
	} {
		if _, err := Parse(filepath.Join(t.TempDir(), "purrd.yaml"), []byte(y)); err != nil {
			t.Errorf("%q: %v", y, err)
		}
	}
}
