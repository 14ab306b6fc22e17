package yamlstrict

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Wait  time.Duration `yaml:"wait"`
	Count int           `yaml:"count"`
}

type doc struct {
	Version int                `yaml:"version"`
	Name    string             `yaml:"name"`
	On      bool               `yaml:"on"`
	Ratio   float64            `yaml:"ratio"`
	Inner   inner              `yaml:"inner"`
	List    []inner            `yaml:"list"`
	Zones   map[string]float64 `yaml:"zones"`
}

func decode(t *testing.T, text string, v *doc) *Decoder {
	t.Helper()
	d := New("f.yaml", "a test file")
	if root := d.Parse([]byte(text), 1); root != nil && d.Version(root, 1) {
		d.Decode(root, v)
	}
	return d
}

func problems(d *Decoder) string {
	var lines []string
	for _, p := range d.Problems() {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// Only what the file writes is set; maps keep the entries it does not name;
// presence, nulls and lines are remembered for the caller's validation.
func TestDecodeKeepsWhatIsNotWritten(t *testing.T) {
	v := doc{Name: "default", Ratio: 0.5, Zones: map[string]float64{"head": 1, "belly": -1}}
	d := decode(t, "version: 1\ninner:\n  wait: 2s\nzones:\n  belly: 0.25\n  tail: ~\nname: ~\nlist:\n  - {count: 3}\n", &v)
	if p := problems(d); p != "" {
		t.Fatal(p)
	}
	want := doc{Version: 1, Name: "default", Ratio: 0.5, Inner: inner{Wait: 2 * time.Second},
		List: []inner{{Count: 3}}, Zones: map[string]float64{"head": 1, "belly": 0.25, "tail": 0}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got  %+v\nwant %+v", v, want)
	}
	for path, has := range map[string]bool{"version": true, "inner.wait": true, "inner.count": false, "name": false, "zones.tail": false, "list[0].count": true} {
		if d.Has(path) != has {
			t.Errorf("Has(%q) = %v", path, !has)
		}
	}
	if got := d.Keys("zones"); !reflect.DeepEqual(got, []string{"belly", "tail"}) {
		t.Errorf("Keys(zones) = %q", got)
	}
	for path, line := range map[string]int{"inner.wait": 3, "inner.count": 2, "zones.belly": 5, "list[0]": 9, "nowhere": 1} {
		if got := d.LineOf(path); got != line {
			t.Errorf("LineOf(%q) = %d, want %d", path, got, line)
		}
	}
}

func TestDecodeProblems(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"scalars", "version: 1\nname: true\non: yes\nratio: .nan\ninner: {wait: 5, count: 1.5}\n",
			"f.yaml:2: name: expected a string, got true (quote it if you mean the word)\n" +
				"f.yaml:3: on: expected true or false, got \"yes\"\n" +
				"f.yaml:4: ratio: expected a finite number, got .nan\n" +
				"f.yaml:5: inner.wait: 5 has no unit; write e.g. \"5ms\" or \"5s\"\n" +
				"f.yaml:5: inner.count: expected a whole number, got 1.5"},
		// int is read 32 bits wide everywhere: what a 64-bit board accepts,
		// a 32-bit one accepts too.
		{"int is 32 bits on every machine", "version: 1\ninner: {count: 3000000000}\n",
			"f.yaml:2: inner.count: 3000000000 is not a whole number that fits in 32 bits"},
		{"keys", "version: 1\nnmae: x\nname: a\nname: b\nzones: {a: 1, a: 2}\n",
			"f.yaml:2: nmae: unknown key (did you mean name?)\n" +
				"f.yaml:4: name: duplicate key (first set at line 3)\n" +
				"f.yaml:5: zones.a: duplicate key (first set at line 5)"},
		{"merge keys", "version: 1\ninner:\n  <<: {count: 1}\n", "f.yaml:3: inner: merge keys (<<) are not supported; write the keys out"},
		{"aliases are followed, within a budget", "version: 1\ninner: &i {count: 1}\nlist: [" + strings.Repeat("*i, ", 6000) + "*i]\n",
			"f.yaml:2: list[5000]: aliases expand to more than 10000 values; refusing to read further"},
		{"version", "name: x\n", "f.yaml:1: version: missing; add \"version: 1\" as the first line"},
		{"empty", "# nothing\n", "f.yaml: file is empty; expected a mapping starting with \"version: 1\""},
		{"two documents", "version: 1\n---\nversion: 1\n", "f.yaml:2: a second YAML document (---) is not allowed; a test file holds one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v doc
			if got := problems(decode(t, c.yaml, &v)); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}
