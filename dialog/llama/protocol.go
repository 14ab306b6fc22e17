package llama

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// The daemon and the `purrd brain` child speak line-delimited JSON over
// the child's stdin (requests) and stdout (events). stderr carries the
// engine's own log lines and, when it dies, whatever the C code or the Go
// runtime printed. One message per line keeps both sides simple and lets
// a human read a captured session.

// Message kinds.
const (
	opLoad     = "load"     // daemon → brain: open the model, warm the prefix
	opGenerate = "generate" // daemon → brain: answer a prompt
	opCancel   = "cancel"   // daemon → brain: stop generation id
	opStats    = "stats"    // daemon → brain: report counters

	evReady = "ready" // brain → daemon: model loaded
	evToken = "token" // brain → daemon: text of one or more tokens
	// evCandidate is one whole reply of a generate with candidates > 1,
	// with its log-probability in Stats.LogProb.
	evCandidate = "candidate"
	// evWorking says a generate with candidates is making tokens: no
	// text (that comes whole, in evCandidate), but the daemon knows the
	// brain has begun and is not stalled.
	evWorking = "working"
	evDone    = "done"  // brain → daemon: generation id finished
	evStats   = "stats" // brain → daemon: counters
	evError   = "error" // brain → daemon: a request failed (load or bad message)
)

// Stop reasons in a done message.
const (
	ReasonEOG       = "eog"       // the model ended its turn
	ReasonLength    = "length"    // max_tokens reached
	ReasonStop      = "stop"      // a stop string appeared
	ReasonCancelled = "cancelled" // cancel received
	ReasonContext   = "context"   // the context window is full
	ReasonError     = "error"
)

// engineConfig is what the brain process needs to open a model.
type engineConfig struct {
	Model   string
	Threads int
	Context int
	Batch   int
	// Flash is FlashOn, FlashOff or FlashAuto ("" is off: the engine's
	// own tests open it without); KV the cache type, "" for F16.
	Flash string
	KV    string
	// CppSampler picks llama.cpp's sampler chain over the Go one
	// (sampler.go); only `purrd bench` sets it, to compare them.
	CppSampler bool
	// Adapter is a LoRA adapter applied on top of Model ("" for none),
	// at AdapterScale (0 means 1).
	Adapter      string
	AdapterScale float32
	// PriorContext > 0 opens a second context of that many tokens on the
	// same weights (cppEngine.prior).
	PriorContext int
	// Seqs > 1 gives the conversation's context that many sequences of
	// Context tokens each, so that many candidates decode side by side
	// in one batch (generator.runMany).
	Seqs int
}

// Segment is a piece of prompt text. Special segments are the chat
// template's own markup and may be tokenized into control tokens; owner
// text is never special, so "<|im_start|>" typed by the owner stays text.
type Segment struct {
	Text    string `json:"t"`
	Special bool   `json:"s,omitempty"`
	// Reply marks the pet's own words (and the end of its turn): the
	// tokens a model generates, on which training puts the loss. The
	// brain process has no use for it.
	Reply bool `json:"-"`
}

