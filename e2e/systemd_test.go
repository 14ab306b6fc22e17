//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	baseVersion    = "0.0.1~e2e1"
	upgradeVersion = "0.0.1~e2e2"
	// editedConfig is what a maker's edit looks like to dpkg: a changed
	// conffile. It also turns the debug stall trigger on for the watchdog test.
	editedConfig = `# edited by the e2e test: must survive the upgrade
version: 1
robot:
  id: e2ecat
debug:
  stall_trigger: true
`
	// badConfig has an unknown key: purrd must exit 78 and not be restarted.
	badConfig = `version: 1
robot:
  id: e2ecat
  purr_volume: 11
`
)

// journalEntry is one record of journalctl -o json (values are strings, or
// byte arrays for binary fields, which the tests do not need).
type journalEntry map[string]any

func (e journalEntry) str(k string) string { s, _ := e[k].(string); return s }

// journal returns the entries of unit after cursor (all when cursor is "").
func (c *container) journal(unit, cursor string) []journalEntry {
	c.t.Helper()
	args := []string{"-u", unit, "-o", "json", "--no-pager"}
	if cursor != "" {
		args = append(args, "--after-cursor="+cursor)
	}
	out := c.must("journalctl", args...)
	var es []journalEntry
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var e journalEntry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			c.t.Fatalf("journalctl -o json line is not JSON: %q: %v", l, err)
		}
		es = append(es, e)
	}
	return es
}

// cursor returns the position after the newest journal entry.
func (c *container) cursor() string {
	c.t.Helper()
	out := c.must("journalctl", "-n", "1", "-o", "json", "--no-pager")
	var e journalEntry
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &e); err != nil {
		c.t.Fatalf("journalctl -n 1 -o json: %q: %v", out, err)
	}
	return e.str("__CURSOR")
}

// hasMessage reports whether any entry's MESSAGE contains text.
func hasMessage(es []journalEntry, text string) bool {
	for _, e := range es {
		if strings.Contains(e.str("MESSAGE"), text) {
			return true
		}
	}
	return false
}

// purrdEntries are the records purrd wrote itself (not systemd's about it).
func purrdEntries(es []journalEntry) []journalEntry {
	var out []journalEntry
	for _, e := range es {
		if e.str("SYSLOG_IDENTIFIER") == "purrd" {
			out = append(out, e)
		}
	}
	return out
}

func messages(es []journalEntry) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "  [%s %s] %s\n", e.str("PRIORITY"), e.str("SYSLOG_IDENTIFIER"), e.str("MESSAGE"))
	}
	return b.String()
}

var exposureRE = regexp.MustCompile(`Overall exposure level for \S+: ([0-9]+\.[0-9]+)`)

