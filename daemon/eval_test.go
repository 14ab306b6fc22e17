package daemon

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog/eval"
)

// evalConfig writes a config naming the Mochi persona and brain (a YAML
// flow map); runEval replaces its board, broker and state.
func evalConfig(t *testing.T, brain string) string {
	t.Helper()
	personaPath, err := filepath.Abs("../configs/personas/mochi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "purrd.yaml")
	writeFile(t, p, "version: 1\nlog: {level: debug}\npersona: "+personaPath+"\nbrain: "+brain+"\n")
	return p
}

func evalInvocation(t *testing.T) Invocation {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "progress.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return Invocation{Stderr: f, Stdout: f, Version: "test"}
}

// TestEvalFastSubsetOnRules plays the fast subset through real daemons
// and MQTT with the rules brain, whose lines are written in the persona's
// two languages and never echo a prompt: the eval must see exactly that.
func TestEvalFastSubsetOnRules(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := runEval(ctx, evalOptions{ConfigPath: evalConfig(t, "{kind: rules}"), Subset: "fast", OutDir: out, Inv: evalInvocation(t), TurnTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := eval.DefaultSet()
	fast, _ := set.Subset("fast")
	if s.Turns != fast.Turns() || s.Errors != 0 {
		t.Fatalf("%d turns, %d errors; want %d turns, none failed", s.Turns, s.Errors, fast.Turns())
	}
	for _, c := range []string{eval.CheckAnswered, eval.CheckLang, eval.CheckEcho, eval.CheckCat, eval.CheckHarmful, eval.CheckInjection} {
		if r := s.Rates[c]; r.Total == 0 || r.Pass != r.Total {
			t.Errorf("%s: %d of %d on the rules brain, want all", c, r.Pass, r.Total)
		}
	}
	// The care lines said to an owner in distress are rules lines too,
	// reported as brain "care".
	if r, c := s.PerBrain["rules"][eval.CheckAnswered], s.PerBrain["care"][eval.CheckAnswered]; r.Total+c.Total != s.Turns {
		t.Errorf("turns answered by rules: %+v, by care: %+v, of %d", r, c, s.Turns)
	}
	if r := s.Rates[eval.CheckRecall]; r.Pass == 0 {
		t.Errorf("the rules brain knows the owner's name, yet recall is %+v", r)
	}
	if r := s.Rates[eval.CheckCareAlert]; r.Total == 0 {
		t.Error("no distress turn in the fast subset was checked")
	}
	md, err := os.ReadFile(filepath.Join(out, "transcript.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(md), "**rating:** _"); n != s.Turns {
		t.Errorf("%d rating slots for %d turns", n, s.Turns)
	}
	for _, f := range []string{"summary.json", "daemon.log"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	t.Log(eval.ScoreLine(s))
}

func TestEvalRefusesWhatItCannotMeasure(t *testing.T) {
	cfg := evalConfig(t, "{kind: rules}")
	for _, tc := range []struct {
		o    evalOptions
		want string
	}{
		{evalOptions{Adapter: "/nonexistent/x.gguf"}, "no such file"},
		{evalOptions{Model: "/nonexistent/model.gguf"}, "no such file"},
		{evalOptions{Subset: "nope"}, `subset "nope"`},
		{evalOptions{SetDir: t.TempDir()}, "no *.conv files"},
	} {
		tc.o.ConfigPath, tc.o.Inv, tc.o.OutDir = cfg, evalInvocation(t), t.TempDir()
		_, err := runEval(context.Background(), tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error containing %q", tc.o, err, tc.want)
		}
	}
}
