package daemon

import (
	"strings"
	"testing"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog/rules"
)

// Each rules path names the config key that turns it off, as `purrd chat`
// says it, and that key reaches the path's setting: the chat line once
// named brain.question and brain.feeling, keys that do not exist.
func TestRulesPathsNameTheirKeys(t *testing.T) {
	for _, name := range []rules.Path{rules.PathComfort, rules.PathQuestion, rules.PathFeeling, rules.PathRoutine} {
		p, ok := rulesPaths[name]
		if !ok {
			t.Errorf("no rules path for %q", name)
			continue
		}
		field := strings.TrimPrefix(p.key, "brain.")
		for _, value := range []string{"rules", "model"} {
			cfg, err := config.Parse("purrd.yaml", []byte("version: 1\nbrain:\n  "+field+": "+value+"\n"))
			if err != nil {
				t.Fatalf("%s: %s: %s: %v", name, p.key, value, err)
			}
			if got := p.setting(&daemon{cfg: cfg}); got != value {
				t.Errorf("%s: %s: %s reads as %q", name, p.key, value, got)
			}
		}
	}
}
