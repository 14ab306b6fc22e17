// Package llama answers the pet's chat with an on-device language model:
// llama.cpp compiled in through cgo (github.com/ollama/ollama/llama,
// pinned at v0.17.4), run in a child process.
//
// The engine is C++ that can abort the whole process on a bad model or
// run out of memory, so it never runs inside the daemon. NewBrain starts
// `purrd brain` (the same binary, ServeMain) and talks to it over pipes
// with line-delimited JSON; a supervisor restarts it with backoff when it
// dies or hangs, and meanwhile Reply fails fast so the daemon answers with
// its fallback brain. Models are checked in pure Go (package gguf) first.
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
	b.status.State, b.status.Reason = state, reason
	b.mu.Unlock()
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
			backoff = b.o.RestartBackoff
			select {
			case <-c.exited:
				why := c.why()
				b.mu.Lock()
				b.cur = nil
				b.mu.Unlock()
				// A clean exit is the brain obeying SIGTERM (systemd signals
				// the whole control group at shutdown) before Close.
				level := slog.LevelError
				if ps := c.cmd.ProcessState; ps != nil && ps.ExitCode() == 0 {
					level = slog.LevelWarn
				}
				b.log.Log(context.Background(), level, "brain process ended; restarting", "why", why, "backoff", backoff)
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
// loaded the model and evaluated the system prompt.
func (b *Brain) launch(first bool) (*child, error) {
	info, err := gguf.Check(b.o.Model, gguf.CheckOptions{MemoryLimit: b.o.MemoryLimit, Context: b.o.Context, Meminfo: b.o.Meminfo})
	if err != nil {
		return nil, err
	}
	if !first {
		b.setStatus(StateRestarting, "reloading "+filepath.Base(b.o.Model)+" after: "+b.Status().Reason)
	}
	format := detectFormat(info.ChatTemplate, "")
	c, err := startChild(b.o, b.log)
	if err != nil {
		return nil, err
	}
	prefix, _ := format.render(Prompt{System: b.o.SystemPrompt})
	err = c.w.send(msg{Op: opLoad, Model: b.o.Model, Threads: b.o.Threads, Context: b.o.Context,
		Batch: b.o.Batch, MemoryLimit: b.o.MemoryLimit, Prefix: prefix})
	if err == nil {
		select {
		case m := <-c.ready:
			if m.Ev == evError {
				err = fmt.Errorf("llama: brain could not load the model: %s", m.Error)
			} else {
				b.mu.Lock()
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
			err = errors.New("llama: closed while loading")
		}
	}
	if err != nil {
		c.kill("load failed")
		<-c.exited
		return nil, err
	}
	c.loaded()
	b.mu.Lock()
	b.cur, b.format = c, format
	b.status.State, b.status.Reason = StateReady, ""
	b.mu.Unlock()
	b.log.Info("brain ready", "model", b.o.Model, "pid", c.pid(), "format", format.name,
		"architecture", info.Architecture, "load_ms", b.LoadStats().LoadMS, "prefix_tokens", b.LoadStats().PrefixTokens)
	return c, nil
}

// Reply generates an answer, emitting it sentence by sentence. It returns
// an error (and the daemon falls back) when no brain is ready, the brain
// dies or stays silent past Options.Deadline, or ctx ends; cancelling ctx
// also stops generation in the brain process.
func (b *Brain) Reply(ctx context.Context, req dialog.Request, emit func(dialog.Chunk)) error {
	b.mu.Lock()
	c, format, st := b.cur, b.format, b.status
	b.seq++
	id := req.ID + "#" + strconv.FormatUint(b.seq, 10)
	b.mu.Unlock()
	if c == nil || st.State != StateReady {
		return fmt.Errorf("%w (%s: %s)", ErrNotReady, st.State, st.Reason)
	}
	var p Prompt
	if b.o.BuildPrompt != nil {
		p = b.o.BuildPrompt(req)
	} else {
		p = defaultPrompt(b.o.SystemPrompt, req)
	}
	err := b.reply(ctx, c, format, id, req, p, emit)
	if errors.Is(err, errNoRoom) && len(p.Turns) > 1 {
		// The history outgrew the context: answer the message alone.
		b.log.Warn("prompt too long for the context; dropping history", "id", req.ID, "turns", len(p.Turns))
		p.Turns = p.Turns[len(p.Turns)-1:]
		err = b.reply(ctx, c, format, id+"r", req, p, emit)
	}
	return err
}

// errNoRoom is a prompt that does not fit the context window.
var errNoRoom = errors.New("llama: prompt too long for the context")

func (b *Brain) reply(ctx context.Context, c *child, format chatFormat, id string, req dialog.Request, p Prompt, emit func(dialog.Chunk)) error {
	prefix, rest := format.render(p)
	temp := b.o.Temperature
	seed := b.o.Seed
	if seed == 0 {
		seed = uint32(time.Now().UnixNano())
	}
	events := c.register(id, b.o.MaxTokens+8)
	handedOver := false // awaitCancel took over the registration
	defer func() {
		if !handedOver {
			c.unregister(id)
		}
	}()
	if err := c.w.send(msg{Op: opGenerate, ID: id, Prefix: prefix, Prompt: rest, MaxTokens: b.o.MaxTokens,
		Stop: format.stop, Temperature: &temp, Seed: seed}); err != nil {
		return fmt.Errorf("llama: reply %s: %w", req.ID, err)
	}
	out := replyOut{emit: emit, clean: b.o.Clean, echo: dialog.NewEchoDetector(p.System, sampleLines(p.System)), limit: b.o.MaxSentences}
	if out.clean == nil {
		out.clean = cleanSentence
	}
	silence := time.NewTimer(b.o.Deadline)
	defer silence.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = c.w.send(msg{Op: opCancel, ID: id})
			// The caller has gone, but a brain that never acknowledges the
			// cancel is hung all the same: watch for that beside the caller.
			handedOver = true
			go b.awaitCancel(c, id, events)
			return fmt.Errorf("llama: reply %s: %w", req.ID, ctx.Err())
		case <-c.exited:
			if out.done {
				return nil // the reply is whole; the supervisor deals with the rest
			}
			return fmt.Errorf("llama: reply %s: brain died mid-reply: %s", req.ID, c.why())
		case <-silence.C:
			why := fmt.Sprintf("hung: no output for %s while answering %s", b.o.Deadline, req.ID)
			c.kill(why)
			if out.done {
				return nil
			}
			return fmt.Errorf("llama: reply %s: brain %s", req.ID, why)
		case m := <-events:
			silence.Reset(b.o.Deadline)
			switch m.Ev {
			case evToken:
				if out.add(m.Text) {
					// Enough said: the last chunk is out; stop the model
					// and wait only for its counters.
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
				if out.done {
					return nil
				}
				if m.Reason == ReasonCancelled {
					return fmt.Errorf("llama: reply %s: cancelled by the brain", req.ID)
				}
				if !out.finish(m.Reason == ReasonLength || m.Reason == ReasonContext) {
					return fmt.Errorf("llama: reply %s: %w", req.ID, ErrEmptyReply)
				}
				return nil
			}
		}
	}
}

// awaitCancel waits for the brain to confirm a cancelled generation. A
// process that stays silent for Options.Deadline after the cancel is killed
// as hung, and the supervisor starts a new one: otherwise a frozen brain
// whose callers always give up first would never be replaced.
func (b *Brain) awaitCancel(c *child, id string, events <-chan msg) {
	defer c.unregister(id)
	t := time.NewTimer(b.o.Deadline)
	defer t.Stop()
	for {
		select {
		case m := <-events:
			if m.Ev == evDone {
				return
			}
			t.Reset(b.o.Deadline)
		case <-c.exited:
			return
		case <-t.C:
			why := fmt.Sprintf("hung: no output for %s after %s was cancelled", b.o.Deadline, id)
			b.log.Warn("brain did not stop after a cancel; killing it", "id", id, "deadline", b.o.Deadline)
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

// replyOut turns streamed text into cleaned sentence chunks, holding one
// sentence back so the last chunk can carry Final.
type replyOut struct {
	emit    func(dialog.Chunk)
	clean   func(string) string
	echo    *dialog.EchoDetector
	limit   int // sentences; <= 0 means no limit
	split   dialog.SentenceSplitter
	pending string
	count   int
	done    bool // the Final chunk is out
}

func (r *replyOut) push(s string) {
	s = r.clean(s)
	if s == "" || r.echo.Echoes(s) {
		return
	}
	if r.pending != "" {
		r.emit(dialog.Chunk{Text: r.pending})
	}
	r.pending = s
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
		if r.limit > 0 && r.count >= r.limit {
			r.emit(dialog.Chunk{Text: r.pending, Final: true})
			r.done = true
			return true
		}
	}
	return false
}

// finish emits the Final chunk. A reply cut by the token bound ends
// mid-sentence: that fragment is dropped when a whole sentence exists.
func (r *replyOut) finish(cut bool) bool {
	if t := r.split.Rest(); t != "" && !(cut && r.count > 0) {
		r.push(t)
	}
	if r.count == 0 {
		return false
	}
	r.emit(dialog.Chunk{Text: r.pending, Final: true})
	r.done = true
	return true
}
