package daemon

import (
	"math/rand/v2"
	"time"

	"github.com/purrd/purrd/dialog"
)

// drawSeed seeds the pet's own draws (which reaction, which of the rules
// brain's lines): a new one each time, or brain.sampling.seed when one is
// set, as the model's replies follow it, so an eval played twice hears
// the same lines.
func (d *daemon) drawSeed() uint64 {
	if s := d.cfg.Brain.Sampling.Seed; s != 0 {
		return uint64(s)
	}
	return rand.Uint64()
}

// fixedLinePick chooses among the care and refusal paths' fixed lines:
// by the clock, or with brain.sampling.seed set by the seed and the words
// and history answered, as the model's replies are, so a seeded eval
// hears the same line again.
func (d *daemon) fixedLinePick(req dialog.Request, now time.Time) int {
	s := d.cfg.Brain.Sampling.Seed
	if s == 0 {
		return int(now.UnixNano() % 64)
	}
	return int((uint32(s) + req.Digest()) % 64)
}
