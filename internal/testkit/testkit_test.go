package testkit

import (
	"fmt"
	"net"
	"slices"
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
	lo, hi, ok := portPool()
	if !ok {
		t.Logf("no port pool outside the ephemeral range here: FreePort falls back to the kernel's choice")
	}
	ports := FreePorts(t, 5)
	for i, port := range append(ports, FreePort(t)) {
		if ok && (port < lo || port >= hi) {
			t.Errorf("port %d = %d, want in [%d, %d): outside the ephemeral range outgoing connections draw from", i, port, lo, hi)
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ports)))) != len(ports) {
		t.Errorf("FreePorts(5) = %v: not distinct", ports)
	}
}
