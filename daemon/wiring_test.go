package daemon

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog/llama"
)

// TestSetSampling: brain.sampling reaches llama.Options, and a configured
// 0 that means greedy or off is not mistaken for "the default".
func TestSetSampling(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    config.Sampling
		want llama.Options
	}{
		{"defaults", config.Default("cat").Brain.Sampling,
			llama.Options{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, Penalty: llama.Penalty{LastN: 64, Repeat: 1.1}, Candidates: 1, Specificity: 0.5}},
		{"greedy, samplers off", config.Sampling{TopP: 1, RepeatPenalty: 1},
			llama.Options{Temperature: llama.NoTemperature, TopK: llama.Off, TopP: 1, MinP: llama.Off, Penalty: llama.Penalty{LastN: llama.Off, Repeat: 1}}},
		{"penalties", config.Sampling{Temperature: 1.2, TopK: 5, TopP: 0.5, MinP: 0.2, RepeatPenalty: 1.3, RepeatLastN: 256, FrequencyPenalty: 0.5, PresencePenalty: 1.5},
			llama.Options{Temperature: 1.2, TopK: 5, TopP: 0.5, MinP: 0.2, Penalty: llama.Penalty{LastN: 256, Repeat: 1.3, Frequency: 0.5, Presence: 1.5}}},
		{"candidates", config.Sampling{Temperature: 0.5, TopP: 0.9, RepeatPenalty: 1, Candidates: 3, Specificity: 0.7},
			llama.Options{Temperature: 0.5, TopK: llama.Off, TopP: 0.9, MinP: llama.Off, Penalty: llama.Penalty{LastN: llama.Off, Repeat: 1}, Candidates: 3, Specificity: 0.7}},
	} {
		var got llama.Options
		setSampling(&got, tc.s)
		if got.Temperature != tc.want.Temperature || got.TopK != tc.want.TopK || got.TopP != tc.want.TopP ||
			got.MinP != tc.want.MinP || got.Penalty != tc.want.Penalty || got.Candidates != tc.want.Candidates || got.Specificity != tc.want.Specificity {
			t.Errorf("%s: temp %g top_k %d top_p %g min_p %g penalty %+v best of %d/%g; want temp %g top_k %d top_p %g min_p %g penalty %+v best of %d/%g", tc.name,
				got.Temperature, got.TopK, got.TopP, got.MinP, got.Penalty, got.Candidates, got.Specificity,
				tc.want.Temperature, tc.want.TopK, tc.want.TopP, tc.want.MinP, tc.want.Penalty, tc.want.Candidates, tc.want.Specificity)
		}
	}
}

