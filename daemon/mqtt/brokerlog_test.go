package mqtt

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
)

// levelFilter is a full slog.Handler for what it lets through (slogtest
// logs at info, so the floor is info here), and drops what is below its
// floor or has no message.
func TestLevelFilterHandler(t *testing.T) {
	var buf bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf.Reset()
		return levelFilter{min: slog.LevelInfo, h: slog.NewJSONHandler(&buf, nil)}
	}, func(t *testing.T) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("%v: %s", err, buf.Bytes())
		}
		return m
	})

	buf.Reset()
	log := slog.New(levelFilter{min: slog.LevelWarn, h: slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})})
	log.Info("chatty broker detail")
	log.Warn("", "error", "EOF") // a client gone without DISCONNECT
	log.With("component", "mqtt-broker").Warn("kept")
	if got := buf.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "msg=kept component=mqtt-broker") {
		t.Errorf("filtered log = %q, want only the warning with a message", got)
	}
}
