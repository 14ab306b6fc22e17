package daemon

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadyStatusAndStopping(t *testing.T) {
	p := startProc(t, "")
	ready := p.waitNote("READY=1", 20*time.Second)
	if !strings.Contains(ready, "STATUS=mood=") || !strings.Contains(ready, "hal=sim") || !strings.Contains(ready, "brain=rules") {
		t.Errorf("READY datagram lacks the status summary: %q", ready)
	}
	ph := p.phone()
	ph.publish(p.base+"/cmd/ping", `{"id":"p1"}`)
	resp := ph.await(p.base+"/response/ping", 10*time.Second, idIs("p1"))
	if resp["status"] != "ok" {
		t.Fatalf("ping response %v", resp)
	}
	avail := ph.raw(p.base + "/availability")
	if len(avail) == 0 || string(avail[len(avail)-1]) != "online" {
		t.Errorf("availability %q, want online", lastOf(avail))
	}
	p.signal(syscall.SIGTERM)
	p.waitNote("STOPPING=1", 5*time.Second)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0", code)
	}
	// State saved on the way out.
	data, err := os.ReadFile(filepath.Join(p.dir, "state", "state.json"))
	if err != nil {
		t.Fatalf("state not saved on SIGTERM: %v", err)
	}
	var s savedState
	if err := json.Unmarshal(data, &s); err != nil || s.Version != 1 || len(s.Mind) == 0 {
		t.Fatalf("saved state unusable: %v %s", err, data)
	}
}

// A broker port another program holds must fail the start, before READY:
// a cat announced ready that no phone can reach is worse than a failed
// start systemd reports and retries.
func TestTakenBrokerPortFailsBeforeReady(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port
	p := startProcSetup(t, "", func(dir string) {
		writeFile(t, filepath.Join(dir, "purrd.yaml"), simConfig(dir, port, ""))
	})
	if code := p.wait(20 * time.Second); code == 0 {
		t.Fatalf("exit code 0 with mqtt.embedded.listen taken, want a failure")
	}
	// Datagrams arrive in order, and STOPPING follows a READY on every
	// path: once it is read, a READY would have been too. (waitNote gives
	// up once the process has exited; the datagrams may still be in flight.)
	for deadline := time.Now().Add(5 * time.Second); !slices.Contains(p.allNotes(), "STOPPING=1"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no STOPPING=1 datagram within 5 s of exit; got %q", p.allNotes())
		}
	}
	for _, n := range p.allNotes() {
		if strings.Contains(n, "READY=1") {
			t.Errorf("READY sent although the broker could not listen: %q", n)
		}
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if out := p.stderr.String(); !strings.Contains(out, addr) || !strings.Contains(out, "address already in use") {
		t.Errorf("stderr does not name the taken address %s and why:\n%s", addr, out)
	}
}

