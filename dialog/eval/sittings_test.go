package eval

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// docs/models.md decides what ships from blind sittings' paired figures;
// they must come out of the committed records by the committed script,
// so anyone can make them again and an edited record shows.
func TestSittingFiguresReproduce(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 not found (.ci/install-deps installs it): %v", err)
	}
	args := []string{"../../scripts/eval-rating.py", "paired", "delight-", "fifth-"}
	for _, n := range []string{"16", "17", "18"} {
		args = append(args, "../../docs/eval/blind-sitting-"+n+".md")
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("eval-rating.py paired: %v\n%s", err, out)
	}
	for _, want := range []string{
		"blind-sitting-16.md: delight- minus fifth- +0.133 (95 % -0.133 .. +0.387)",
		"blind-sitting-18.md: delight- minus fifth- +0.007 (95 % -0.213 .. +0.207)",
		"all: delight- minus fifth- +0.073 (95 % -0.076 .. +0.218), better 34, worse 24, 75 turns",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("eval-rating.py paired lacks %q:\n%s", want, out)
		}
	}
	doc, err := os.ReadFile("../../docs/models.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "| all three (75 turns) | 0.77 | 0.84 | **+0.07 (-0.08, +0.22)** |") {
		t.Error("docs/models.md no longer gives the pooled figure of sittings 16-18 the records give (+0.07, -0.08 to +0.22)")
	}
}
