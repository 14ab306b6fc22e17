package eval

import (
	"os/exec"
	"strings"
	"testing"
)

// scripts/talk-lookup.go prints the talk lookup's answers on the dev
// sets that docs/models.md (*Answers from the talk*) counts: 68 questions
// of the second to fourth fresh sets, Kabelo's friend answered by the
// sentence that names him, and the time the owner asked for wanted.
func TestTalkLookupScript(t *testing.T) {
	out, err := exec.Command("go", "run", "../../scripts/talk-lookup.go",
		"../../docs/eval/fresh-talk-4/set", "../../docs/eval/fresh-talk-3/set", "../../docs/eval/fresh-talk-2/set").CombinedOutput()
	if err != nil {
		t.Fatalf("go run scripts/talk-lookup.go: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "    => "); n != 68 {
		t.Errorf("%d questions answered from the talk, want 68:\n%s", n, out)
	}
	for _, want := range []string{
		"=> He made a friend next door, a boy called Ruan",
		`=> I've got the chiropodist at twenty past eleven  wants [["twenty past eleven"]]`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
