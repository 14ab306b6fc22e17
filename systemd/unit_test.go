package systemd

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/purrd/purrd/internal/testenv"
)

const (
	unitFile     = "purrd.service"
	sysusersFile = "sysusers.d/purrd.conf"
	tmpfilesFile = "tmpfiles.d/purrd.conf"
	// installedExec is the ExecStart binary the .deb installs.
	installedExec = "/usr/bin/purrd"
	// maxExposure is the highest systemd-analyze security score accepted
	// (issue 2: "exposure at most 2.0"); --threshold takes it times ten.
	maxExposure = 2.0
)

// requireTool returns the path of a systemd tool. Without it the checks cannot
// run at all: CI (which installs it through .ci/install-deps) fails, a
// developer's machine skips with the reason.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	return testenv.LookPath(t, name, "the systemd package; .ci/install-deps installs it")
}

// buildPurrd builds the real daemon so that verify sees an existing,
// executable ExecStart (it fails when the binary is missing).
func buildPurrd(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "purrd")
	cmd := exec.Command("go", "build", "-o", out, "./daemon/cmd/purrd")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./daemon/cmd/purrd: %v\n%s", err, b)
	}
	return out
}

// readUnit returns the unit's text as shipped.
func readUnit(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatalf("read %s: %v", unitFile, err)
	}
	return string(b)
}

// hostCopy writes the unit with ExecStart pointing at bin, under the same
// file name (systemd-analyze derives the unit name from it).
func hostCopy(t *testing.T, text, bin string) string {
	t.Helper()
	from := "ExecStart=" + installedExec + " "
	if !strings.Contains(text, from) {
		t.Fatalf("%s has no line starting %q", unitFile, from)
	}
	text = strings.Replace(text, from, "ExecStart="+bin+" ", 1)
	p := filepath.Join(t.TempDir(), unitFile)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatalf("write %s: %v", p, err)
	}
	return p
}

// analyze runs systemd-analyze with colours and pager off and returns its
// combined output and exit error.
func analyze(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(requireTool(t, "systemd-analyze"), args...)
	cmd.Env = append(os.Environ(), "SYSTEMD_COLORS=0", "SYSTEMD_PAGER=", "SYSTEMD_LOG_COLOR=0")
	b, err := cmd.CombinedOutput()
	return string(b), err
}

// verify is the unit check: systemd-analyze verify prints warnings for unknown
// keys and bad values yet exits 0, so any output at all is a failure.
func verify(t *testing.T, path string) error {
	t.Helper()
	out, err := analyze(t, "verify", "--man=no", "--no-pager", path)
	if err != nil {
		return errors.New("systemd-analyze verify " + path + ": " + err.Error() + "\n" + out)
	}
	if strings.TrimSpace(out) != "" {
		return errors.New("systemd-analyze verify " + path + " printed:\n" + out)
	}
	return nil
}

var exposureRE = regexp.MustCompile(`Overall exposure level for \S+: ([0-9]+\.[0-9]+)`)

// security runs the offline security analysis with the threshold and returns
// the exposure score it printed.
func security(t *testing.T, path string) (float64, string, error) {
	t.Helper()
	thr := strconv.Itoa(int(maxExposure * 10))
	out, err := analyze(t, "security", "--offline=yes", "--threshold="+thr, "--no-pager", path)
	m := exposureRE.FindStringSubmatch(out)
	if m == nil {
		return 0, out, errors.New("systemd-analyze security printed no exposure level:\n" + out)
	}
	score, perr := strconv.ParseFloat(m[1], 64)
	if perr != nil {
		return 0, out, perr
	}
	return score, out, err
}

func TestUnitVerifiesWithoutAnyOutput(t *testing.T) {
	requireTool(t, "systemd-analyze")
	p := hostCopy(t, readUnit(t), buildPurrd(t))
	if err := verify(t, p); err != nil {
		t.Fatal(err)
	}
}

// The verify check must be able to fail: each broken copy of the unit has to
// be rejected, or a clean result above would mean nothing.
func TestVerifyRejectsBrokenUnits(t *testing.T) {
	requireTool(t, "systemd-analyze")
	exe, err := exec.LookPath("true")
	if err != nil {
		t.Fatalf("no true(1) to stand in for the binary: %v", err)
	}
	unit := readUnit(t)
	cases := []struct {
		name, from, to, want string
	}{
		{"unknown key", "[Service]\n", "[Service]\nPurrLoudly=yes\n", "PurrLoudly"},
		{"bad value", "RestartSec=2s", "RestartSec=soon", "soon"},
		{"bad device policy", "DevicePolicy=closed", "DevicePolicy=ajar", "ajar"},
		{"missing binary", "", "", "purrd-is-not-here"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(unit, c.from, c.to, 1)
			bin := exe
			if c.name == "missing binary" {
				bin = filepath.Join(t.TempDir(), "purrd-is-not-here")
			} else if text == unit {
				t.Fatalf("%q not found in %s: update this test with the unit", c.from, unitFile)
			}
			err := verify(t, hostCopy(t, text, bin))
			if err == nil {
				t.Fatalf("verify accepted a unit with %s", c.name)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("verify rejected the unit but did not name %q:\n%v", c.want, err)
			}
		})
	}
}

