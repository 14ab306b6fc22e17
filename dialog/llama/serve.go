package llama

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// ErrNoEngine is what every engine call returns in a build without the
// llama tag; the daemon then answers with its fallback brain.
var ErrNoEngine = errors.New("llama: engine not built in (build with -tags llama)")

// ServeMain is the `purrd brain` child process: it reads requests from
// stdin and writes events to stdout (one JSON message per line) until
// stdin closes or ctx ends. llama.cpp's log lines go to stderr, filtered
// at -engine-log-level. args are the flags after the subcommand.
func ServeMain(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, args []string) error {
	return serve(ctx, serveConfig{in: stdin, out: stdout, errOut: stderr, args: args})
}

type serveConfig struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	args   []string
	// onToken is a test hook run before each generated token is sent
	// (a test makes the brain hang or crash here).
	onToken func(n int)
}

// levelOff is above every level llama.cpp logs at (its errors map to
// slog's Error), so "off" silences it.
const levelOff = slog.LevelError + 8

func parseLevel(s string) (slog.Level, error) {
	if s == "off" {
		return levelOff, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("llama: engine log level %q: want debug, info, warn, error or off", s)
	}
	return l, nil
}

// coalesce is the longest token text waits before it is sent.
const coalesce = 10 * time.Millisecond

type server struct {
	w       *lineWriter
	log     *slog.Logger
	gen     *generator
	eng     *cppEngine
	onToken func(int)
	// prior scores candidates' priors in the engine's second context
	// (load's PriorContext); nil without one.
	prior *generator

	mu        sync.Mutex
	curID     string
	curCancel context.CancelFunc
	cancelled map[string]bool // cancels that arrived before their generate
}

func serve(ctx context.Context, c serveConfig) error {
	fs := flag.NewFlagSet("brain", flag.ContinueOnError)
	fs.SetOutput(c.errOut)
	lvl := fs.String("engine-log-level", "warn", "level of llama.cpp's own messages: debug, info, warn, error, off")
	if err := fs.Parse(c.args); err != nil {
		return fmt.Errorf("llama: brain flags: %w", err)
	}
	level, err := parseLevel(*lvl)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(c.errOut, &slog.HandlerOptions{Level: level}))
	// ollama's binding filters llama.cpp's messages by slog.Default's
	// level and prints them to os.Stderr; this process exists only to
	// run the engine, so setting its default logger is how the level
	// reaches that filter.
	slog.SetDefault(log)

	// When memory runs out, the kernel should kill the brain (which the
	// daemon restarts), not the daemon: raise this process's OOM score.
	// Raising needs no privilege; failure (not Linux) changes nothing.
	_ = os.WriteFile("/proc/self/oom_score_adj", []byte("500"), 0)

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	s := &server{w: &lineWriter{w: c.out}, log: log, onToken: c.onToken, cancelled: map[string]bool{}}
	defer func() {
		if s.eng != nil {
			s.eng.close()
		}
	}()
	reqs := make(chan msg, 64)
	readErr := make(chan error, 1)
	go s.read(ctx, c.in, reqs, readErr)
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-reqs:
			if !ok {
				return <-readErr
			}
			if err := s.handle(ctx, m); err != nil {
				return err
			}
		}
	}
}

// read runs beside the generation so a cancel is seen at once.
func (s *server) read(ctx context.Context, in io.Reader, reqs chan<- msg, readErr chan<- error) {
	defer close(reqs)
	lr := newLineReader(in)
	for {
		m, err := lr.next()
		if errors.Is(err, io.EOF) {
			s.cancelCurrent()
			readErr <- nil
			return
		}
		if err != nil {
			_ = s.w.send(msg{Ev: evError, Error: err.Error()})
			if strings.Contains(err.Error(), "reading protocol") {
				s.cancelCurrent()
				readErr <- err
				return
			}
			continue
		}
		switch m.Op {
		case opCancel:
			s.mu.Lock()
			if s.curID == m.ID && s.curCancel != nil {
				s.curCancel()
			} else if len(s.cancelled) < 1024 {
				s.cancelled[m.ID] = true
			}
			s.mu.Unlock()
		case opStats:
			_ = s.w.send(msg{Ev: evStats, Load: procStatus("/proc/self/status")})
		default:
			select {
			case reqs <- m:
			case <-ctx.Done():
				readErr <- nil
				return
			}
		}
	}
}

