package testkit

import (
	"fmt"
	"net"
	"sync"
	"testing"
)

func TestSyncBuffer(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { fmt.Fprintf(&b, "%d", i) })
	}
	wg.Wait()
	if n := len(b.String()); n != 8 {
		t.Errorf("len = %d, want 8: %q", n, b.String())
	}
}

func TestFreePort(t *testing.T) {
	port := FreePort(t)
	if low := ephemeralLow(); port < freePortFloor || port >= low {
		t.Errorf("FreePort = %d, want in [%d, %d): below the ephemeral range outgoing connections draw from", port, freePortFloor, low)
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}
