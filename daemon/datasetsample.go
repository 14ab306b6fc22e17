package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/training/dataset"
	"github.com/purrd/purrd/training/export"
)

// SampleRecord is one line of `purrd dataset sample`: a training
// conversation's last exchange, with the replies the model itself gave to
// the same prompt. A person (or a rater) picks the good ones; those become
// training conversations that teach the model its own best words.
type SampleRecord struct {
	ID        string         `json:"id"` // the conversation's dataset id
	Lang      string         `json:"lang"`
	Pet       string         `json:"pet,omitempty"`
	Mood      string         `json:"mood"`
	Facts     []string       `json:"facts,omitempty"`
	Before    []ratings.Line `json:"before,omitempty"` // the turns before the owner's line
	Owner     string         `json:"owner"`
	Reference string         `json:"reference,omitempty"` // the dataset's own reply
	Replies   []string       `json:"replies"`             // the model's, distinct, in the order made
}

// samplePrompt is one line of -prompts: a conversation up to the owner's
// line the model must answer (fresh lines, not from the training set).
type samplePrompt struct {
	Lang   string         `json:"lang"`
	Mood   string         `json:"mood"`
	Pet    string         `json:"pet"`
	Facts  []string       `json:"facts"`
	Before []ratings.Line `json:"before"`
	Owner  string         `json:"owner"`
}

// loadPrompts reads -prompts as conversations ending in a placeholder
// reply, which export.Request ignores.
func loadPrompts(path string) ([]dataset.Conversation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []dataset.Conversation
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var p samplePrompt
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, i+1, err)
		}
		if p.Lang == "" || p.Mood == "" || strings.TrimSpace(p.Owner) == "" {
			return nil, fmt.Errorf("%s:%d: lang, mood and owner are required", path, i+1)
		}
		c := dataset.Conversation{ID: fmt.Sprintf("%s:%d", filepath.Base(path), i+1), Lang: p.Lang, Mood: p.Mood, PetName: p.Pet, Facts: p.Facts}
		for _, t := range p.Before {
			c.Turns = append(c.Turns, dialog.Turn{Role: t.Role, Text: t.Text})
		}
		c.Turns = append(c.Turns, dialog.Turn{Role: "owner", Text: p.Owner}, dialog.Turn{Role: "pet", Text: "…"})
		out = append(out, c)
	}
	return out, nil
}