func TestUnitExposureAtMost2(t *testing.T) {
	requireTool(t, "systemd-analyze")
	exe, err := exec.LookPath("true")
	if err != nil {
		t.Fatalf("no true(1) to stand in for the binary: %v", err)
	}
	score, out, err := security(t, hostCopy(t, readUnit(t), exe))
	if err != nil {
		t.Fatalf("systemd-analyze security --threshold=%d: %v\n%s", int(maxExposure*10), err, out)
	}
	if score > maxExposure {
		t.Fatalf("exposure %.1f > %.1f\n%s", score, maxExposure, out)
	}
	t.Logf("systemd-analyze security --offline=yes: exposure %.1f (limit %.1f)", score, maxExposure)
}

// Without its hardening block the unit must score above the threshold, so the
// threshold check above is known to bite.
func TestSecurityThresholdRejectsUnhardenedUnit(t *testing.T) {
	requireTool(t, "systemd-analyze")
	exe, err := exec.LookPath("true")
	if err != nil {
		t.Fatalf("no true(1) to stand in for the binary: %v", err)
	}
	unit := readUnit(t)
	start := strings.Index(unit, "# Hardening.")
	end := strings.Index(unit, "[Install]")
	if start < 0 || end < start {
		t.Fatalf("%s has no '# Hardening.' block before [Install]", unitFile)
	}
	score, out, err := security(t, hostCopy(t, unit[:start]+unit[end:], exe))
	if err == nil {
		t.Fatalf("threshold accepted the unhardened unit (exposure %.1f)\n%s", score, out)
	}
	if score <= maxExposure {
		t.Fatalf("unhardened unit scored %.1f, expected above %.1f", score, maxExposure)
	}
}

// section parses one [Section] of a unit into key -> values (in order), the
// way systemd accumulates repeated keys; an empty assignment resets the list.
func section(text, name string) map[string][]string {
	keys := map[string][]string{}
	in := false
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") {
			in = line == "["+name+"]"
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !in || !ok {
			continue
		}
		if v == "" {
			keys[k] = []string{""}
			continue
		}
		keys[k] = append(keys[k], v)
	}
	return keys
}

// The properties other parts of purrd rely on: the daemon's notify protocol
// and exit code 78, the package's paths, the user and devices.
func TestUnitContract(t *testing.T) {
	svc := section(readUnit(t), "Service")
	want := map[string]string{
		"Type":                     "notify",
		"NotifyAccess":             "main",
		"ExecStart":                installedExec + " run -config /etc/purrd/purrd.yaml",
		"Restart":                  "on-failure",
		"RestartPreventExitStatus": "78",
		"User":                     "purrd",
		"SupplementaryGroups":      "gpio i2c spi",
		"StateDirectory":           "purrd",
		"ConfigurationDirectory":   "purrd",
		"DevicePolicy":             "closed",
		"CapabilityBoundingSet":    "",
		"AmbientCapabilities":      "",
		"ProtectSystem":            "strict",
		"ProtectHome":              "yes",
		"PrivateTmp":               "yes",
		"NoNewPrivileges":          "yes",
		"RestrictAddressFamilies":  "AF_UNIX AF_INET AF_INET6",
		"UMask":                    "0077",
	}
	for k, v := range want {
		got, ok := svc[k]
		if !ok {
			t.Errorf("[Service] %s= is missing, want %q", k, v)
			continue
		}
		if len(got) != 1 || got[0] != v {
			t.Errorf("[Service] %s=%q, want %q", k, got, v)
		}
	}
	if w := svc["WatchdogSec"]; len(w) != 1 || w[0] == "" || w[0] == "0" || w[0] == "infinity" {
		t.Errorf("[Service] WatchdogSec=%q: the main loop's pings must be enforced", w)
	}
	devs := svc["DeviceAllow"]
	for _, d := range []string{"char-gpiochip rw", "char-i2c rw", "char-spi rw"} {
		if !slices.Contains(devs, d) {
			t.Errorf("[Service] DeviceAllow=%s is missing (have %q)", d, devs)
		}
	}
	if len(devs) != 3 {
		t.Errorf("[Service] DeviceAllow=%q: only GPIO, I2C and SPI are expected", devs)
	}
}

