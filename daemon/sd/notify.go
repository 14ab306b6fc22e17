package sd

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Notifier sends sd_notify datagrams to $NOTIFY_SOCKET. Without a socket
// (not started by systemd) every call is a cheap no-op, so the daemon never
// has to ask whether it runs under systemd.
type Notifier struct {
	socket string // empty: no-op

	mu         sync.Mutex
	lastStatus string
}

// NewNotifier reads NOTIFY_SOCKET once. The environment variable is left
// in place: go-systemd reads it again on every send.
func NewNotifier() *Notifier {
	return &Notifier{socket: os.Getenv("NOTIFY_SOCKET")}
}

// Enabled reports whether a notify socket is configured.
func (n *Notifier) Enabled() bool { return n.socket != "" }

func (n *Notifier) send(state string) error {
	if n.socket == "" {
		return nil
	}
	if _, err := daemon.SdNotify(false, state); err != nil {
		return fmt.Errorf("sd: notify %q on %s: %w", state, n.socket, err)
	}
	return nil
}

// Ready says the service is up (hal, MQTT link and a brain are running),
// at start and again at the end of every reload.
func (n *Notifier) Ready(status string) error {
	n.mu.Lock()
	n.lastStatus = status
	n.mu.Unlock()
	return n.send("READY=1\nSTATUS=" + status)
}

// Status sets the one-line human summary `systemctl status` shows. Repeats
// of the same line are not sent again, so callers can update it freely.
func (n *Notifier) Status(status string) error {
	n.mu.Lock()
	same := status == n.lastStatus
	n.lastStatus = status
	n.mu.Unlock()
	if same {
		return nil
	}
	return n.send("STATUS=" + status)
}

// Watchdog pings the service manager's watchdog.
func (n *Notifier) Watchdog() error { return n.send("WATCHDOG=1") }

// Reloading announces a configuration reload (RELOADING=1 with the
// monotonic timestamp systemd 253+ wants; older versions ignore it).
func (n *Notifier) Reloading() error {
	return n.send("RELOADING=1\nMONOTONIC_USEC=" + strconv.FormatInt(monotonicUsec(), 10))
}

// Stopping announces a graceful shutdown.
func (n *Notifier) Stopping() error { return n.send("STOPPING=1") }

// WatchdogInterval returns how often to ping: half of WatchdogSec, as
// sd_watchdog_enabled(3) advises; 0 when no watchdog is set for this process.
func WatchdogInterval() time.Duration {
	d, err := daemon.SdWatchdogEnabled(false)
	if err != nil || d <= 0 {
		return 0
	}
	return d / 2
}
