package daemon

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
)

// idSource makes ids that follow one exchange from where it entered (a
// button edge, a phone command) to what it caused (reaction, reply chunks,
// response). A per-boot prefix keeps ids unique across restarts, so a phone
// never confuses an old reply with a new one. Owned by the loop goroutine.
type idSource struct {
	boot string
	n    uint64
}

func newIDSource() *idSource {
	var b [3]byte
	rand.Read(b[:])
	return &idSource{boot: hex.EncodeToString(b[:])}
}

// next returns e.g. "ev-a1b2c3-42".
func (s *idSource) next(kind string) string {
	s.n++
	return kind + "-" + s.boot + "-" + strconv.FormatUint(s.n, 10)
}
