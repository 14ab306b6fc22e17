package config

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/internal/yamlstrict"
)

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	c, err := Load(path)
	if c != nil || err == nil {
		t.Fatalf("Load(%q) = %v, %v; want an error", path, c, err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}
	var errs *Errors
	if errors.As(err, &errs) {
		t.Errorf("a missing file must not be a *Errors: %v", err)
	}
	if want := "config: open " + path + ": no such file or directory"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if _, err := LoadProfile(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadProfile: %v, want fs.ErrNotExist", err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	data := "version: 1\n" + strings.Repeat("# padding\n", maxFileSize/10+1)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	// Load reads one byte past the limit, so the size shown is limit+1.
	want := path + ": file is 1048577 bytes; a config file is at most 1048576"
	if err == nil || err.Error() != want {
		t.Errorf("Load(big) = %v, want %q", err, want)
	}
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir() // no personas/ here: the built-in persona
	c, err := parse(filepath.Join(dir, "purrd.yaml"), []byte("version: 1\n"),
		func() (string, error) { return "Mochi-Cat.local", nil })
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Version: 1,
		Robot:   Robot{ID: "mochi-cat"},
		Log:     Log{Level: "info", Format: "auto", Engine: "warn"},
		State:   State{Dir: "/var/lib/purrd", SaveInterval: 5 * time.Minute},
		Hardware: Hardware{
			Board: "sim", Debounce: 30 * time.Millisecond, LongPress: 800 * time.Millisecond,
			DoublePress: 350 * time.Millisecond, Sim: Sim{Keyboard: "auto"},
		},
		MQTT: MQTT{
			BaseTopic: "purr/mochi-cat", ClientID: "purrd-mochi-cat", KeepAlive: 30 * time.Second,
			OutboxSize: 1000, MaxPayload: 4096, RateLimit: RateLimit{PerSecond: 5, Burst: 10},
			StateEvery: 60 * time.Second, Embedded: Embedded{Listen: "127.0.0.1:1883"},
			HomeAssistant: HomeAssistant{Prefix: "homeassistant"},
		},
		Brain: Brain{
			Kind: "auto", AdapterScale: 1, Threads: 0, FlashAttention: "auto", Batch: 64, KVCache: "auto", Context: 1024, MaxTokens: 60, HistoryTurns: 16,
			FirstToken: 1200 * time.Millisecond, FirstSentence: 2 * time.Second,
			StallAfter: 2500 * time.Millisecond, Deadline: 30 * time.Second, StableAfter: 5 * time.Minute, CareWindow: 10 * time.Minute, Routine: "model", Comfort: "rules", Questions: "rules", Feelings: "rules",
			Sampling: Sampling{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, RepeatPenalty: 1.1, RepeatLastN: 64, Candidates: 1, Specificity: 0.5},
		},
		Web:  Web{Listen: "127.0.0.1:8080"},
		Path: filepath.Join(dir, "purrd.yaml"),
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults differ\n got %+v\nwant %+v", c, want)
	}
	d := Default("Mochi-Cat.local")
	want.Path = ""
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Default differs from an empty file\n got %+v\nwant %+v", d, want)
	}

	// A failing hostname still gives a valid id.
	c, err = parse(filepath.Join(dir, "purrd.yaml"), []byte("version: 1\n"),
		func() (string, error) { return "", errors.New("no hostname") })
	if err != nil || c.Robot.ID != "purr" {
		t.Errorf("id without hostname = %q, %v; want purr", c.Robot.ID, err)
	}
}

func TestIDFromHostname(t *testing.T) {
	for in, want := range map[string]string{
		"mochi":                        "mochi",
		"Mochi-Cat.local":              "mochi-cat",
		"raspberrypi.home.arpa":        "raspberrypi",
		"cat_01":                       "cat_01",
		"Ünïcode Kätze":                "n-code-k-tze",
		"---":                          "purr",
		"":                             "purr",
		strings.Repeat("a", 70):        strings.Repeat("a", 64),
		strings.Repeat("a", 63) + "-b": strings.Repeat("a", 63),
	} {
		got := IDFromHostname(in)
		if got != want {
			t.Errorf("IDFromHostname(%q) = %q, want %q", in, got, want)
		}
		if !idRE.MatchString(got) {
			t.Errorf("IDFromHostname(%q) = %q is not a valid id", in, got)
		}
	}
}

