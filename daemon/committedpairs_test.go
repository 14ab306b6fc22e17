package daemon

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The committed preference pairs are what their README's commands make
// from the committed rated file: scripts/self-rated.py's pairs, through
// `purrd ratings -conv` (the loader's rules, the eval left out), byte for
// byte. A change to either path, or a hand edit of the pairs, fails here.
func TestCommittedPairsReproduce(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatalf("python3 is needed to run scripts/self-rated.py: %v", err)
	}
	rated := "../training/rated/rated-twentieth.jsonl"
	committed := "../training/pairs-twentieth"
	for _, kind := range []struct{ name, flag string }{
		{"broken", ""},
		{"delight", "--over-each-ok"},
		{"written", "--written"},
	} {
		pairs := filepath.Join(t.TempDir(), kind.name)
		args := []string{"../scripts/self-rated.py", "pairs"}
		if kind.flag != "" {
			args = append(args, kind.flag)
		}
		cmd := exec.Command("python3", append(args, rated, pairs)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("python3 %v: %v\n%s", args, err, out)
		}
		for _, side := range []string{"chosen", "rejected"} {
			conv := filepath.Join(t.TempDir(), side)
			if out, err := runRatings(t, "-file", filepath.Join(pairs, side+".json"), "-conv", conv, "-min", "0"); err != nil {
				t.Fatalf("purrd ratings -conv for %s %s: %v\n%s", kind.name, side, err, out)
			}
			for _, lang := range []string{"en", "zh"} {
				got, err := os.ReadFile(filepath.Join(conv, "rated."+lang+".conv"))
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(committed, side, kind.name+"."+lang+".conv")
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s is not what its README's commands make now (%d bytes, made %d)", path, len(want), len(got))
				}
			}
		}
	}
}
