// Package testkit holds the helpers purrd's tests share across packages
// (the daemon, its MQTT link, the engine brain, the end-to-end runs). Only
// tests import it.
package testkit

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"sync"
	"testing"
	"testing/slogtest"
)

// SyncBuffer collects output written from several goroutines (a logger, a
// child process's stderr) for assertions. The zero value is ready to use.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Slogtest runs testing/slogtest on a slog.Handler that wraps another:
// wrap gets a JSON handler writing to a buffer and returns the handler
// under test. adjust, when not nil, sees each case's output (t.Name()
// names the case) before it is checked: slogtest asks a handler that drops
// an attribute on purpose to check its absence there and put it back.
func Slogtest(t *testing.T, wrap func(slog.Handler) slog.Handler, adjust func(t *testing.T, m map[string]any)) {
	t.Helper()
	var buf bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf.Reset()
		return wrap(slog.NewJSONHandler(&buf, nil))
	}, func(t *testing.T) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("%v: %s", err, buf.Bytes())
		}
		if adjust != nil {
			adjust(t, m)
		}
		return m
	})
}
