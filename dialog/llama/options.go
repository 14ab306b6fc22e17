package llama

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/purrd/purrd/dialog"
)

// Options configures a Brain. Zero values mean the defaults noted.
type Options struct {
	Model   string // GGUF file (brain.model); required
	Threads int    // generation threads; 0: auto (AutoThreads of the brain's cores)
	Context int    // context window in tokens; default 1024
	Batch   int    // prompt tokens per decode call; default 64 (the cancellation granularity while reading a prompt)
	// FlashAttention is FlashAuto (or ""), FlashOn or FlashOff; auto
	// takes the model family's measured choice (settings.go).
	FlashAttention string
	// KVCache is the KV cache type: KVAuto (or ""), KVF16, KVQ8, KVQ4.
	KVCache   string
	MaxTokens int // bound on a reply; default 60
	// Adapter is a LoRA adapter GGUF applied on top of Model
	// (brain.adapter); "" for none. One that does not fit is skipped
	// with a warning and the base model answers.
	Adapter string
	// AdapterScale multiplies the adapter's effect (brain.adapter_scale);
	// 0 means 1.
	AdapterScale float32
	// MaxSentences ends a reply after this many sentences (the pet
	// speaks in one or two); default 2, negative means no limit.
	MaxSentences int

	// FirstTokenDeadline is how long a reply waits for the brain's first
	// token, and then for each next one, before the brain counts as
	// stalled: the reply fails with ErrStalled at once (the caller's
	// fallback answers), the model's late output is discarded, and Status
	// says "stalled" until the process answers again. Default 2.5s (the
	// owner hears the fallback within 3 s of asking); at most
	// Deadline. It includes reading the prompt, so it must exceed the
	// longest prompt's first-token time on the board.
	FirstTokenDeadline time.Duration
	// Deadline is how long a busy brain may stay silent (no token, no
	// done) before it counts as hung, is killed and restarted; default 30s.
	Deadline time.Duration
	// LoadTimeout bounds loading the model and its prefix; default 5m.
	LoadTimeout time.Duration
	// MemoryLimit in bytes refuses larger models; 0 uses MemAvailable.
	MemoryLimit int64
	// Meminfo overrides /proc/meminfo (tests).
	Meminfo string

	// Script turns a request into what the model is shown (persona,
	// demonstrations, memory, history, the owner's words); the model's
	// chat template decides the markup. Its Stable part is evaluated once
	// at load and its KV cache reused for every turn. nil uses
	// dialog.NewScript with the built-in persona.
	Script func(req dialog.Request) dialog.Script
	// Clean post-processes each sentence before it is emitted; nil uses a
	// minimal built-in cleaner (control characters, whitespace). Return ""
	// to drop a sentence.
	Clean func(string) string

	Temperature float32 // default 0.7; set NoTemperature for greedy
	TopK        int     // default 40; negative (Off) turns it off
	TopP        float32 // default 0.9; 1 is off
	MinP        float32 // default 0.05; negative (Off) turns it off
	Penalty     Penalty // defaults: see Penalty
	Seed        uint32  // sampling seed; 0 picks a new one per reply
	// Candidates is how many whole replies the model writes for one turn
	// before the brain says the best (brain.sampling.candidates); 0 or 1
	// says the first as it comes, sentence by sentence.
	Candidates int
	// Specificity weighs, when picking among Candidates, how much of a
	// reply's likelihood must come from this conversation rather than
	// from the pet's habits (brain.sampling.specificity): the score is
	// log p(reply | conversation) - Specificity * log p(reply | no
	// conversation), per token. 0 ranks by likelihood alone, which
	// favours stock lines, and scores no priors; 1 ranks by what the
	// conversation adds alone.
	Specificity float32
	// Guidance > 0 samples each token of a reply from the conversation's
	// odds pushed away from the neutral prompt's by that weight
	// (brain.sampling.guidance; classifier-free guidance, see guide):
	// the token-by-token form of Specificity, for one reply as it comes.
	// The context then holds a second sequence.
	Guidance float32
	// NoRepeat >= 2 keeps a reply from saying any run of that many
	// tokens the pet said in its last dialog.RecentReplies replies
	// (brain.sampling.no_repeat_ngram; see phraseBan); 0 is off.
	NoRepeat int
	// PetNames are the pet's names in every language: never among the
	// phrases NoRepeat avoids (asked its name, it says it again).
	PetNames []string

	// Command starts the brain process: argv, default {os.Executable(),
	// "brain"}. Tests point it at the test binary.
	Command []string
	// Env is added to the brain process's environment.
	Env []string
	// EngineLog is the level of llama.cpp's own messages that reach the
	// log (log.engine): debug, info, warn, error or off; default warn.
	EngineLog string
	// RestartBackoff is the first wait before a restart, doubled after
	// each failure or crash up to MaxBackoff; defaults 1s and 1m.
	RestartBackoff time.Duration
	MaxBackoff     time.Duration
	// StableAfter is how long a loaded brain process must run before its
	// end resets the backoff to RestartBackoff; default 5m.
	StableAfter time.Duration

	// OnStatus is told every change of Status (loading, ready, stalled,
	// restarting, failed, stopped) when it happens, so the state can be
	// published at once. It is called from the brain's goroutines, at
	// times with a lock held: it must return at once and must not call
	// the Brain.
	OnStatus func(dialog.BrainStatus)

	Logger *slog.Logger
}

