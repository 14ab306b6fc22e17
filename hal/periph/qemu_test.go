package periph

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/internal/testenv"
)

// TestQEMUPL061Edge boots a qemu-system-aarch64 "virt" machine whose /init
// is internal/qemuguest, a static arm64 build of purrd's button watcher on
// the PL061 GPIO controller through the real Linux GPIO character device
// (/dev/gpiochip0) and periph's ioctl driver. QEMU's power button is wired
// to line 3: pressing it on the monitor (system_powerdown) makes a real
// edge that the watcher must report as a press.
//
// Needs qemu-system-aarch64 and an arm64 Debian kernel:
//
//	apt-get install qemu-system-arm
//	export PURRD_QEMU_KERNEL=$(hal/periph/testdata/qemu-kernel.sh)
func TestQEMUPL061Edge(t *testing.T) {
	if testing.Short() {
		t.Skip("boots a virtual machine; skipped with -short")
	}
	qemu := testenv.LookPath(t, "qemu-system-aarch64", "the qemu-system-arm package; .ci/install-deps installs it")
	kernel := os.Getenv("PURRD_QEMU_KERNEL")
	if kernel == "" {
		testenv.Missing(t, "PURRD_QEMU_KERNEL=<arm64 vmlinuz> is not set; see hal/periph/testdata/qemu-kernel.sh (.ci/run sets it)")
	}
	dir := t.TempDir()
	guest := filepath.Join(dir, "init")
	build := exec.Command("go", "build", "-trimpath", "-o", guest, "./internal/qemuguest")
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the guest: %v\n%s", err, out)
	}
	bin, err := os.ReadFile(guest)
	if err != nil {
		t.Fatal(err)
	}
	initrd := filepath.Join(dir, "initrd.cpio")
	if err := os.WriteFile(initrd, newcArchive(bin), 0o644); err != nil {
		t.Fatal(err)
	}
	mon := filepath.Join(dir, "mon.sock")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, "-M", "virt", "-cpu", "cortex-a53", "-m", "256", "-smp", "1",
		"-display", "none", "-nic", "none", "-no-reboot", "-serial", "stdio",
		"-monitor", "unix:"+mon+",server,nowait",
		"-kernel", kernel, "-initrd", initrd,
		"-append", "console=ttyAMA0 rdinit=/init panic=-1 loglevel=3")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	lines := make(chan string, 256)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- strings.TrimRight(sc.Text(), "\r")
		}
		close(lines)
	}()
	var console []string
	wait := func(prefix string) string {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("guest ended before %q\nconsole:\n%s\nqemu: %s", prefix, strings.Join(console, "\n"), stderr.String())
				}
				console = append(console, l)
				if strings.Contains(l, "GUEST: FAIL") {
					t.Fatalf("guest failed: %s\nconsole:\n%s", l, strings.Join(console, "\n"))
				}
				if i := strings.Index(l, prefix); i >= 0 {
					return l[i:]
				}
			case <-ctx.Done():
				t.Fatalf("timed out waiting for %q\nconsole:\n%s", prefix, strings.Join(console, "\n"))
			}
		}
	}
	ready := wait("GUEST: READY")
	t.Log(ready)
	// Press QEMU's power button: the virt board raises PL061 line 3.
	c, err := net.Dial("unix", mon)
	if err != nil {
		t.Fatalf("monitor: %v", err)
	}
	defer c.Close()
	if _, err := fmt.Fprintf(c, "system_powerdown\n"); err != nil {
		t.Fatal(err)
	}
	ev := wait("GUEST: EVENT")
	if !strings.Contains(ev, "EVENT press device=power_button") {
		t.Fatalf("first event %q, want a press from power_button", ev)
	}
	if r := wait("GUEST: WATCH RETURNED"); !strings.HasSuffix(r, "err=<nil>") {
		t.Fatalf("watcher ended with %q", r)
	}
	t.Log(ev)
}

// newcArchive is a cpio "newc" initramfs holding /init, the mount points
// and /dev/console (the kernel opens it for init's stdio before devtmpfs
// is mounted).
func newcArchive(initBin []byte) []byte {
	var b bytes.Buffer
	ino := 1
	add := func(name string, mode uint32, data []byte, rmaj, rmin int) {
		fmt.Fprintf(&b, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			ino, mode, 0, 0, 1, 0, len(data), 0, 0, rmaj, rmin, len(name)+1, 0)
		ino++
		b.WriteString(name)
		b.WriteByte(0)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
		b.Write(data)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	const dir, reg, chr = 0o040000, 0o100000, 0o020000
	add("dev", dir|0o755, nil, 0, 0)
	add("dev/console", chr|0o600, nil, 5, 1)
	add("proc", dir|0o755, nil, 0, 0)
	add("sys", dir|0o755, nil, 0, 0)
	add("init", reg|0o755, initBin, 0, 0)
	add("TRAILER!!!", 0, nil, 0, 0)
	return b.Bytes()
}
