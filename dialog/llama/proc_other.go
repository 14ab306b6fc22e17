//go:build !linux

package llama

import "syscall"

func childProcAttr() *syscall.SysProcAttr { return nil }
