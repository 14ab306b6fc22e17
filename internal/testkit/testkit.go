// Package testkit holds the helpers purrd's tests share across packages
// (the daemon, its MQTT link, the engine brain, the end-to-end runs). Only
// tests import it.
package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
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

// FreePort returns a loopback TCP port that was free a moment ago. It picks
// below the kernel's ephemeral range: a port from there (what listening on
// :0 gives) can be taken, between this call and the listener that wants it,
// as the source port of any outgoing connection on the machine, and then the
// daemon's listen fails and the test's dial is refused (seen in CI).
func FreePort(t testing.TB) int {
	t.Helper()
	low := ephemeralLow()
	for range 200 {
		port := freePortFloor + rand.IntN(low-freePortFloor)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // in use: try another
		}
		l.Close()
		return port
	}
	t.Fatalf("testkit: FreePort: no free loopback port in [%d, %d) after 200 tries", freePortFloor, low)
	return 0
}

// freePortFloor keeps FreePort above the well-known and commonly
// configured service ports.
const freePortFloor = 20000

// ephemeralLow is the first port of the kernel's ephemeral range (Linux's
// ip_local_port_range; 32768 when it cannot be read or leaves no room).
func ephemeralLow() int {
	const fallback = 32768
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return fallback
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return fallback
	}
	low, err := strconv.Atoi(f[0])
	if err != nil || low < freePortFloor+1000 {
		return fallback
	}
	return low
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
