package sd

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
)

// untimed is a full slog.Handler: it passes testing/slogtest, apart from
// the time it drops on purpose (journald stamps every entry itself). As
// slogtest's documentation asks for an attribute dropped on purpose, the
// results function checks that the time is absent and puts it back.
func TestUntimedHandler(t *testing.T) {
	var buf bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf.Reset()
		return untimed{slog.NewJSONHandler(&buf, nil)}
	}, func(t *testing.T) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("%v: %s", err, buf.Bytes())
		}
		if _, ok := m[slog.TimeKey]; ok {
			t.Errorf("untimed passed the record time on: %s", buf.Bytes())
		}
		if !strings.HasSuffix(t.Name(), "/zero-time") {
			m[slog.TimeKey] = "stamped by journald"
		}
		return m
	})
}
