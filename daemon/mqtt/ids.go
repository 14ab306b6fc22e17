package mqtt

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"
)

// IDs makes the ids that follow one exchange from where it entered (a
// button edge, a phone command) to what it caused (reaction, reply chunks,
// response, mind events): e.g. "ev-a1b2c3-42", kind, a tag made at each
// start, a counter. The tag keeps ids unique across restarts, so a phone
// never confuses an old reply with a new one. One IDs serves a whole run
// (the daemon passes its own in Options), so no two ids of a run are equal
// whoever made them. Safe for concurrent use.
type IDs struct {
	boot string
	n    atomic.Uint64
}

// NewIDs makes an id source with a fresh tag.
func NewIDs() *IDs {
	var b [3]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	return &IDs{boot: hex.EncodeToString(b[:])}
}

// Next returns the next id of the given kind, e.g. "ev-a1b2c3-42".
func (s *IDs) Next(kind string) string {
	return kind + "-" + s.boot + "-" + strconv.FormatUint(s.n.Add(1), 10)
}