func (s *server) cancelCurrent() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.curCancel != nil {
		s.curCancel()
	}
}

func (s *server) handle(ctx context.Context, m msg) error {
	switch m.Op {
	case opLoad:
		return s.load(ctx, m)
	case opGenerate:
		return s.generate(ctx, m)
	}
	return s.w.send(msg{Ev: evError, ID: m.ID, Error: fmt.Sprintf("llama: unknown op %q", m.Op)})
}

// load checks the model and the adapter in Go (the daemon did too; a file
// can change in between), opens them and evaluates the prefix. A failed
// load ends the process: there is nothing else it can do, and the daemon
// retries without the adapter.
func (s *server) load(ctx context.Context, m msg) error {
	if s.eng != nil {
		return s.w.send(msg{Ev: evError, Error: "llama: a model is already loaded"})
	}
	start := time.Now()
	cfg := engineConfig{Model: m.Model, Context: max(64, m.Context), Adapter: m.Adapter, AdapterScale: m.AdapterScale, PriorContext: m.PriorContext, Seqs: min(max(1, m.Seqs), maxCandidates)}
	info, err := gguf.Check(m.Model, gguf.CheckOptions{MemoryLimit: m.MemoryLimit, Context: cfg.Context * cfg.Seqs})
	if err == nil && m.Adapter != "" {
		_, err = gguf.CheckAdapter(m.Adapter, m.Model)
	}
	set := EngineSettings{Threads: m.Threads, FlashAttention: m.FlashAttention, Batch: m.Batch, KVCache: m.KVCache}
	if err == nil {
		err = set.Check()
	}
	var r resolved
	if err == nil {
		r = resolveSettings(set, info.Architecture, usableCores())
		cfg.Threads, cfg.Batch, cfg.Flash, cfg.KV = r.Threads, r.Batch, r.Flash, r.KV
		s.eng, err = openEngine(cfg)
	}
	if err != nil {
		_ = s.w.send(msg{Ev: evError, Error: err.Error()})
		return err
	}
	s.gen = &generator{t: s.eng, onToken: s.onToken}
	ls := &LoadStats{Architecture: info.Architecture, LoadMS: ms(time.Since(start)),
		Threads: r.Threads, FlashAttention: r.Flash, Batch: r.Batch, KVCache: r.KV, Settings: r.Why}
	if m.Adapter != "" {
		ls.Adapter = filepath.Base(m.Adapter)
	}
	t := time.Now()
	if ls.PrefixTokens, err = s.gen.warm(ctx, m.Prefix); err != nil {
		_ = s.w.send(msg{Ev: evError, Error: err.Error()})
		return err
	}
	ls.PrefixMS = ms(time.Since(t))
	if pe := s.eng.priorEngine(); pe != nil {
		s.prior = &generator{t: pe}
		if _, err := s.prior.warm(ctx, m.Prefix); err != nil {
			_ = s.w.send(msg{Ev: evError, Error: err.Error()})
			return err
		}
	}
	s.log.Debug("brain loaded", "model", m.Model, "adapter", m.Adapter, "load_ms", ls.LoadMS, "prefix_tokens", ls.PrefixTokens)
	return s.w.send(msg{Ev: evReady, Model: m.Model, Load: ls})
}

