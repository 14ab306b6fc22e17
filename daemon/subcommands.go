package daemon

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/hal/periph"
)

// hwCommand is `purrd hw`: the first thing a maker runs on a new board.
func hwCommand(ctx context.Context, inv Invocation, args []string) error {
	fs := flag.NewFlagSet("purrd hw", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	path := fs.String("config", "/etc/purrd/purrd.yaml", "configuration file whose hardware section is probed")
	if err := fs.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	cfg, err := config.Load(*path)
	if err != nil {
		return configExit(inv.Stderr, *path, err)
	}
	log := slog.New(slog.NewTextHandler(inv.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rep := periph.Inventory(ctx, deviceSpecs(cfg.Hardware.Devices), timing(cfg.Hardware), log)
	if _, err := rep.WriteTo(inv.Stdout); err != nil {
		return err
	}
	if !rep.OK() {
		return &ExitError{Code: ExitFailure, Message: "purrd hw: some configured devices did not answer"}
	}
	return nil
}

// brainCommand is `purrd brain`, the model process the daemon starts and
// talks to over its stdin and stdout.
func brainCommand(ctx context.Context, inv Invocation, args []string) error {
	return llama.ServeMain(ctx, inv.Stdin, inv.Stdout, inv.Stderr, args)
}

// chatCommand is `purrd chat`: talk to the configured brain in a terminal,
// with the mood shown, to tune a persona. It starts a fresh mind of its own
// (not the running cat's) and never touches the daemon's state.
func chatCommand(ctx context.Context, inv Invocation, args []string) error {
	fs := flag.NewFlagSet("purrd chat", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	path := fs.String("config", "/etc/purrd/purrd.yaml", "configuration file (brain and persona are used)")
	if err := fs.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	cfg, err := config.Load(*path)
	if err != nil {
		return configExit(inv.Stderr, *path, err)
	}
	level := new(slog.LevelVar)
	level.Set(slog.LevelWarn)
	log := slog.New(slog.NewTextHandler(inv.Stderr, &slog.HandlerOptions{Level: level}))
	d := &daemon{cfg: cfg, log: log, level: level, inv: inv, now: time.Now, ids: mqtt.NewIDs(), volume: 1}
	if err := d.loadPersona(cfg.Persona); err != nil {
		return &ExitError{Code: ExitConfig, Err: err}
	}
	d.mind = d.newMind(d.persona)
	d.conv = d.newConversation()
	d.openBrains()
	defer d.closeBrains()
	var brain dialog.Brain = d.rules
	if d.model != nil {
		fmt.Fprintf(inv.Stderr, "loading %s ...\n", cfg.Brain.Model)
		if st := awaitLoaded(ctx, d.model); st.State == llama.StateReady {
			brain = d.model
		} else {
			fmt.Fprintf(inv.Stderr, "model not ready (%s: %s); the fallback brain answers\n", st.State, st.Reason)
		}
	}
	return dialog.ChatREPL(ctx, inv.Stdin, inv.Stdout, d.mind, brain, d.conv, d.persona, d.chatFixed, d.somber)
}

// chatFixed gives `purrd chat` the lines the daemon says without a brain,
// in the daemon's order (care first, then refusals, then the day's
// routine while a model runs), so a maker tuning a
// persona sees what an owner would get; it publishes no event/care but
// says that the daemon would.
func (d *daemon) chatFixed(req dialog.Request, now time.Time) (string, string, bool) {
	if a, ok := d.careAnswer(req, now); ok {
		why := "care line, " + a.care
		if a.care == careAlert {
			why += ": the daemon would publish event/care, kind " + string(a.kind)
		}
		return a.text, why, true
	}
	if text, kind, ok := d.refusalAnswer(req, now); ok {
		return text, "refusal, kind " + string(kind) + ": the model is not asked", true
	}
	if text, _, path, intent, ok := d.rulesPathAnswer(req); ok {
		return text, path.says + " (" + intent + "): the model is not asked (" + path.key + ")", true
	}
	return "", "", false
}