// TestDebInRealSystemd installs the amd64 .deb into a Debian root booted with
// systemd-nspawn and checks the service, its journal, MQTT, the watchdog,
// a bad configuration, the sandbox score and the package lifecycle. The
// subtests share one container and run in order: each leaves the state the
// next one starts from.
func TestDebInRealSystemd(t *testing.T) {
	requireRoot(t, "debootstrap", "systemd-nspawn", "unshare", "nsenter", "readelf")
	start := time.Now()
	pristine := cachedRoot(t)
	bin := buildPurrd(t, "amd64", "", "e2e")
	debs := t.TempDir()
	deb1 := mkdeb(t, "amd64", bin, baseVersion, debs)
	deb2 := mkdeb(t, "amd64", bin, upgradeVersion, debs)
	t.Logf("figure: purrd_%s_amd64.deb %d bytes (binary without engine %d bytes)", baseVersion, fileSize(t, deb1), fileSize(t, bin))
	t.Logf("setup (root, build, packages): %v", time.Since(start).Round(time.Millisecond))

	parent := t
	c := boot(t, t, copyRoot(t, pristine), debs)
	t.Logf("figure: container boot (nspawn start to system running): %v", time.Since(c.booted).Round(time.Millisecond))
	// The packaged config leaves robot.id empty: the id is the host name,
	// which the container has from --machine and /etc/hostname.
	robot := "purrcat"

	installed := t.Run("install starts the service through READY=1", func(t *testing.T) {
		c.t = t
		c.must("dpkg", "-i", "/debs/"+filepath.Base(deb1))
		p := c.show("purrd", "Type", "ActiveState", "SubState", "StatusText", "UnitFileState", "User", "ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic")
		if p["Type"] != "notify" || p["ActiveState"] != "active" || p["SubState"] != "running" {
			t.Fatalf("after dpkg -i: %v\njournal:\n%s", p, messages(c.journal("purrd", "")))
		}
		if p["UnitFileState"] != "enabled" {
			t.Errorf("purrd.service is %q after install, want enabled (postinst)", p["UnitFileState"])
		}
		if p["StatusText"] == "" {
			t.Errorf("StatusText is empty: the daemon sent no STATUS=")
		}
		startUS, _ := strconv.ParseInt(p["ExecMainStartTimestampMonotonic"], 10, 64)
		readyUS, _ := strconv.ParseInt(p["ActiveEnterTimestampMonotonic"], 10, 64)
		t.Logf("figure: purrd process start to READY=1 in the container: %v", time.Duration(readyUS-startUS)*time.Microsecond)
		t.Logf("STATUS: %s", p["StatusText"])
		c.must("/usr/bin/purrd", "check-config", "/etc/purrd/purrd.yaml")

		// The account and groups the maintainer scripts made.
		id := c.must("id", "purrd")
		for _, g := range []string{"gpio", "i2c", "spi"} {
			if !strings.Contains(id, "("+g+")") {
				t.Errorf("id purrd = %q: not in group %s", strings.TrimSpace(id), g)
			}
		}
		st := strings.TrimSpace(c.must("stat", "-c", "%U:%G %a", "/var/lib/purrd"))
		if st != "purrd:purrd 750" {
			t.Errorf("/var/lib/purrd is %q, want purrd:purrd 750", st)
		}
	})
	if !installed {
		c.t = t
		t.Fatal("the package did not install and start: the other checks would only repeat that")
	}

	t.Run("systemctl status shows the STATUS line", func(t *testing.T) {
		c.t = t
		out, _ := c.run("systemctl", "status", "purrd", "--no-pager", "-n", "0")
		want := c.show("purrd", "StatusText")["StatusText"]
		if !strings.Contains(out, "Status: \""+want) {
			t.Fatalf("systemctl status has no Status: %q line:\n%s", want, out)
		}
	})

	t.Run("journal has purrd's structured fields", func(t *testing.T) {
		c.t = t
		es := purrdEntries(c.journal("purrd", ""))
		if len(es) == 0 {
			t.Fatalf("no entries with SYSLOG_IDENTIFIER=purrd:\n%s", messages(c.journal("purrd", "")))
		}
		var withComponent int
		for _, e := range es {
			p, err := strconv.Atoi(e.str("PRIORITY"))
			if err != nil || p < 0 || p > 7 {
				t.Errorf("entry without a valid PRIORITY (%q): %s", e.str("PRIORITY"), e.str("MESSAGE"))
			}
			if e.str("PURRD_COMPONENT") != "" {
				withComponent++
			}
			if e.str("_TRANSPORT") != "journal" {
				t.Errorf("entry came through %q, want native journal protocol: %s", e.str("_TRANSPORT"), e.str("MESSAGE"))
			}
		}
		if withComponent == 0 {
			t.Errorf("no entry has PURRD_COMPONENT:\n%s", messages(es))
		}
		t.Logf("%d purrd entries, %d with PURRD_COMPONENT", len(es), withComponent)
	})

	t.Run("mqtt availability, retained state and ping", func(t *testing.T) {
		c.t = t
		c.online(robot)
		s := c.subscribe(1, "purr/"+robot+"/state")
		m, err := s.next(30 * time.Second)
		s.stop()
		if err != nil {
			t.Fatalf("state: %v", err)
		}
		var state map[string]any
		if !m.Retained {
			t.Errorf("state message is not retained: %+v", m)
		}
		if err := json.Unmarshal([]byte(m.Payload), &state); err != nil {
			t.Errorf("state is not a JSON object: %q: %v", m.Payload, err)
		}
		resp := c.ping(robot)
		t.Logf("robot %q; ping response %v", robot, resp)
	})

	t.Run("edited config is used after restart", func(t *testing.T) {
		c.t = t
		c.writeFile("etc/purrd/purrd.yaml", []byte(editedConfig), 0o644)
		c.must("/usr/bin/purrd", "check-config", "/etc/purrd/purrd.yaml")
		c.must("systemctl", "restart", "purrd")
		robot = "e2ecat"
		c.online(robot)
		c.ping(robot)
	})

	t.Run("watchdog kills and restarts a stalled main loop", func(t *testing.T) {
		c.t = t
		before := c.show("purrd", "NRestarts", "MainPID")
		cur := c.cursor()
		c.request(robot, "debug_stall")
		c.waitFor("restart after the watchdog", 90*time.Second, func() (bool, string) {
			p := c.show("purrd", "NRestarts", "ActiveState", "SubState", "MainPID")
			return p["NRestarts"] != before["NRestarts"] && p["ActiveState"] == "active", fmt.Sprint(p)
		})
		es := c.journal("purrd", cur)
		if !hasMessage(es, "Watchdog timeout") || !hasMessage(es, "Failed with result 'watchdog'") {
			t.Fatalf("journal has no watchdog timeout / result 'watchdog':\n%s", messages(es))
		}
		after := c.show("purrd", "NRestarts", "MainPID")
		t.Logf("NRestarts %s -> %s, MainPID %s -> %s", before["NRestarts"], after["NRestarts"], before["MainPID"], after["MainPID"])
		c.online(robot)
		c.ping(robot)
	})

	t.Run("stop publishes offline and exits cleanly", func(t *testing.T) {
		c.t = t
		s := c.subscribe(2, "purr/"+robot+"/availability")
		m, err := s.next(30 * time.Second)
		if err != nil || m.Payload != "online" {
			t.Fatalf("availability before stop: %+v %v", m, err)
		}
		c.must("systemctl", "stop", "purrd")
		m, err = s.next(30 * time.Second)
		s.stop()
		if err != nil || m.Payload != "offline" {
			t.Errorf("availability after stop: %+v %v (want offline)", m, err)
		}
		p := c.show("purrd", "ActiveState", "Result", "ExecMainCode", "ExecMainStatus")
		if p["ActiveState"] != "inactive" || p["Result"] != "success" || p["ExecMainStatus"] != "0" {
			t.Errorf("after stop: %v, want inactive, success, status 0", p)
		}
	})

	t.Run("invalid config fails without a restart loop", func(t *testing.T) {
		c.t = t
		c.writeFile("etc/purrd/purrd.yaml", []byte(badConfig), 0o644)
		cur := c.cursor()
		if _, err := c.run("systemctl", "restart", "purrd"); err == nil {
			t.Errorf("systemctl restart succeeded with a bad config")
		}
		// failed (not activating/auto-restart) means no restart is scheduled;
		// NRestarts counts automatic restarts since the manual restart above.
		p := c.show("purrd", "ActiveState", "SubState", "Result", "ExecMainStatus", "NRestarts")
		if p["ActiveState"] != "failed" || p["Result"] != "exit-code" || p["ExecMainStatus"] != "78" || p["NRestarts"] != "0" {
			t.Errorf("after a bad config: %v; want failed, exit-code, 78, NRestarts 0", p)
		}
		es := c.journal("purrd", cur)
		var found bool
		for _, e := range purrdEntries(es) {
			if strings.Contains(e.str("MESSAGE"), "purr_volume") {
				found = true
				if pr, _ := strconv.Atoi(e.str("PRIORITY")); pr > 3 {
					t.Errorf("config error logged at priority %d, want err (3) or higher: %s", pr, e.str("MESSAGE"))
				}
			}
		}
		if !found {
			t.Errorf("no purrd journal entry names the bad key purr_volume:\n%s", messages(es))
		}
		c.writeFile("etc/purrd/purrd.yaml", []byte(editedConfig), 0o644)
		c.must("systemctl", "reset-failed", "purrd")
		c.must("systemctl", "start", "purrd")
	})

	t.Run("systemd-analyze security inside the container", func(t *testing.T) {
		c.t = t
		out, err := c.run("systemd-analyze", "security", "purrd.service", "--threshold=20", "--no-pager")
		m := exposureRE.FindStringSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("systemd-analyze security --threshold=20: %v\n%s", err, out)
		}
		score, _ := strconv.ParseFloat(m[1], 64)
		if score > 2.0 {
			t.Fatalf("exposure %.1f > 2.0", score)
		}
		t.Logf("figure: exposure inside the container %.1f", score)
	})

	t.Run("upgrade keeps the edited config and restarts", func(t *testing.T) {
		c.t = t
		pid := c.show("purrd", "MainPID")["MainPID"]
		c.must("dpkg", "-i", "/debs/"+filepath.Base(deb2))
		got, err := c.file("etc/purrd/purrd.yaml")
		if err != nil || !bytes.Equal(got, []byte(editedConfig)) {
			t.Errorf("config after upgrade: %q %v; want the edited one", got, err)
		}
		v := strings.TrimSpace(c.must("dpkg-query", "-W", "-f=${Version}", "purrd"))
		if v != upgradeVersion {
			t.Errorf("installed version %q, want %s", v, upgradeVersion)
		}
		p := c.show("purrd", "MainPID", "ActiveState")
		if p["ActiveState"] != "active" || p["MainPID"] == pid {
			t.Errorf("after upgrade: %v (MainPID before %s): want active with a new process", p, pid)
		}
		c.online(robot)
		c.ping(robot)
	})

	t.Run("survives a reboot: enabled, READY=1 timing", func(t *testing.T) {
		c.t = t
		c.poweroff()
		c = boot(t, parent, c.root, debs)
		p := c.show("purrd", "ActiveState", "ActiveEnterTimestampMonotonic")
		if p["ActiveState"] != "active" {
			t.Fatalf("purrd after reboot: %v", p)
		}
		mgr := c.must("systemctl", "show", "-p", "UserspaceTimestampMonotonic")
		us, _ := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(mgr), "UserspaceTimestampMonotonic="), 10, 64)
		ready, _ := strconv.ParseInt(p["ActiveEnterTimestampMonotonic"], 10, 64)
		t.Logf("figure: container systemd start to purrd READY=1: %v", time.Duration(ready-us)*time.Microsecond)
		c.online(robot)
		c.ping(robot)
	})

	t.Run("remove stops, keeps config and state", func(t *testing.T) {
		c.t = t
		// minbase has no procps: list /proc entries owned by the purrd user.
		procs := func() string {
			return strings.TrimSpace(c.must("find", "/proc", "-mindepth", "1", "-maxdepth", "1", "-regex", "/proc/[0-9]+", "-user", "purrd"))
		}
		if procs() == "" {
			t.Fatalf("no purrd process before remove: the check below would prove nothing")
		}
		c.must("dpkg", "-r", "purrd")
		if _, err := c.file("usr/bin/purrd"); !os.IsNotExist(err) {
			t.Errorf("/usr/bin/purrd after remove: %v", err)
		}
		if p := procs(); p != "" {
			t.Errorf("purrd processes still run after remove: %s", p)
		}
		for _, f := range []string{"etc/purrd/purrd.yaml", "var/lib/purrd"} {
			if _, err := os.Stat(filepath.Join(c.root, f)); err != nil {
				t.Errorf("/%s gone after remove (only purge may delete it): %v", f, err)
			}
		}
	})

	t.Run("purge removes config and state", func(t *testing.T) {
		c.t = t
		c.must("dpkg", "-P", "purrd")
		for _, f := range []string{"etc/purrd", "var/lib/purrd"} {
			if _, err := os.Stat(filepath.Join(c.root, f)); !os.IsNotExist(err) {
				t.Errorf("/%s still there after purge: %v", f, err)
			}
		}
		if st, _ := c.run("dpkg-query", "-W", "-f=${Status}", "purrd"); strings.Contains(st, "installed") && !strings.Contains(st, "not-installed") {
			t.Errorf("dpkg still lists purrd: %q", st)
		}
	})

	c.t = t
	c.poweroff()
	t.Logf("figure: e2e systemd test total %v", time.Since(start).Round(time.Second))
}
