package persona

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	p := Default()
	if err := p.validate(); err != nil {
		t.Fatalf("Default() invalid: %v", err)
	}
	if p.Name != "Mochi" || p.NameIn("zh") != "麻糬" || p.NameIn("fr") != "Mochi" {
		t.Errorf("names: %q %q %q", p.Name, p.NameIn("zh"), p.NameIn("fr"))
	}
}

// The shipped mochi.yaml documents the defaults: loading it must give the
// same persona as Default, apart from where it was read from.
func TestMochiFileMatchesDefault(t *testing.T) {
	p, err := Load("../../configs/personas/mochi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	p.Path = ""
	if !reflect.DeepEqual(p, d) {
		t.Errorf("mochi.yaml differs from Default():\n file: %+v\n default: %+v", p, d)
	}
}

func TestTofuFile(t *testing.T) {
	p, err := Load("../../configs/personas/tofu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Language != "zh" || p.NameIn("zh") != "豆腐" || p.Reply.MaxSentences != 1 {
		t.Errorf("tofu: lang %q name %q max %d", p.Language, p.NameIn("zh"), p.Reply.MaxSentences)
	}
	if got := p.Mood.Effects["picked_up"]["calm"]; got != -0.45 {
		t.Errorf("effects.picked_up.calm = %v", got)
	}
	// Keys not in the file keep the defaults, including inside a struct
	// the file only partly sets.
	if p.Mood.Baseline.Play != 0.2 || p.Mood.HalfLife.Calm != 10*time.Minute {
		t.Errorf("defaults lost: play %v calm half-life %v", p.Mood.Baseline.Play, p.Mood.HalfLife.Calm)
	}
	// Maps merge: zones the file does not name keep the default liking.
	if p.ZoneLiking("cheek") != 1 || p.ZoneLiking("belly") != -0.8 {
		t.Errorf("zones: cheek %v belly %v", p.ZoneLiking("cheek"), p.ZoneLiking("belly"))
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	if !p.IsNight(time.Date(2026, 1, 1, 21, 30, 0, 0, sh)) || p.IsNight(time.Date(2026, 1, 1, 8, 0, 0, 0, sh)) {
		t.Error("tofu night hours wrong")
	}
	// 13:30 UTC is 21:30 in Shanghai.
	if !p.IsNight(time.Date(2026, 1, 1, 13, 30, 0, 0, time.UTC)) {
		t.Error("night hours must be taken in the persona's time zone")
	}
}

func TestIsNight(t *testing.T) {
	p := Default() // 22:00-07:00 Local
	at := func(h, m int) bool { return p.IsNight(time.Date(2026, 3, 1, h, m, 0, 0, time.Local)) }
	for _, c := range []struct {
		h, m int
		want bool
	}{{21, 59, false}, {22, 0, true}, {3, 0, true}, {6, 59, true}, {7, 0, false}, {12, 0, false}} {
		if got := at(c.h, c.m); got != c.want {
			t.Errorf("%02d:%02d night=%v, want %v", c.h, c.m, got, c.want)
		}
	}
}

func TestEyeRGB(t *testing.T) {
	p := Default()
	if r, g, b := p.EyeRGB("love"); r != 0xff || g != 0x3c || b != 0xa0 {
		t.Errorf("love = %d,%d,%d", r, g, b)
	}
	if r, g, b := p.EyeRGB("nope"); r != 0 || g != 0xc8 || b != 0x78 {
		t.Errorf("unknown expression should fall back to neutral, got %d,%d,%d", r, g, b)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"empty", "", "p.yaml: file is empty"},
		{"syntax", "version: 1\nname: [\n", "p.yaml"},
		{"not mapping", "- a\n- b\n", "p.yaml:1: expected a mapping of keys at the top level, got a list"},
		{"no version", "name: X\n", "p.yaml:1: version: missing"},
		{"bad version", "version: 2\n", "p.yaml:1: version: version 2 is not supported; this purrd reads version 1"},
		{"unknown key", "version: 1\nnmae: X\n", "p.yaml:2: nmae: unknown key (did you mean name?)"},
		{"unknown nested", "version: 1\nmood:\n  steps:\n    huge: 1\n", "p.yaml:4: mood.steps.huge: unknown key"},
		{"duplicate", "version: 1\nname: A\nname: B\n", "p.yaml:3: name: duplicate key (first set at line 2)"},
		{"wrong type", "version: 1\ntraits: curious\n", `p.yaml:2: traits: expected a list, got "curious"`},
		{"string for number", "version: 1\nmood:\n  steps:\n    small: lots\n", `p.yaml:4: mood.steps.small: expected a number, got "lots"`},
		{"bool for string", "version: 1\nname: yes\nspecies: true\n", "p.yaml:3: species: expected a string, got true (quote it"},
		{"bad duration", "version: 1\nmood:\n  lonely_after: soon\n", `p.yaml:3: mood.lonely_after: "soon" is not a duration`},
		{"negative duration", "version: 1\nmood:\n  habituation: -3s\n", "p.yaml:3: mood.habituation: must not be negative, got -3s"},
		{"zero half-life", "version: 1\nmood:\n  half_life:\n    calm: 0s\n", "p.yaml:4: mood.half_life.calm: must be more than 0"},
		{"range", "version: 1\nmood:\n  baseline:\n    happy: 1.5\n", "p.yaml:4: mood.baseline.happy: 1.5 is outside -1..1"},
		{"steps order", "version: 1\nmood:\n  steps: {small: 0.5, medium: 0.2, large: 0.9}\n", "p.yaml:3: mood.steps: want small <= medium <= large"},
		{"night", "version: 1\nnight:\n  start: 10pm\n", `p.yaml:3: night.start: "10pm" is not a time like 22:00`},
		{"tz", "version: 1\nnight:\n  timezone: Mars/Olympus\n", `p.yaml:3: night.timezone: unknown time zone "Mars/Olympus"`},
		{"eyes colour", "version: 1\neyes:\n  happy: yellow\n", `p.yaml:3: eyes.happy: "yellow" is not a colour`},
		{"eyes expression", "version: 1\neyes:\n  smug: \"#ffffff\"\n", "p.yaml:3: eyes.smug: unknown expression"},
		{"effects stimulus", "version: 1\nmood:\n  effects:\n    tickle: {happy: 0.1}\n", "p.yaml:4: mood.effects.tickle: unknown stimulus"},
		{"effects axis", "version: 1\nmood:\n  effects:\n    feed: {joy: 0.1}\n", "p.yaml:4: mood.effects.feed.joy: unknown axis"},
		{"intent", "version: 1\nreplies:\n  weather: {en: [sunny]}\n", "p.yaml:3: replies.weather: unknown intent"},
		{"language", "version: 1\nlanguage: english\n", `p.yaml:2: language: "english" is not a language code`},
		{"language not spoken", "version: 1\nlanguage: fr\n", `p.yaml:2: language: "fr" is not in languages`},
		{"control char", "version: 1\nname: \"Mo\\x07chi\"\n", "p.yaml:2: name: contains a control character"},
		{"empty name", "version: 1\nname: \"  \"\n", "p.yaml:2: name: must not be empty"},
		{"alias bomb", aliasBomb(), "aliases expand to more than 10000 values; refusing to read further"},
		{"duration without unit", "version: 1\nmood:\n  habituation: 30\n", `p.yaml:3: mood.habituation: 30 has no unit`},
		{"yes is not a bool but a word", "version: 1\nreply: {max_runes: yes}\n", `reply.max_runes: expected a whole number, got "yes"`},
		{"merge key", "version: 1\nmood:\n  <<: {lonely_level: 0.1}\n", "p.yaml:3: mood: merge keys (<<) are not supported"},
		{"two docs", "version: 1\n---\nversion: 1\n", "p.yaml:2: a second YAML document (---) is not allowed"},
		{"max sentences", "version: 1\nreply: {max_sentences: 9}\n", "p.yaml:2: reply.max_sentences: 9 is outside 1..5"},
		{"too many traits", "version: 1\ntraits: [" + strings.Repeat("a, ", 30) + "a]\n", "p.yaml:2: traits: 31 entries, at most 20 allowed"},
		{"int float", "version: 1\nreply: {max_runes: 1.5}\n", `p.yaml:2: reply.max_runes: expected a whole number, got 1.5`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatalf("no error for %q", c.yaml)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\n does not contain %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "persona: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// aliasBomb names one list of 100 lines in 200 languages: 20,000 values
// from a few KiB.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("version: 1\nsamples:\n  l0: &l [" + strings.Repeat("meow, ", 99) + "meow]\n")
	for i := 1; i < 200; i++ {
		fmt.Fprintf(&b, "  l%d: *l\n", i)
	}
	return b.String()
}

// Anchors and aliases work as in the config (internal/yamlstrict): the
// alias's value is decoded where the alias stands.
func TestAliases(t *testing.T) {
	p, err := Parse("p.yaml", []byte("version: 1\nname: &n Kiki\nspecies: *n\ntraits: &t [shy, curious]\nforbidden: *t\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Species != "Kiki" || !reflect.DeepEqual(p.Forbidden, []string{"shy", "curious"}) {
		t.Errorf("species %q forbidden %q", p.Species, p.Forbidden)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseTooBig(t *testing.T) {
	_, err := Parse("big.yaml", []byte("version: 1\n"+strings.Repeat("#", MaxFileSize)))
	if err == nil || !strings.Contains(err.Error(), "big.yaml: file is 1048587 bytes; a persona file is at most 1048576") {
		t.Fatalf("err = %v", err)
	}
}

func TestMinimalFileKeepsDefaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "min.yaml")
	if err := os.WriteFile(path, []byte("version: 1\nname: Kiki\nmood:\n  steps:\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Kiki" || p.Mood.Steps != Default().Mood.Steps || p.Path != path {
		t.Errorf("got %+v", p)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"mochi.yaml", "tofu.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../configs/personas", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("version: 1\nmood: {effects: {feed: {happy: 2}}}\n"))
	f.Add([]byte("version: 1\nname: &a x\nspecies: *a\n"))
	f.Add([]byte("version: 1\nreplies: {greeting: {en: []}}\n"))
	f.Add([]byte("{version: 1, night: {start: \"25:00\"}}"))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			if p != nil {
				t.Fatal("persona returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "persona: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		// Whatever parsed must be valid and usable.
		if err := p.validate(); err != nil {
			t.Fatalf("parsed persona invalid: %v", err)
		}
		p.IsNight(time.Unix(0, 0))
		p.EyeRGB("happy")
		_ = p.FillersIn(p.Language)
	})
}

func TestAllNames(t *testing.T) {
	p := &Persona{Name: "Mochi", Names: map[string]string{"zh": "麻糬", "ja": "もち"}}
	if got := p.AllNames(); !slices.Equal(got, []string{"Mochi", "もち", "麻糬"}) {
		t.Errorf("AllNames = %q", got)
	}
	if got := Default().AllNames(); len(got) < 2 || got[0] != Default().Name {
		t.Errorf("the built-in persona's names: %q", got)
	}
}
