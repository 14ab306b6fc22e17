// Package llama answers the pet's chat with an on-device language model:
// llama.cpp compiled in through cgo (github.com/ollama/ollama/llama,
// pinned at v0.17.4), run in a child process.
//
// The engine is C++ that can abort the whole process on a bad model or
// run out of memory, so it never runs inside the daemon. NewBrain starts
// `purrd brain` (the same binary, ServeMain) and talks to it over pipes
// with line-delimited JSON; a supervisor restarts it with backoff when it
// dies or hangs, and meanwhile Reply fails fast so the daemon answers with
// its fallback brain. A brain that does not start answering within
// Options.FirstTokenDeadline is "stalled": the reply fails at once (the
// fallback answers), and the brain stays unready until it answers again or
// is killed after Options.Deadline. Models are checked in pure Go
// (package gguf) first.
//
// Code that imports the engine is behind the `llama` build tag; without
// it (and with CGO_ENABLED=0) the package builds with a stub engine whose
// brain process reports ErrNoEngine.
package llama

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

// Brain states, as shown in dialog.BrainStatus.State.
const (
	StateLoading    = "loading"
	StateReady      = "ready"
	StateStalled    = "stalled" // the process is up but has not answered in time
	StateFailed     = "failed"
	StateRestarting = "restarting"
	StateStopped    = "stopped"
)

// Brain is a dialog.Brain backed by a supervised brain process.
type Brain struct {
	o   Options
	log *slog.Logger

	mu       sync.Mutex
	status   dialog.BrainStatus
	cur      *child
	format   chatFormat
	seq      uint64
	last     Stats
	load     LoadStats
	restarts int
	// adapterRefused is set once the engine failed to load the model
	// with the adapter but loaded it without.
	adapterRefused bool

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

var _ dialog.Brain = (*Brain)(nil)

// NewBrain starts supervising a brain process for opts.Model and returns
// at once: the model loads in the background (Status says "loading").
// It fails only for options that can never work.
func NewBrain(opts Options) (*Brain, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &Brain{
		o:    o,
		log:  o.Logger.With("brain", "llama"),
		stop: make(chan struct{}),
		done: make(chan struct{}),
		status: dialog.BrainStatus{Name: "llama", Model: filepath.Base(o.Model), State: StateLoading,
			Reason: "loading " + filepath.Base(o.Model)},
	}
	go b.supervise()
	return b, nil
}

// Status reports the brain's state and, when not ready, why.
func (b *Brain) Status() dialog.BrainStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status
}

// LastStats returns the counters of the last finished reply.
func (b *Brain) LastStats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// LoadStats returns what the brain process reported when it loaded.
func (b *Brain) LoadStats() LoadStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.load
}

// Restarts counts brain processes started after the first.
func (b *Brain) Restarts() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.restarts
}

// PID is the process id of the ready brain process, 0 when none.
func (b *Brain) PID() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur == nil {
		return 0
	}
	return b.cur.pid()
}

// Close stops the brain process and the supervisor.
func (b *Brain) Close() error {
	b.stopOnce.Do(func() { close(b.stop) })
	<-b.done
	return nil
}

func (b *Brain) setStatus(state, reason string) {
	b.mu.Lock()
	b.setStatusLocked(state, reason)
	b.mu.Unlock()
}

// setStatusLocked changes the status (b.mu held) and tells
// Options.OnStatus, without waiting for it.
func (b *Brain) setStatusLocked(state, reason string) {
	if b.status.State == state && b.status.Reason == reason {
		return
	}
	b.status.State, b.status.Reason = state, reason
	if b.o.OnStatus != nil {
		b.o.OnStatus(b.status)
	}
}

// markStalled takes a brain process that has not answered in time out of
// service: new replies fail fast (the caller's fallback answers) until
// it answers again (recovered) or is killed.
func (b *Brain) markStalled(c *child, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur != c || b.status.State != StateReady {
		return
	}
	b.log.Warn("brain stalled; the fallback answers until it responds", "why", why, "pid", c.pid(), "kill_after", b.o.Deadline)
	b.setStatusLocked(StateStalled, why)
}

