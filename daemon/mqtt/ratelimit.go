package mqtt

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

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
