package sd

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// listen creates a real unixgram NOTIFY_SOCKET the way systemd does.
func listen(t *testing.T) *net.UnixConn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return c
}

func recv(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no datagram: %v", err)
	}
	return string(buf[:n])
}

func TestNotifierSends(t *testing.T) {
	c := listen(t)
	n := NewNotifier()
	if !n.Enabled() {
		t.Fatal("notifier not enabled with NOTIFY_SOCKET set")
	}
	if err := n.Ready("mood=content hal=sim"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, c); got != "READY=1\nSTATUS=mood=content hal=sim" {
		t.Errorf("ready datagram %q", got)
	}
	// The same status twice sends once.
	n.Status("mood=content hal=sim")
	n.Status("mood=happy hal=sim")
	if got := recv(t, c); got != "STATUS=mood=happy hal=sim" {
		t.Errorf("status datagram %q", got)
	}
	n.Watchdog()
	if got := recv(t, c); got != "WATCHDOG=1" {
		t.Errorf("watchdog datagram %q", got)
	}
	n.Reloading()
	if got := recv(t, c); !strings.HasPrefix(got, "RELOADING=1\nMONOTONIC_USEC=") {
		t.Errorf("reloading datagram %q", got)
	}
	n.Stopping()
	if got := recv(t, c); got != "STOPPING=1" {
		t.Errorf("stopping datagram %q", got)
	}
}

func TestNotifierWithoutSocketIsNoop(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := NewNotifier()
	if n.Enabled() {
		t.Fatal("enabled without a socket")
	}
	for _, err := range []error{n.Ready("x"), n.Status("y"), n.Watchdog(), n.Stopping()} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestNotifierDeadSocketIsAnError(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "gone.sock"))
	n := NewNotifier()
	err := n.Watchdog()
	if err == nil || !strings.Contains(err.Error(), "WATCHDOG=1") {
		t.Fatalf("err = %v, want an error naming the message", err)
	}
}

func TestWatchdogInterval(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "4000000")
	t.Setenv("WATCHDOG_PID", "")
	if got := WatchdogInterval(); got != 2*time.Second {
		t.Errorf("interval %v, want 2s (half of WatchdogSec)", got)
	}
	t.Setenv("WATCHDOG_USEC", "")
	if got := WatchdogInterval(); got != 0 {
		t.Errorf("interval %v without watchdog, want 0", got)
	}
	t.Setenv("WATCHDOG_USEC", "4000000")
	t.Setenv("WATCHDOG_PID", "1") // some other process
	if got := WatchdogInterval(); got != 0 {
		t.Errorf("interval %v for another pid, want 0", got)
	}
}

func TestJournalKey(t *testing.T) {
	for in, want := range map[string]string{
		"component": "PURRD_COMPONENT",
		"event.id":  "PURRD_EVENT_ID",
		"Err":       "PURRD_ERR",
		"a-b c":     "PURRD_A_B_C",
	} {
		if got := JournalKey(in); got != want {
			t.Errorf("JournalKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseLevel(t *testing.T) {
	if _, err := ParseLevel("loud"); err == nil || !strings.Contains(err.Error(), `"loud"`) {
		t.Errorf("bad level accepted or not named: %v", err)
	}
	if l, err := ParseLevel("warn"); err != nil || l.String() != "WARN" {
		t.Errorf("warn: %v %v", l, err)
	}
}