// TestLinkOptions: the config's defaults make a link (the link has none of
// its own), and every option is mapped from the config: an option the
// mapping forgets stays zero and fails here.
func TestLinkOptions(t *testing.T) {
	def := config.Default("cat")
	o, err := linkOptions(def, "v1", true, phoneLogin{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mqtt.New(o); err != nil {
		t.Fatalf("the config's defaults do not make a link: %v", err)
	}

	dir := t.TempDir()
	secret := func(name, pw string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c := config.Default("cat")
	m := &c.MQTT
	m.Broker, m.Username, m.PasswordFile = "ssl://broker.lan:8883", "purr", secret("broker.pass", "broker-pw")
	m.TLS = config.TLS{CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "c.key"}
	m.Embedded.Websocket = "127.0.0.1:8083"
	m.Embedded.Users = []config.User{{Username: "phone", PasswordFile: secret("phone.pass", "phone-pw"), Role: "phone"}}
	m.HomeAssistant.Enabled = true
	// The phone login purrd made itself (pair.go) joins the users.
	paired := phoneLogin{User: "purrd-phone", Password: "paired-pw", File: filepath.Join(dir, "state", "phone.pass"), Paired: true}
	o, err = linkOptions(c, "v1", true, paired, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	o.Logger, o.IDs = slog.New(slog.DiscardHandler), mqtt.NewIDs() // openLink's
	o.OnPairedLogin, o.OnPairedReset = func() {}, func() {}        // openLink's (pairface.go)
	v := reflect.ValueOf(o)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("mqtt.Options.%s is not mapped from the config", v.Type().Field(i).Name)
		}
	}
	want := mqtt.Options{RobotID: "cat", Version: "v1", BaseTopic: "purr/cat", ClientID: "purrd-cat",
		Broker: m.Broker, Username: "purr", Password: "broker-pw", TLS: mqtt.TLSFiles{CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "c.key"},
		KeepAlive: config.DefaultKeepAlive, OutboxSize: config.DefaultOutboxSize, MaxPayload: config.DefaultMaxPayload,
		Rate: config.DefaultRatePerSecond, Burst: config.DefaultRateBurst, StateEvery: config.DefaultStateInterval,
		Listen: config.DefaultListen, Websocket: "127.0.0.1:8083", Users: []mqtt.User{{Name: "phone", Password: "phone-pw", Role: "phone"}, {Name: "purrd-phone", Password: "paired-pw", Role: "phone"}},
		PairedUser: "purrd-phone", PairedFile: paired.File,
		HomeAssistant: true, HAPrefix: config.DefaultHAPrefix, SimBoard: true, IDs: o.IDs, Logger: o.Logger}
	o.OnPairedLogin, o.OnPairedReset = nil, nil // funcs are never DeepEqual
	if !reflect.DeepEqual(o, want) {
		t.Errorf("linkOptions:\n got %+v\nwant %+v", o, want)
	}

	m.Embedded.Users[0].PasswordFile = filepath.Join(dir, "missing.pass")
	if _, err := linkOptions(c, "v1", true, paired, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "mqtt.embedded.users[0].password_file") {
		t.Errorf("unreadable user password: %v; want an error naming the key", err)
	}
}

// TestLooseSecretFileIsLogged: a password file the group or others may read
// still works, and a warning names the file and its mode; a private one
// logs nothing.
func TestLooseSecretFileIsLogged(t *testing.T) {
	dir := t.TempDir()
	secret := func(name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, "hunter2\n")
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	private, loose := secret("private", 0o600), secret("loose", 0o644)
	clientLoose := secret("client", 0o640)

	type line struct {
		Level, Msg, File, Mode, Component string
	}
	options := func(cfg *config.Config) []line {
		t.Helper()
		var buf bytes.Buffer
		if _, err := linkOptions(cfg, "v1", false, phoneLogin{}, slog.New(slog.NewJSONHandler(&buf, nil))); err != nil {
			t.Fatalf("linkOptions: %v", err)
		}
		var out []line
		for dec := json.NewDecoder(&buf); dec.More(); {
			var l line
			if err := dec.Decode(&l); err != nil {
				t.Fatal(err)
			}
			out = append(out, l)
		}
		return out
	}

	cfg := config.Default("cat")
	cfg.MQTT.Embedded.Users = []config.User{{Username: "phone", PasswordFile: private}, {Username: "ha", PasswordFile: loose}}
	got := options(cfg)
	if len(got) != 1 || got[0].Level != "WARN" || got[0].File != loose || got[0].Mode != "0644" || got[0].Component != "config" {
		t.Fatalf("embedded users with one loose password file logged %+v; want one warning naming %s, mode 0644", got, loose)
	}

	cfg = config.Default("cat")
	cfg.MQTT.Broker, cfg.MQTT.Username, cfg.MQTT.PasswordFile = "tcp://127.0.0.1:1883", "cat", clientLoose
	got = options(cfg)
	if len(got) != 1 || got[0].File != clientLoose || got[0].Mode != "0640" {
		t.Fatalf("a loose mqtt.password_file logged %+v; want one warning naming %s, mode 0640", got, clientLoose)
	}

	cfg = config.Default("cat")
	cfg.MQTT.Embedded.Users = []config.User{{Username: "phone", PasswordFile: private}}
	if got := options(cfg); len(got) != 0 {
		t.Fatalf("a private password file logged %+v; want nothing", got)
	}
}
