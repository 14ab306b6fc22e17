//go:build llama

package llama

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

// benchModels are the models the benchmarks run on: the tiny random one
// (per-token overhead shows most) and SmolLM2 when fetched.
func benchModels(b *testing.B) map[string]string {
	m := map[string]string{"tiny-q4_0": tinyModel(b, gguf.Q4_0, false)}
	if p, dir := findRealModel("smollm2"); p != "" {
		m["smollm2"] = p
	} else {
		b.Logf("no smollm2 model in %s (run scripts/fetch-models.sh): benchmarking the tiny model only", dir)
	}
	return m
}

const benchThreads = 1

// benchEngineConfig opens model in-process with the settings the brain
// process would choose for it (flash attention and KV cache from its
// family), so a bare loop and the brain compare like for like.
func benchEngineConfig(b *testing.B, model string, c engineConfig) engineConfig {
	info, err := gguf.Check(model, gguf.CheckOptions{Context: c.Context})
	if err != nil {
		b.Fatal(err)
	}
	r := resolveSettings(EngineSettings{Threads: benchThreads}, info.Architecture, 1)
	c.Model, c.Threads, c.Batch, c.Flash, c.KV = model, r.Threads, r.Batch, r.Flash, r.KV
	return c
}

// longPersona is about the size of a real persona prompt (~150 tokens).
const longPersona = testPersona + " You were built by a maker in a small workshop and you know it. " +
	"You are curious about birds outside the window, the sound of the fridge and warm laptops. " +
	"You never pretend to be human and you never talk about being a language model. " +
	"When you are sleepy you yawn, when you are happy you purr, and when you are bored you ask to play. " +
	"You keep secrets about the treat drawer. You like short words and simple ideas."

