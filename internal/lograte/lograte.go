// Package lograte keeps a flood of one problem (a full queue, a client
// hammering the broker with bad commands) from flooding the journal: one
// line per kind of problem per interval, and the next line says how many
// were held back.
package lograte

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// MaxKeys bounds how many keys a Limiter remembers. When it is full of keys
// logged within the interval, new keys share one overflow slot, so many
// distinct keys (a client id each) still give one line per interval.
const MaxKeys = 1024

// overflowKey is the slot new keys share while the table is full.
const overflowKey = "\x00overflow"

// Limiter lets through at most one log line per key per interval and
// counts the rest. It is safe for concurrent use. Keys name a kind of
// problem, optionally with who caused it ("auth-" + remote address).
type Limiter struct {
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	keys map[string]*entry
}

type entry struct {
	last       time.Time
	suppressed int
}

// New returns a Limiter passing one line per key per interval.
func New(interval time.Duration) *Limiter {
	return &Limiter{interval: interval, now: time.Now, keys: map[string]*entry{}}
}

// WithClock makes l read the time from now (tests); it returns l.
func (l *Limiter) WithClock(now func() time.Time) *Limiter {
	l.now = now
	return l
}

// Warn logs msg at warn level through log unless key was logged within the
// interval; see Log.
func (l *Limiter) Warn(log *slog.Logger, key, msg string, args ...any) {
	l.Log(context.Background(), log, slog.LevelWarn, key, msg, args...)
}

// Log logs msg at level unless key was logged within the interval. The
// first line after held-back ones carries "suppressed": how many.
func (l *Limiter) Log(ctx context.Context, log *slog.Logger, level slog.Level, key, msg string, args ...any) {
	n, ok := l.allow(key)
	if !ok {
		return
	}
	if n > 0 {
		args = append(args, "suppressed", n)
	}
	log.Log(ctx, level, msg, args...)
}

// allow reports whether a line for key may be logged now, and how many
// were held back since the last one.
func (l *Limiter) allow(key string) (suppressed int, ok bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.keys[key]
	if e == nil {
		if len(l.keys) >= MaxKeys {
			l.forgetOld(now)
		}
		if len(l.keys) >= MaxKeys {
			key = overflowKey
			e = l.keys[key]
		}
		if e == nil {
			l.keys[key] = &entry{last: now}
			return 0, true
		}
	}
	if now.Sub(e.last) < l.interval {
		e.suppressed++
		return 0, false
	}
	n := e.suppressed
	e.last, e.suppressed = now, 0
	return n, true
}

// forgetOld drops keys last logged an interval ago or more: their next
// line would pass anyway (only its "suppressed" count is lost).
func (l *Limiter) forgetOld(now time.Time) {
	for k, e := range l.keys {
		if now.Sub(e.last) >= l.interval {
			delete(l.keys, k)
		}
	}
}
