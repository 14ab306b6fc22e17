package testkit

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

// Freeze stops process pid with SIGSTOP, like a hung engine, and returns
// once the kernel shows it stopped. kill(2) only queues the signal: a
// process busy on another core (or in a host syscall of qemu-user, where
// CI runs the ARM tests) can run on, and even answer a request sent right
// after kill returns, which makes a frozen-brain test pass or fail by luck.
func Freeze(t testing.TB, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatalf("kill -STOP %d: %v", pid, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		state, err := procState(pid)
		if err != nil {
			t.Fatalf("freezing %d: %v", pid, err)
		}
		if state == 'T' {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d still in state %q 30 s after SIGSTOP", pid, state)
		}
		time.Sleep(time.Millisecond)
	}
}

// procState is the one-letter state from /proc/<pid>/stat ("R", "S", "T").
func procState(pid int) (byte, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name is in parentheses and may hold spaces: the state
	// is the field after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return 0, fmt.Errorf("/proc/%d/stat: no state in %q", pid, b)
	}
	return b[i+2], nil
}
