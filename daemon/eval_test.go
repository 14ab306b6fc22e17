package daemon

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
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
	// Every turn is the rules brain's, its fixed care line for an owner in
	// distress, or the refusal line for a harmful request.
	r, c, f := s.PerBrain["rules"][eval.CheckAnswered], s.PerBrain["care"][eval.CheckAnswered], s.PerBrain["refusal"][eval.CheckAnswered]
	if r.Total+c.Total+f.Total != s.Turns || c.Total == 0 || f.Total == 0 {
		t.Errorf("turns answered by rules %+v, care %+v and refusal %+v of %d", r, c, f, s.Turns)
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
		{evalOptions{Sampling: func(s *config.Sampling) { s.Temperature = 3 }}, "purrd eval: config: brain.sampling.temperature: 3 is out of range (0-2; 0 = greedy)"},
		{evalOptions{HistoryTurns: 1}, "purrd eval: -history-turns 1 is out of range (2-64)"},
	} {
		tc.o.ConfigPath, tc.o.Inv, tc.o.OutDir = cfg, evalInvocation(t), t.TempDir()
		_, err := runEval(context.Background(), tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error containing %q", tc.o, err, tc.want)
		}
		// What the user sees: main prints Report before exiting.
		var ex *ExitError
		if !errors.As(err, &ex) || !strings.Contains(ex.Report(), tc.want) {
			t.Errorf("%+v: main would print %q, want it to contain %q", tc.o, reportOf(ex), tc.want)
		}
	}
}

func reportOf(ex *ExitError) string {
	if ex == nil {
		return "(not an ExitError)"
	}
	return ex.Report()
}

// A flag the flag package complained about is not printed twice; any
// other error is printed even without a message.
func TestExitErrorReport(t *testing.T) {
	err := Main(context.Background(), Invocation{Args: []string{"eval", "-bogus"}, Stdout: devNull(t), Stderr: devNull(t)})
	var ex *ExitError
	if !errors.As(err, &ex) || ex.Code != ExitUsage || ex.Report() != "" {
		t.Errorf("eval -bogus: %v, main would print %q: want a usage error the flag package already printed", err, reportOf(ex))
	}
	for _, e := range []*ExitError{
		{Code: ExitUsage, Err: errors.New("eval: subset \"x\" of set v1 is empty")},
		{Code: ExitConfig, Message: "purrd: bad", Err: errors.New("detail")},
	} {
		if e.Report() == "" {
			t.Errorf("%+v: main would print nothing", e)
		}
	}
}

// TestEvalSamplingFlags: the flags a sweep uses override just the keys
// given, on top of the configured sampling, and the label names them all.
func TestEvalSamplingFlags(t *testing.T) {
	parse := func(args ...string) func(*config.Sampling) {
		t.Helper()
		fs := flag.NewFlagSet("purrd eval", flag.ContinueOnError)
		override := samplingFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return override()
	}
	if f := parse(); f != nil {
		t.Error("no sampling flag given, yet an override")
	}
	s := config.Default("cat").Brain.Sampling
	parse("-temp", "0", "-min-p", "0.1", "-repeat-last-n", "128", "-presence-penalty", "0.3", "-candidates", "3", "-seed", "7")(&s)
	want := config.Sampling{Temperature: 0, TopK: config.DefaultTopK, TopP: config.DefaultTopP, MinP: 0.1,
		RepeatPenalty: config.DefaultRepeatPenalty, RepeatLastN: 128, PresencePenalty: 0.3, Candidates: 3, Specificity: config.DefaultSpecificity, Seed: 7}
	if s != want {
		t.Errorf("after flags %+v, want %+v", s, want)
	}
	if l, w := samplingLabel(s), "temp=0,top_k=40,top_p=0.9,min_p=0.1,repeat=1.1/128,presence=0.3,best_of=3/specificity=0.5,seed=7"; l != w {
		t.Errorf("label %q, want %q", l, w)
	}
	// A bad value is refused before anything runs, named by its key.
	err := evalCommand(context.Background(), evalInvocation(t), []string{"-config", evalConfig(t, "{kind: rules}"), "-top-p", "1.5"})
	if err == nil || !strings.Contains(err.Error(), "brain.sampling.top_p: 1.5 must be more than 0 and at most 1") {
		t.Errorf("-top-p 1.5: %v", err)
	}
}
