package mqtt

import (
	"container/list"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxBuckets bounds how many senders the rate limit remembers (and how many
// keys the warning limiter keeps).
const maxBuckets = 1024

// limiter is the command rate limit: one token bucket per sender, Options
// .Rate tokens a second up to Options.Burst, one token per command;
// golang.org/x/time/rate does the arithmetic. A sender is the key the
// caller gives: the authenticated user on the embedded broker (a client
// id of an anonymous loopback client), the command topic on an external
// broker, which hides who sent what.
//
// It remembers at most max senders, least recently used first out, and only
// a sender whose bucket is full again: a new bucket starts full, so
// forgetting a full one hands nobody a token they did not have. When even
// the least recently used sender is still short of tokens, everyone is busy
// (a flood of fresh client ids), and the newcomer shares one overflow bucket
// with every other newcomer rather than growing the map or taking someone's
// deficit away.
type limiter struct {
	perSecond rate.Limit
	burst     int
	max       int
	// now is time.Now; the tests' clock, so no test waits for a refill.
	now func() time.Time

	mu       sync.Mutex
	senders  map[string]*list.Element // of lru; Value is *sender
	lru      list.List                // most recently used first
	overflow *rate.Limiter
}

type sender struct {
	key    string
	bucket *rate.Limiter
}

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{
		perSecond: rate.Limit(perSecond),
		burst:     burst,
		max:       maxBuckets,
		now:       time.Now,
		senders:   map[string]*list.Element{},
		overflow:  rate.NewLimiter(rate.Limit(perSecond), burst),
	}
}

// allow takes a token from key's bucket for one command; false: the
// command is over the limit.
func (l *limiter) allow(key string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketLocked(key, now).AllowN(now, 1)
}

func (l *limiter) bucketLocked(key string, now time.Time) *rate.Limiter {
	if e, ok := l.senders[key]; ok {
		l.lru.MoveToFront(e)
		return e.Value.(*sender).bucket
	}
	if len(l.senders) >= l.max {
		oldest := l.lru.Back()
		s := oldest.Value.(*sender)
		if s.bucket.TokensAt(now) < float64(l.burst) {
			return l.overflow
		}
		l.lru.Remove(oldest)
		delete(l.senders, s.key)
	}
	b := rate.NewLimiter(l.perSecond, l.burst)
	l.senders[key] = l.lru.PushFront(&sender{key: key, bucket: b})
	return b
}

// len is how many senders the limiter remembers.
func (l *limiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.senders)
}
