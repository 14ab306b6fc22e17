package mqtt

import (
	"fmt"
	"time"
)

// oversizeCommand answers a command whose payload the embedded broker
// dropped as too large to read (broker_oversize.go) the way handle answers
// one it read: too_large on response/<verb>, and for a chat the daemon
// hears of it too, so the cat still answers.
func (l *Link) oversizeCommand(suffix, client string, size int, now time.Time) {
	c, _ := DecodeCommand(suffix, nil, false, l.o.MaxPayload)
	limit := l.o.MaxPayload
	if c.Verb == VerbChat {
		limit = max(limit, MaxChatPayload)
	}
	if c.ID.IsZero() {
		c.ID = TextID(l.ids.Next("cmd"))
	}
	l.reject(c, suffix, client, &CommandError{Topic: suffix, Verb: c.Verb, ID: c.ID, Kind: ErrTooLarge,
		Msg: fmt.Sprintf("payload is %d bytes; the limit is %d", size, limit)})
	if c.Verb == VerbChat {
		c.Client, c.Received, c.Oversize = client, now, size
		select {
		case l.cmds <- c:
		default: // busy: the error response has gone out all the same
		}
	}
}