func TestRelativePaths(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"etc/personas/tofu.yaml": "name: Tofu\n",
		"etc/scenarios/pet.yaml": "steps: []\n",
		"models/tiny.gguf":       "GGUF",
		"etc/ca.pem":             "cert",
	}, 0o644)
	writeFiles(t, root, map[string]string{"etc/secrets/phone.pass": "pw\n", "etc/mqtt.pass": "pw2\n"}, 0o600)
	cfg := `version: 1
state:
  dir: ../var/state
hardware:
  sim:
    scenario: scenarios/pet.yaml
mqtt:
  broker: ssl://broker.lan:8883
  username: cat
  password_file: mqtt.pass
  tls:
    ca_file: ca.pem
brain:
  model: ../models/tiny.gguf
  adapter: ../models/cat.lora.gguf
persona: personas/tofu.yaml
`
	writeFiles(t, root, map[string]string{"etc/purrd.yaml": cfg}, 0o644)
	t.Chdir(root)
	c, err := Load("etc/purrd.yaml") // relative to the working directory
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{
		root + "/etc/purrd.yaml":         c.Path,
		root + "/var/state":              c.State.Dir,
		root + "/etc/scenarios/pet.yaml": c.Hardware.Sim.Scenario,
		root + "/etc/mqtt.pass":          c.MQTT.PasswordFile,
		root + "/etc/ca.pem":             c.MQTT.TLS.CAFile,
		root + "/models/tiny.gguf":       c.Brain.Model,
		root + "/models/cat.lora.gguf":   c.Brain.Adapter,
		root + "/etc/personas/tofu.yaml": c.Persona,
	} {
		if got != name {
			t.Errorf("resolved %q, want %q", got, name)
		}
	}

	// Embedded users' password files too, and absolute paths stay as written.
	abs := filepath.Join(root, "etc/secrets/phone.pass")
	c, err = Parse(filepath.Join(root, "etc/purrd.yaml"), []byte(`version: 1
mqtt:
  embedded:
    listen: 0.0.0.0:1883
    websocket: 0.0.0.0:8083
    users:
      - {username: phone, password_file: secrets/phone.pass}
      - {username: admin, password_file: `+abs+`, role: admin}
`))
	if err != nil {
		t.Fatal(err)
	}
	u := c.MQTT.Embedded.Users
	if u[0].PasswordFile != abs || u[1].PasswordFile != abs || u[0].Role != "phone" || u[1].Role != "admin" {
		t.Errorf("users = %+v", u)
	}
}

func TestDefaultPersona(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "purrd.yaml")
	c, err := Parse(name, []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Persona != "" {
		t.Errorf("persona without personas/mochi.yaml = %q, want \"\" (built-in)", c.Persona)
	}
	writeFiles(t, dir, map[string]string{"personas/mochi.yaml": "name: Mochi\n"}, 0o644)
	c, err = Parse(name, []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "personas/mochi.yaml"); c.Persona != want {
		t.Errorf("default persona = %q, want %q", c.Persona, want)
	}
	// An explicit empty persona asks for the built-in one.
	c, err = Parse(name, []byte("version: 1\npersona: \"\"\n"))
	if err != nil || c.Persona != "" {
		t.Errorf("persona: \"\" gave %q, %v", c.Persona, err)
	}
}