func TestWatchdogPingsOnlyWhileLoopRuns(t *testing.T) {
	// WATCHDOG_USEC of 400 ms asks for a ping every 200 ms.
	p := startProc(t, "debug: {stall_trigger: true}\n", "WATCHDOG_USEC=400000", "WATCHDOG_PID=")
	p.waitNote("READY=1", 20*time.Second)
	start := p.countNotes("WATCHDOG=1")
	time.Sleep(2 * time.Second)
	pings := p.countNotes("WATCHDOG=1") - start
	// 10 expected in 2 s; allow a loaded machine to be late, never early.
	if pings < 5 || pings > 12 {
		t.Fatalf("%d watchdog pings in 2 s with a 200 ms interval, want about 10", pings)
	}
	ph := p.phone()
	ph.publish(p.base+"/cmd/debug_stall", `{"id":"s1"}`)
	ph.await(p.base+"/response/debug_stall", 10*time.Second, idIs("s1"))
	time.Sleep(300 * time.Millisecond) // a ping already in flight may land
	before := p.countNotes("WATCHDOG=1")
	time.Sleep(1500 * time.Millisecond)
	if after := p.countNotes("WATCHDOG=1"); after != before {
		t.Fatalf("%d watchdog pings while the loop was stalled; a stalled loop must stop pinging", after-before)
	}
	// A stalled loop still stops on SIGTERM within the budget.
	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestDebugStallDisabledByDefault(t *testing.T) {
	p := startProc(t, "", "WATCHDOG_USEC=400000")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/cmd/debug_stall", `{"id":"s2"}`)
	r := ph.await(p.base+"/response/debug_stall", 10*time.Second, idIs("s2"))
	if r["status"] != "error" {
		t.Fatalf("debug_stall accepted without debug.stall_trigger: %v", r)
	}
	n := p.countNotes("WATCHDOG=1")
	time.Sleep(time.Second)
	if p.countNotes("WATCHDOG=1") <= n {
		t.Fatal("watchdog stopped although the stall was refused")
	}
}

func TestConfigErrorExitCode(t *testing.T) {
	bin := buildPurrd(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "version: 1\nlog: {level: loud}\nmqtt: {outbox_size: -3}\n")
	p := startProcRaw(t, bin, "run", "-config", bad)
	code, out := p.exit(t)
	if code != ExitConfig {
		t.Fatalf("exit %d for a bad config, want %d\n%s", code, ExitConfig, out)
	}
	if !strings.Contains(out, "log.level") || !strings.Contains(out, "mqtt.outbox_size") {
		t.Errorf("not every problem printed:\n%s", out)
	}
	p = startProcRaw(t, bin, "run", "-config", filepath.Join(dir, "missing.yaml"))
	code, out = p.exit(t)
	if code != ExitConfig || !strings.Contains(out, "missing.yaml") {
		t.Fatalf("missing config: exit %d\n%s", code, out)
	}
}

func TestCheckConfigCommand(t *testing.T) {
	bin := buildPurrd(t)
	code, out := startProcRaw(t, bin, "check-config", "../configs/purrd.yaml").exit(t)
	if code != 0 {
		t.Fatalf("reference config rejected (exit %d):\n%s", code, out)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "version: 1\nrobot: {idd: x}\nhardware: {board: moon}\n")
	code, out = startProcRaw(t, bin, "check-config", bad).exit(t)
	if code != 1 || !strings.Contains(out, "bad.yaml:2") || !strings.Contains(out, "bad.yaml:3") {
		t.Fatalf("check-config on a bad file: exit %d\n%s", code, out)
	}
}

func TestHupReloadKeepsOldConfigWhenBroken(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	good, _ := os.ReadFile(p.cfgPath)
	writeFile(t, p.cfgPath, "version: 1\nlog: {level: shouting}\n")
	p.signal(syscall.SIGHUP)
	// systemd keeps a Type=notify unit "reloading" until READY=1 comes
	// again, also when the new file is rejected.
	p.waitNote("RELOADING=1", 10*time.Second)
	p.waitNote("READY=1", 10*time.Second)
	if !p.waitLog("reload_rejected", 10*time.Second) {
		t.Fatalf("no reload_rejected log line\n%s", p.stderr.String())
	}
	if !p.waitLog("shouting", 5*time.Second) {
		t.Errorf("the rejected problem is not named in the log")
	}
	// Still alive and answering with the old config.
	ph := p.phone()
	ph.publish(p.base+"/cmd/ping", `{"id":"after-hup"}`)
	ph.await(p.base+"/response/ping", 10*time.Second, idIs("after-hup"))
	// A good file with a new level is applied.
	writeFile(t, p.cfgPath, strings.Replace(string(good), "level: debug", "level: warn", 1))
	p.signal(syscall.SIGHUP)
	if !p.waitLog("level=warn", 10*time.Second) {
		t.Fatalf("good reload not applied\n%s", p.stderr.String())
	}
	// The model takes its sampling at start: a change is named as
	// needing a restart.
	hot := strings.Replace(strings.Replace(string(good), "level: debug", "level: warn", 1), "brain: {kind: rules,", "brain: {kind: rules, sampling: {temperature: 1.0},", 1)
	if hot == strings.Replace(string(good), "level: debug", "level: warn", 1) {
		t.Fatalf("no brain line to change in\n%s", good)
	}
	writeFile(t, p.cfgPath, hot)
	p.signal(syscall.SIGHUP)
	if !p.waitLog("brain sampling", 10*time.Second) {
		t.Fatalf("a sampling change is not named as needing a restart\n%s", p.stderr.String())
	}
	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestCorruptStateStartsFresh(t *testing.T) {
	p := startProcSetup(t, "", func(dir string) {
		os.MkdirAll(filepath.Join(dir, "state"), 0o700)
		writeFile(t, filepath.Join(dir, "state", "state.json"), "{\"version\":1,\"mind\":{\"garbage")
	})
	p.waitNote("READY=1", 20*time.Second)
	if !p.waitLog("state_corrupt", 5*time.Second) {
		t.Fatalf("corrupt state not reported\n%s", p.stderr.String())
	}
	matches, _ := filepath.Glob(filepath.Join(p.dir, "state", "state.json.corrupt-*"))
	if len(matches) != 1 {
		t.Fatalf("corrupt file not moved aside: %v", matches)
	}
	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.ReadFile(filepath.Join(p.dir, "state", "state.json")); err != nil {
		t.Fatalf("fresh state not saved: %v", err)
	}
}
