//go:build llama

package llama

import (
	"context"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
	"github.com/purrd/purrd/internal/testkit"
)

// tinyBase is the model the test adapters are made for (tinyModel's F16).
var tinyBase = gguftest.TinyConfig{Seed: 7, Type: gguf.F16}

// tinyAdapter writes (once per test binary run) an adapter and returns its path.
func tinyAdapter(t testing.TB, name string, c gguftest.TinyAdapterConfig) string {
	t.Helper()
	p := filepath.Join(testModels, name+".lora.gguf")
	if err := gguftest.WriteTinyAdapterFile(p, c); err != nil {
		t.Fatal(err)
	}
	return p
}

// badAdapters are adapters that must not reach the engine, keyed by what
// is wrong with them.
func badAdapters(t testing.TB) map[string]string {
	t.Helper()
	wide := tinyBase
	wide.Embedding, wide.FFN = 128, 256
	good := tinyAdapter(t, "good", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1})
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(testModels, "truncated.lora.gguf")
	if err := os.WriteFile(truncated, b[:len(b)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"wrong architecture": tinyAdapter(t, "qwen2", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1, Architecture: "qwen2"}),
		"wrong shape":        tinyAdapter(t, "wide", gguftest.TinyAdapterConfig{Base: wide, Seed: 1}),
		"transposed":         tinyAdapter(t, "transposed", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1, Transposed: true}),
		"truncated":          truncated,
	}
}

// greedy generates a fixed number of tokens greedily with the engine.
func greedy(t *testing.T, c engineConfig) string {
	t.Helper()
	e, err := openEngine(c)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	pre, pr := chatml("You are a cat.", "hello cat")
	var out strings.Builder
	_, _, err = (&generator{t: e}).run(context.Background(), genRequest{Prefix: pre, Prompt: pr, MaxTokens: 16, Sampling: sampling{Temperature: 0, Seed: 1}},
		func(s string) error { out.WriteString(s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The adapter reaches the computation: greedy output is repeatable, and
// differs with the adapter applied, and with its scale.
func TestEngineAppliesAdapter(t *testing.T) {
	model := tinyModel(t, gguf.F16, false)
	adapter := tinyAdapter(t, "good", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1})
	embd := tinyAdapter(t, "embd", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1, TokenEmbedding: true})
	c := engineConfig{Model: model, Threads: 1, Context: 256, Batch: 64}
	base := greedy(t, c)
	if again := greedy(t, c); again != base {
		t.Fatalf("greedy output is not repeatable: %q then %q", base, again)
	}
	c.Adapter = adapter
	with := greedy(t, c)
	c.AdapterScale = 0.25
	quarter := greedy(t, c)
	c.Adapter, c.AdapterScale = embd, 0
	withEmbd := greedy(t, c)
	t.Logf("base %q\nadapter %q\nscale 0.25 %q\nwith token_embd %q", base, with, quarter, withEmbd)
	if with == base || quarter == with || withEmbd == with {
		t.Error("the adapter, its scale or its token embedding pair changed nothing")
	}
}

// What the pure-Go check refuses, llama.cpp refuses too (with an error,
// not an abort): the two agree on what an adapter must look like.
func TestEngineRefusesBadAdapters(t *testing.T) {
	model := tinyModel(t, gguf.F16, false)
	for what, p := range badAdapters(t) {
		t.Run(what, func(t *testing.T) {
			if _, err := gguf.CheckAdapter(p, model); err == nil {
				t.Fatal("the pure-Go check accepted it")
			}
			e, err := openEngine(engineConfig{Model: model, Threads: 1, Context: 256, Batch: 64, Adapter: p})
			if err == nil {
				e.close()
				t.Fatal("the engine applied it")
			}
			if !strings.Contains(err.Error(), "applying adapter "+p) {
				t.Errorf("error %q does not name the adapter", err)
			}
		})
	}
}

func adapterBrain(t *testing.T, adapter, mode string) (*Brain, *testkit.SyncBuffer) {
	t.Helper()
	o := testOptions(t, tinyModel(t, gguf.F16, false), mode)
	o.Adapter = adapter
	var logs testkit.SyncBuffer
	o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	b := newTestBrain(t, o)
	waitReady(t, b)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	return b, &logs
}

func answers(t *testing.T, b *Brain) {
	t.Helper()
	var c collected
	if err := b.Reply(context.Background(), dialog.Request{ID: "r", Text: "hello little cat"}, c.emit); err != nil {
		t.Fatal(err)
	}
	if len(c.chunks) == 0 {
		t.Fatal("no reply")
	}
}

func TestBrainLoadsAdapter(t *testing.T) {
	adapter := tinyAdapter(t, "good", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1})
	b, logs := adapterBrain(t, adapter, "plain")
	if st := b.Status(); st.Model != "tiny-f16.gguf+good.lora.gguf" {
		t.Errorf("Status().Model = %q, want base+adapter", st.Model)
	}
	if ls := b.LoadStats(); ls.Adapter != "good.lora.gguf" {
		t.Errorf("LoadStats().Adapter = %q", ls.Adapter)
	}
	if !strings.Contains(logs.String(), "brain ready") || !strings.Contains(logs.String(), "adapter="+adapter) {
		t.Errorf("the load log line does not name the adapter:\n%s", logs)
	}
	answers(t, b)
}

// A bad adapter costs the cat its trained voice, not its model: a warning,
// and the base model answers.
func TestBrainRunsBaseWithoutBadAdapter(t *testing.T) {
	for what, p := range badAdapters(t) {
		t.Run(what, func(t *testing.T) {
			b, logs := adapterBrain(t, p, "plain")
			if st := b.Status(); st.Model != "tiny-f16.gguf" || b.LoadStats().Adapter != "" {
				t.Errorf("Status().Model = %q, LoadStats().Adapter = %q: want the base alone", st.Model, b.LoadStats().Adapter)
			}
			if l := logs.String(); !strings.Contains(l, "level=WARN msg=\"adapter not usable; running the base model without it\"") ||
				!strings.Contains(l, "gguf: adapter "+p) {
				t.Errorf("no warning naming the adapter:\n%s", l)
			}
			answers(t, b)
		})
	}
}

// The brain process refusing the adapter (here: the file breaks after the
// daemon checked it) makes the brain load the base alone, once.
func TestBrainReloadsWithoutRefusedAdapter(t *testing.T) {
	good, err := os.ReadFile(tinyAdapter(t, "good", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1}))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "spoilt.lora.gguf")
	if err := os.WriteFile(p, good, 0o644); err != nil {
		t.Fatal(err)
	}
	b, logs := adapterBrain(t, p, "spoil:"+p)
	if st := b.Status(); st.Model != "tiny-f16.gguf" {
		t.Errorf("Status().Model = %q, want the base alone", st.Model)
	}
	if l := logs.String(); !strings.Contains(l, "the engine refused the adapter; running the base model without it") {
		t.Errorf("no warning:\n%s", l)
	}
	answers(t, b)
}

