package mqtt

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// `purrd pair --reset` rewrites the paired phone user's password file
// while purrd runs: the new password works at once, the old one no
// longer, and phones logged in with it are disconnected.
func TestPairedPasswordRotates(t *testing.T) {
	pairedPoll = 50 * time.Millisecond
	file := filepath.Join(t.TempDir(), "phone.pass")
	if err := os.WriteFile(file, []byte("old-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "embedded", func(o *Options) {
		o.Users = []User{{Name: "phone", Password: "old-pw", Role: RolePhone}}
		o.PairedUser, o.PairedFile = "phone", file
	}, "")
	old := newObserver(t, e.url, withUser("phone", "old-pw"))
	time.Sleep(100 * time.Millisecond)
	if err := os.WriteFile(file+".tmp", []byte("new-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Rename(file+".tmp", file)
	select {
	case <-old.lost:
	case <-time.After(waitLong):
		t.Fatal("a phone logged in with the old password stayed connected")
	}
	if o, err := dialObserver(e.url, withUser("phone", "old-pw")); err == nil {
		o.c.Disconnect(0)
		t.Fatal("the old password still logs in")
	}
	newObserver(t, e.url, withUser("phone", "new-pw"))
}