// recovered puts a stalled brain process back in service: it answered.
func (b *Brain) recovered(c *child) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur != c || b.status.State != StateStalled {
		return
	}
	b.log.Info("brain answers again", "pid", c.pid(), "was", b.status.Reason)
	b.setStatusLocked(StateReady, "")
}

// supervise keeps one brain process running until Close.
func (b *Brain) supervise() {
	defer close(b.done)
	defer b.setStatus(StateStopped, "closed")
	backoff := b.o.RestartBackoff
	first := true
	for {
		c, err := b.launch(first)
		if err == nil {
			up := time.Now()
			select {
			case <-c.exited:
				why := c.why()
				// Only a process that ran well for a while earns a quick
				// restart: one that crashes soon after every load would
				// otherwise be reloaded every few seconds forever.
				ran := time.Since(up)
				if ran >= b.o.StableAfter {
					backoff = b.o.RestartBackoff
				}
				b.mu.Lock()
				b.cur = nil
				b.mu.Unlock()
				// A clean exit is the brain obeying SIGTERM (systemd signals
				// the whole control group at shutdown) before Close.
				level := slog.LevelError
				if ps := c.cmd.ProcessState; ps != nil && ps.ExitCode() == 0 {
					level = slog.LevelWarn
				}
				b.log.Log(context.Background(), level, "brain process ended; restarting", "why", why,
					"ran", ran.Round(time.Millisecond), "backoff", backoff)
				b.setStatus(StateRestarting, why)
			case <-b.stop:
				b.mu.Lock()
				b.cur = nil
				b.mu.Unlock()
				c.stop(2 * time.Second)
				return
			}
		} else {
			// A bad model or an engine that cannot load it will not get
			// better by itself, but a model may be installed meanwhile:
			// keep checking, ever less often.
			b.log.Error("brain not available", "err", err, "retry_in", backoff)
			b.setStatus(StateFailed, err.Error())
		}
		first = false
		select {
		case <-b.stop:
			return
		case <-time.After(backoff):
		}
		b.mu.Lock()
		b.restarts++
		b.mu.Unlock()
		backoff = min(2*backoff, b.o.MaxBackoff)
	}
}

// launch checks the model, starts a brain process and waits until it has
// loaded the model (with the adapter when one is configured and usable)
// and evaluated the system prompt. An adapter the engine refuses or dies
// on costs a second load without it, not the model brain.
func (b *Brain) launch(first bool) (*child, error) {
	info, err := gguf.Check(b.o.Model, gguf.CheckOptions{MemoryLimit: b.o.MemoryLimit, Context: b.o.Context*seqsFor(b.o) + priorContext(b.o), Meminfo: b.o.Meminfo})
	if err != nil {
		return nil, err
	}
	if !first {
		b.setStatus(StateRestarting, "reloading "+filepath.Base(b.o.Model)+" after: "+b.Status().Reason)
	}
	format := detectFormat(info.ChatTemplate)
	adapter := b.usableAdapter()
	c, err := b.start(format, adapter)
	if err != nil && adapter != "" && !errors.Is(err, errClosedLoading) {
		adapterErr := err
		if c, err = b.start(format, ""); err == nil {
			// The base loads alone, so the adapter is to blame: skip it
			// from now on rather than pay a failed load at every restart.
			b.log.Warn("the engine refused the adapter; running the base model without it",
				"adapter", b.o.Adapter, "err", adapterErr)
			b.mu.Lock()
			b.adapterRefused = true
			b.mu.Unlock()
		}
	}
	if err != nil {
		return nil, err
	}
	c.loaded()
	// Log before the status turns ready: whoever waits for ready (the
	// daemon's status report, a test) then finds the line already written.
	ls := b.LoadStats()
	b.log.Info("brain ready", "model", b.o.Model, "adapter", adapterPath(ls.Adapter, b.o.Adapter), "pid", c.pid(), "format", format.name,
		"architecture", info.Architecture, "load_ms", ls.LoadMS, "prefix_tokens", ls.PrefixTokens,
		"threads", ls.Threads, "flash_attention", ls.FlashAttention, "batch", ls.Batch,
		"kv_cache", ls.KVCache, "settings", ls.Settings)
	b.mu.Lock()
	b.cur, b.format = c, format
	b.status.Model = filepath.Base(b.o.Model)
	if b.load.Adapter != "" {
		b.status.Model += "+" + b.load.Adapter
	}
	b.setStatusLocked(StateReady, "")
	b.mu.Unlock()
	return c, nil
}

