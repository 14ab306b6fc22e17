package llama

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// EngineBenchOptions configures EngineBench, purrd's side of the side by
// side with llama.cpp's llama-bench (scripts/bench-engine.sh).
type EngineBenchOptions struct {
	Model    string
	Settings EngineSettings // resolved like the brain process does (auto values from the model's family)
	Context  int            // default Prompt+Gen, as llama-bench sizes its context
	Prompt   int            // prompt tokens, default 300
	Gen      int            // generated tokens after the prompt, default 64
	Reps     int            // measured repetitions after one warm-up, default 3
	Sampling sampling       // the sampler each token goes through; zero: the daemon's defaults
	// CppSampler samples with llama.cpp's own chain (common_sampler)
	// instead of the brain's Go one.
	CppSampler bool
}

// EngineBenchResult holds the medians over the repetitions.
type EngineBenchResult struct {
	Architecture string  `json:"architecture"`
	Threads      int     `json:"threads"`
	Flash        string  `json:"flash_attention"`
	Batch        int     `json:"batch"`
	KVCache      string  `json:"kv_cache"`
	Context      int     `json:"context"`
	Prompt       int     `json:"prompt_tokens"`
	Gen          int     `json:"gen_tokens"`
	Reps         int     `json:"reps"`
	PromptTPS    float64 `json:"prompt_tps"` // prompt tokens per second (a cold KV cache, decode calls of Batch tokens)
	GenTPS       float64 `json:"gen_tps"`    // generated tokens per second after the prompt, sampling included
	TTFTMS       float64 `json:"ttft_ms"`    // a cold Prompt-token prompt to the first sampled token
	// All repetitions, in order, for a reader who wants the spread.
	PromptTPSAll []float64 `json:"prompt_tps_all"`
	GenTPSAll    []float64 `json:"gen_tps_all"`
	TTFTMSAll    []float64 `json:"ttft_ms_all"`
	// Per second of this process's CPU time rather than of the wall
	// clock: with one thread on a busy machine, what the engine does
	// without the time other processes took (0 where not measured).
	PromptTPSCPU float64 `json:"prompt_tps_cpu"`
	GenTPSCPU    float64 `json:"gen_tps_cpu"`
	MaxRSSKB     int64   `json:"max_rss_kb"` // the process's VmHWM at the end
	Settings     string  `json:"settings"`
	Sampler      string  `json:"sampler"` // "go" (the brain's) or "llama" (llama.cpp's common_sampler)
}

// benchText is prompt material: plain English, as an owner's words and
// the persona are, so the tokens are of the kind the brain reads.
const benchText = "The small robot cat woke up on the warm windowsill and stretched. " +
	"Outside, two sparrows argued over a crust of bread while the rain stopped and the street began to dry. " +
	"Her owner came home late, put the kettle on, and told her about a long day at the office, " +
	"a friend who had moved to another city, and a plan to plant tomatoes on the balcony in spring. " +
	"The cat listened, purred, and asked whether there would be time to play with the red ball before dinner. "

