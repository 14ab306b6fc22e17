package daemon

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// First start with no phone user: purrd makes one (state dir, 0600),
// prints the pairing link and QR code, serves the page, and the page's
// MQTT over WebSocket takes that login. `purrd pair` shows the same
// login; `purrd pair -reset` replaces it while purrd runs.
func TestPairing(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	passFile := filepath.Join(p.dir, "state", "phone.pass")
	st, err := os.Stat(passFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("phone.pass: %v %v", st, err)
	}
	pw := strings.TrimSpace(string(must(os.ReadFile(passFile))))
	if !p.waitLog("#p="+pw, 5*time.Second) || !p.waitLog("█", time.Second) {
		t.Fatalf("no pairing link and QR code on first start:\n%s", p.stderr.String())
	}
	lines := p.logLines("phone page listening")
	m := regexp.MustCompile(`address=(\S+)`).FindStringSubmatch(strings.Join(lines, "\n"))
	if m == nil {
		t.Fatalf("page address not logged:\n%s", p.stderr.String())
	}
	addr := m[1]
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `content="`+p.base+`"`) {
		t.Fatalf("page does not name the base topic:\n%.400s", body)
	}
	ws := func(user, pass string) error {
		o := paho.NewClientOptions().AddBroker("ws://" + addr + "/mqtt").SetUsername(user).SetPassword(pass).
			SetClientID(fmt.Sprintf("page-%d", time.Now().UnixNano())).SetAutoReconnect(false).SetConnectTimeout(5 * time.Second)
		c := paho.NewClient(o)
		tok := c.Connect()
		if !tok.WaitTimeout(10 * time.Second) {
			return fmt.Errorf("timeout")
		}
		if tok.Error() == nil {
			c.Disconnect(0)
		}
		return tok.Error()
	}
	// A sim board has an OLED: the code is on the cat's face until a
	// phone logs in with it.
	if !p.waitLog("pairing code on the display until a phone logs in", 5*time.Second) {
		t.Fatalf("pairing code not put on the display:\n%s", p.stderr.String())
	}
	if err := ws("phone", pw); err != nil {
		t.Fatalf("page login: %v", err)
	}
	if !p.waitLog("picture off the display; the face is back", 5*time.Second) {
		t.Fatalf("the face did not come back after a phone logged in:\n%s", p.stderr.String())
	}
	if ws("phone", "guess") == nil || ws("", "") == nil {
		t.Fatal("page websocket took a wrong or no login")
	}

	bin := buildPurrd(t)
	code, out := startProcRaw(t, bin, "pair", "-config", p.cfgPath).exit(t)
	if code != 0 || !strings.Contains(out, url.Values{"p": {pw}}.Encode()) {
		t.Fatalf("purrd pair: exit %d\n%s", code, out)
	}
	code, out = startProcRaw(t, bin, "pair", "-reset", "-config", p.cfgPath).exit(t)
	newPW := strings.TrimSpace(string(must(os.ReadFile(passFile))))
	if code != 0 || newPW == pw || !strings.Contains(out, newPW) {
		t.Fatalf("purrd pair -reset: exit %d, password %q -> %q\n%s", code, pw, newPW, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for ws("phone", newPW) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the new password does not log in")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ws("phone", pw) == nil {
		t.Fatal("the old password still logs in after -reset")
	}
	// The broker checks the password file every 2 s: it disconnects the
	// phones of the old password, and the new code goes on the display.
	if !p.waitLog("phone password changed", 10*time.Second) {
		t.Fatalf("the broker did not notice the new password:\n%s", p.stderr.String())
	}
	deadline = time.Now().Add(5 * time.Second)
	for len(p.logLines("pairing code on the display until a phone logs in")) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the new pairing code was not put on the display:\n%s", p.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
