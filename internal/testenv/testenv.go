// Package testenv decides what a test does when the machine lacks something
// it needs from outside the repository: a tool, a binary, a privilege, a
// file CI provides. On a developer's machine such a test skips with the
// reason. Under CI (the CI environment variable set to a true value, as
// .ci/run exports it) it fails: CI installs everything the tests need and
// runs as root, so a skip there would be a test that silently never ran.
//
// Skips that are not about the machine (-short, a real board that CI does
// not have, an architecture a test does not apply to) stay plain t.Skip.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// InCI reports whether the tests run under CI: CI is set to anything but
// "", "0" or "false".
func InCI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// Missing stops the test for a missing external condition: it skips with
// the reason locally and fails under CI. It does not return.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI must provide it: a skip here would hide a test that never ran)", msg)
		return
	}
	t.Skip(msg)
}

// LookPath returns the path of the executable name, or stops the test
// through Missing; hint says what installs it.
func LookPath(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s is not installed (%s): %v", name, hint, err)
	}
	return p
}

// RequireRoot stops the test through Missing unless it runs as root; why
// says what needs root.
func RequireRoot(t testing.TB, why string) {
	t.Helper()
	if os.Geteuid() != 0 {
		Missing(t, "needs root: %s", why)
	}
}
