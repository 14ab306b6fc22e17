package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/sd"
)

// RunOptions configures one daemon run.
type RunOptions struct {
	ConfigPath string
	// Model overrides brain.model when set.
	Model string
	// Adapter overrides brain.adapter when set.
	Adapter string
	Inv     Invocation
	// Hup delivers reload requests; nil means SIGHUP. Tests pass their own.
	Hup <-chan os.Signal
	// Adjust changes the loaded configuration before anything starts:
	// `purrd eval` moves a configured cat onto a private broker, a
	// simulated board and a throwaway state directory.
	Adjust func(*config.Config)
	// ProcessStart is when the process started, the origin of the ready
	// line's startup_ms; zero means when Run was called. `purrd run`
	// passes the kernel's start time, so that exec and the Go runtime's
	// start count too.
	ProcessStart time.Time
	// MindClock, when set, is the clock the mind lives by (its decay, its
	// sleep cycle, the times of what it feels) in place of the wall
	// clock; timings (first words, fillers, the care window) stay on the
	// wall clock. `purrd eval` passes one that moves a fixed step per
	// owner turn: the same set, seed and code then play the same replies
	// whatever the machine's load.
	MindClock func() time.Time
}

// shutdownBudget is how long a graceful stop may take in all: systemd's
// TimeoutStopSec is larger, but a cat that takes longer than this to fall
// silent feels broken.
const shutdownBudget = 5 * time.Second

// Run is `purrd run`: it returns nil after a graceful stop, an *ExitError
// with ExitConfig when the configuration is unusable, and any other error
// when a subsystem fails for good.
func Run(ctx context.Context, o RunOptions) error {
	started := time.Now()
	stderr := o.Inv.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	cfg, err := config.Load(o.ConfigPath)
	if err != nil {
		return configExit(stderr, o.ConfigPath, err)
	}
	if o.Model != "" {
		abs, err := filepath.Abs(o.Model)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("-model %s: %w", o.Model, err)}
		}
		cfg.Brain.Model = abs
	}
	if o.Adapter != "" {
		abs, err := filepath.Abs(o.Adapter)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("-adapter %s: %w", o.Adapter, err)}
		}
		cfg.Brain.Adapter = abs
	}
	if o.Adjust != nil {
		o.Adjust(cfg)
	}
	level := new(slog.LevelVar)
	if l, err := sd.ParseLevel(cfg.Log.Level); err == nil {
		level.Set(l)
	}
	logOut, term := terminalLog(stderr)
	log, err := sd.NewLogger(cfg.Log.Format, level, stderr, logOut)
	if err != nil {
		return &ExitError{Code: ExitConfig, Err: err}
	}
	hup := o.Hup
	if hup == nil {
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGHUP)
		defer signal.Stop(c)
		hup = c
	}
	d, err := newDaemon(cfg, log, level, o.Inv)
	if err != nil {
		log.Error("start failed", "component", "daemon", "err", err)
		var ex *ExitError
		if errors.As(err, &ex) {
			ex.Reported = true
			return ex
		}
		return err
	}
	d.started, d.processStart = started, started
	if !o.ProcessStart.IsZero() && o.ProcessStart.Before(started) {
		d.processStart = o.ProcessStart
	}
	d.termLog = term
	d.mindClock = o.MindClock
	d.modelOverride = cfg.Brain.Model
	if o.Model == "" {
		d.modelOverride = ""
	}
	if o.Adapter != "" {
		d.adapterOverride = cfg.Brain.Adapter
	}
	return d.run(ctx, hup)
}

// configExit prints every configuration problem and returns the exit code
// that stops systemd from restarting into the same bad file. Under journald
// each line carries the <3> (error) priority prefix journald understands.
func configExit(stderr *os.File, path string, err error) error {
	prefix := ""
	if sd.StderrIsJournal(stderr) {
		prefix = "<3>"
	}
	var probs *config.Errors
	if errors.As(err, &probs) {
		for _, p := range probs.Problems {
			fmt.Fprintf(stderr, "%spurrd: config: %s\n", prefix, p.String())
		}
		return &ExitError{Code: ExitConfig, Message: fmt.Sprintf("%spurrd: %s has %d problem(s); not starting", prefix, path, len(probs.Problems)), Err: err}
	}
	return &ExitError{Code: ExitConfig, Message: fmt.Sprintf("%spurrd: %v", prefix, err), Err: err}
}

// supervise runs fns until the first one fails or ctx is done; the first
// failure cancels the rest (errgroup semantics).
func supervise(ctx context.Context, fns map[string]func(context.Context) error) (context.Context, func() error) {
	g, gctx := errgroup.WithContext(ctx)
	for name, fn := range fns {
		g.Go(func() error {
			if err := fn(gctx); err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	return gctx, g.Wait
}
