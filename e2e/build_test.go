//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildPurrd builds daemon/cmd/purrd for GOARCH (and GOARM) without the
// model engine (CGO off) unless PURRD_E2E_BIN_<goarch> names a binary built
// elsewhere (for instance by `make cross`, with the engine).
func buildPurrd(t *testing.T, goarch, goarm, version string) string {
	t.Helper()
	if p := os.Getenv("PURRD_E2E_BIN_" + strings.ToUpper(goarch)); p != "" {
		t.Logf("purrd for %s: using %s", goarch, p)
		return p
	}
	out := filepath.Join(t.TempDir(), "purrd-"+goarch)
	cmd := exec.Command("go", "build", "-trimpath",
		"-ldflags", "-s -w -X main.version="+version+" -X main.commit=e2e",
		"-o", out, "./daemon/cmd/purrd")
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch, "GOARM="+goarm)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOARCH=%s go build ./daemon/cmd/purrd: %v\n%s", goarch, err, b)
	}
	return out
}

// mkdeb packages bin with packaging/mkdeb.sh and returns the .deb's path.
func mkdeb(t *testing.T, arch, bin, version, outdir string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(repoRoot(t), "packaging", "mkdeb.sh"),
		"-a", arch, "-b", bin, "-v", version, "-o", outdir)
	cmd.Dir = repoRoot(t)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("packaging/mkdeb.sh -a %s -v %s: %v\n%s", arch, version, err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	deb := lines[len(lines)-1]
	if _, err := os.Stat(deb); err != nil {
		t.Fatalf("mkdeb.sh printed %q, which does not exist: %v", deb, err)
	}
	return deb
}

// fileSize returns a file's size in bytes, failing the test if it is missing.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
