// Package testkit holds the helpers purrd's tests share across packages
// (the daemon, its MQTT link, the engine brain, the end-to-end runs). Only
// tests import it.
package testkit

import (
	"bytes"
	"net"
	"sync"
	"testing"
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
