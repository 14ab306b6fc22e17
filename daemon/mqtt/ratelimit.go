package mqtt

import (
	"log/slog"
	"time"

	"github.com/purrd/purrd/internal/lograte"
)

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
