//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/internal/testenv"
)

const (
	suite = "bookworm"
	// Packages on top of minbase: an init, a bus for systemctl/logind, and
	// the clients the tests use to talk to purrd's embedded broker.
	rootPackages = "systemd,systemd-sysv,dbus,mosquitto-clients"
	// rootRecipe changes whenever the way the root is made changes, so an old
	// cache is never reused for a new recipe.
	rootRecipe    = "minbase-v1"
	defaultMirror = "http://deb.debian.org/debian"
)

// repoRoot is the module's top folder (tests run in e2e/).
func repoRoot(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// requireRoot stops the test when it cannot do what it needs: booting a
// container and debootstrap need root and their tools (CI has both).
func requireRoot(t *testing.T, tools ...string) {
	t.Helper()
	testenv.RequireRoot(t, "debootstrap, unshare and systemd-nspawn (CI runs as root)")
	for _, tool := range tools {
		testenv.LookPath(t, tool, ".ci/install-deps installs it")
	}
}

// cachedRoot returns a pristine Debian root, made once with debootstrap and
// kept under .cache/e2e-root/<hash of suite, mirror and package list>.
// Callers copy it before booting: it is never booted itself.
func cachedRoot(t *testing.T) string {
	t.Helper()
	mirror := os.Getenv("PURRD_E2E_MIRROR")
	if mirror == "" {
		mirror = defaultMirror
	}
	cache := os.Getenv("PURRD_E2E_CACHE")
	if cache == "" {
		cache = filepath.Join(repoRoot(t), ".cache", "e2e-root")
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{rootRecipe, suite, mirror, rootPackages}, "\n")))
	dir := filepath.Join(cache, hex.EncodeToString(sum[:])[:16])
	done := filepath.Join(dir, "ok")
	root := filepath.Join(dir, "root")
	if _, err := os.Stat(done); err == nil {
		t.Logf("debian root: cached %s", root)
		return root
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatalf("remove stale %s: %v", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("mkdir %s: %v", dir, err)
	}
	start := time.Now()
	cmd := exec.Command("debootstrap", "--variant=minbase", "--include="+rootPackages, suite, root, mirror)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tail := string(out)
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		t.Fatalf("debootstrap %s %s %s: %v\n%s", suite, root, mirror, err, tail)
	}
	// debootstrap copies the host's hostname; the cat has its own.
	if err := os.WriteFile(filepath.Join(root, "etc/hostname"), []byte("purrcat\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(done, []byte(rootPackages+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("debian root: debootstrap took %v", time.Since(start).Round(time.Second))
	return root
}

// copyRoot makes a throwaway copy of the pristine root for one boot series.
func copyRoot(t *testing.T, pristine string) string {
	t.Helper()
	dir, err := os.MkdirTemp(filepath.Dir(filepath.Dir(pristine)), "run-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
	})
	root := filepath.Join(dir, "root")
	if out, err := exec.Command("cp", "-a", "--reflink=auto", pristine, root).CombinedOutput(); err != nil {
		t.Fatalf("cp -a %s %s: %v\n%s", pristine, root, err, out)
	}
	return root
}