// BenchmarkGenerationPath compares tokens/s through the whole path (Brain →
// brain process → pipe → sentences) with a bare in-process loop on the
// same engine, model, threads, prompt and greedy sampling, alternating
// the two so machine load hits both alike.
func BenchmarkGenerationPath(b *testing.B) {
	for name, model := range benchModels(b) {
		b.Run(name, func(b *testing.B) {
			o := testOptions(b, model, "plain")
			o.Script = personaScript(testPersona)
			o.Threads = benchThreads
			o.MaxTokens = 64
			o.Temperature = NoTemperature
			o.Logger = nil
			br, err := NewBrain(o)
			if err != nil {
				b.Fatal(err)
			}
			defer br.Close()
			waitFor(b, "brain ready", 60*time.Second, func() bool { return br.Status().State == StateReady })

			e, err := openEngine(benchEngineConfig(b, model, engineConfig{Context: 1024}))
			if err != nil {
				b.Fatal(err)
			}
			defer e.close()
			g := &generator{t: e}
			f := detectFormat("<|im_start|>")
			req := dialog.Request{ID: "bench", Text: "Tell me about your day, little cat."}
			pre, rest := f.render(personaScript(testPersona)(req))
			if _, err := g.warm(context.Background(), pre); err != nil {
				b.Fatal(err)
			}
			var bareDur, brainDur time.Duration
			var bareTok, brainTok int
			// One untimed round each: the first generation in a process
			// faults in the mapped weights and repacks them.
			for i := -1; i < b.N; i++ {
				if i == 0 {
					bareDur, brainDur, bareTok, brainTok = 0, 0, 0, 0
					b.ResetTimer()
				}
				start := time.Now()
				st, _, err := g.run(context.Background(), genRequest{Prefix: pre, Prompt: rest, MaxTokens: 64,
					Stop: f.stop, Sampling: sampling{Temperature: 0, TopK: 40, TopP: 0.9}}, func(string) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				bareDur += time.Since(start)
				bareTok += st.GeneratedTokens

				start = time.Now()
				if err := br.Reply(context.Background(), req, func(dialog.Chunk) {}); err != nil {
					b.Fatal(err)
				}
				brainDur += time.Since(start)
				bs := br.LastStats()
				brainTok += bs.GeneratedTokens
				if bs.GeneratedTokens != st.GeneratedTokens {
					b.Fatalf("paths generated %d and %d tokens for the same greedy prompt", st.GeneratedTokens, bs.GeneratedTokens)
				}
			}
			bare := float64(bareTok) / bareDur.Seconds()
			brain := float64(brainTok) / brainDur.Seconds()
			b.ReportMetric(bare, "bare-tok/s")
			b.ReportMetric(brain, "brain-tok/s")
			b.ReportMetric(100*brain/bare, "brain/bare-%")
			b.ReportMetric(float64(brainTok)/float64(b.N), "tok/reply")
		})
	}
}

// BenchmarkTimeToFirstToken compares the first turn of a conversation
// (system prompt and message evaluated from nothing) with the second turn
// (system prompt and first exchange reused from the KV cache), both as
// measured by the brain process from request to first sampled token.
func BenchmarkTimeToFirstToken(b *testing.B) {
	for name, model := range benchModels(b) {
		b.Run(name, func(b *testing.B) {
			o := testOptions(b, model, "plain")
			o.Threads = benchThreads
			o.MaxTokens = 24
			o.Context = 1024
			o.Temperature = NoTemperature
			o.Logger = nil
			session := 0
			o.Script = func(req dialog.Request) dialog.Script {
				// A new session number at the very start defeats the
				// cache for the first turn, as a cold start would.
				return personaScript(fmt.Sprintf("Session %d. %s", session, longPersona))(req)
			}
			br, err := NewBrain(o)
			if err != nil {
				b.Fatal(err)
			}
			defer br.Close()
			waitFor(b, "brain ready", 60*time.Second, func() bool { return br.Status().State == StateReady })
			var first, second float64
			var firstEval, secondEval int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				session++
				var c collected
				req := dialog.Request{ID: "t1", Text: "Hello Mochi, did you sleep well?"}
				if err := br.Reply(context.Background(), req, c.emit); err != nil {
					b.Fatal(err)
				}
				s1 := br.LastStats()
				req2 := dialog.Request{ID: "t2", Text: "What shall we play now?",
					History: []dialog.Turn{{Role: "owner", Text: req.Text}, {Role: "pet", Text: c.text()}}}
				if err := br.Reply(context.Background(), req2, func(dialog.Chunk) {}); err != nil {
					b.Fatal(err)
				}
				s2 := br.LastStats()
				first += s1.FirstTokenMS
				second += s2.FirstTokenMS
				firstEval += s1.EvaluatedTokens
				secondEval += s2.EvaluatedTokens
			}
			n := float64(b.N)
			b.ReportMetric(first/n, "first-ttft-ms")
			b.ReportMetric(second/n, "second-ttft-ms")
			b.ReportMetric(second/first, "second/first")
			b.ReportMetric(float64(firstEval)/n, "first-eval-tok")
			b.ReportMetric(float64(secondEval)/n, "second-eval-tok")
		})
	}
}

// BenchmarkBrainMemory reports the brain process's peak resident memory
// (VmHWM) after replies, per model.
func BenchmarkBrainMemory(b *testing.B) {
	for name, model := range benchModels(b) {
		b.Run(name, func(b *testing.B) {
			o := testOptions(b, model, "plain")
			o.Threads = benchThreads
			o.Context = 1024
			o.Logger = nil
			br, err := NewBrain(o)
			if err != nil {
				b.Fatal(err)
			}
			defer br.Close()
			waitFor(b, "brain ready", 60*time.Second, func() bool { return br.Status().State == StateReady })
			for i := 0; i < b.N; i++ {
				if err := br.Reply(context.Background(), dialog.Request{ID: "m", Text: "Hello!"}, func(dialog.Chunk) {}); err != nil {
					b.Fatal(err)
				}
			}
			ps, err := br.ProcessStats(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(ps.MaxRSSKB)/1024, "VmHWM-MiB")
			b.ReportMetric(float64(ps.RSSKB)/1024, "VmRSS-MiB")
		})
	}
}
