package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog/llama"
)

// benchCommand is `purrd bench`: the engine measured in this process the
// way llama.cpp's llama-bench measures it (scripts/bench-engine.sh runs
// both side by side), with the brain's own settings resolution, decode
// loop and sampler.
func benchCommand(ctx context.Context, inv Invocation, args []string) error {
	fs := flag.NewFlagSet("purrd bench", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	cfgPath := fs.String("config", "", "take brain.threads, brain.flash_attention, brain.batch and brain.kv_cache from this configuration (flags given win)")
	model := fs.String("model", "", "GGUF model file (required)")
	threads := fs.Int("threads", 0, "generation threads; 0 = auto, as brain.threads")
	flash := fs.String("flash-attention", "", "auto, on or off, as brain.flash_attention (default auto)")
	batch := fs.Int("batch", 0, "prompt tokens per decode call, as brain.batch (0 = 64)")
	kv := fs.String("kv-cache", "", "auto, f16, q8_0 or q4_0, as brain.kv_cache (default auto)")
	ctxSize := fs.Int("context", 0, "context window (default prompt+gen, as llama-bench sizes it; the daemon uses brain.context)")
	prompt := fs.Int("prompt", 300, "prompt tokens")
	gen := fs.Int("gen", 64, "tokens generated after the prompt")
	reps := fs.Int("reps", 3, "measured repetitions after one warm-up")
	smp := fs.String("sampler", "go", "go (the brain's sampler chain) or llama (llama.cpp's common_sampler), to compare them")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	engineLog := fs.String("engine-log", "warn", "level of llama.cpp's own messages: debug, info, warn, error, off")
	if err := fs.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	if *smp != "go" && *smp != "llama" {
		return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd bench: -sampler %q: want go or llama", *smp)}
	}
	if *model == "" || fs.NArg() > 0 {
		return &ExitError{Code: ExitUsage, Message: "usage: purrd bench -model GGUF [-config FILE] [-threads N] [-flash-attention auto|on|off] [-batch N] [-kv-cache auto|f16|q8_0|q4_0] [-context N] [-prompt N] [-gen N] [-reps N] [-json]"}
	}
	if err := llama.SetEngineLog(*engineLog); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	set := llama.EngineSettings{}
	if *cfgPath != "" {
		cfg, err := config.Load(*cfgPath)
		if err != nil {
			return err
		}
		set = engineSettings(cfg.Brain)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["threads"] {
		set.Threads = *threads
	}
	if given["flash-attention"] {
		set.FlashAttention = *flash
	}
	if given["batch"] {
		set.Batch = *batch
	}
	if given["kv-cache"] {
		set.KVCache = *kv
	}
	res, err := llama.EngineBench(ctx, llama.EngineBenchOptions{Model: *model, Settings: set, Context: *ctxSize,
		Prompt: *prompt, Gen: *gen, Reps: *reps, CppSampler: *smp == "llama"})
	if errors.Is(err, llama.ErrNoEngine) {
		return fmt.Errorf("purrd bench needs the engine (build with -tags llama, e.g. make build): %w", err)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(inv.Stdout).Encode(res)
	}
	_, err = fmt.Fprintln(inv.Stdout, res)
	return err
}

// engineSettings maps the brain section's engine keys onto the engine's.
func engineSettings(b config.Brain) llama.EngineSettings {
	return llama.EngineSettings{Threads: b.Threads, FlashAttention: b.FlashAttention, Batch: b.Batch, KVCache: b.KVCache}
}