// adapterPath is the configured adapter when the brain process applied it.
func adapterPath(applied, configured string) string {
	if applied == "" {
		return "none"
	}
	return configured
}

// usableAdapter returns the configured adapter, or "" when there is none,
// the engine refused it before, or the pure-Go check refuses it (logged:
// the cat then talks with the base model, which is better than not at all).
func (b *Brain) usableAdapter() string {
	b.mu.Lock()
	refused := b.adapterRefused
	b.mu.Unlock()
	if b.o.Adapter == "" || refused {
		return ""
	}
	if _, err := gguf.CheckAdapter(b.o.Adapter, b.o.Model); err != nil {
		b.log.Warn("adapter not usable; running the base model without it", "adapter", b.o.Adapter, "err", err)
		return ""
	}
	return b.o.Adapter
}

// errClosedLoading is Close arriving while a model loads.
var errClosedLoading = errors.New("llama: closed while loading")

// start starts a brain process, has it load the model and adapter
// ("" for none), and waits until it is ready.
func (b *Brain) start(format chatFormat, adapter string) (*child, error) {
	c, err := startChild(b.o, b.log)
	if err != nil {
		return nil, err
	}
	prefix, _ := format.render(b.o.Script(dialog.Request{}).Stable())
	err = c.w.send(msg{Op: opLoad, Model: b.o.Model, Adapter: adapter, AdapterScale: b.o.AdapterScale, Threads: b.o.Threads,
		Context: b.o.Context, Batch: b.o.Batch, FlashAttention: b.o.FlashAttention, KVCache: b.o.KVCache,
		MemoryLimit: b.o.MemoryLimit, Prefix: prefix, PriorContext: priorContext(b.o), Seqs: seqsFor(b.o)})
	if err == nil {
		select {
		case m := <-c.ready:
			if m.Ev == evError {
				err = fmt.Errorf("llama: brain could not load the model: %s", m.Error)
			} else {
				b.mu.Lock()
				b.load = LoadStats{}
				if m.Load != nil {
					b.load = *m.Load
				}
				b.mu.Unlock()
			}
		case <-c.exited:
			err = fmt.Errorf("llama: brain died while loading: %s", c.why())
		case <-time.After(b.o.LoadTimeout):
			err = fmt.Errorf("llama: brain did not load %s within %s", filepath.Base(b.o.Model), b.o.LoadTimeout)
		case <-b.stop:
			err = errClosedLoading
		}
	}
	if err != nil {
		c.kill("load failed")
		<-c.exited
		return nil, err
	}
	return c, nil
}

