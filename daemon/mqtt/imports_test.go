package mqtt

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the link free of purrd's other packages: the daemon
// maps its config onto Options, so the link never sees daemon/config (and
// so never grows defaults of its own beside the config's). The internal
// helpers (purrd/internal/...) are leaves shared by every package.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range pkg.Imports {
		if strings.HasPrefix(path, "github.com/purrd/purrd/") && !strings.HasPrefix(path, "github.com/purrd/purrd/internal/") {
			t.Errorf("imports %s; the mqtt link imports none of purrd's packages but the internal helpers", path)
		}
	}
}