// allKinds is a valid config using every device kind.
const allKinds = `version: 1
hardware:
  board: periph
  devices:
    - {name: head_button, kind: button, pin: GPIO17, pull: up, active_low: true}
    - {name: chin, kind: touch_pad, pin: P1_13, zone: chin, pull: none}
    - {name: climate, kind: bme280, bus: "1", address: 0x76, interval: 30s, optional: true}
    - {name: motion, kind: mpu9250, bus: I2C1, address: 0x68, interval: 20ms}
    - {name: battery, kind: ina219, bus: /dev/i2c-1, address: 0x40}
    - {name: fur, kind: cap1xxx, bus: "1", address: 0x28, pin: GPIO22, zones: [head, back, "", chin]}
    - {name: tail, kind: pca9685, bus: "1", address: 0x41, channel: 0, max_speed: 120}
    - {name: ears, kind: pca9685, bus: "1", address: 0x41, channel: 1, min_angle: 30, max_angle: 150, role: tail}
    - {name: face, kind: ssd1306, bus: "1", address: 0x3c}
    - {name: eyes, kind: nrzled, bus: /dev/spidev0.0, count: 2}
    - {name: nose, kind: led, pin: GPIO5}
    - {name: voice, kind: buzzer, pin: GPIO12}
    - {name: purr_motor, kind: vibration, pin: "18"}
`

func TestAllDeviceKinds(t *testing.T) {
	c, err := Parse(filepath.Join(t.TempDir(), "purrd.yaml"), []byte(allKinds))
	if err != nil {
		t.Fatal(err)
	}
	devs := c.Hardware.Devices
	if len(devs) != 13 {
		t.Fatalf("%d devices, want 13", len(devs))
	}
	checks := []struct {
		got, want any
		what      string
	}{
		{devs[0].Pull, "up", "button pull"},
		{devs[0].ActiveLow, true, "button active_low"},
		{devs[2].Address, uint16(0x76), "bme280 address"},
		{devs[2].Interval, 30 * time.Second, "bme280 interval"},
		{devs[2].Optional, true, "bme280 optional"},
		{devs[4].Shunt, 0.1, "ina219 default shunt"},
		{devs[4].CellsMin, 3.3, "ina219 default empty volts"},
		{devs[4].CellsMax, 4.2, "ina219 default full volts"},
		{devs[5].Zones, []string{"head", "back", "", "chin"}, "cap1xxx zones"},
		{devs[6].Role, "tail", "pca9685 default role"},
		{devs[6].MaxAngle, 180.0, "pca9685 default max angle"},
		{devs[7].MinAngle, 30.0, "pca9685 min angle"},
		{devs[8].Role, "display", "ssd1306 role"},
		{devs[9].Count, 2, "nrzled count"},
		{devs[9].Role, "eyes", "nrzled role"},
		{devs[10].Role, "eyes", "led role"},
		{devs[11].Role, "buzzer", "buzzer role"},
		{devs[12].Role, "purr", "vibration role"},
		{devs[12].Pin, "18", "pin given as a number"},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.what, ch.got, ch.want)
		}
	}
}