// Reply generates an answer, emitting each sentence as soon as it is
// complete. It returns an error (and the daemon falls back) when no brain
// is ready, the brain dies, stays silent past Options.FirstTokenDeadline
// before any sentence (ErrStalled), or ctx ends; cancelling ctx also stops
// generation in the brain process.
func (b *Brain) Reply(ctx context.Context, req dialog.Request, emit func(dialog.Chunk)) error {
	b.mu.Lock()
	c, format, st := b.cur, b.format, b.status
	b.seq++
	id := req.ID + "#" + strconv.FormatUint(b.seq, 10)
	b.mu.Unlock()
	if c == nil || st.State != StateReady {
		return fmt.Errorf("%w (%s: %s)", ErrNotReady, st.State, st.Reason)
	}
	p := b.o.Script(req)
	// What the owner asks about from memory, if anything: found once, for
	// every try below.
	var memory *dialog.MemoryAnswer
	if a, ok := dialog.MemoryAsked(req.Text, dialog.KnownFacts(req), req.History); ok {
		memory = &a
	}
	seed := replySeed(b.o.Seed, req)
	err := b.reply(ctx, c, format, id, req, p, memory, seed, 0, emit)
	if errors.Is(err, errNoRoom) && len(p.History) > 0 {
		// The history outgrew the context: answer the message alone.
		b.log.Warn("prompt too long for the context; dropping history", "id", req.ID, "turns", len(p.History))
		p.History = nil
		err = b.reply(ctx, c, format, id+"r", req, p, memory, seed, 0, emit)
	}
	if refusedByGuard(err) {
		// Nothing was said yet: one more try, a little hotter and from
		// another seed, before the fallback brain answers.
		b.log.Info("reply rejected before a word was said; resampling", "id", req.ID, "why", err)
		err = b.reply(ctx, c, format, id+"s", req, p, memory, seed, 1, emit)
	}
	return err
}

// ErrRepeat and ErrWrongLanguage are wrapped by Reply errors when the
// model's first sentence repeated one of its last replies, or was not in
// the owner's language, twice: the daemon's fallback brain answers.
var (
	ErrRepeat        = errors.New("llama: reply repeats a recent one")
	ErrWrongLanguage = errors.New("llama: reply not in the owner's language")
	// ErrMissesMemory: the owner asked about something the cat remembers
	// in their words, and the reply named none of it (dialog.MemoryAnswer).
	ErrMissesMemory = errors.New("llama: reply misses what the owner told")
	// ErrAlarm: the reply urged calling for emergency help, which only
	// the care path does (dialog.ReplyGuard.Alarms).
	ErrAlarm = errors.New("llama: reply raises an alarm")
	// ErrMisstates: the reply stated a figure the owner did not say, or
	// mixed up who is who (dialog.ReplyGuard.Misquotes, MixesUpWho).
	ErrMisstates = errors.New("llama: reply misstates a figure or a name")
	// ErrGarbled: the reply fell into the Chinese frame the model garbles
	// ("我帮你看着你", dialog.ReplyGuard.Garbles).
	ErrGarbled = errors.New("llama: reply garbled")
)

// guardRefusals are the errors of a reply the guards refused before a
// word was said, which Reply samples once more and the daemon's fallback
// brain then answers.
var guardRefusals = []error{ErrRepeat, ErrWrongLanguage, ErrMissesMemory, ErrAlarm, ErrMisstates, ErrGarbled}

// refusedByGuard reports an error of guardRefusals.
func refusedByGuard(err error) bool {
	return slices.ContainsFunc(guardRefusals, func(e error) bool { return errors.Is(err, e) })
}

// ErrStalled is wrapped by Reply errors when the brain process did not
// answer within Options.FirstTokenDeadline: it is taken out of service
// (StateStalled) until it answers again or is replaced.
var ErrStalled = errors.New("llama: brain stalled")

// errNoRoom is a prompt that does not fit the context window.
var errNoRoom = errors.New("llama: prompt too long for the context")

// replySeed is the sampling seed of a reply to req for Options.Seed: 0
// draws a new one from the clock each time; any other seed gives each
// reply a seed of its own that follows from it and from what the reply
// answers (the owner's words and the history before them). So the same
// conversation is answered the same again (an eval played twice), and
// two runs that differ in one turn (another brain took it, or another
// path) still draw alike in every turn whose words and history are the
// same, whatever else was asked of the model in between; and no two
// replies start from the same random draw unless they answer the same.
func replySeed(seed uint32, req dialog.Request) uint32 {
	if seed == 0 {
		return 0
	}
	return seed + req.Digest()
}

