package eval

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// scripts/guard-on-rated.go puts the reply guard's figure and name checks
// to every rated reply of the fresh talks' sheets; docs/models.md
// (*Misquoted figures and names*) quotes its counts.
func TestGuardOnRatedScript(t *testing.T) {
	for _, c := range []struct{ sheets, want string }{
		// The sets the checks were written on.
		{"docs/eval/fresh-talk/*talks-* docs/eval/fresh-talk-[2-6]/*talks-*",
			"misquotes: 11 replies, rated 0.35; mixes up who: 23 replies, rated 0.07; garbles: 50 replies, rated 0.43; of 4055 rated replies"},
		// The seventh set, written after them.
		{"docs/eval/fresh-talk-7/new-talks-*",
			"misquotes: 1 replies, rated 0.00; mixes up who: 3 replies, rated 0.00; garbles: 0 replies, rated 0.00; of 140 rated replies"},
	} {
		out, err := exec.Command("sh", "-c", "cd ../.. && go run scripts/guard-on-rated.go "+c.sheets).CombinedOutput()
		if err != nil {
			t.Fatalf("go run scripts/guard-on-rated.go %s: %v\n%s", c.sheets, err, out)
		}
		if !strings.Contains(string(out), c.want+"\n") {
			t.Errorf("the script's count on %s is not %q:\n%s", c.sheets, c.want, out)
		}
	}
	doc, err := os.ReadFile("../../docs/models.md")
	if err != nil {
		t.Fatal(err)
	}
	if d := strings.Join(strings.Fields(string(doc)), " "); !strings.Contains(d, "11 replies it refuses rated 0.35 and the 23 of the second 0.07") ||
		!strings.Contains(d, "50 replies rated 0.43") {
		t.Error("docs/models.md does not quote the script's count")
	}
}
