package eval

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// scripts/guard-on-rated.go puts the reply guard's figure and name checks
// to every rated reply of the fresh talks' sheets; docs/models.md
// (*Misquoted figures and names*) quotes its count.
func TestGuardOnRatedScript(t *testing.T) {
	const want = "misquotes: 11 replies, rated 0.35; mixes up who: 24 replies, rated 0.08; of 4055 rated replies"
	out, err := exec.Command("sh", "-c", "cd ../.. && go run scripts/guard-on-rated.go docs/eval/fresh-talk*/*talks-*").CombinedOutput()
	if err != nil {
		t.Fatalf("go run scripts/guard-on-rated.go: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), want+"\n") {
		t.Errorf("the script's count is not %q:\n%s", want, out)
	}
	doc, err := os.ReadFile("../../docs/models.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), "11 replies it refuses rated 0.35 and the 24 of the second 0.08") {
		t.Error("docs/models.md does not quote the script's count")
	}
}
