package testkit

import (
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestFreeze(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	Freeze(t, cmd.Process.Pid)
	if s, err := procState(cmd.Process.Pid); err != nil || s != 'T' {
		t.Fatalf("state after Freeze = %q, %v; want T", s, err)
	}
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	for {
		if s, _ := procState(cmd.Process.Pid); s != 'T' {
			break
		}
		time.Sleep(time.Millisecond)
	}
}