func (b *Brain) reply(ctx context.Context, c *child, format chatFormat, id string, req dialog.Request, p dialog.Script, memory *dialog.MemoryAnswer, seed uint32, try int, emit func(dialog.Chunk)) error {
	prefix, rest := format.render(p)
	temp := b.o.Temperature + 0.3*float32(try)
	seed += uint32(try) * 7919
	if b.o.Seed == 0 {
		seed = uint32(time.Now().UnixNano())
	}
	events := c.register(id, b.o.MaxTokens+8)
	handedOver := false // watchAbandoned took over the registration
	defer func() {
		if !handedOver {
			c.unregister(id)
		}
	}()
	gen := msg{Op: opGenerate, ID: id, Prefix: prefix, Prompt: rest, MaxTokens: b.o.MaxTokens,
		Stop: format.stop, Temperature: &temp, Seed: seed, TopK: b.o.TopK, TopP: b.o.TopP, MinP: b.o.MinP,
		Penalty: &b.o.Penalty}
	if b.o.NoRepeat >= 2 {
		gen.NoRepeat, gen.Avoid = b.o.NoRepeat, dialog.PhrasesToAvoid(req, b.o.PetNames...)
	}
	var pick *picker
	if b.o.Candidates > 1 {
		gen.Candidates = b.o.Candidates
		if scoresPriors(b.o) {
			gen.Neutral = format.neutral(p)
		}
		pick = &picker{specificity: float64(b.o.Specificity)}
	} else if b.o.Guidance > 0 {
		gen.Guidance, gen.Neutral = b.o.Guidance, format.unprompted(p)
	}
	if err := c.w.send(gen); err != nil {
		return fmt.Errorf("llama: reply %s: %w", req.ID, err)
	}
	// One guard for every candidate: it reads the owner's words once and
	// is not changed by judging.
	guard := dialog.NewReplyGuard(req)
	newOut := func(emit func(dialog.Chunk)) replyOut {
		out := replyOut{emit: emit, clean: b.o.Clean, echo: dialog.NewEchoDetector(p.PromptText(), nil), limit: b.o.MaxSentences,
			guard: guard, memory: memory}
		if out.clean == nil {
			out.clean = cleanSentence
		}
		return out
	}
	out := newOut(emit)
	// The owner is waiting: a brain that has not begun (or stopped) for
	// FirstTokenDeadline is not going to be quick, whether it is frozen or
	// just slow. Give up on it at once so the fallback answers; a watcher
	// decides beside the caller whether it recovers or must be killed.
	stall := time.NewTimer(b.o.FirstTokenDeadline)
	defer stall.Stop()
	lastOutput := time.Now()
	started := false
	for {
		select {
		case <-ctx.Done():
			_ = c.w.send(msg{Op: opCancel, ID: id})
			// The caller has gone, but a brain that never acknowledges the
			// cancel is hung all the same: watch for that beside the caller.
			handedOver = true
			go b.watchAbandoned(c, id, events, lastOutput)
			return fmt.Errorf("llama: reply %s: %w", req.ID, ctx.Err())
		case <-c.exited:
			if out.done {
				return nil // the reply is whole; the supervisor deals with the rest
			}
			return fmt.Errorf("llama: reply %s: brain died mid-reply: %s", req.ID, c.why())
		case <-stall.C:
			why := fmt.Sprintf("stalled: no output for %s while answering %s", b.o.FirstTokenDeadline, req.ID)
			b.markStalled(c, why)
			handedOver = true
			go func() {
				// Sent here, not in Reply: a frozen process may not read it.
				_ = c.w.send(msg{Op: opCancel, ID: id})
				b.watchAbandoned(c, id, events, lastOutput)
			}()
			if out.count > 0 && out.finish(true) {
				return nil // the owner has words: the reply ends with them
			}
			return fmt.Errorf("llama: reply %s: %w: no output for %s", req.ID, ErrStalled, b.o.FirstTokenDeadline)
		case m := <-events:
			stall.Reset(b.o.FirstTokenDeadline)
			lastOutput = time.Now()
			if !started && (m.Ev == evToken || m.Ev == evWorking || m.Ev == evCandidate) {
				// The model has begun: words are on the way.
				started = true
				emit(dialog.Chunk{Started: true})
			}
			switch m.Ev {
			case evCandidate:
				cand := newOut(nil)
				pick.add(&cand, m)
			case evToken:
				if out.rejected == nil && out.add(m.Text) {
					// Enough said (or a first sentence the guard refused):
					// stop the model and wait only for its counters.
					_ = c.w.send(msg{Op: opCancel, ID: id})
				}
			case evDone:
				if m.Stats != nil {
					b.mu.Lock()
					b.last = *m.Stats
					b.mu.Unlock()
				}
				if m.Reason == ReasonContext && m.Stats != nil && m.Stats.GeneratedTokens == 0 && !out.done {
					return fmt.Errorf("llama: reply %s: %w: %s", req.ID, errNoRoom, m.Error)
				}
				if m.Reason == ReasonError {
					return fmt.Errorf("llama: reply %s: %s", req.ID, m.Error)
				}
				if pick != nil {
					best, err := pick.best(m.Priors)
					if err != nil {
						return fmt.Errorf("llama: reply %s: %w", req.ID, err)
					}
					if b.log.Enabled(ctx, slog.LevelDebug) {
						for i, c := range pick.cands {
							b.log.Debug("reply candidate", "id", req.ID, "n", i, "text", c.text, "score", c.score,
								"log_prob", c.lp, "tokens", c.tokens, "prior", priorOf(m.Priors, i), "refused", c.err)
						}
					}
					b.log.Debug("reply picked", "id", req.ID, "of", len(pick.cands), "picked", best.text, "score", best.score)
					for _, ch := range best.chunks {
						emit(ch)
					}
					return nil
				}
				if out.rejected != nil {
					return fmt.Errorf("llama: reply %s: %w", req.ID, out.rejected)
				}
				if out.done {
					return nil
				}
				if m.Reason == ReasonCancelled {
					return fmt.Errorf("llama: reply %s: cancelled by the brain", req.ID)
				}
				if !out.finish(m.Reason == ReasonLength || m.Reason == ReasonContext) {
					if out.rejected != nil {
						return fmt.Errorf("llama: reply %s: %w", req.ID, out.rejected)
					}
					return fmt.Errorf("llama: reply %s: %w", req.ID, ErrEmptyReply)
				}
				return nil
			}
		}
	}
}