// sysusersLines returns the sysusers.d entries as fields (quotes kept whole).
func sysusersLines(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile(sysusersFile)
	if err != nil {
		t.Fatalf("read %s: %v", sysusersFile, err)
	}
	field := regexp.MustCompile(`"[^"]*"|\S+`)
	var out [][]string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		out = append(out, field.FindAllString(l, -1))
	}
	return out
}

// The unit's User= and SupplementaryGroups= must be what sysusers.d creates.
func TestSysusersMatchesUnit(t *testing.T) {
	svc := section(readUnit(t), "Service")
	user := svc["User"][0]
	groups := strings.Fields(svc["SupplementaryGroups"][0])
	var haveUser bool
	members := map[string]bool{}
	created := map[string]bool{}
	for _, f := range sysusersLines(t) {
		switch {
		case f[0] == "u" && len(f) > 1 && f[1] == user:
			haveUser = true
		case f[0] == "g" && len(f) > 1:
			created[f[1]] = true
		case f[0] == "m" && len(f) > 2 && f[1] == user:
			members[f[2]] = true
		}
	}
	if !haveUser {
		t.Errorf("%s has no 'u %s' line for the unit's User=", sysusersFile, user)
	}
	for _, g := range groups {
		if !created[g] {
			t.Errorf("%s does not create group %s (a board without it would fail to start the unit)", sysusersFile, g)
		}
		if !members[g] {
			t.Errorf("%s does not add %s to group %s", sysusersFile, user, g)
		}
	}
}

// fileMap reads a passwd/group style file into name -> fields.
func fileMap(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	m := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(l, ":")
		m[f[0]] = f
	}
	return m
}

// Runs the real systemd-sysusers and systemd-tmpfiles on an empty root and
// checks the accounts and directories they make.
func TestSysusersAndTmpfilesCreateAccountsAndDirs(t *testing.T) {
	sysusers := requireTool(t, "systemd-sysusers")
	tmpfiles := requireTool(t, "systemd-tmpfiles")
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf, err := filepath.Abs(sysusersFile)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(sysusers, "--root="+root, conf).CombinedOutput(); err != nil {
		t.Fatalf("systemd-sysusers --root=%s %s: %v\n%s", root, conf, err, b)
	}
	passwd := fileMap(t, filepath.Join(root, "etc/passwd"))
	group := fileMap(t, filepath.Join(root, "etc/group"))
	u, ok := passwd["purrd"]
	if !ok {
		t.Fatalf("no purrd user in %s/etc/passwd: %v", root, passwd)
	}
	uid, err := strconv.Atoi(u[2])
	if err != nil || uid == 0 || uid >= 1000 {
		t.Errorf("purrd uid %q: want a system uid (1..999)", u[2])
	}
	if u[6] != "/usr/sbin/nologin" {
		t.Errorf("purrd shell %q: want /usr/sbin/nologin", u[6])
	}
	for _, g := range []string{"gpio", "i2c", "spi"} {
		f, ok := group[g]
		if !ok {
			t.Errorf("group %s not created", g)
			continue
		}
		if !slices.Contains(strings.Split(f[3], ","), "purrd") {
			t.Errorf("group %s members %q: purrd missing", g, f[3])
		}
	}

	testenv.RequireRoot(t, "systemd-tmpfiles --create must chown to purrd (CI runs as root)")
	tconf, err := filepath.Abs(tmpfilesFile)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(tmpfiles, "--root="+root, "--create", tconf).CombinedOutput(); err != nil {
		t.Fatalf("systemd-tmpfiles --root=%s --create %s: %v\n%s", root, tconf, err, b)
	}
	gid := group["purrd"][2]
	for _, d := range []struct {
		path, uid, gid string
		mode           os.FileMode
	}{
		{"var/lib/purrd", u[2], gid, 0o750},
		{"var/lib/purrd/models", u[2], gid, 0o750},
		{"etc/purrd/secrets", "0", gid, 0o750},
	} {
		fi, err := os.Stat(filepath.Join(root, d.path))
		if err != nil {
			t.Errorf("tmpfiles did not create /%s: %v", d.path, err)
			continue
		}
		if !fi.IsDir() || fi.Mode().Perm() != d.mode {
			t.Errorf("/%s: mode %v, want directory %v", d.path, fi.Mode(), d.mode)
		}
		gotUID, gotGID := owner(fi)
		if gotUID != d.uid || gotGID != d.gid {
			t.Errorf("/%s: owner %s:%s, want %s:%s", d.path, gotUID, gotGID, d.uid, d.gid)
		}
	}
}
