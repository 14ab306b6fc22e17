package daemon

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/internal/testenv"
	"github.com/purrd/purrd/internal/testkit"
)

// TestJournald runs the real purrd binary against a real systemd-journald
// (started in a private mount namespace so it owns its own
// /run/systemd/journal/socket, which client libraries hard-code) and reads
// the entries back with journalctl -o json.
func TestJournald(t *testing.T) {
	testenv.RequireRoot(t, "journald is started in a private mount namespace (CI runs as root)")
	for _, tool := range []string{"unshare", "journalctl", "/lib/systemd/systemd-journald"} {
		testenv.LookPath(t, tool, "util-linux and systemd; .ci/install-deps installs them")
	}
	bin := buildPurrd(t)
	dir := t.TempDir()
	port := testkit.FreePort(t)
	cfgPath := filepath.Join(dir, "purrd.yaml")
	writeFile(t, cfgPath, fmt.Sprintf(`version: 1
robot: {id: journaltest}
log: {level: debug, format: journal}
state: {dir: %s/state}
hardware: {board: sim, sim: {keyboard: "off"}}
mqtt:
  embedded: {listen: "127.0.0.1:%d"}
brain: {kind: rules}
`, dir, port))
	badPath := filepath.Join(dir, "bad.yaml")
	writeFile(t, badPath, "version: 1\nlog: {level: loud}\n")

	script := fmt.Sprintf(`set -e
mount -t tmpfs tmpfs /run
mkdir -p %[1]s/varlog && mount --bind %[1]s/varlog /var/log
/lib/systemd/systemd-journald &
J=$!
for i in $(seq 200); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
%[2]s run -config %[3]s &
P=$!
for i in $(seq 400); do journalctl -q SYSLOG_IDENTIFIER=purrd PURRD_EVENT=ready | grep -q . && break; sleep 0.05; done
kill -TERM $P; wait $P || echo "purrd exit $?"
# A bad config: its error must reach the journal too (through stderr here).
%[2]s run -config %[4]s 2>&1 | systemd-cat -t purrd -p err || true
journalctl --sync || true
journalctl -o json --no-pager SYSLOG_IDENTIFIER=purrd > %[1]s/out.json
kill $J
`, dir, bin, cfgPath, badPath)
	cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c", script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("journald run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out.json"))
	if err != nil {
		t.Fatalf("reading journal export: %v\n%s", err, out)
	}
	var entries []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("bad journal json line %q: %v", sc.Text(), err)
		}
		entries = append(entries, e)
	}
	find := func(field, value string) map[string]any {
		for _, e := range entries {
			if s, _ := e[field].(string); s == value {
				return e
			}
		}
		return nil
	}
	ready := find("PURRD_EVENT", "ready")
	if ready == nil {
		t.Fatalf("no entry with PURRD_EVENT=ready among %d entries:\n%s\nscript output:\n%s", len(entries), data, out)
	}
	if ready["PRIORITY"] != "6" || ready["PURRD_COMPONENT"] != "daemon" || ready["MESSAGE"] != "ready" {
		t.Errorf("ready entry fields wrong: PRIORITY=%v COMPONENT=%v MESSAGE=%v", ready["PRIORITY"], ready["PURRD_COMPONENT"], ready["MESSAGE"])
	}
	if ready["PURRD_BOARD"] != "sim" {
		t.Errorf("structured field PURRD_BOARD = %v, want sim", ready["PURRD_BOARD"])
	}
	if find("PURRD_EVENT", "stopped") == nil {
		t.Errorf("no stopped entry: graceful stop not logged")
	}
	debug := false
	for _, e := range entries {
		if e["PRIORITY"] == "7" {
			debug = true
		}
	}
	if !debug {
		t.Errorf("log.level debug produced no PRIORITY=7 entries")
	}
	bad := false
	for _, e := range entries {
		if m, _ := e["MESSAGE"].(string); strings.Contains(m, "log.level") && e["PRIORITY"] == "3" {
			bad = true
		}
	}
	if !bad {
		t.Errorf("config error for log.level not in the journal at priority err:\n%s", data)
	}
}
