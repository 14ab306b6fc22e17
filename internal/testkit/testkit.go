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
	"slices"
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

// FreePort returns a loopback TCP port that was free a moment ago. It
// picks outside the kernel's ephemeral range: a port from there (what
// listening on :0 gives) can be taken, between this call and the listener
// that wants it, as the source port of any outgoing connection on the
// machine, and then the daemon's listen fails and the test's dial is
// refused (seen in CI).
func FreePort(t testing.TB) int {
	t.Helper()
	return FreePorts(t, 1)[0]
}

// FreePorts is FreePort for n listeners of one test: n distinct ports.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	lo, hi, ok := portPool()
	got := make([]int, 0, n)
	for tries := 0; len(got) < n; tries++ {
		if tries == 200*n {
			t.Fatalf("testkit: FreePorts: %d free loopback ports in [%d, %d) not found in %d tries", n, lo, hi, tries)
		}
		port, err := probePort(lo, hi, ok)
		if err != nil {
			t.Fatalf("testkit: FreePorts: %v", err)
		}
		if port > 0 && !slices.Contains(got, port) {
			got = append(got, port)
		}
	}
	return got
}

// probePort returns a port from [lo, hi) that binds now, or 0 when the one
// tried is in use. Without a pool (the ephemeral range leaves no room) it
// falls back to the kernel's choice, race and all.
func probePort(lo, hi int, ok bool) (int, error) {
	addr := "127.0.0.1:0"
	if ok {
		addr = fmt.Sprintf("127.0.0.1:%d", lo+rand.IntN(hi-lo))
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		if ok {
			return 0, nil // in use: try another
		}
		return 0, fmt.Errorf("net.Listen(tcp, %s): %w", addr, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portFloor keeps FreePort above the well-known and commonly configured
// service ports.
const portFloor = 20000

// portPool is where FreePort draws from: below the kernel's ephemeral
// range (Linux's ip_local_port_range) when that leaves 1000 ports above
// portFloor, else above it when that leaves 1000; ok is false when
// neither does or the range cannot be read.
func portPool() (lo, hi int, ok bool) {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return 0, 0, false
	}
	elo, err1 := strconv.Atoi(f[0])
	ehi, err2 := strconv.Atoi(f[1])
	switch {
	case err1 != nil || err2 != nil:
		return 0, 0, false
	case elo-portFloor >= 1000:
		return portFloor, elo, true
	case 65536-(ehi+1) >= 1000:
		return max(ehi+1, portFloor), 65536, true
	}
	return 0, 0, false
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
