// Command qemuguest is the /init of a tiny arm64 initramfs booted by
// hal/periph's qemu test: in a qemu-system-aarch64 "virt" machine it opens
// line 3 of the PL061 GPIO controller (wired to QEMU's power button)
// through the Linux GPIO character device and periph's ioctl driver, runs
// purrd's button watcher on it, and reports the events it sees on the
// serial console. It is not part of purrd.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"syscall"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/host/v3"
	"periph.io/x/host/v3/gpioioctl"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/periph"
)

func say(format string, a ...any) { fmt.Printf("GUEST: "+format+"\n", a...) }

func main() {
	defer func() {
		if r := recover(); r != nil {
			say("PANIC %v", r)
		}
		syscall.Sync()
		_ = syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	}()
	for _, m := range []struct{ src, dst, typ string }{{"devtmpfs", "/dev", "devtmpfs"}, {"proc", "/proc", "proc"}, {"sysfs", "/sys", "sysfs"}} {
		_ = os.MkdirAll(m.dst, 0o755)
		if err := syscall.Mount(m.src, m.dst, m.typ, 0, ""); err != nil && err != syscall.EBUSY {
			say("FAIL mount %s: %v", m.dst, err)
			return
		}
	}
	st, err := host.Init()
	if err != nil {
		say("FAIL host.Init: %v", err)
		return
	}
	for _, d := range st.Loaded {
		say("driver loaded: %s", d)
	}
	if len(gpioioctl.Chips) == 0 {
		say("FAIL no GPIO chip")
		return
	}
	chip := gpioioctl.Chips[0]
	say("chip %s (%s), %d lines", chip.Name(), chip.Label(), chip.LineCount())
	line := chip.ByNumber(3)
	if line == nil {
		say("FAIL no line 3")
		return
	}
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	board, err := periph.OpenWith(context.Background(),
		[]hal.DeviceSpec{{Name: "power_button", Kind: hal.KindButton, Pin: "PL061_3", Pull: "none"}},
		hal.Timing{Debounce: 5 * time.Millisecond, LongPress: 10 * time.Second}, log,
		periph.Hardware{Pins: map[string]gpio.PinIO{"PL061_3": line}})
	if err != nil {
		say("FAIL open: %v", err)
		return
	}
	defer board.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	got := make(chan hal.Event, 8)
	done := make(chan error, 1)
	go func() { done <- board.Inputs[0].Watch(ctx, func(e hal.Event) { got <- e }) }()
	say("READY level=%s", line.Read())
	select {
	case e := <-got:
		say("EVENT %s device=%s", e.Kind, e.Device)
	case <-ctx.Done():
		say("FAIL no edge within 60s")
	}
	cancel()
	select {
	case err := <-done:
		say("WATCH RETURNED err=%v", err)
	case <-time.After(5 * time.Second):
		say("FAIL watcher did not stop")
	}
}