func TestProfile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"boards/good.yaml": "version: 1\nboard: periph\ndescription: test build\ndevices:\n" +
			"  - {name: head_button, kind: button, pin: GPIO17}\n" +
			"  - {name: face, kind: ssd1306, bus: \"1\", address: 0x3c}\n",
		"boards/bad.yaml": "version: 1\nboard: robot\ndevices:\n" +
			"  - {name: head_button, kind: button, pin: GPIO17}\n" +
			"  - {name: face, kind: ssd1306, bus: \"1\", address: 0x1ff, colour: red}\n",
		"boards/empty.yaml": "version: 1\nboard: periph\n",
	}, 0o644)
	name := filepath.Join(dir, "purrd.yaml")

	devs, err := LoadProfile(filepath.Join(dir, "boards/good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 2 || devs[1].Role != "display" || devs[0].Pin != "GPIO17" {
		t.Errorf("LoadProfile devices = %+v", devs)
	}

	// Devices come from the profile, and so does the board.
	c, err := Parse(name, []byte("version: 1\nhardware:\n  profile: boards/good.yaml\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Hardware.Board != "periph" || !reflect.DeepEqual(c.Hardware.Devices, devs) {
		t.Errorf("from profile: board %q devices %+v", c.Hardware.Board, c.Hardware.Devices)
	}
	if c.Hardware.Profile != filepath.Join(dir, "boards/good.yaml") {
		t.Errorf("profile path = %q", c.Hardware.Profile)
	}
	// An explicit board and devices win over the profile's.
	c, err = Parse(name, []byte("version: 1\nhardware:\n  board: sim\n  profile: boards/good.yaml\n  devices:\n    - {name: only, kind: led, pin: GPIO4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Hardware.Board != "sim" || len(c.Hardware.Devices) != 1 || c.Hardware.Devices[0].Name != "only" {
		t.Errorf("explicit: board %q devices %+v", c.Hardware.Board, c.Hardware.Devices)
	}

	// A bad profile's problems carry its own file name, next to the
	// config's own problems.
	_, err = Parse(name, []byte("version: 1\nlog:\n  level: loud\nhardware:\n  profile: boards/bad.yaml\n"))
	want := name + `:3: log.level: "loud" is not one of debug, info, warn, error` + "\n" +
		dir + `/boards/bad.yaml:2: board: "robot" is not one of sim, periph` + "\n" +
		dir + `/boards/bad.yaml:5: devices[1].colour: unknown key` + "\n" +
		dir + `/boards/bad.yaml:5: devices[1].address: 0x1ff is not a 7-bit I2C address`
	if err == nil || err.Error() != want {
		t.Errorf("bad profile:\n got %v\nwant %s", err, want)
	}
	_, err = LoadProfile(filepath.Join(dir, "boards/empty.yaml"))
	if want := dir + "/boards/empty.yaml:1: devices: a profile needs at least one device"; err == nil || err.Error() != want {
		t.Errorf("empty profile: %v, want %s", err, want)
	}
}

// TestProfileBrainDefaults: a profile's engine settings apply where the
// config leaves the key out, the config's own win, and bad ones are
// reported with the profile's file name.
func TestProfileBrainDefaults(t *testing.T) {
	dir := t.TempDir()
	dev := "devices:\n  - {name: head_button, kind: button, pin: GPIO17}\n"
	writeFiles(t, dir, map[string]string{
		"boards/small.yaml": "version: 1\nboard: periph\n" + dev + "brain:\n  threads: 3\n  batch: 32\n  kv_cache: q8_0\n",
		"boards/none.yaml":  "version: 1\nboard: periph\n" + dev,
		"boards/bad.yaml":   "version: 1\nboard: periph\n" + dev + "brain:\n  threads: -2\n  flash_attention: off\n  kv_cache: q4_0\n  model: x.gguf\n",
	}, 0o644)
	name := filepath.Join(dir, "purrd.yaml")
	for _, c := range []struct {
		yaml string
		want Brain // only the engine keys are compared
	}{
		{"hardware: {profile: boards/small.yaml}\n", Brain{Threads: 3, FlashAttention: "auto", Batch: 32, KVCache: "q8_0"}},
		{"hardware: {profile: boards/small.yaml}\nbrain: {threads: 0, batch: 64, flash_attention: on}\n",
			Brain{Threads: 0, FlashAttention: "on", Batch: 64, KVCache: "q8_0"}},
		{"hardware: {profile: boards/none.yaml}\n", Brain{Threads: 0, FlashAttention: "auto", Batch: 64, KVCache: "auto"}},
	} {
		c2, err := Parse(name, []byte("version: 1\n"+c.yaml))
		if err != nil {
			t.Errorf("%s: %v", c.yaml, err)
			continue
		}
		got := Brain{Threads: c2.Brain.Threads, FlashAttention: c2.Brain.FlashAttention, Batch: c2.Brain.Batch, KVCache: c2.Brain.KVCache}
		if got != c.want {
			t.Errorf("%s: engine keys %+v, want %+v", c.yaml, got, c.want)
		}
	}
	_, err := Parse(name, []byte("version: 1\nhardware: {profile: boards/bad.yaml}\n"))
	want := dir + "/boards/bad.yaml:6: brain.threads: -2 is out of range (0-256; 0 = auto: the cores, less one for the daemon)\n" +
		dir + "/boards/bad.yaml:8: brain.kv_cache: q4_0 needs flash attention (llama.cpp quantizes the V cache only with it); set brain.flash_attention to auto or on, or kv_cache to f16\n" +
		dir + "/boards/bad.yaml:9: brain.model: unknown key"
	if err == nil || err.Error() != want {
		t.Errorf("bad profile brain:\n got %v\nwant %s", err, want)
	}
}

// TestShippedProfiles loads every board profile in the repository, so a
// profile added later cannot drift from the schema.
func TestShippedProfiles(t *testing.T) {
	files, err := filepath.Glob("../../configs/boards/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d profiles in configs/boards", len(files))
	for _, f := range files {
		devs, err := LoadProfile(f)
		if err != nil {
			t.Errorf("LoadProfile(%s):\n%v", f, err)
			continue
		}
		if len(devs) == 0 {
			t.Errorf("%s has no devices", f)
		}
	}
}

// TestShippedProfileEngine holds the board profiles to the engine settings
// docs/models.md ("Engine speed") gives for them.
func TestShippedProfileEngine(t *testing.T) {
	for board, want := range map[string]ProfileBrain{
		"pi5":   {Threads: 3, Batch: 64},
		"pi4":   {Threads: 3, Batch: 64},
		"zero2": {Threads: 3, Batch: 32, KVCache: "q8_0"},
	} {
		path, _ := filepath.Abs("../../configs/boards/" + board + ".yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, probs := parseProfile(path, data)
		if len(probs) > 0 {
			t.Fatalf("%s: %v", board, probs)
		}
		if p.Brain != want {
			t.Errorf("%s: brain %+v, want %+v", board, p.Brain, want)
		}
	}
}

func TestShippedConfigs(t *testing.T) {
	ref, err := Load("../../configs/purrd.yaml")
	if err != nil {
		t.Fatalf("configs/purrd.yaml:\n%v", err)
	}
	// The reference shows every default: it must load to exactly Default.
	host, _ := os.Hostname()
	want := Default(host)
	want.Path, _ = filepath.Abs("../../configs/purrd.yaml")
	want.Persona, _ = filepath.Abs("../../configs/personas/mochi.yaml")
	want.Hardware.Devices = []Device{}
	want.MQTT.Embedded.Users = []User{}
	if !reflect.DeepEqual(ref, want) {
		t.Errorf("configs/purrd.yaml is not the defaults\n got %+v\nwant %+v", ref, want)
	}

	sim, err := Load("../../configs/sim.yaml")
	if err != nil {
		t.Fatalf("configs/sim.yaml:\n%v", err)
	}
	repo, _ := filepath.Abs("../..")
	if sim.Hardware.Board != "sim" || sim.MQTT.Broker != "" || sim.MQTT.Embedded.Listen != "127.0.0.1:1883" ||
		sim.Brain.Kind != "auto" || sim.State.Dir != filepath.Join(repo, ".run/state") || sim.Log.Format != "auto" ||
		sim.Debug.StallTrigger || sim.Persona != filepath.Join(repo, "configs/personas/mochi.yaml") {
		t.Errorf("configs/sim.yaml = %+v", sim)
	}
}

// TestReferenceNamesEveryKey keeps configs/purrd.yaml and
// docs/configuration.md complete: the reference config has a "key:" line
// for every key, the docs name every key by its full path (list elements
// by their own key names).
func TestReferenceNamesEveryKey(t *testing.T) {
	var walk func(prefix string, tt reflect.Type, visit func(path, leaf string))
	walk = func(prefix string, tt reflect.Type, visit func(path, leaf string)) {
		for i := 0; i < tt.NumField(); i++ {
			f := tt.Field(i)
			name := f.Tag.Get("yaml")
			if name == "" || name == "-" {
				continue
			}
			path := yamlstrict.Join(prefix, name)
			visit(path, name)
			switch ft := f.Type; {
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				walk("", ft.Elem(), visit) // list elements: named by their own keys
			case ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Duration]():
				walk(path, ft, visit)
			}
		}
	}
	ref, err := os.ReadFile("../../configs/purrd.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	walk("", reflect.TypeFor[Config](), func(path, leaf string) {
		if !strings.Contains(string(ref), leaf+":") {
			t.Errorf("configs/purrd.yaml has no %q line", leaf+":")
		}
	})
	docVisit := func(path, leaf string) {
		// A mapping key counts as named when its children are.
		if !strings.Contains(string(doc), "`"+path+"`") && !strings.Contains(string(doc), "`"+path+".") &&
			!strings.Contains(string(doc), "\n"+path+":") {
			t.Errorf("docs/configuration.md does not name key %s", path)
		}
	}
	walk("", reflect.TypeFor[Config](), docVisit)
	walk("", reflect.TypeFor[Profile](), docVisit)
}

func TestProblemFormat(t *testing.T) {
	e := &Errors{Problems: []Problem{
		{File: "a.yaml", Line: 12, Path: "hardware.devices[2].address", Msg: "0x1ff is not a 7-bit I2C address"},
		{File: "a.yaml", Line: 3, Msg: "invalid YAML: x"},
		{File: "a.yaml", Msg: "file is empty"},
	}}
	want := "a.yaml:12: hardware.devices[2].address: 0x1ff is not a 7-bit I2C address\n" +
		"a.yaml:3: invalid YAML: x\n" +
		"a.yaml: file is empty"
	if e.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", e.Error(), want)
	}
}

