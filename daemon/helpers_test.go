package daemon

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// purrdBin is built once per test binary by TestMain (tests that run the
// real process need it; building per test would cost seconds each).
var purrdBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "purrd-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	purrdBin = filepath.Join(dir, "purrd")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildPurrd builds daemon/cmd/purrd, with the model engine when the tests
// are built with -tags llama (the CGO flags come from the environment, as
// make test sets them), and with -race when they are.
func buildPurrd(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(purrdBin); err == nil {
		return purrdBin
	}
	args := []string{"build", "-tags", testBuildTags, "-o", purrdBin}
	if testRaceFlag != "" {
		args = append(args, testRaceFlag)
	}
	cmd := exec.Command("go", append(args, "./cmd/purrd")...)
	if testBuildTags == "" {
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build purrd: %v\n%s", err, out)
	}
	return purrdBin
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
