package llama

import "syscall"

// childProcAttr makes the brain die with the daemon (Pdeathsig, in case
// the closed stdin is not noticed) and keeps it out of the terminal's
// process group, so Ctrl-C reaches the daemon, which then stops the
// brain in order.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}
