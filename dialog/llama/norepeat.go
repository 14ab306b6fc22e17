package llama

import (
	"encoding/binary"
	"slices"
	"strings"
)

// phraseBan keeps a reply from saying again a run of n tokens the pet
// said in its last replies. The exact-repeat guard (dialog.ReplyGuard)
// refuses only a whole sentence said before; a small model that found a
// stock phrase it likes ("我陪着你", "I'll sit by your feet") says it in
// a fifth of its replies, each time after a different sound, and an owner
// hears one line over and over. This is the no-repeat n-gram rule of
// beam search decoders, applied across the pet's turns instead of within
// one text: a token that would complete such a run is never drawn.
type phraseBan struct {
	n    int
	next map[string][]int // the n-1 tokens before -> the tokens that followed them
}

// newPhraseBan bans the n-token runs of said (each a recent reply's
// tokens) that keep allows (nil keeps every run); nil when n < 2 or
// nothing is long enough.
func newPhraseBan(n int, said [][]int, keep func(run []int) bool) *phraseBan {
	if n < 2 {
		return nil
	}
	b := &phraseBan{n: n, next: map[string][]int{}}
	for _, toks := range said {
		for i := 0; i+n <= len(toks); i++ {
			if keep != nil && !keep(toks[i:i+n]) {
				continue
			}
			k := tokenKey(toks[i : i+n-1])
			if tok := toks[i+n-1]; !slices.Contains(b.next[k], tok) {
				b.next[k] = append(b.next[k], tok)
			}
		}
	}
	if len(b.next) == 0 {
		return nil
	}
	return b
}

// banned returns the tokens that may not follow reply (the tokens drawn
// so far in this reply).
func (b *phraseBan) banned(reply []int) []int {
	if b == nil || len(reply) < b.n-1 {
		return nil
	}
	return b.next[tokenKey(reply[len(reply)-(b.n-1):])]
}

func tokenKey(toks []int) string {
	var sb strings.Builder
	var buf [4]byte
	for _, t := range toks {
		binary.LittleEndian.PutUint32(buf[:], uint32(t))
		sb.Write(buf[:])
	}
	return sb.String()
}