// picker holds the candidates of a reply (Options.Candidates) as the
// guards left them, and picks the one to say.
type picker struct {
	specificity float64
	cands       []candidateReply
}

type candidateReply struct {
	text   string
	chunks []dialog.Chunk // what saying it emits, Final included
	err    error          // why the guards refused it; nil if they did not
	lp     float64        // log p(tokens | conversation)
	tokens int
	score  float64
}

// add runs a candidate through the same guards a streamed reply meets
// (out is a fresh replyOut whose emit is set here) and keeps the result.
func (p *picker) add(out *replyOut, m msg) {
	c := candidateReply{text: m.Text}
	out.emit = func(ch dialog.Chunk) { c.chunks = append(c.chunks, ch) }
	out.add(m.Text)
	if out.rejected == nil && !out.finish(m.Reason == ReasonLength || m.Reason == ReasonContext) && out.rejected == nil {
		out.rejected = ErrEmptyReply
	}
	c.err = out.rejected
	if m.Stats != nil {
		c.lp, c.tokens = m.Stats.LogProb, m.Stats.ScoredTokens
	}
	p.cands = append(p.cands, c)
}

// best is the accepted candidate with the highest score, per token,
// log p(reply | conversation) - specificity * log p(reply | nothing
// said); without priors (one per candidate, in order) the likelihood
// alone. Per token, not over the whole reply: the likeliest whole reply
// won on 307 rated single prompts but rated worse blind in the eval
// (docs/models.md, "The ranking on 307 rated prompts"). With none
// accepted it returns the first one's refusal, which Reply treats as it
// does a refused streamed reply.
func (p *picker) best(priors []float64) (candidateReply, error) {
	var best *candidateReply
	for i := range p.cands {
		c := &p.cands[i]
		if c.err != nil {
			continue
		}
		s := c.lp
		if len(priors) == len(p.cands) {
			s -= p.specificity * priors[i]
		}
		c.score = s / float64(max(c.tokens, 1))
		if best == nil || c.score > best.score {
			best = c
		}
	}
	if best != nil {
		return *best, nil
	}
	if len(p.cands) == 0 {
		return candidateReply{}, ErrEmptyReply
	}
	return candidateReply{}, p.cands[0].err
}

