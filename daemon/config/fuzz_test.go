package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and any
// failure must be a *Errors whose problems each point at a line, or are
// about the whole file (no line and no key path).
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../../configs/purrd.yaml", "../../configs/sim.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(allKinds))
	for _, tc := range badCases {
		f.Add([]byte(tc.yaml))
	}
	dir := f.TempDir()
	name := filepath.Join(dir, "purrd.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(name, data)
		if err == nil {
			if c == nil {
				t.Fatal("Parse returned neither a config nor an error")
			}
			if c.Version != Version || c.Robot.ID == "" || c.MQTT.BaseTopic == "" {
				t.Fatalf("accepted config lacks defaults: %+v", c)
			}
			return
		}
		var errs *Errors
		if !errors.As(err, &errs) {
			t.Fatalf("error is %T, want *Errors: %v", err, err)
		}
		if len(errs.Problems) == 0 {
			t.Fatal("*Errors with no problems")
		}
		for _, p := range errs.Problems {
			if p.Line <= 0 && p.Path != "" {
				t.Errorf("problem without a line: %q", p)
			}
			if p.Msg == "" || p.File == "" {
				t.Errorf("incomplete problem: %#v", p)
			}
		}
	})
}