// samplingOf reads a generate message's sampling settings: a value left
// out (zero) takes the default, a negative top_k, min_p or last_n turns
// that sampler off (the engine's off is 0, which the wire cannot carry;
// its -1 for last_n would mean the whole context).
func samplingOf(m msg) sampling {
	s := sampling{Temperature: 0.7, TopK: 40, TopP: 0.9, MinP: 0.05, RepeatPenalty: 1.1, RepeatLastN: 64, Seed: m.Seed}
	if m.Temperature != nil {
		s.Temperature = max(*m.Temperature, 0)
	}
	if m.TopK != 0 {
		s.TopK = max(m.TopK, 0)
	}
	if m.TopP > 0 {
		s.TopP = m.TopP
	}
	if m.MinP != 0 {
		s.MinP = max(m.MinP, 0)
	}
	if p := m.Penalty; p != nil {
		if p.LastN != 0 {
			s.RepeatLastN = max(p.LastN, 0)
		}
		if p.Repeat > 0 {
			s.RepeatPenalty = p.Repeat
		}
		s.FrequencyPenalty, s.PresencePenalty = p.Frequency, p.Presence
	}
	return s
}

// phraseBan is what a generate message asks its reply to avoid: no run
// of m.NoRepeat tokens of the pet's last replies (m.Avoid); nil when it
// asks for none.
func (s *server) phraseBan(m msg) (*phraseBan, error) {
	if m.NoRepeat < 2 || len(m.Avoid) == 0 {
		return nil, nil
	}
	said := make([][]int, 0, 2*len(m.Avoid))
	for _, text := range m.Avoid {
		toks, err := s.eng.tokenize(Segment{Text: text}, false)
		if err != nil {
			return nil, fmt.Errorf("llama: tokenize a recent reply to avoid: %w", err)
		}
		said = append(said, toks)
	}
	// The model's own tokens for its last replies, as many as the
	// daemon sent: the same words, maybe split otherwise. A run of them
	// is banned only where the text sent says it too: the daemon leaves
	// out the owner's own words (a name asked for again must be said
	// again).
	drawn := s.gen.said
	said = append(said, drawn[max(0, len(drawn)-len(m.Avoid)):]...)
	texts := strings.Join(m.Avoid, "\n")
	return newPhraseBan(m.NoRepeat, said, func(run []int) bool {
		var sb strings.Builder
		for _, tok := range run {
			sb.WriteString(s.eng.piece(tok))
		}
		return strings.Contains(texts, strings.TrimSpace(sb.String()))
	}), nil
}

func (s *server) generate(ctx context.Context, m msg) error {
	done := msg{Ev: evDone, ID: m.ID}
	s.mu.Lock()
	if s.cancelled[m.ID] {
		delete(s.cancelled, m.ID)
		s.mu.Unlock()
		done.Reason = ReasonCancelled
		return s.w.send(done)
	}
	gctx, cancel := context.WithCancel(ctx)
	s.curID, s.curCancel = m.ID, cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.curID, s.curCancel = "", nil
		s.mu.Unlock()
		cancel()
	}()
	if s.gen == nil {
		done.Reason, done.Error = ReasonError, "llama: generate before load"
		return s.w.send(done)
	}
	req := genRequest{Prefix: m.Prefix, Prompt: m.Prompt, MaxTokens: m.MaxTokens, Stop: m.Stop, Sampling: samplingOf(m)}
	if req.MaxTokens <= 0 {
		req.MaxTokens = 60
	}
	ban, err := s.phraseBan(m)
	if err != nil {
		done.Reason, done.Error = ReasonError, err.Error()
		return s.w.send(done)
	}
	req.Sampling.Ban = ban
	if m.Candidates > 1 {
		return s.candidates(gctx, m, req)
	}
	req.Guidance, req.Neutral = m.Guidance, m.Neutral
	// Token text is sent at once when it may end a sentence (the daemon
	// speaks sentence by sentence) and otherwise gathered for up to
	// coalesce, so a fast model does not pay a pipe write and a wake-up
	// of the daemon for every token.
	var sendErr error
	var pending strings.Builder
	last := time.Now()
	flush := func() error {
		if pending.Len() == 0 || sendErr != nil {
			return sendErr
		}
		sendErr = s.w.send(msg{Ev: evToken, ID: m.ID, Text: pending.String()})
		pending.Reset()
		last = time.Now()
		return sendErr
	}
	st, reason, err := s.gen.run(gctx, req, func(text string) error {
		pending.WriteString(text)
		if strings.ContainsAny(text, ".!?\n…。！？") || time.Since(last) >= coalesce {
			return flush()
		}
		return nil
	})
	if flush() != nil {
		return sendErr // the daemon is gone
	}
	st.Reason = reason
	done.Reason, done.Stats = reason, &st
	if err != nil {
		done.Error = err.Error()
	}
	return s.w.send(done)
}