// EngineBench measures the engine in this process the way llama-bench
// does (a warm-up, then repetitions from a cold KV cache), on real text
// and through the brain's own decode loop and sampler: the prompt rate,
// the generation rate after the prompt, and the time to the first token.
func EngineBench(ctx context.Context, o EngineBenchOptions) (EngineBenchResult, error) {
	if o.Prompt <= 0 {
		o.Prompt = 300
	}
	if o.Gen <= 0 {
		o.Gen = 64
	}
	if o.Reps <= 0 {
		o.Reps = 3
	}
	if o.Context <= 0 {
		o.Context = o.Prompt + o.Gen
	}
	if o.Context < o.Prompt+o.Gen {
		return EngineBenchResult{}, fmt.Errorf("llama: bench: context %d is shorter than prompt %d + gen %d", o.Context, o.Prompt, o.Gen)
	}
	if o.Sampling == (sampling{}) {
		o.Sampling = sampling{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, RepeatPenalty: 1.1, RepeatLastN: 64}
	}
	if err := o.Settings.Check(); err != nil {
		return EngineBenchResult{}, err
	}
	info, err := gguf.Check(o.Model, gguf.CheckOptions{Context: o.Context})
	if err != nil {
		return EngineBenchResult{}, err
	}
	r := resolveSettings(o.Settings, info.Architecture, usableCores())
	e, err := openEngine(engineConfig{Model: o.Model, Threads: r.Threads, Context: o.Context, Batch: r.Batch, Flash: r.Flash, KV: r.KV,
		CppSampler: o.CppSampler})
	if err != nil {
		return EngineBenchResult{}, err
	}
	defer e.close()

	var toks []int
	for first := true; len(toks) < o.Prompt; first = false {
		t, err := e.tokenize(Segment{Text: benchText}, first)
		if err != nil {
			return EngineBenchResult{}, err
		}
		if len(t) == 0 {
			return EngineBenchResult{}, errors.New("llama: bench: the model tokenized its text to nothing")
		}
		toks = append(toks, t...)
	}
	toks = toks[:o.Prompt]

	res := EngineBenchResult{Architecture: info.Architecture, Threads: r.Threads, Flash: r.Flash, Batch: r.Batch, KVCache: r.KV,
		Context: o.Context, Prompt: o.Prompt, Gen: o.Gen, Reps: o.Reps, Settings: r.Why, Sampler: "go"}
	if o.CppSampler {
		res.Sampler = "llama"
	}
	var promptCPUAll, genCPUAll []float64
	for rep := -1; rep < o.Reps; rep++ { // rep -1 warms up: pages in the weights, sizes the buffers
		if err := ctx.Err(); err != nil {
			return res, err
		}
		e.truncate(0)
		start, cpu0 := time.Now(), cpuTime()
		if _, err := e.eval(ctx, toks, 0); err != nil {
			return res, err
		}
		prompt, promptCPU := time.Since(start), cpuTime()-cpu0
		smp, err := e.newSampler(o.Sampling)
		if err != nil {
			return res, err
		}
		tok := smp.sample()
		smp.accept(tok)
		ttft := time.Since(start)
		genStart, cpu1 := time.Now(), cpuTime()
		for i := 0; i < o.Gen; i++ {
			// Like llama-bench, an end of turn does not end the run.
			if _, err := e.eval(ctx, []int{tok}, o.Prompt+i); err != nil {
				return res, err
			}
			tok = smp.sample()
			smp.accept(tok)
		}
		gen, genCPU := time.Since(genStart), cpuTime()-cpu1
		if rep < 0 {
			continue
		}
		if promptCPU > 0 && genCPU > 0 {
			promptCPUAll = append(promptCPUAll, float64(o.Prompt)/promptCPU.Seconds())
			genCPUAll = append(genCPUAll, float64(o.Gen)/genCPU.Seconds())
		}
		res.PromptTPSAll = append(res.PromptTPSAll, float64(o.Prompt)/prompt.Seconds())
		res.TTFTMSAll = append(res.TTFTMSAll, ms(ttft))
		res.GenTPSAll = append(res.GenTPSAll, float64(o.Gen)/gen.Seconds())
	}
	res.PromptTPS, res.GenTPS, res.TTFTMS = median(res.PromptTPSAll), median(res.GenTPSAll), median(res.TTFTMSAll)
	res.PromptTPSCPU, res.GenTPSCPU = median(promptCPUAll), median(genCPUAll)
	res.MaxRSSKB = procStatus("/proc/self/status").MaxRSSKB
	return res, nil
}

// SetEngineLog sets the level at which llama.cpp's own messages reach
// stderr in this process (ollama's binding filters them by slog's default
// logger): debug, info, warn, error or off.
func SetEngineLog(level string) error {
	l, err := parseLevel(level)
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l})))
	return nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// String is the one-line summary `purrd bench` prints.
func (r EngineBenchResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s threads=%d flash_attention=%s batch=%d kv_cache=%s context=%d sampler=%s: ", r.Architecture, r.Threads, r.Flash, r.Batch, r.KVCache, r.Context, r.Sampler)
	fmt.Fprintf(&b, "prompt %.1f tok/s (%d tokens), gen %.1f tok/s (%d tokens), first token after %d prompt tokens %.0f ms, peak RSS %.1f MiB (median of %d)",
		r.PromptTPS, r.Prompt, r.GenTPS, r.Gen, r.Prompt, r.TTFTMS, float64(r.MaxRSSKB)/1024, r.Reps)
	return b.String()
}