// NoTemperature asks for greedy sampling (Temperature 0 means the default).
const NoTemperature float32 = -1

// Off turns off TopK, MinP or Penalty.LastN, whose zero means the default.
const Off = -1

// ErrNotReady is wrapped by Reply errors when no brain process is ready.
var ErrNotReady = errors.New("llama: brain not ready")

func (o Options) withDefaults() (Options, error) {
	if o.Model == "" {
		return o, errors.New("llama: no model configured (brain.model)")
	}
	if o.Threads < 0 {
		o.Threads = 0
	}
	if err := (EngineSettings{Threads: o.Threads, FlashAttention: o.FlashAttention, Batch: o.Batch, KVCache: o.KVCache}).Check(); err != nil {
		return o, err
	}
	if o.Context <= 0 {
		o.Context = 1024
	}
	if o.Batch <= 0 {
		o.Batch = 64
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = 60
	}
	if o.MaxSentences == 0 {
		o.MaxSentences = 2
	}
	if o.MaxTokens >= o.Context {
		return o, fmt.Errorf("llama: max_tokens %d must be below the context size %d", o.MaxTokens, o.Context)
	}
	if o.Deadline <= 0 {
		o.Deadline = 30 * time.Second
	}
	if o.FirstTokenDeadline <= 0 {
		o.FirstTokenDeadline = 2500 * time.Millisecond
	}
	o.FirstTokenDeadline = min(o.FirstTokenDeadline, o.Deadline)
	if o.LoadTimeout <= 0 {
		o.LoadTimeout = 5 * time.Minute
	}
	if o.Script == nil {
		o.Script = func(req dialog.Request) dialog.Script { return dialog.NewScript(nil, req, dialog.ScriptOptions{}) }
	}
	if o.Temperature == 0 {
		o.Temperature = 0.7
	}
	if o.Temperature < 0 {
		o.Temperature = 0
	}
	if len(o.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("llama: finding own executable to start the brain: %w", err)
		}
		o.Command = []string{exe, "brain"}
	}
	if o.RestartBackoff <= 0 {
		o.RestartBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.StableAfter <= 0 {
		o.StableAfter = 5 * time.Minute
	}
	if o.EngineLog == "" {
		o.EngineLog = "warn"
	}
	if _, err := parseLevel(o.EngineLog); err != nil {
		return o, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