// seqsFor is how many sequences the brain's context needs: one per
// candidate, or two for guidance (the conversation and the neutral
// prompt).
func seqsFor(o Options) int {
	switch {
	case o.Candidates > 1:
		return o.Candidates
	case o.Guidance > 0:
		return 2
	}
	return 1
}

// scoresPriors is whether candidates' priors are scored: only a prior
// that weighs in the picker's score (specificity above 0) is worth a
// second pass.
func scoresPriors(o Options) bool { return o.Candidates > 1 && o.Specificity > 0 }

// priorContext is the size of the brain process's second context, where
// candidates' priors are scored (0: none are): the persona, the neutral
// turn opening and a whole reply fit in it.
func priorContext(o Options) int {
	if !scoresPriors(o) {
		return 0
	}
	return 512
}

// priorOf is the i-th prior, if the brain sent them all.
func priorOf(priors []float64, i int) any {
	if i < len(priors) {
		return priors[i]
	}
	return nil
}

// watchAbandoned follows a generation no caller waits for any more (the
// caller gave up, or Reply gave up on a stalled brain) until the brain
// confirms its end; its late output is discarded. A brain silent for
// Options.FirstTokenDeadline is marked stalled; one that answers again is
// back in service; one silent for Options.Deadline since its last output
// is killed as hung and the supervisor starts a new one: otherwise a
// frozen brain whose callers always give up first would never be replaced.
func (b *Brain) watchAbandoned(c *child, id string, events <-chan msg, lastOutput time.Time) {
	defer c.unregister(id)
	stall := time.NewTimer(b.o.FirstTokenDeadline - time.Since(lastOutput))
	defer stall.Stop()
	hung := time.NewTimer(b.o.Deadline - time.Since(lastOutput))
	defer hung.Stop()
	for {
		select {
		case m := <-events:
			b.recovered(c)
			if m.Ev == evDone {
				return
			}
			stall.Reset(b.o.FirstTokenDeadline)
			hung.Reset(b.o.Deadline)
		case <-c.exited:
			return
		case <-stall.C:
			b.markStalled(c, fmt.Sprintf("stalled: no output for %s after %s was given up", b.o.FirstTokenDeadline, id))
		case <-hung.C:
			why := fmt.Sprintf("hung: no output for %s while answering %s", b.o.Deadline, id)
			b.log.Warn("brain silent past the reply deadline; killing it", "id", id, "deadline", b.o.Deadline, "pid", c.pid())
			c.kill(why)
			return
		}
	}
}

// ErrEmptyReply means the model said nothing usable (only markup, or only
// what the cleaning removed); the daemon falls back.
var ErrEmptyReply = errors.New("llama: empty reply")

