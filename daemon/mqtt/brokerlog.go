package mqtt

import (
	"context"
	"log/slog"
)

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
