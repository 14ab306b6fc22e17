package mqtt

import (
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// pairedLogin is the phone user purrd made itself (daemon/pair.go): its
// password lives in a file in the state directory that `purrd pair
// --reset` replaces while purrd runs. The broker reads the file again
// when it changed, and disconnects the phones that logged in with the old
// password: a rotated password takes effect at once, without a restart.
type pairedLogin struct {
	user, file string

	mu       sync.Mutex
	mod      time.Time
	size     int64
	password string
}

// current is the password now.
func (p *pairedLogin) current() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, err := os.Stat(p.file)
	if err != nil {
		return p.password // keep the last one known rather than lock everyone out
	}
	if st.ModTime().Equal(p.mod) && st.Size() == p.size {
		return p.password
	}
	b, err := os.ReadFile(p.file)
	if err != nil {
		return p.password
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return p.password
	}
	p.mod, p.size, p.password = st.ModTime(), st.Size(), pw
	return pw
}

// watchPaired disconnects the paired user's sessions when its password
// file changes, until stop is closed.
func (b *embedded) watchPaired(p *pairedLogin, every time.Duration, stop <-chan struct{}) {
	// The watcher keeps the password it acted on: a phone logging in with
	// the new one reads the file first (authenticate), and must not make
	// the watcher miss the change and leave old sessions connected.
	known := p.current()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		pw := p.current()
		if pw == known {
			continue
		}
		known = pw
		n := 0
		for _, cl := range b.srv.Clients.GetAll() {
			if string(cl.Properties.Username) == p.user && !cl.Closed() {
				b.srv.DisconnectClient(cl, packets.ErrNotAuthorized)
				n++
			}
		}
		b.hook.l.log.Warn("phone password changed (purrd pair --reset): phones paired before must scan the new code",
			"username", p.user, "disconnected", n)
		if f := b.hook.l.o.OnPairedReset; f != nil {
			f()
		}
	}
}

// pairedPoll is how often the paired user's password file is checked.
var pairedPoll = 2 * time.Second
