package config

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps config a leaf: the standard library, yaml.v3 and the
// shared YAML rules (internal/yamlstrict) only,
// never hal, dialog or an MQTT library (the daemon maps config onto them).
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && path != "go.yaml.in/yaml/v3" && path != "github.com/purrd/purrd/internal/yamlstrict" {
				t.Errorf("%s imports %s; config may import only the standard library, go.yaml.in/yaml/v3 and internal/yamlstrict", f, path)
			}
		}
	}
}
