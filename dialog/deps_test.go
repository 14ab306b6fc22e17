package dialog_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// gguftest writes model files for tests; the daemon must never carry it.
// Only test files and the tinygguf generator may import it. Every .go file
// of the module is parsed, whatever its build tags and platform, so a
// llama-tagged or ARM-only file cannot bring it in unseen.
func TestGGUFTestOnlyInTests(t *testing.T) {
	const fixtures = "github.com/purrd/purrd/dialog/llama/gguf/gguftest"
	allowed := map[string]bool{
		"dialog/llama/cmd/tinygguf":  true, // writes tiny models for tests and benchmarks
		"dialog/llama/gguf/gguftest": true, // itself
	}
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found beside dialog: %v", err)
	}
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// The go tool ignores these folders too.
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == fixtures && !allowed[filepath.ToSlash(dir)] {
				t.Errorf("%s imports %s: production code must not carry test fixtures", path, fixtures)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d non-test Go files found under %s: the walk is not seeing the module", files, root)
	}
}