// ProcessStats asks the brain process for its memory figures (VmRSS, VmHWM).
func (b *Brain) ProcessStats(ctx context.Context) (LoadStats, error) {
	b.mu.Lock()
	c := b.cur
	b.mu.Unlock()
	if c == nil {
		return LoadStats{}, ErrNotReady
	}
	ch := c.register("", 1)
	defer c.unregister("")
	if err := c.w.send(msg{Op: opStats}); err != nil {
		return LoadStats{}, err
	}
	select {
	case m := <-ch:
		if m.Load == nil {
			return LoadStats{}, errors.New("llama: brain sent empty stats")
		}
		return *m.Load, nil
	case <-c.exited:
		return LoadStats{}, fmt.Errorf("llama: brain died: %s", c.why())
	case <-ctx.Done():
		return LoadStats{}, ctx.Err()
	}
}

// replyOut turns streamed text into cleaned sentence chunks, each sent the
// moment it is complete; the end of the reply is a separate Final chunk
// without text (the owner should not wait for the next sentence to hear
// this one).
type replyOut struct {
	emit  func(dialog.Chunk)
	clean func(string) string
	echo  *dialog.EchoDetector
	limit int // sentences; <= 0 means no limit
	split dialog.SentenceSplitter
	count int
	done  bool // the Final chunk is out
	// guard refuses repeats of recent replies, sentences in another
	// language, false alarms, misstated figures and names and garbled
	// Chinese (dialog.ReplyGuard): a refused first sentence rejects the
	// whole reply (the brain resamples or the fallback answers), a later
	// one is dropped.
	guard    *dialog.ReplyGuard
	rejected error
	said     string // the sentences emitted so far
	// memory, when the owner asked about something told: the reply is
	// held until whole (one or two short sentences) and refused when it
	// names none of the fact, so a wrong name is never half said.
	memory *dialog.MemoryAnswer
	held   []string
}

func (r *replyOut) push(s string) {
	s = r.clean(s)
	if s == "" || r.echo.Echoes(s) {
		return
	}
	if r.guard != nil {
		var why error
		switch {
		case r.guard.WrongLanguage(s):
			why = ErrWrongLanguage
		case r.guard.Alarms(s):
			why = ErrAlarm
		case r.guard.Misquotes(s), r.guard.MixesUpWho(s):
			why = ErrMisstates
		case r.guard.Garbles(s):
			why = ErrGarbled
		case r.guard.Repeats(s), r.guard.RepeatsReply(r.said + s):
			// Sentences too short to judge alone ("喵喵！", "我懂。")
			// still must not add up to a recent reply.
			why = ErrRepeat
		}
		if why != nil {
			if r.count == 0 {
				r.rejected = why
			}
			return
		}
	}
	if r.memory != nil {
		r.held = append(r.held, s)
	} else {
		r.emit(dialog.Chunk{Text: s})
	}
	r.said += s
	r.count++
}

// add takes streamed text and reports whether the sentence limit was
// reached, in which case the Final chunk has been emitted.
func (r *replyOut) add(text string) bool {
	if r.done {
		return false
	}
	for _, s := range r.split.Push(text) {
		r.push(s)
		if r.rejected != nil {
			return true
		}
		if r.limit > 0 && r.count >= r.limit {
			r.end()
			return true
		}
	}
	return false
}

// finish emits the Final chunk. A reply cut by the token bound ends
// mid-sentence: that fragment is dropped when a whole sentence exists.
func (r *replyOut) finish(cut bool) bool {
	if r.done {
		return true
	}
	if t := r.split.Rest(); t != "" && !(cut && r.count > 0) {
		r.push(t)
	}
	if r.count == 0 {
		return false
	}
	r.end()
	return r.rejected == nil
}

// end emits the held sentences, if they answer the owner's question,
// and the Final chunk; otherwise the reply is rejected, nothing said.
func (r *replyOut) end() {
	if r.memory != nil {
		if !r.memory.SaidBy(r.said) {
			r.rejected = ErrMissesMemory
			return
		}
		for _, s := range r.held {
			r.emit(dialog.Chunk{Text: s})
		}
		r.held = nil
	}
	r.emit(dialog.Chunk{Final: true})
	r.done = true
}
