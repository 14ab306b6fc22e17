package daemon

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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
	// The trainer pairs the two sides by conversation id (file and line):
	// one pair refused on one side only would shift every later one.
	for _, kind := range []string{"broken", "delight", "written"} {
		for _, lang := range []string{"en", "zh"} {
			chosen := pairTitles(t, filepath.Join(committed, "chosen", kind+"."+lang+".conv"))
			rejected := pairTitles(t, filepath.Join(committed, "rejected", kind+"."+lang+".conv"))
			if len(chosen) == 0 {
				t.Errorf("%s.%s.conv: no pairs", kind, lang)
			}
			if !slices.Equal(chosen, rejected) {
				i := 0
				for i < min(len(chosen), len(rejected)) && chosen[i] == rejected[i] {
					i++
				}
				t.Errorf("%s.%s.conv: %d pairs chosen, %d rejected; they part at pair %d (%v against %v)",
					kind, lang, len(chosen), len(rejected), i+1, chosen[i:min(i+1, len(chosen))], rejected[i:min(i+1, len(rejected))])
			}
		}
	}
}

// pairTitles lists a conv file's conversations in order, each as its
// reply id and the line its title is on ("== rated 2: written001, …" on
// line 7 gives "written001:7"): the trainer's ids are file:line, so the
// two sides must agree in both.
func pairTitles(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^== rated \d: (\S+),`).FindAllSubmatchIndex(raw, -1) {
		line := bytes.Count(raw[:m[0]], []byte("\n")) + 1
		out = append(out, string(raw[m[2]:m[3]])+":"+strconv.Itoa(line))
	}
	return out
}
