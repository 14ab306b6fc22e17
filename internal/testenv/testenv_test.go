package testenv

import (
	"fmt"
	"strings"
	"testing"
)

// recTB records how a helper stopped the test instead of stopping it.
type recTB struct {
	testing.TB
	skipped, failed string
}

func (r *recTB) Helper()                           {}
func (r *recTB) Skip(args ...any)                  { r.skipped = fmt.Sprint(args...) }
func (r *recTB) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestInCI(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "false": false, "FALSE": false, "true": true, "1": true, "yes": true} {
		t.Setenv("CI", v)
		if got := InCI(); got != want {
			t.Errorf("CI=%q: InCI() = %v, want %v", v, got, want)
		}
	}
}

func TestMissingSkipsLocallyAndFailsInCI(t *testing.T) {
	t.Setenv("CI", "")
	r := &recTB{TB: t}
	Missing(r, "no %s here", "mosquitto")
	if r.skipped != "no mosquitto here" || r.failed != "" {
		t.Errorf("locally: skipped %q, failed %q; want a skip only", r.skipped, r.failed)
	}

	t.Setenv("CI", "true")
	r = &recTB{TB: t}
	Missing(r, "no %s here", "mosquitto")
	if !strings.HasPrefix(r.failed, "no mosquitto here") || r.skipped != "" {
		t.Errorf("under CI: skipped %q, failed %q; want a failure only", r.skipped, r.failed)
	}
}

func TestLookPath(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recTB{TB: t}
	if p := LookPath(r, "sh", "always there"); p == "" || r.failed != "" || r.skipped != "" {
		t.Errorf("LookPath(sh) = %q, failed %q, skipped %q", p, r.failed, r.skipped)
	}
	r = &recTB{TB: t}
	LookPath(r, "purrd-no-such-tool", "apt-get install nothing")
	if !strings.Contains(r.failed, "purrd-no-such-tool is not installed (apt-get install nothing)") {
		t.Errorf("a missing tool under CI: failed %q, want it named with the hint", r.failed)
	}
}
