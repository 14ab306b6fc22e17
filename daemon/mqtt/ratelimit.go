package mqtt

import (
	"log/slog"
	"sync"
	"time"

	"github.com/purrd/purrd/internal/lograte"
)

// buckets is a set of token buckets keyed by client (embedded broker) or by
// topic (external broker, where the sender is invisible).
type buckets struct {
	mu    sync.Mutex
	rate  float64 // tokens per second
	burst float64
	m     map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
	// warned is when this key last got a rate-limit response, so a flood
	// is answered about once a second rather than once per message.
	warned time.Time
}

// maxBuckets bounds the map; idle buckets are full again after burst/rate
// seconds, so forgetting them loses nothing.
const maxBuckets = 1024

func newBuckets(rate float64, burst int) *buckets {
	return &buckets{rate: rate, burst: float64(burst), m: map[string]*bucket{}}
}

// allow takes one token for key. When refused, answer says whether this
// refusal should get an error response (at most one a second per key).
func (b *buckets) allow(key string, now time.Time) (ok, answer bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k, found := b.m[key]
	if !found {
		if len(b.m) >= maxBuckets {
			b.pruneLocked(now)
		}
		k = &bucket{tokens: b.burst, last: now}
		b.m[key] = k
	}
	k.tokens += now.Sub(k.last).Seconds() * b.rate
	if k.tokens > b.burst {
		k.tokens = b.burst
	}
	k.last = now
	if k.tokens >= 1 {
		k.tokens--
		return true, false
	}
	if now.Sub(k.warned) >= time.Second {
		k.warned = now
		return false, true
	}
	return false, false
}

func (b *buckets) pruneLocked(now time.Time) {
	full := time.Duration(b.burst / b.rate * float64(time.Second))
	for key, k := range b.m {
		if now.Sub(k.last) > full {
			delete(b.m, key)
		}
	}
	if len(b.m) >= maxBuckets { // everyone is active: start over rather than grow
		clear(b.m)
	}
}

// warnLimiter is the link's rate-limited warnings: at most one line per
// key per interval, the next one saying how many were held back
// (internal/lograte, the one helper for that).
type warnLimiter struct{ *lograte.Limiter }

func newWarnLimiter(interval time.Duration) *warnLimiter {
	return &warnLimiter{lograte.New(interval)}
}

func (w *warnLimiter) warn(log *slog.Logger, key, msg string, args ...any) {
	w.Warn(log, key, msg, args...)
}
