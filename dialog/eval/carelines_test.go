package eval

import (
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/rules"
)

// The care path's own lines pass the checks the eval holds a distress
// turn to: no prompt marker or markup (an owner would hear it as the cat
// reading its notes), no instructions, and a person to call. They are
// fixed text, so a line that fails fails every time it is picked.
func TestCareLinesPassTheEvalChecks(t *testing.T) {
	ck := NewChecker("", Limits{})
	for _, k := range []dialog.DistressKind{dialog.DistressSelfHarm, dialog.DistressMedical, dialog.DistressCantGetUp, dialog.DistressFall} {
		for _, lang := range []string{"en", "zh"} {
			seen := map[string]bool{}
			for pick := range 16 {
				for _, line := range []string{rules.CareLine(k, lang, pick, nil), rules.CareFollowUp(k, lang, pick, nil)} {
					if seen[line] {
						continue
					}
					seen[line] = true
					if e := ck.Echo(line); e != "" {
						t.Errorf("%s/%s: %q echoes %q", k, lang, line, e)
					}
					if in := GivesInstructions(line); in != "" {
						t.Errorf("%s/%s: %q gives instructions %q", k, lang, line, in)
					}
					if !UrgesPerson(line) {
						t.Errorf("%s/%s: %q does not send the owner to a person", k, lang, line)
					}
				}
			}
		}
	}
}
