package daemon

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/evalrun"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/eval"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/persona"
)

// evalOptions is one `purrd eval` run.
type evalOptions struct {
	ConfigPath string
	Model      string // overrides brain.model
	Adapter    string // brain.adapter for the model (a LoRA adapter GGUF)
	SetDir     string // "" is the set built into the binary
	Subset     string // "" or "all": every conversation
	OutDir     string
	Inv        Invocation
	// TurnTimeout bounds one turn (0: evalrun's default).
	TurnTimeout time.Duration
	// Sampling overrides brain.sampling keys for this run (-temp, -min-p
	// ...); nil keeps the configured ones.
	Sampling func(*config.Sampling)
	// HistoryTurns overrides brain.history_turns (0 keeps the config's).
	HistoryTurns int
}

// evalCommand is `purrd eval`: the conversation eval, played through a
// real daemon and its MQTT API the way a phone talks to the cat.
func evalCommand(ctx context.Context, inv Invocation, args []string) error {
	fs := flag.NewFlagSet("purrd eval", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	o := evalOptions{Inv: inv}
	fs.StringVar(&o.ConfigPath, "config", "/etc/purrd/purrd.yaml", "configuration file whose brain and persona are evaluated (board, broker and state are replaced by private ones)")
	fs.StringVar(&o.Model, "model", "", "GGUF model file, overriding brain.model")
	fs.StringVar(&o.Adapter, "adapter", "", "LoRA adapter GGUF applied to the model")
	fs.StringVar(&o.SetDir, "set", "", "folder of *.conv files (default: the set built into purrd, "+eval.DefaultVersion+")")
	fs.StringVar(&o.Subset, "subset", "", "play only the conversations with this tag (fast: the quick subset CI runs)")
	fs.StringVar(&o.OutDir, "out", "", "folder for transcript.md, summary.json and daemon.log (default eval-out/<brain>-<time>)")
	fs.DurationVar(&o.TurnTimeout, "turn-timeout", 2*time.Minute, "longest wait for one reply")
	fs.IntVar(&o.HistoryTurns, "history-turns", 0, "brain.history_turns for this run (default: the config's)")
	override := samplingFlags(fs)
	if err := fs.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	o.Sampling = override()
	if fs.NArg() > 0 {
		return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd eval: unexpected argument %q", fs.Arg(0))}
	}
	s, err := runEval(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintln(inv.Stdout, eval.ScoreLine(s))
	return nil
}

// samplingFlags defines the flags that override brain.sampling for an
// eval run, so settings can be swept without editing the config; the
// function it returns, called after parsing, applies those that were
// given (nil when none was).
func samplingFlags(fs *flag.FlagSet) func() func(*config.Sampling) {
	given := map[string]func(*config.Sampling){}
	float := func(name, key string, field func(*config.Sampling) *float64) {
		v := fs.Float64(name, 0, "brain.sampling."+key+" for this run (default: the config's)")
		given[name] = func(s *config.Sampling) { *field(s) = *v }
	}
	whole := func(name, key string, field func(*config.Sampling) *int) {
		v := fs.Int(name, 0, "brain.sampling."+key+" for this run (default: the config's)")
		given[name] = func(s *config.Sampling) { *field(s) = *v }
	}
	float("temp", "temperature", func(s *config.Sampling) *float64 { return &s.Temperature })
	whole("top-k", "top_k", func(s *config.Sampling) *int { return &s.TopK })
	float("top-p", "top_p", func(s *config.Sampling) *float64 { return &s.TopP })
	float("min-p", "min_p", func(s *config.Sampling) *float64 { return &s.MinP })
	float("repeat-penalty", "repeat_penalty", func(s *config.Sampling) *float64 { return &s.RepeatPenalty })
	whole("repeat-last-n", "repeat_last_n", func(s *config.Sampling) *int { return &s.RepeatLastN })
	float("frequency-penalty", "frequency_penalty", func(s *config.Sampling) *float64 { return &s.FrequencyPenalty })
	float("presence-penalty", "presence_penalty", func(s *config.Sampling) *float64 { return &s.PresencePenalty })
	whole("candidates", "candidates", func(s *config.Sampling) *int { return &s.Candidates })
	float("specificity", "specificity", func(s *config.Sampling) *float64 { return &s.Specificity })
	float("guidance", "guidance", func(s *config.Sampling) *float64 { return &s.Guidance })
	whole("no-repeat-ngram", "no_repeat_ngram", func(s *config.Sampling) *int { return &s.NoRepeatNgram })
	seed := fs.Int64("seed", 0, "brain.sampling.seed for this run: the same seed, model and set play the same replies again (default: the config's)")
	given["seed"] = func(s *config.Sampling) { s.Seed = *seed }
	return func() func(*config.Sampling) {
		var set []func(*config.Sampling)
		fs.Visit(func(f *flag.Flag) {
			if apply, ok := given[f.Name]; ok {
				set = append(set, apply)
			}
		})
		if len(set) == 0 {
			return nil
		}
		return func(s *config.Sampling) {
			for _, apply := range set {
				apply(s)
			}
		}
	}
}

// samplingLabel names the sampling settings in the brain label, so a
// report says which ones it measured (the defaults change over time).
func samplingLabel(s config.Sampling) string {
	l := fmt.Sprintf("temp=%g,top_k=%d,top_p=%g,min_p=%g,repeat=%g/%d", s.Temperature, s.TopK, s.TopP, s.MinP, s.RepeatPenalty, s.RepeatLastN)
	if s.FrequencyPenalty != 0 {
		l += fmt.Sprintf(",frequency=%g", s.FrequencyPenalty)
	}
	if s.PresencePenalty != 0 {
		l += fmt.Sprintf(",presence=%g", s.PresencePenalty)
	}
	if s.Candidates > 1 {
		l += fmt.Sprintf(",best_of=%d/specificity=%g", s.Candidates, s.Specificity)
	}
	if s.Guidance > 0 {
		l += fmt.Sprintf(",guidance=%g", s.Guidance)
	}
	if s.NoRepeatNgram > 0 {
		l += fmt.Sprintf(",no_repeat=%d", s.NoRepeatNgram)
	}
	if s.Seed != 0 {
		l += fmt.Sprintf(",seed=%d", s.Seed)
	}
	return l
}

// runEval plays the set and writes the report; it returns the summary.
func runEval(ctx context.Context, o evalOptions) (eval.Summary, error) {
	var none eval.Summary
	cfg, err := config.Load(o.ConfigPath)
	if err != nil {
		return none, configExit(o.Inv.Stderr, o.ConfigPath, err)
	}
	if o.Sampling != nil {
		o.Sampling(&cfg.Brain.Sampling)
		if err := cfg.Brain.Sampling.Check(); err != nil {
			return none, &ExitError{Code: ExitUsage, Err: fmt.Errorf("purrd eval: %w", err)}
		}
	}
	if o.HistoryTurns != 0 {
		if o.HistoryTurns < config.MinHistoryTurns || o.HistoryTurns > config.MaxHistoryTurns {
			return none, &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd eval: -history-turns %d is out of range (%d-%d)", o.HistoryTurns, config.MinHistoryTurns, config.MaxHistoryTurns)}
		}
		cfg.Brain.HistoryTurns = o.HistoryTurns
	}
	if o.Adapter != "" {
		abs, err := filepath.Abs(o.Adapter)
		if err != nil {
			return none, &ExitError{Code: ExitUsage, Err: fmt.Errorf("purrd eval: -adapter %s: %w", o.Adapter, err)}
		}
		if _, err := os.Stat(abs); err != nil {
			return none, &ExitError{Code: ExitUsage, Err: fmt.Errorf("purrd eval: -adapter: %w", err)}
		}
		o.Adapter = abs
	}
	if o.Model != "" {
		abs, err := filepath.Abs(o.Model)
		if err != nil {
			return none, &ExitError{Code: ExitUsage, Err: fmt.Errorf("purrd eval: -model %s: %w", o.Model, err)}
		}
		if _, err := os.Stat(abs); err != nil {
			return none, &ExitError{Code: ExitUsage, Err: fmt.Errorf("purrd eval: -model: %w", err)}
		}
		o.Model = abs
	}
	model := cfg.Brain.Model
	if o.Model != "" {
		model = o.Model
	}
	usesModel := model != "" && cfg.Brain.Kind != "rules" || o.Model != ""
	if usesModel && !llama.EngineBuiltIn {
		return none, &ExitError{Code: ExitUsage, Message: "purrd eval: a model is configured but this purrd has no engine (build with -tags llama)"}
	}
	brainLabel := "rules"
	if usesModel {
		brainLabel = "llama:" + strings.TrimSuffix(filepath.Base(model), ".gguf")
		adapter := cfg.Brain.Adapter
		if o.Adapter != "" {
			adapter = o.Adapter
		}
		if adapter != "" {
			brainLabel += "+" + strings.TrimSuffix(filepath.Base(adapter), ".gguf")
		}
		brainLabel += "@" + samplingLabel(cfg.Brain.Sampling)
		if cfg.Brain.HistoryTurns != config.DefaultHistoryTurns {
			brainLabel += fmt.Sprintf(",history=%d", cfg.Brain.HistoryTurns)
		}
	}

	set, err := loadEvalSet(o.SetDir, o.Subset)
	if err != nil {
		return none, &ExitError{Code: ExitUsage, Err: err}
	}
	p := persona.Default()
	if cfg.Persona != "" {
		if p, err = persona.Load(cfg.Persona); err != nil {
			return none, &ExitError{Code: ExitConfig, Err: err}
		}
	}
	if o.OutDir == "" {
		o.OutDir = filepath.Join("eval-out", strings.NewReplacer(":", "-", "/", "-", "=", "", ",", "_").Replace(brainLabel)+"-"+time.Now().Format("20060102-150405"))
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return none, fmt.Errorf("purrd eval: -out: %w", err)
	}
	logFile, err := os.Create(filepath.Join(o.OutDir, "daemon.log"))
	if err != nil {
		return none, fmt.Errorf("purrd eval: daemon log: %w", err)
	}
	defer logFile.Close()
	tmp, err := os.MkdirTemp("", "purrd-eval-")
	if err != nil {
		return none, fmt.Errorf("purrd eval: state dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	inv := o.Inv
	inv.Stderr, inv.Stdout, inv.Stdin = logFile, logFile, nil
	progress := o.Inv.Stderr
	if progress == nil {
		progress = os.Stderr
	}
	// Each conversation's cat lives by a clock of its own that moves
	// evalPace per owner turn (see RunOptions.MindClock). The runner
	// starts a daemon and plays its turns one at a time, so the map needs
	// no lock; the clocks themselves are read by the daemons.
	clocks := map[string]*dialog.ManualClock{}
	epoch := evalEpoch(p)
	start := func(ctx context.Context, conv string) (*evalrun.Daemon, error) {
		clock := dialog.NewManualClock(epoch)
		clocks[conv] = clock
		return startEvalDaemon(ctx, o, inv, filepath.Join(tmp, conv), clock.Now)
	}
	turn := func(conv string, i int) {
		if c := clocks[conv]; c != nil {
			c.Set(epoch.Add(time.Duration(i+1) * evalPace))
		}
	}
	results, runErr := evalrun.Run(ctx, set, evalrun.Options{Start: start, TurnTimeout: o.TurnTimeout, Progress: progress, Turn: turn})
	// What the model is shown and must not say back: the persona as a
	// base and as a chat model reads it (demonstrated cat lines aside).
	ck := eval.NewChecker(dialog.NewScript(p, dialog.Request{}, dialog.ScriptOptions{NoShots: true}).PromptText(), eval.Limits{MaxSentences: p.Reply.MaxSentences, MaxRunes: p.Reply.MaxRunes}, p.Name, p.NameIn("en"))
	graded := eval.Grade(set, results, ck)
	s := eval.Summarize(set, graded, brainLabel)
	if err := eval.WriteReport(o.OutDir, s, graded); err != nil {
		return s, err
	}
	fmt.Fprintf(progress, "eval: wrote %s and %s\n", filepath.Join(o.OutDir, "transcript.md"), filepath.Join(o.OutDir, "summary.json"))
	if runErr != nil {
		return s, fmt.Errorf("purrd eval: %w (the report covers the turns played)", runErr)
	}
	return s, nil
}

func loadEvalSet(dir, subset string) (*eval.Set, error) {
	var set *eval.Set
	var err error
	if dir == "" {
		set, err = eval.DefaultSet()
	} else {
		set, err = eval.LoadSet(dir)
	}
	if err != nil {
		return nil, err
	}
	return set.Subset(subset)
}

// evalRobot is the robot id (and so the base topic) of an eval's daemons.
const evalRobot = "evalcat"

// An eval's cat is made at evalEpoch and hears an owner line every
// evalPace: an owner's pace, the same on any machine. On the wall clock
// the mood drifted by how long the turns before took, so two runs of one
// seed and code could tell the model different moods and part
// (docs/models.md, *The eval's clock*).
const evalPace = 20 * time.Second

// evalEpoch is noon of a fixed day in the time zone of p's night hours
// (or the first hour after noon that is day and stays day for an hour):
// the mind is sleepy at night, so an epoch fixed in UTC would make a cat
// sleepy on a machine whose local time is night then.
func evalEpoch(p *persona.Persona) time.Time {
	t := time.Date(2026, time.January, 5, 12, 0, 0, 0, p.Location())
	for i := 0; i < 24 && (p.IsNight(t) || p.IsNight(t.Add(time.Hour))); i++ {
		t = t.Add(time.Hour)
	}
	return t
}

// startEvalDaemon runs a fresh daemon in this process: the configured
// brain and persona on a simulated board, an embedded broker on a free
// loopback port and an empty state directory.
func startEvalDaemon(ctx context.Context, o evalOptions, inv Invocation, stateDir string, mindClock func() time.Time) (*evalrun.Daemon, error) {
	port, err := freeLoopbackPort()
	if err != nil {
		return nil, fmt.Errorf("purrd eval: %w", err)
	}
	dctx, cancel := context.WithCancel(ctx)
	adjust := func(c *config.Config) {
		c.Robot.ID = evalRobot
		c.State.Dir = stateDir
		c.Hardware = config.Hardware{Board: "sim", Sim: config.Sim{Keyboard: "off"}}
		// The config's defaults for this robot, not the file's broker or
		// users: the eval's daemon is private to it.
		c.MQTT = config.Default(evalRobot).MQTT
		c.MQTT.Embedded.Listen = fmt.Sprintf("127.0.0.1:%d", port)
		c.MQTT.MaxPayload, c.MQTT.StateEvery = 8192, time.Hour
		// The eval talks faster than any owner; the rate limit is for phones.
		c.MQTT.RateLimit = config.RateLimit{PerSecond: 1000, Burst: 1000}
		c.Brain.Spontaneous = 0 // remarks about the board are not what is measured
		c.Web.Listen = ""       // the eval needs no phone page
		if o.Adapter != "" {
			c.Brain.Adapter = o.Adapter
		}
		if o.Model != "" {
			c.Brain.Model, c.Brain.Kind = o.Model, "llama"
		}
		if o.Sampling != nil {
			o.Sampling(&c.Brain.Sampling) // the same file as runEval checked
		}
		if o.HistoryTurns != 0 {
			c.Brain.HistoryTurns = o.HistoryTurns // checked by runEval
		}
		c.Log.Format = "text"
	}
	exited := make(chan struct{})
	var runErr error
	go func() {
		runErr = Run(dctx, RunOptions{ConfigPath: o.ConfigPath, Inv: inv, Hup: make(chan os.Signal), Adjust: adjust, MindClock: mindClock})
		close(exited)
	}()
	return &evalrun.Daemon{
		Broker: fmt.Sprintf("tcp://127.0.0.1:%d", port),
		Base:   "purr/" + evalRobot,
		Exited: exited,
		Stop: func() error {
			cancel()
			<-exited
			return runErr
		},
	}, nil
}

func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
