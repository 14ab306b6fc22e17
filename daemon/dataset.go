package daemon

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/training/dataset"
	"github.com/purrd/purrd/training/export"
)

// datasetCommand is `purrd dataset export`: the training set rendered by
// the daemon's own prompt code (and tokenized by its engine), so training
// and run time cannot drift apart.
func datasetCommand(ctx context.Context, inv Invocation, args []string) error {
	if len(args) > 0 && args[0] == "sample" {
		return datasetSample(ctx, inv, args[1:])
	}
	if len(args) == 0 || args[0] != "export" {
		return &ExitError{Code: ExitUsage, Message: "usage: purrd dataset export [-data DIR] [-model GGUF] [-persona FILE] [-shots] [-context N] [-max-tokens N] -o FILE\n" +
			"       purrd dataset sample [-config FILE] [-model GGUF] [-adapter GGUF] [-n N] [-every K] [-offset I] [-limit L] -o FILE"}
	}
	fs := flag.NewFlagSet("purrd dataset export", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	data := fs.String("data", "training/data", "folder of training conversations")
	model := fs.String("model", "", "GGUF model: its chat template picks the format, and records carry its token ids and the loss mask")
	personaPath := fs.String("persona", "", "persona file (default: the built-in persona)")
	shots := fs.Bool("shots", false, "include the persona's demonstrations, as for a model without an adapter")
	ctxSize := fs.Int("context", 1024, "brain.context the daemon runs with (sets the history budget)")
	maxTokens := fs.Int("max-tokens", 384, "leave out records longer than this many tokens (with -model)")
	out := fs.String("o", "", "output JSONL file (required)")
	if err := fs.Parse(args[1:]); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	if *out == "" {
		return &ExitError{Code: ExitUsage, Message: "purrd dataset export: -o FILE is required"}
	}
	convs, err := dataset.Load(*data)
	if err != nil {
		return err
	}
	o := export.Options{Script: dialog.ScriptOptions{NoShots: !*shots}, Context: *ctxSize}
	if *personaPath != "" {
		if o.Persona, err = persona.Load(*personaPath); err != nil {
			return err
		}
	}
	var enc export.Encoder
	if *model != "" {
		tok, err := llama.OpenTokenizer(*model)
		if err != nil {
			if errors.Is(err, llama.ErrNoEngine) {
				return fmt.Errorf("purrd dataset export: -model needs the engine (build with -tags llama, e.g. make build): %w", err)
			}
			return err
		}
		defer tok.Close()
		o.Template, enc = tok.ChatTemplate(), tok
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("purrd dataset export: %w", err)
	}
	w := bufio.NewWriter(f)
	n, skipped, err := export.Write(w, convs, o, enc, *maxTokens)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.Stdout, "purrd dataset export: %d conversations from %s to %s (format %s, %d longer than %d tokens left out)\n",
		n, *data, *out, llama.Format(o.Template), skipped, *maxTokens)
	return nil
}
