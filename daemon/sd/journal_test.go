package sd

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/purrd/purrd/internal/testkit"
)

// untimed is a full slog.Handler: it passes testing/slogtest, apart from
// the time it drops on purpose (journald stamps every entry itself), which
// is checked absent and put back as slogtest's documentation asks.
func TestUntimedHandler(t *testing.T) {
	testkit.Slogtest(t, func(h slog.Handler) slog.Handler { return untimed{h} }, func(t *testing.T, m map[string]any) {
		if _, ok := m[slog.TimeKey]; ok {
			t.Errorf("untimed passed the record time on: %v", m)
		}
		if !strings.HasSuffix(t.Name(), "/zero-time") {
			m[slog.TimeKey] = "stamped by journald"
		}
	})
}
