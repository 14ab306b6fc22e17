package dialog_test

import (
	"os/exec"
	"strings"
	"testing"
)

// dialog is pure logic: it must not reach hardware, MQTT or the daemon,
// and the persona package must not import dialog (dialog imports it).
func TestImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH: cannot list imports here")
	}
	for pkg, banned := range map[string][]string{
		"github.com/purrd/purrd/dialog":         {"/hal", "/daemon", "paho", "mochi-mqtt", "periph.io", "/dialog/llama"},
		"github.com/purrd/purrd/dialog/rules":   {"/hal", "/daemon", "paho", "mochi-mqtt", "periph.io", "/dialog/llama"},
		"github.com/purrd/purrd/dialog/persona": {"/hal", "/daemon", "paho", "mochi-mqtt", "periph.io", "purrd/dialog\n"},
		"github.com/purrd/purrd/dialog/eval":    {"/hal", "/daemon", "paho", "mochi-mqtt", "periph.io", "/dialog/llama"},
	} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := string(out)
		for _, b := range banned {
			if strings.Contains(deps, b) {
				t.Errorf("%s depends on something matching %q:\n%s", pkg, b, deps)
			}
		}
	}
}
