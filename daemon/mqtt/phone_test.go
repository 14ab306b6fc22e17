package mqtt

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
)

// phoneVenv returns the python of .cache/phone-venv, building it first
// from testdata/phone/requirements.txt (hash-pinned paho-mqtt) when it is
// missing. Several test binaries may race to build it: a lock file
// serialises them.
func phoneVenv(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	venv := filepath.Join(root, ".cache", "phone-venv")
	py := filepath.Join(venv, "bin", "python")
	req := filepath.Join(root, "daemon", "mqtt", "testdata", "phone", "requirements.txt")
	want, err := os.ReadFile(req)
	if err != nil {
		t.Fatal(err)
	}
	stamp := filepath.Join(venv, ".requirements")
	if have, err := os.ReadFile(stamp); err == nil && bytes.Equal(have, want) {
		return py
	}
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed for the phone-app tests: %v", err)
		}
		t.Skipf("real external condition missing: python3 (%v)", err)
	}
	if err := os.MkdirAll(filepath.Dir(venv), 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(venv+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if have, err := os.ReadFile(stamp); err == nil && bytes.Equal(have, want) {
		return py // another test binary built it while we waited
	}
	os.RemoveAll(venv)
	for _, args := range [][]string{
		{"python3", "-m", "venv", venv},
		{py, "-m", "pip", "install", "-q", "--no-deps", "--require-hashes", "-r", req},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if err := os.WriteFile(stamp, want, 0o644); err != nil {
		t.Fatal(err)
	}
	return py
}

// phone runs one scenario of testdata/phone/phone.py against addr and
// decodes its JSON report into out.
func phone(t testing.TB, addr, user, password, scenario string, out any, args ...string) {
	t.Helper()
	py := phoneVenv(t)
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(addr, "tcp://"))
	if password == "" {
		password = "-"
	}
	if password == "<empty>" {
		password = ""
	}
	argv := append([]string{"testdata/phone/phone.py", scenario, host, port, user, password, base}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, argv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("phone.py %s: %v\nstdout: %s\nstderr: %s", scenario, err, stdout, stderr.String())
	}
	if err := json.Unmarshal(bytes.TrimSpace(stdout), out); err != nil {
		t.Fatalf("phone.py %s: %v: %s", scenario, err, stdout)
	}
}

// phoneEnv is an embedded broker with a phone user and the daemon
// answering commands, like `purrd run`.
func phoneEnv(t *testing.T) *env {
	e := newEnv(t, "embedded", func(o *Options) {
		o.Config.Embedded.Users = []config.User{
			{Username: "phone", PasswordFile: "/x/phone", Role: RolePhone},
			{Username: "admin", PasswordFile: "/x/admin", Role: RoleAdmin},
		}
		o.UserPasswords = map[string]string{"phone": "phone-pw", "admin": "admin-pw"}
	}, "")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go serve(ctx, e.link)
	e.link.SetState(map[string]any{"mood": "content"})
	return e
}

// Defect 1 of issue 11: mochi kept the client's and its own packet ids in
// one map, so a SUBSCRIBE whose id equalled a retained delivery still
// waiting for its PUBACK got 0x91. A phone app subscribing per widget got
// blank widgets at random.
func TestPhoneFiveSubscribes(t *testing.T) {
	e := phoneEnv(t)
	// Retained messages under the base, so the first SUBSCRIBE sets off a
	// stream of QoS 1 deliveries with ids 1, 2, 3… while the app's next
	// SUBSCRIBEs (ids 2, 3, 4…) arrive.
	admin := newObserver(t, e.url, withUser("admin", "admin-pw"))
	for i := range 20 {
		admin.pub(base+"/retained/"+strconv.Itoa(i), true, `{"n":`+strconv.Itoa(i)+`}`)
	}
	runs := 100
	if testing.Short() {
		runs = 20
	}
	var rep struct {
		Runs       int            `json:"runs"`
		AllGranted int            `json:"all_granted"`
		Codes      map[string]int `json:"codes"`
		P50        float64        `json:"p50_ms"`
		Max        float64        `json:"max_ms"`
	}
	phone(t, e.url, "phone", "phone-pw", "subscribe5", &rep, strconv.Itoa(runs))
	t.Logf("%d/%d runs had 5/5 granted; SUBACK codes %v; p50 %.1f ms, max %.1f ms", rep.AllGranted, rep.Runs, rep.Codes, rep.P50, rep.Max)
	if rep.AllGranted != runs {
		t.Fatalf("five QoS 1 subscribes back to back: %d of %d runs had all five granted (codes %v)", rep.AllGranted, runs, rep.Codes)
	}
}

// Defect 2 of issue 11: each forbidden QoS 1 publish was logged as a raw
// packet dump, payload and all, with no limit: twenty 120 KB publishes
// added 7.2 MB to the journal. Denials are now one line per client a
// minute, with a count, and never a payload.
func TestPhoneDeniedLogged(t *testing.T) {
	e := phoneEnv(t)
	e.link.broker.logs.setEvery(30 * time.Second)
	before := len(e.logs.String())
	var rep struct{ Published, Dropped int }
	phone(t, e.url, "phone", "phone-pw", "denied", &rep, "20", strconv.Itoa(120<<10))
	if rep.Dropped != 20 {
		t.Errorf("%d of 20 forbidden QoS 1 publishes cost the connection, want all (3.1.1 has no negative PUBACK)", rep.Dropped)
	}
	e.stop() // the broker stops: the open window's count is logged
	var warns []string
	for _, ln := range strings.Split(e.logs.String()[before:], "\n") {
		if strings.Contains(ln, "level=WARN") || strings.Contains(ln, "level=ERROR") {
			warns = append(warns, ln)
		}
	}
	logs := strings.Join(warns, "\n")
	t.Logf("warnings after 20 denied 120 KB publishes: %d bytes", len(logs))
	if strings.Contains(logs, "xxxxxxxx") {
		t.Fatalf("a denied payload reached the log (%d bytes of log)", len(logs))
	}
	if len(logs) > 4096 {
		t.Fatalf("20 denied publishes wrote %d bytes of log, want a few lines:\n%.3000s", len(logs), logs)
	}
	var lines []string
	total := 0
	for _, ln := range strings.Split(logs, "\n") {
		if !strings.Contains(ln, "denied access") {
			continue
		}
		lines = append(lines, ln)
		n := 1
		if i := strings.Index(ln, " count="); i >= 0 {
			n, _ = strconv.Atoi(strings.Fields(ln[i+len(" count="):])[0])
		}
		total += n
	}
	if len(lines) == 0 || len(lines) > 3 || total != 20 {
		t.Fatalf("denials logged as %d lines counting %d, want 1-3 lines counting 20:\n%s", len(lines), total, logs)
	}
}