// The second context (engineConfig.PriorContext) runs the same weights
// with the same adapter: the odds it scores a reply with are the first
// context's, with and without an adapter, and the adapter does change
// them (so a second context without it would fail here).
func TestEngineSecondContextScoresAlike(t *testing.T) {
	model := tinyModel(t, gguf.F16, false)
	adapter := tinyAdapter(t, "good", gguftest.TinyAdapterConfig{Base: tinyBase, Seed: 1})
	pre, pr := chatml("You are a cat.", "hello cat")
	scores := map[string]float64{}
	for _, a := range []string{"", adapter} {
		e, err := openEngine(engineConfig{Model: model, Adapter: a, Threads: 1, Context: 256, Batch: 64, PriorContext: 128})
		if err != nil {
			t.Fatal(err)
		}
		g, second := &generator{t: e}, &generator{t: e.priorEngine()}
		if e.priorEngine() == nil {
			t.Fatal("no second context")
		}
		toks, err := g.tokenizeAll([]Segment{{Text: "purr purr, a warm lap"}}, false)
		if err != nil {
			t.Fatal(err)
		}
		first, err := g.score(context.Background(), pre, pr, toks)
		if err != nil {
			t.Fatal(err)
		}
		got, err := second.score(context.Background(), pre, pr, toks)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-first) > 0.01*float64(len(toks)) {
			t.Errorf("adapter %q: the second context scores %g, the first %g", filepath.Base(a), got, first)
		}
		// Too long for the second context: an error, not a crash.
		long := make([]int, 200)
		for i := range long {
			long[i] = toks[i%len(toks)]
		}
		if _, err := second.score(context.Background(), pre, pr, long); err == nil {
			t.Error("scoring more than the second context holds: no error")
		}
		scores[a] = first
		e.close()
	}
	if scores[""] == scores[adapter] {
		t.Errorf("the adapter did not change the odds (%g)", scores[""])
	}
}
