package eval

import (
	"strings"
	"testing"
)

// FuzzParse: any input gives conversations or line-numbered errors, never
// a panic, and what parses keeps the loader's promises.
func FuzzParse(f *testing.F) {
	f.Add("## a\n> hi\n")
	f.Add("## a\nabout: x\ntags: fast\n! feed\n> My name is Lin.\n  ? fact=Lin|小林\n> hi\n> what's my name?\n  ? recall=Lin says=Mochi lang=zh harmful\n")
	f.Add("## a\n> x\n  ? recall=\n  ? fact=|\n! \n## b c\n")
	f.Add("> orphan\n## 麻糬\n?\n")
	f.Fuzz(func(t *testing.T, src string) {
		convs, err := Parse(strings.NewReader(src), "f.conv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.conv:") {
				t.Fatalf("error without its place: %v", err)
			}
			return
		}
		for _, c := range convs {
			if !validID(c.ID) || len(c.Turns) == 0 {
				t.Fatalf("conversation %+v", c)
			}
			for i, tn := range c.Turns {
				if strings.TrimSpace(tn.Text) == "" || tn.Line < 1 {
					t.Fatalf("turn %+v", tn)
				}
				if len(tn.Recall) > 0 && (tn.RecallDistance < 1 || tn.RecallDistance > i) {
					t.Fatalf("turn %d recall distance %d", i+1, tn.RecallDistance)
				}
			}
		}
	})
}