// heartbeat is how often a generate with candidates says it is working:
// far below any first-token deadline, far above a token's time.
const heartbeat = 250 * time.Millisecond

// maxCandidates bounds a generate's candidates: each costs a whole reply.
const maxCandidates = 8

// candidates answers a generate with m.Candidates whole replies,
// written side by side (generator.runMany; the load must have asked for
// as many sequences), with a heartbeat while they are being made (so the
// daemon sees the brain is working), then sends each and their priors,
// scored after the neutral prompt in the second context (load's
// PriorContext). Without one they are scored in the conversation's
// context, and the next turn reads its prompt again.
func (s *server) candidates(ctx context.Context, m msg, req genRequest) error {
	done := msg{Ev: evDone, ID: m.ID, Reason: ReasonEOG}
	last := time.Time{} // the first step says at once that the brain has begun
	st, cands, reason, err := s.gen.runMany(ctx, req, min(m.Candidates, maxCandidates), func() error {
		if time.Since(last) < heartbeat {
			return nil
		}
		last = time.Now()
		return s.w.send(msg{Ev: evWorking, ID: m.ID})
	})
	if err != nil || reason == ReasonCancelled {
		st.Reason = reason
		done.Reason, done.Stats = reason, &st
		if err != nil {
			done.Error = err.Error()
		}
		return s.w.send(done)
	}
	var sampled [][]int
	for _, c := range cands {
		cs := Stats{PromptTokens: st.PromptTokens, CachedTokens: st.CachedTokens, EvaluatedTokens: st.EvaluatedTokens,
			PromptMS: st.PromptMS, FirstTokenMS: st.FirstTokenMS, GeneratedTokens: c.Generated,
			LogProb: c.LogProb, ScoredTokens: len(c.Tokens), Reason: c.Reason}
		if err := s.w.send(msg{Ev: evCandidate, ID: m.ID, Text: c.Text, Reason: c.Reason, Stats: &cs}); err != nil {
			return err // the daemon is gone
		}
		sampled = append(sampled, c.Tokens)
	}
	return s.priors(ctx, m, done, st, sampled)
}

// priors ends a generate with candidates: it scores each candidate's
// tokens after the neutral prompt (when the request has one) and sends
// the done message.
func (s *server) priors(ctx context.Context, m msg, done msg, total Stats, sampled [][]int) error {
	if len(m.Neutral) > 0 {
		scorer := s.prior
		if scorer == nil {
			scorer = s.gen // the conversation's prompt is read again next turn
		}
		for _, toks := range sampled {
			lp, err := scorer.score(ctx, m.Prefix, m.Neutral, toks)
			if err != nil {
				// The candidates stand; without priors the daemon ranks
				// them by their own odds.
				done.Priors = nil
				if ctx.Err() != nil {
					done.Reason = ReasonCancelled
				}
				break
			}
			done.Priors = append(done.Priors, lp)
		}
	}
	if total.GenerateMS > 0 {
		total.TokensPerSecond = float64(total.GeneratedTokens) / (total.GenerateMS / 1000)
	}
	total.Reason = done.Reason
	done.Stats = &total
	return s.w.send(done)
}

// procStatus reads the memory figures of a process from its status file.
func procStatus(path string) *LoadStats {
	b, err := os.ReadFile(path)
	if err != nil {
		return &LoadStats{}
	}
	ls := &LoadStats{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			ls.MaxRSSKB = v
		case "VmRSS:":
			ls.RSSKB = v
		}
	}
	return ls
}