// TestSamplingOffValues: the value that turns a sampler off is taken as
// written, not replaced by the default (0 is a setting here, not "unset").
func TestSamplingOffValues(t *testing.T) {
	dir := t.TempDir()
	c, err := parse(filepath.Join(dir, "purrd.yaml"), []byte("version: 1\nbrain:\n  sampling: {temperature: 0, top_k: 0, top_p: 1, min_p: 0, repeat_penalty: 1, repeat_last_n: 0, presence_penalty: 0.5, candidates: 1, specificity: 0, guidance: 0}\n"),
		func() (string, error) { return "cat", nil })
	if err != nil {
		t.Fatal(err)
	}
	want := Sampling{TopP: 1, RepeatPenalty: 1, PresencePenalty: 0.5, Candidates: 1}
	if c.Brain.Sampling != want {
		t.Errorf("sampling %+v, want %+v", c.Brain.Sampling, want)
	}
	if err := want.Check(); err != nil {
		t.Errorf("Check(%+v): %v", want, err)
	}
}

// TestSamplingCheck is the check for settings that come from flags, not
// a file: the same ranges, NaN included, named by key.
func TestSamplingCheck(t *testing.T) {
	good := Default("cat").Brain.Sampling
	if err := good.Check(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		change func(*Sampling)
		want   string
	}{
		{func(s *Sampling) { s.Temperature = math.NaN() }, "config: brain.sampling.temperature: NaN is out of range (0-2; 0 = greedy)"},
		{func(s *Sampling) { s.MinP = -0.1 }, "config: brain.sampling.min_p: -0.1 must be at least 0 and less than 1 (0 = off)"},
		{func(s *Sampling) { s.TopK, s.RepeatPenalty = 5000, 3 }, "config: brain.sampling.top_k: 5000 is out of range (0-1000; 0 = off)"},
	} {
		s := good
		tc.change(&s)
		if err := s.Check(); err == nil || err.Error() != tc.want {
			t.Errorf("Check(%+v) = %v, want %s", s, err, tc.want)
		}
	}
}

// TestLoopbackOnly pins the one rule for "can only this machine reach the
// listener" (web.listen beside an external broker, the pairing hint).
func TestLoopbackOnly(t *testing.T) {
	for _, c := range []struct {
		addr    string
		want    bool
		wantErr bool
	}{
		{"127.0.0.1:1883", true, false},
		{"127.1.2.3:1883", true, false},
		{"[::1]:1883", true, false},
		{"localhost:1883", true, false},
		{"0.0.0.0:1883", false, false},
		{"[::]:1883", false, false},
		{":1883", false, false},
		{"192.168.1.20:1883", false, false},
		{"[fe80::1]:1883", false, false},
		{"cat.local:1883", false, false}, // a name could resolve to any interface
		{"", false, true},
		{"127.0.0.1", false, true},
		{"::1:1883", false, true},
	} {
		got, err := LoopbackOnly(c.addr)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("LoopbackOnly(%q) = %v, %v; want %v, error %v", c.addr, got, err, c.want, c.wantErr)
		}
	}
}
