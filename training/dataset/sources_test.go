package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourcesListEveryFolderAndPairEveryRoundWithItsRejectedSide(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"data", "data-more", "pairs/chosen", "pairs/rejected", "pairs-b/chosen", "pairs-b/rejected"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Sources(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []Source{
		{Chosen: filepath.Join(root, "data")},
		{Chosen: filepath.Join(root, "data-more")},
		{filepath.Join(root, "pairs/chosen"), filepath.Join(root, "pairs/rejected")},
		{filepath.Join(root, "pairs-b/chosen"), filepath.Join(root, "pairs-b/rejected")},
	}
	if len(got) != len(want) {
		t.Fatalf("Sources = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Sources[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "pairs-c/chosen"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Sources(root); err == nil || !strings.Contains(err.Error(), "pairs-c/chosen has no rejected side") {
		t.Errorf("a round without its rejected side: err %v", err)
	}
}
