//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cmdTimeout bounds any single command run in the container; generous for a
// loaded 2-core machine.
const cmdTimeout = 90 * time.Second

// container is one boot of a Debian root under systemd-nspawn. Commands run
// inside by entering the namespaces of the container's PID 1 with nsenter:
// with --register=no there is no machined, so `systemd-run -M` and
// `machinectl shell` cannot be used.
type container struct {
	t      *testing.T
	root   string
	nspawn *exec.Cmd
	exited chan error
	log    string
	leader int
	booted time.Time // when nspawn was started
}

// boot starts the container and waits until its systemd has finished booting.
// The container is killed, if still running, when owner's test ends.
func boot(t, owner *testing.T, root, debs string) *container {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "nspawn-*.log")
	if err != nil {
		t.Fatal(err)
	}
	c := &container{t: t, root: root, log: logf.Name(), exited: make(chan error, 1)}
	script, err := filepath.Abs("boot.sh")
	if err != nil {
		t.Fatal(err)
	}
	c.nspawn = exec.Command("unshare", "-m", "--propagation", "private", script, root, debs)
	c.nspawn.Stdout = logf
	c.nspawn.Stderr = logf
	c.booted = time.Now()
	if err := c.nspawn.Start(); err != nil {
		t.Fatalf("start %v: %v", c.nspawn.Args, err)
	}
	logf.Close()
	go func() { c.exited <- c.nspawn.Wait() }()
	owner.Cleanup(c.kill)

	// unshare and boot.sh exec into systemd-nspawn, so the container's PID 1
	// is a direct child of the process started above (nspawn's short-lived
	// helper children are not PID 1 of a new namespace, and are passed over).
	deadline := time.Now().Add(30 * time.Second)
	for c.leader == 0 {
		select {
		case err := <-c.exited:
			c.exited <- err
			t.Fatalf("systemd-nspawn exited during boot: %v\n%s", err, c.logTail())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no container PID 1 under systemd-nspawn (pid %d) after 30 s\n%s", c.nspawn.Process.Pid, c.logTail())
		}
		c.leader = childOf(c.nspawn.Process.Pid)
		if c.leader == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	// "offline" until the container's systemd listens on its private socket;
	// after that --wait blocks until the boot is over.
	var state string
	deadline = time.Now().Add(60 * time.Second)
	for {
		out, err := c.run("systemctl", "is-system-running", "--wait")
		state = strings.TrimSpace(out)
		if state != "offline" && state != "" || time.Now().After(deadline) {
			_ = err
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if state != "running" {
		failed, _ := c.run("systemctl", "--failed", "--no-legend")
		t.Fatalf("container did not boot cleanly: is-system-running=%q; failed units:\n%s\n%s", state, failed, c.logTail())
	}
	return c
}

// childOf returns the child of pid that is PID 1 of its own PID namespace
// (the container's init), or 0.
func childOf(pid int) int {
	for _, n := range children(pid) {
		st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(n), "status"))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(st), "\n") {
			ns := strings.Fields(strings.TrimPrefix(l, "NSpid:"))
			if strings.HasPrefix(l, "NSpid:") && len(ns) > 1 && ns[len(ns)-1] == "1" {
				return n
			}
		}
	}
	return 0
}

// command builds a command that runs inside the container, with a clean
// environment.
func (c *container) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	full := []string{"-t", strconv.Itoa(c.leader), "-m", "-u", "-i", "-n", "-p", "-C",
		"env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
		"SYSTEMD_COLORS=0", "SYSTEMD_PAGER=", "DEBIAN_FRONTEND=noninteractive", name}
	cmd := exec.CommandContext(ctx, "nsenter", append(full, args...)...)
	// nsenter forks to enter the PID namespace; killing nsenter alone would
	// leave its child running inside the container.
	cmd.Cancel = func() error {
		for _, p := range children(cmd.Process.Pid) {
			_ = syscall.Kill(p, syscall.SIGKILL)
		}
		return cmd.Process.Kill()
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// children returns the process ids whose parent is pid.
func children(pid int) []int {
	var out []int
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid(n) == pid {
			out = append(out, n)
		}
	}
	return out
}

// ppid returns the parent of pid, or -1.
func ppid(pid int) int {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return -1
	}
	// Fields after the ")" that closes comm: state ppid ...
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return -1
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return -1
	}
	return n
}

// run runs a command inside the container and returns its stdout; the error
// carries stderr.
func (c *container) run(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := c.command(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%s %s: %w\nstderr: %s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

// must runs a command inside the container and fails the test when it fails.
func (c *container) must(name string, args ...string) string {
	c.t.Helper()
	out, err := c.run(name, args...)
	if err != nil {
		c.t.Fatalf("in container: %v\nstdout: %s", err, out)
	}
	return out
}

// show returns unit properties as a map (systemctl show -p ...).
func (c *container) show(unit string, props ...string) map[string]string {
	c.t.Helper()
	out := c.must("systemctl", "show", unit, "-p", strings.Join(props, ","))
	m := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			m[k] = v
		}
	}
	return m
}

// waitFor polls cond (each poll is a real query, not a guess) until it holds
// or the timeout passes.
func (c *container) waitFor(what string, timeout time.Duration, cond func() (bool, string)) {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		if time.Now().After(deadline) {
			c.t.Fatalf("%s: not reached within %v; last: %s", what, timeout, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// poweroff shuts the container down and waits for nspawn to exit.
func (c *container) poweroff() {
	c.t.Helper()
	if _, err := c.run("systemctl", "poweroff"); err != nil {
		c.t.Logf("systemctl poweroff: %v", err)
	}
	select {
	case err := <-c.exited:
		c.exited <- err
		if err != nil {
			c.t.Errorf("systemd-nspawn exited with %v after poweroff\n%s", err, c.logTail())
		}
	case <-time.After(60 * time.Second):
		c.t.Errorf("container still running 60 s after poweroff\n%s", c.logTail())
		c.kill()
	}
}

// kill ends this test's own nspawn process if it still runs.
func (c *container) kill() {
	select {
	case err := <-c.exited:
		c.exited <- err
		return
	default:
	}
	_ = c.nspawn.Process.Kill()
	select {
	case err := <-c.exited:
		c.exited <- err
	case <-time.After(30 * time.Second):
		c.t.Errorf("systemd-nspawn pid %d did not exit after SIGKILL", c.nspawn.Process.Pid)
	}
}

func (c *container) logTail() string {
	b, err := os.ReadFile(c.log)
	if err != nil {
		return err.Error()
	}
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// file reads a file of the container's root from the host side.
func (c *container) file(path string) ([]byte, error) {
	return os.ReadFile(filepath.Join(c.root, path))
}

// writeFile writes a file into the container's root from the host side.
func (c *container) writeFile(path string, data []byte, mode os.FileMode) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.root, path), data, mode); err != nil {
		c.t.Fatal(err)
	}
}
