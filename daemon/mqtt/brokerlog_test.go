package mqtt

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/purrd/purrd/internal/testkit"
)

// levelFilter is a full slog.Handler for what it lets through (slogtest
// logs at info, so the floor is info here), and drops what is below its
// floor or has no message.
func TestLevelFilterHandler(t *testing.T) {
	testkit.Slogtest(t, func(h slog.Handler) slog.Handler { return levelFilter{min: slog.LevelInfo, h: h} }, nil)

	var buf bytes.Buffer
	log := slog.New(levelFilter{min: slog.LevelWarn, h: slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})})
	log.Info("chatty broker detail")
	log.Warn("", "error", "EOF") // a client gone without DISCONNECT
	log.With("component", "mqtt-broker").Warn("kept")
	if got := buf.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "msg=kept component=mqtt-broker") {
		t.Errorf("filtered log = %q, want only the warning with a message", got)
	}
}
