// Package daemon is the purrd process: it loads the configuration, wires the
// hardware layer, the pet's mind and the MQTT link together, and runs the one
// loop that owns the order of events. It is the only package that sees all
// the others.
package daemon

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

// Exit codes. ExitConfig is sysexits' EX_CONFIG: the unit's
// RestartPreventExitStatus= names it so a bad config does not restart-loop.
const (
	ExitFailure = 1
	ExitUsage   = 64
	ExitConfig  = 78
)

// ExitError carries the process exit code main should use.
type ExitError struct {
	Code    int
	Message string
	Err     error
	// Reported says Err is already on stderr or in the log (the flag
	// package printed its complaint, a failed start was logged), so it
	// is not printed again.
	Reported bool
}

// Report is what main prints to stderr before exiting with Code: the
// message, or else the error unless it was reported already. An error
// with neither printed would leave the user with a bare exit status.
func (e *ExitError) Report() string {
	switch {
	case e.Message != "":
		return e.Message
	case e.Err != nil && !e.Reported:
		return e.Err.Error()
	}
	return ""
}

func (e *ExitError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("exit %d", e.Code)
}

func (e *ExitError) Unwrap() error { return e.Err }

// Invocation is one command line with its standard streams.
type Invocation struct {
	Args            []string
	Version, Commit string
	Stdin           *os.File
	Stdout, Stderr  *os.File
	// Executable is the binary to re-execute for `purrd brain`; empty
	// means os.Executable().
	Executable string
}

// Main runs one subcommand.
func Main(ctx context.Context, inv Invocation) error {
	args := inv.Args
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		fs := flag.NewFlagSet("purrd run", flag.ContinueOnError)
		fs.SetOutput(inv.Stderr)
		path := fs.String("config", "/etc/purrd/purrd.yaml", "configuration file")
		model := fs.String("model", "", "GGUF model file, overriding brain.model (make run passes a fetched one)")
		adapter := fs.String("adapter", "", "LoRA adapter GGUF for the model, overriding brain.adapter")
		if err := fs.Parse(args); err != nil {
			return &ExitError{Code: ExitUsage, Err: err, Reported: true}
		}
		o := RunOptions{ConfigPath: *path, Model: *model, Adapter: *adapter, Inv: inv}
		o.ProcessStart, _ = processStart()
		return Run(ctx, o)
	case "check-config":
		return checkConfig(inv.Stdout, args)
	case "version":
		printVersion(inv.Stdout, inv)
		return nil
	case "hw":
		return hwCommand(ctx, inv, args)
	case "brain":
		return brainCommand(ctx, inv, args)
	case "chat":
		return chatCommand(ctx, inv, args)
	case "pair":
		return pairCommand(inv, args)
	case "dataset":
		return datasetCommand(ctx, inv, args)
	case "eval":
		return evalCommand(ctx, inv, args)
	case "ratings":
		return ratingsCommand(inv, args)
	case "bench":
		return benchCommand(ctx, inv, args)
	case "help", "-h", "--help":
		usage(inv.Stdout)
		return nil
	}
	usage(inv.Stderr)
	return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd: unknown command %q", cmd)}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: purrd [command] [flags]

commands:
  run [-config FILE] [-model GGUF] [-adapter GGUF]
                          run the daemon (default; FILE defaults to /etc/purrd/purrd.yaml)
  check-config FILE       validate a configuration file and print every problem
  hw [-config FILE]       list the board's buses and pins and probe each configured device
  chat [-config FILE]     chat with the configured brain in this terminal, showing the mood
  pair [-config FILE] [-reset]
                          show the QR code and link that open the phone page logged in;
                          -reset makes a new password (phones paired before scan again)
  dataset export [-data DIR] [-model GGUF] -o FILE
                          render the training conversations with the brain's own prompt code
                          (and, with -model, its tokenizer) as JSONL for make train
  dataset sample [-config FILE] [-model GGUF] [-adapter GGUF] [-n N] [-every K] -o FILE
                          the model's own replies to the training conversations' last lines,
                          asked as the daemon asks, for a rater to pick the good ones
  eval [-config FILE] [-model GGUF] [-set DIR] [-subset fast] [-out DIR]
                          play the conversation eval against the configured brain
                          and write transcript.md and summary.json
  ratings [-config FILE | -file RATINGS.json] [-export FILE.jsonl] [-conv DIR [-min 2]]
                          the owner's score of the cat's words per brain (cmd/rate), the rated
                          exchanges as JSONL, or the delightful ones as training conversations
  bench -model GGUF [-config FILE] [-threads N] [-flash-attention auto|on|off] [-batch N] [-kv-cache TYPE] [-json]
                          measure the engine on a model as llama-bench does: prompt and generation
                          tokens/s, time to the first token of a 300-token prompt, peak RSS
  brain                   the model process the daemon starts (not for direct use)
  version                 print version, commit, Go and engine versions
`)
}

func printVersion(w io.Writer, inv Invocation) {
	fmt.Fprintf(w, "purrd %s (commit %s)\ngo %s %s/%s\nengine %s\n",
		inv.Version, inv.Commit, runtime.Version(), runtime.GOOS, runtime.GOARCH, engineVersion())
}

// checkConfig prints every problem in the file and exits 1 when there is one.
func checkConfig(w io.Writer, args []string) error {
	if len(args) != 1 {
		return &ExitError{Code: ExitUsage, Message: "usage: purrd check-config FILE"}
	}
	cfg, err := config.Load(args[0])
	if err != nil {
		var probs *config.Errors
		if errors.As(err, &probs) {
			for _, p := range probs.Problems {
				fmt.Fprintln(w, p.String())
			}
			return &ExitError{Code: ExitFailure, Message: fmt.Sprintf("%s: %d problem(s)", args[0], len(probs.Problems))}
		}
		return &ExitError{Code: ExitFailure, Err: err}
	}
	fmt.Fprintf(w, "%s: ok (board %s, robot %s, mqtt %s, brain %s)\n", cfg.Path, cfg.Hardware.Board, cfg.Robot.ID, brokerDesc(cfg), cfg.Brain.Kind)
	if cfg.Brain.Model != "" {
		// Not an error: the daemon starts and the fallback brain answers.
		if _, err := gguf.Check(cfg.Brain.Model, gguf.CheckOptions{MemoryLimit: int64(cfg.Brain.MemoryMB) << 20, Context: cfg.Brain.Context}); err != nil {
			fmt.Fprintf(w, "warning: brain.model: %v (the fallback brain will answer)\n", err)
		} else if cfg.Brain.Adapter != "" {
			if _, err := gguf.CheckAdapter(cfg.Brain.Adapter, cfg.Brain.Model); err != nil {
				fmt.Fprintf(w, "warning: brain.adapter: %v (the base model will answer without it)\n", err)
			}
		}
	}
	return nil
}

func brokerDesc(cfg *config.Config) string {
	if cfg.MQTT.Broker == "" {
		return "embedded on " + cfg.MQTT.Embedded.Listen
	}
	return cfg.MQTT.Broker
}