// msg is every message in both directions; unused fields stay empty.
type msg struct {
	Op string `json:"op,omitempty"`
	Ev string `json:"ev,omitempty"`
	ID string `json:"id,omitempty"`

	// load
	Model       string `json:"model,omitempty"`
	Threads     int    `json:"threads,omitempty"`
	Context     int    `json:"context,omitempty"`
	Batch       int    `json:"batch,omitempty"`
	MemoryLimit int64  `json:"memory_limit,omitempty"`
	// FlashAttention and KVCache are brain.flash_attention and
	// brain.kv_cache; "" (like a zero Threads or Batch) means auto.
	FlashAttention string `json:"flash_attention,omitempty"`
	KVCache        string `json:"kv_cache,omitempty"`
	// Adapter is a LoRA adapter to apply on top of Model, at AdapterScale.
	Adapter      string  `json:"adapter,omitempty"`
	AdapterScale float32 `json:"adapter_scale,omitempty"`
	// PriorContext > 0 opens a second context of that many tokens on the
	// same weights, holding the prefix, for scoring candidates' priors
	// without dropping the conversation from the first one's KV cache.
	PriorContext int `json:"prior_context,omitempty"`
	// Seqs > 1 lets that many candidates decode together, one batch a
	// token for all of them (engineConfig.Seqs).
	Seqs int `json:"seqs,omitempty"`

	// load and generate
	Prefix []Segment `json:"prefix,omitempty"`

	// generate
	Prompt      []Segment `json:"prompt,omitempty"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
	Stop        []string  `json:"stop,omitempty"`
	Temperature *float32  `json:"temperature,omitempty"`
	TopK        int       `json:"top_k,omitempty"`
	TopP        float32   `json:"top_p,omitempty"`
	Seed        uint32    `json:"seed,omitempty"`
	MinP        float32   `json:"min_p,omitempty"`
	Penalty     *Penalty  `json:"penalty,omitempty"`
	// Candidates > 1 asks for that many whole replies, from seeds Seed,
	// Seed+1, ..., each sent as an evCandidate instead of evToken text.
	// With Neutral (a prompt that, after Prefix, opens the pet's turn
	// with no conversation), the done message then carries in Priors
	// the log-probability of each candidate's tokens after it: how
	// likely the pet would say them whatever the owner had said.
	Candidates int       `json:"candidates,omitempty"`
	Neutral    []Segment `json:"neutral,omitempty"`
	// Guidance > 0 (without candidates) samples each token from the
	// conversation's odds pushed away from Neutral's by that weight; the
	// load must have asked for Seqs >= 2.
	Guidance float32 `json:"guidance,omitempty"`
	// Avoid are the pet's last replies: with NoRepeat >= 2, no run of
	// NoRepeat tokens of theirs is said again (see phraseBan).
	Avoid    []string `json:"avoid,omitempty"`
	NoRepeat int      `json:"no_repeat,omitempty"`

	// events
	Text   string     `json:"text,omitempty"`
	Reason string     `json:"reason,omitempty"`
	Error  string     `json:"error,omitempty"`
	Stats  *Stats     `json:"stats,omitempty"`
	Load   *LoadStats `json:"load,omitempty"`
	Priors []float64  `json:"priors,omitempty"`
}

// Penalty discourages tokens already said in the last LastN tokens of the
// prompt and reply (llama.cpp's penalties sampler); zero values take the
// defaults (last 64, repeat 1.1, no frequency or presence penalty), a
// negative LastN (Off) turns the penalties off.
type Penalty struct {
	LastN     int     `json:"last_n,omitempty"`
	Repeat    float32 `json:"repeat,omitempty"`
	Frequency float32 `json:"frequency,omitempty"`
	Presence  float32 `json:"presence,omitempty"`
}

// Stats describes one generation, measured inside the brain process.
type Stats struct {
	Reason          string  `json:"reason"`           // why it stopped: ReasonEOG, ReasonLength, ...
	PromptTokens    int     `json:"prompt_tokens"`    // prompt length
	CachedTokens    int     `json:"cached_tokens"`    // reused from the KV cache
	EvaluatedTokens int     `json:"evaluated_tokens"` // prompt tokens actually computed
	GeneratedTokens int     `json:"generated_tokens"`
	PromptMS        float64 `json:"prompt_ms"`         // evaluating the prompt
	FirstTokenMS    float64 `json:"first_token_ms"`    // request received → first token sampled
	GenerateMS      float64 `json:"generate_ms"`       // first token → done
	TokensPerSecond float64 `json:"tokens_per_second"` // generated tokens over GenerateMS
	// LogProb is the model's own log-probability of the tokens it
	// sampled (only when asked to score, for picking among candidates).
	LogProb      float64 `json:"log_prob,omitempty"`
	ScoredTokens int     `json:"scored_tokens,omitempty"` // the tokens LogProb covers, the end of turn included
	// NeutralTokens are the tokens read into the guidance sequence for
	// this reply (the neutral prompt, less what it already held).
	NeutralTokens int `json:"neutral_tokens,omitempty"`
}

// LoadStats describes the model load, measured inside the brain process.
type LoadStats struct {
	Architecture string  `json:"architecture"`
	Adapter      string  `json:"adapter,omitempty"` // base name of the LoRA adapter applied, "" for none
	LoadMS       float64 `json:"load_ms"`
	PrefixTokens int     `json:"prefix_tokens"`
	PrefixMS     float64 `json:"prefix_ms"`
	// The engine settings the brain chose (auto values resolved).
	Threads        int    `json:"threads,omitempty"`
	FlashAttention string `json:"flash_attention,omitempty"`
	Batch          int    `json:"batch,omitempty"`
	KVCache        string `json:"kv_cache,omitempty"`
	Settings       string `json:"settings,omitempty"` // how the auto values were chosen
	MaxRSSKB       int64  `json:"max_rss_kb"`         // VmHWM when reported by stats
	RSSKB          int64  `json:"rss_kb"`             // VmRSS when reported by stats
}

// maxLine bounds one protocol line; a prompt is a few KB, so anything
// near this is a broken peer, not a message.
const maxLine = 4 << 20

// lineReader decodes one message per line.
type lineReader struct{ sc *bufio.Scanner }

func newLineReader(r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &lineReader{sc: sc}
}

// next returns the next message, io.EOF at the end, or an error for a line
// that is not a message (the caller decides whether that is fatal).
func (l *lineReader) next() (msg, error) {
	if !l.sc.Scan() {
		if err := l.sc.Err(); err != nil {
			return msg{}, fmt.Errorf("llama: reading protocol: %w", err)
		}
		return msg{}, io.EOF
	}
	return decodeLine(l.sc.Bytes())
}

func decodeLine(b []byte) (msg, error) {
	var m msg
	if err := json.Unmarshal(b, &m); err != nil {
		return msg{}, fmt.Errorf("llama: bad protocol line %.80q: %w", b, err)
	}
	if (m.Op == "") == (m.Ev == "") {
		return msg{}, fmt.Errorf("llama: bad protocol line %.80q: needs exactly one of op and ev", b)
	}
	return m, nil
}

// lineWriter encodes one message per line; safe for concurrent use.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
	// timeout bounds each write when w can take a deadline (the
	// daemon's end of the brain's stdin): a frozen brain must not block
	// a Reply before its own deadline starts counting.
	timeout time.Duration
}

type writeDeadliner interface{ SetWriteDeadline(time.Time) error }

func (l *lineWriter) send(m msg) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("llama: encoding %s%s message: %w", m.Op, m.Ev, err)
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if d, ok := l.w.(writeDeadliner); ok && l.timeout > 0 {
		_ = d.SetWriteDeadline(time.Now().Add(l.timeout))
	}
	if _, err := l.w.Write(b); err != nil {
		return fmt.Errorf("llama: sending %s%s message: %w", m.Op, m.Ev, err)
	}
	return nil
}
