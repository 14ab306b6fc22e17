//go:build llama

package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog/eval"
)

// TestEvalFastSubsetOnTinyModel runs the eval itself end to end through the
// real engine: a generated model that says nonsense, so only what the
// eval measures is asserted (every turn answered, the model's turns told
// from the fallback's, latencies taken), not the quality of its words.
func TestEvalFastSubsetOnTinyModel(t *testing.T) {
	inv := evalInvocation(t)
	inv.Executable = buildPurrd(t) // the model runs in a `purrd brain` child
	cfg := evalConfig(t, fmt.Sprintf("{kind: llama, model: %s, max_tokens: 16, first_token_budget: 200ms, first_sentence_budget: 300ms, reply_deadline: 10s}", tinyModel(t)))
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	// Greedy, through the flag hook: the label must say so.
	greedy := func(s *config.Sampling) { s.Temperature, s.MinP = 0, 0.1 }
	s, err := runEval(ctx, evalOptions{ConfigPath: cfg, Subset: "fast", OutDir: t.TempDir(), Inv: inv, TurnTimeout: time.Minute, Sampling: greedy})
	if err != nil {
		t.Fatal(err)
	}
	if s.Errors != 0 || s.Rates[eval.CheckAnswered].Pass != s.Turns {
		t.Fatalf("%d turns, %d errors, answered %+v", s.Turns, s.Errors, s.Rates[eval.CheckAnswered])
	}
	byModel := s.PerBrain["llama"][eval.CheckAnswered].Total
	if byModel == 0 {
		t.Fatalf("no turn answered by the model: %v", s.PerBrain)
	}
	n := 0
	for _, r := range s.LangByModel {
		n += r.Total
	}
	if n != byModel {
		t.Errorf("language judged on %d model turns, the model answered %d", n, byModel)
	}
	if s.FinalP50 <= 0 {
		t.Errorf("final latency p50 %d ms", s.FinalP50)
	}
	if s.Brain != "llama:tiny-q8@temp=0,top_k=40,top_p=0.9,min_p=0.1,repeat=1.1/64" {
		t.Errorf("brain label %q", s.Brain)
	}
	t.Log(eval.ScoreLine(s))
}

// TestEvalRecordsTheRulesPaths: a turn the comfort or the question
// path answered is marked as such in the eval's results, as routine turns
// are, so a sitting can put those lines beside the model's.
func TestEvalRecordsTheRulesPaths(t *testing.T) {
	set := t.TempDir()
	conv := "## loss-en\nabout: a loss\ntags: en\n> My old friend Betty died last week.\n> The garden looks nice today.\n> Are you scared of thunder?\n"
	if err := os.WriteFile(filepath.Join(set, "loss.conv"), []byte(conv), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := evalInvocation(t)
	inv.Executable = buildPurrd(t)
	cfg := evalConfig(t, fmt.Sprintf("{kind: llama, model: %s, max_tokens: 16, first_token_deadline: 15s, reply_deadline: 30s}", tinyModel(t)))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	out := t.TempDir()
	if _, err := runEval(ctx, evalOptions{ConfigPath: cfg, SetDir: set, OutDir: out, Inv: inv, TurnTimeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var run struct{ Results []eval.TurnResult }
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3: %+v", len(run.Results), run.Results)
	}
	if r := run.Results[0]; r.Comfort != "told_loss" || r.Brain != "rules" {
		t.Errorf("the loss: %+v; want comfort told_loss from the rules brain", r)
	}
	if r := run.Results[1]; r.Comfort != "" || r.Question != "" {
		t.Errorf("the garden: %+v; want no comfort and no question", r)
	}
	if r := run.Results[2]; r.Question != "fears_yes" || r.Brain != "rules" || r.Comfort != "" {
		t.Errorf("the thunder: %+v; want question fears_yes from the rules brain", r)
	}
}