// datasetSample is `purrd dataset sample`: n replies of the configured
// model (its adapter and sampling) to the last owner line of every k-th
// training conversation, asked through the brain process exactly as the
// daemon asks it (the same Request as the training export renders, the
// same reply cleaning).
func datasetSample(ctx context.Context, inv Invocation, args []string) error {
	fs := flag.NewFlagSet("purrd dataset sample", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	cfgPath := fs.String("config", "/etc/purrd/purrd.yaml", "configuration file: its brain settings and sampling")
	model := fs.String("model", "", "GGUF model, overriding brain.model")
	adapter := fs.String("adapter", "", "LoRA adapter GGUF, overriding brain.adapter")
	data := fs.String("data", "training/data", "folder of training conversations")
	prompts := fs.String("prompts", "", "JSONL of fresh prompts ({lang, mood, pet, facts, before, owner}) instead of -data")
	n := fs.Int("n", 3, "replies asked for each conversation")
	every := fs.Int("every", 10, "take every k-th conversation")
	offset := fs.Int("offset", 0, "start at this conversation")
	limit := fs.Int("limit", 0, "at most this many conversations (0: all picked)")
	threads := fs.Int("threads", 0, "generation threads, overriding brain.threads")
	out := fs.String("o", "", "output JSONL file (required)")
	if err := fs.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	switch {
	case *out == "":
		return &ExitError{Code: ExitUsage, Message: "purrd dataset sample: -o FILE is required"}
	case *n < 1 || *n > 16:
		return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd dataset sample: -n %d: want 1 to 16", *n)}
	case *every < 1 || *offset < 0 || *limit < 0:
		return &ExitError{Code: ExitUsage, Message: "purrd dataset sample: -every must be 1 or more, -offset and -limit 0 or more"}
	}
	if !llama.EngineBuiltIn {
		return &ExitError{Code: ExitConfig, Message: "purrd dataset sample: this build has no engine (build with -tags llama, e.g. make build)"}
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return configExit(inv.Stderr, *cfgPath, err)
	}
	if *model != "" {
		cfg.Brain.Model = *model
	}
	if *adapter != "" {
		cfg.Brain.Adapter = *adapter
	}
	if *threads > 0 {
		cfg.Brain.Threads = *threads
	}
	if cfg.Brain.Model == "" {
		return &ExitError{Code: ExitUsage, Message: "purrd dataset sample: no model (brain.model or -model)"}
	}
	var convs []dataset.Conversation
	if *prompts != "" {
		convs, err = loadPrompts(*prompts)
	} else {
		convs, err = dataset.Load(*data)
	}
	if err != nil {
		return fmt.Errorf("purrd dataset sample: %w", err)
	}
	var picked []dataset.Conversation
	for i := *offset; i < len(convs) && (*limit == 0 || len(picked) < *limit); i += *every {
		picked = append(picked, convs[i])
	}
	// The persona and script options of the training export: the prompt
	// sampled from is the prompt trained on.
	p := persona.Default()
	eo := export.Options{Script: scriptOptionsFor(cfg.Brain), Context: cfg.Brain.Context, HistoryTurns: cfg.Brain.HistoryTurns}
	// Every request is made before the model loads: a bad prompt stops
	// the run at once, not after minutes of sampling.
	reqs := make([]dialog.Request, len(picked))
	for i, c := range picked {
		if reqs[i], err = export.Request(c, eo); err != nil {
			return fmt.Errorf("purrd dataset sample: %w", err)
		}
	}
	script := func(req dialog.Request) dialog.Script { return dialog.NewScript(p, req, eo.Script) }
	log := slog.New(slog.NewTextHandler(inv.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := modelOptions(cfg, p, script, log, inv.Executable)
	opts.FirstTokenDeadline, opts.Deadline = time.Minute, 2*time.Minute // a batch job, not an owner waiting
	b, err := llama.NewBrain(opts)
	if err != nil {
		return fmt.Errorf("purrd dataset sample: %w", err)
	}
	defer b.Close()
	if st := awaitLoaded(ctx, b); st.State != llama.StateReady {
		return fmt.Errorf("purrd dataset sample: %s: model %s: %s", filepath.Base(cfg.Brain.Model), st.State, st.Reason)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("purrd dataset sample: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	started := time.Now()
	asked := 0
	for i, c := range picked {
		req := reqs[i]
		rec := SampleRecord{ID: c.ID, Lang: c.Lang, Pet: c.PetName, Mood: c.Mood, Facts: c.Facts,
			Owner: req.Text, Reference: c.Turns[len(c.Turns)-1].Text, Replies: []string{}}
		if *prompts != "" {
			rec.Reference = ""
		}
		for _, t := range c.Turns[:len(c.Turns)-2] {
			rec.Before = append(rec.Before, ratings.Line{Role: t.Role, Text: t.Text})
		}
		for range *n {
			text, err := sampleReply(ctx, b, p, req, eo.Script)
			asked++
			if err != nil {
				fmt.Fprintf(inv.Stderr, "purrd dataset sample: %s: %v\n", c.ID, err)
				continue
			}
			if text != "" && !slices.Contains(rec.Replies, text) {
				rec.Replies = append(rec.Replies, text)
			}
		}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return fmt.Errorf("purrd dataset sample: %s: %w", *out, err)
		}
		if err := w.Flush(); err != nil { // a record is kept as soon as it is made
			f.Close()
			return fmt.Errorf("purrd dataset sample: %s: %w", *out, err)
		}
		if (i+1)%25 == 0 {
			fmt.Fprintf(inv.Stderr, "purrd dataset sample: %d/%d conversations, %s\n", i+1, len(picked), time.Since(started).Round(time.Second))
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("purrd dataset sample: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("purrd dataset sample: %w", err)
	}
	fmt.Fprintf(inv.Stdout, "purrd dataset sample: %d conversations, %d replies asked, to %s in %s\n",
		len(picked), asked, *out, time.Since(started).Round(time.Second))
	return ctx.Err()
}

// awaitLoaded waits while the model brain loads (its own
// brain.load_timeout bounds that) and returns how it ended: ready, or
// not, with the reason. purrd chat and dataset sample both start with it.
func awaitLoaded(ctx context.Context, b dialog.Brain) dialog.BrainStatus {
	for b.Status().State == llama.StateLoading && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	return b.Status()
}

// sampleReply asks for one reply and cleans it as the daemon cleans what
// it says.
func sampleReply(ctx context.Context, b *llama.Brain, p *persona.Persona, req dialog.Request, so dialog.ScriptOptions) (string, error) {
	filter := dialog.NewCleaner(p, dialog.NewScript(p, req, so).PromptText()).NewReply()
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	err := b.Reply(rctx, req, func(c dialog.Chunk) {
		if c.Text != "" {
			filter.Add(c.Text)
			if filter.Done() {
				cancel()
			}
		}
	})
	if err != nil && !filter.Done() {
		return "", err
	}
	return strings.TrimSpace(filter.Text()), nil
}
