package mqtt

import (
	"context"
	"log/slog"
	"sync"
	"time"
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

// warnLimiter lets through at most one warning per key per interval and
// counts the rest, so a flood of bad input cannot flood the journal.
type warnLimiter struct {
	mu         sync.Mutex
	interval   time.Duration
	last       map[string]time.Time
	suppressed map[string]int
}

func newWarnLimiter(interval time.Duration) *warnLimiter {
	return &warnLimiter{interval: interval, last: map[string]time.Time{}, suppressed: map[string]int{}}
}

// warn logs msg at warn level unless key was logged within the interval;
// the first line after a quiet spell says how many were suppressed.
func (w *warnLimiter) warn(log *slog.Logger, key, msg string, args ...any) {
	now := time.Now()
	w.mu.Lock()
	if now.Sub(w.last[key]) < w.interval {
		w.suppressed[key]++
		w.mu.Unlock()
		return
	}
	if len(w.last) >= maxBuckets {
		clear(w.last)
		clear(w.suppressed)
	}
	w.last[key] = now
	n := w.suppressed[key]
	delete(w.suppressed, key)
	w.mu.Unlock()
	if n > 0 {
		args = append(args, "suppressed", n)
	}
	log.Warn(msg, args...)
}

// levelFilter passes records at or above min to h: mochi logs plenty at
// info and debug that does not belong in purrd's journal.
type levelFilter struct {
	min slog.Level
	h   slog.Handler
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.h.Enabled(ctx, l)
}

// Handle drops mochi's message-less records: its listeners log every
// client that goes away without DISCONNECT (a phone leaving Wi-Fi) as
// Warn("", "error", EOF), and refused logins are already logged by
// authHook with the reason.
func (f levelFilter) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "" {
		return nil
	}
	return f.h.Handle(ctx, r)
}
func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.min, f.h.WithAttrs(a)}
}
func (f levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{f.min, f.h.WithGroup(name)}
}
