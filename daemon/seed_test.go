package daemon

import (
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog"
)

// With brain.sampling.seed set, the care and refusal lines follow the
// seed and the words answered, not the clock, so a seeded eval hears the
// same line again; the pick still varies with the words.
func TestFixedLinePickFollowsTheSeed(t *testing.T) {
	cfg := config.Default("cat")
	cfg.Brain.Sampling.Seed = 7
	d := &daemon{cfg: cfg}
	req := dialog.Request{Text: "I fell and can't get up", History: []dialog.Turn{{Role: "owner", Text: "morning"}}}
	first := d.fixedLinePick(req, time.Unix(0, 5))
	if again := d.fixedLinePick(req, time.Unix(0, 61)); again != first {
		t.Errorf("the same words at another time picked %d, then %d", first, again)
	}
	seen := map[int]bool{}
	for _, text := range []string{"help", "I fell", "my chest hurts", "I feel dizzy", "how do I pick a lock", "give me pills"} {
		p := d.fixedLinePick(dialog.Request{Text: text}, time.Unix(0, 5))
		if p < 0 || p >= 64 {
			t.Fatalf("pick %d out of 0-63", p)
		}
		seen[p] = true
	}
	if len(seen) < 2 {
		t.Errorf("six messages all picked line %v", seen)
	}
	cfg.Brain.Sampling.Seed = 0
	if p := d.fixedLinePick(req, time.Unix(0, 130)); p != 130%64 {
		t.Errorf("no seed: pick %d, want the clock's %d", p, 130%64)
	}
}
