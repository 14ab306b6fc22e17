package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/dialog/rules"
	"github.com/purrd/purrd/hal/periph"
	"github.com/purrd/purrd/hal/sim"
	"golang.org/x/term"
)

// simKeyboard reports whether the simulated board is driven from this
// terminal: "auto" means when stdin is one (not under systemd or a test).
func (d *daemon) simKeyboard() bool {
	switch d.cfg.Hardware.Sim.Keyboard {
	case "on":
		return true
	case "off":
		return false
	}
	return d.inv.Stdin != nil && term.IsTerminal(int(d.inv.Stdin.Fd()))
}

// openBoard opens the simulated board or the real one. A required device
// that does not answer is a start failure (exit 1, systemd retries: the
// part may be coming up); optional ones become health entries.
func (d *daemon) openBoard(ctx context.Context) error {
	specs := deviceSpecs(d.cfg.Hardware.Devices)
	tm := timing(d.cfg.Hardware)
	log := d.log.With("component", "hal")
	switch d.cfg.Hardware.Board {
	case "periph":
		b, err := periph.Open(ctx, specs, tm, log)
		if err != nil {
			return fmt.Errorf("hal: %w", err)
		}
		d.board = b
	default:
		s := sim.New(sim.Options{Log: log, Timing: tm})
		d.sim = s
		d.board = s.HAL()
	}
	d.body = newBody(d.board, log)
	return nil
}

func (d *daemon) closeBoard() {
	if err := d.board.Halt(); err != nil {
		d.log.Warn("halting outputs", "component", "hal", "err", err)
	}
	if err := d.board.Close(); err != nil {
		d.log.Warn("closing board", "component", "hal", "err", err)
	}
}

// openLink builds the link from the config (and, with the embedded
// broker, the phone login: pair.go).
func (d *daemon) openLink() error {
	if d.cfg.MQTT.Broker == "" {
		if err := d.pairPhone(); err != nil {
			return err
		}
	}
	o, err := linkOptions(d.cfg, d.inv.Version, d.sim != nil, d.login, d.log)
	if err != nil {
		return err
	}
	o.Logger, o.IDs = d.log, d.ids
	if d.login.Paired {
		o.OnPairedLogin, o.OnPairedReset = d.body.clearPicture, d.pairingReset
	}
	l, err := mqtt.New(o)
	if err != nil {
		return err
	}
	d.link = l
	return nil
}

// linkOptions maps the validated config onto the link's options, reading
// the broker secrets from their files (a loose one is logged on log). Every
// default is the config's: the link fills in none. A phone login purrd made
// itself (paired.Paired, pair.go) joins the embedded broker's users, its
// password re-read from its file when `purrd pair -reset` replaces it.
func linkOptions(c *config.Config, version string, simBoard bool, paired phoneLogin, log *slog.Logger) (mqtt.Options, error) {
	m := c.MQTT
	o := mqtt.Options{
		RobotID:       c.Robot.ID,
		Version:       version,
		BaseTopic:     m.BaseTopic,
		ClientID:      m.ClientID,
		Broker:        m.Broker,
		Username:      m.Username,
		TLS:           mqtt.TLSFiles{CAFile: m.TLS.CAFile, CertFile: m.TLS.CertFile, KeyFile: m.TLS.KeyFile},
		KeepAlive:     m.KeepAlive,
		OutboxSize:    m.OutboxSize,
		MaxPayload:    m.MaxPayload,
		Rate:          m.RateLimit.PerSecond,
		Burst:         m.RateLimit.Burst,
		StateEvery:    m.StateEvery,
		Listen:        m.Embedded.Listen,
		Websocket:     m.Embedded.Websocket,
		HomeAssistant: m.HomeAssistant.Enabled,
		HAPrefix:      m.HomeAssistant.Prefix,
		SimBoard:      simBoard,
	}
	if f := m.PasswordFile; f != "" {
		pw, err := readSecret(log, f)
		if err != nil {
			return o, fmt.Errorf("mqtt.password_file: %w", err)
		}
		o.Password = pw
	}
	for i, u := range m.Embedded.Users {
		pw, err := readSecret(log, u.PasswordFile)
		if err != nil {
			return o, fmt.Errorf("mqtt.embedded.users[%d].password_file: %w", i, err)
		}
		o.Users = append(o.Users, mqtt.User{Name: u.Username, Password: pw, Role: u.Role})
	}
	if paired.Paired {
		o.Users = append(o.Users, mqtt.User{Name: paired.User, Password: paired.Password, Role: mqtt.RolePhone})
		o.PairedUser, o.PairedFile = paired.User, paired.File
	}
	return o, nil
}

// readSecret reads a password file. One that the group or others have any
// permission on still works (as with ssh keys, a mistake worth fixing, not a
// reason to leave the robot offline), and is logged as a warning naming the
// file and its mode (docs/configuration.md).
func readSecret(log *slog.Logger, path string) (string, error) {
	s, loose, err := config.ReadSecretPerm(path)
	if err != nil {
		return "", err
	}
	if loose {
		mode := "unknown"
		if fi, err := os.Stat(path); err == nil {
			mode = fmt.Sprintf("%04o", fi.Mode().Perm())
		}
		log.Warn("secret file is open to group or others; chmod 600 it", "component", "config", "file", path, "mode", mode)
	}
	return s, nil
}

// openBrains starts the fallback (always) and, when a model is configured
// and the engine is built in, the model process, which loads in the
// background: READY does not wait for a model.
func (d *daemon) openBrains() {
	d.rules = rules.New(d.persona, d.drawSeed(), d.log.With("component", "brain"))
	d.openModel()
}

// openModel starts the model brain process when one is configured.
func (d *daemon) openModel() {
	b := d.cfg.Brain
	want := b.Kind == "llama" || (b.Kind == "auto" && b.Model != "")
	if !want {
		return
	}
	if !llama.EngineBuiltIn {
		d.log.Warn("a model is configured but this build has no engine; the fallback brain answers",
			"component", "brain", "model", b.Model)
		return
	}
	opts := modelOptions(d.cfg, d.persona, d.scriptFor(d.persona), d.log.With("component", "brain"), d.inv.Executable)
	opts.OnStatus = func(dialog.BrainStatus) { d.signalBrainChanged() }
	m, err := llama.NewBrain(opts)
	if err != nil {
		d.log.Error("model brain not started; the fallback brain answers", "component", "brain", "model", filepath.Base(b.Model), "err", err)
		return
	}
	d.model = m
}

// modelOptions are the model brain's options from the config: the same
// for the daemon and for `purrd dataset sample`, so the replies sampled
// for training are made as the robot makes them.
func modelOptions(cfg *config.Config, p *persona.Persona, script func(dialog.Request) dialog.Script, log *slog.Logger, exe string) llama.Options {
	b := cfg.Brain
	opts := llama.Options{
		Model:        b.Model,
		Adapter:      b.Adapter,
		AdapterScale: float32(b.AdapterScale),
		Threads:      b.Threads,
		Context:      b.Context,
		// The engine settings; auto values are resolved by the brain
		// process from the model's family and its CPUs.
		Batch:          b.Batch,
		FlashAttention: b.FlashAttention,
		KVCache:        b.KVCache,
		MaxTokens:      b.MaxTokens,
		MaxSentences:   p.Reply.MaxSentences,
		Deadline:       b.Deadline,
		// FirstTokenDeadline: a frozen or swamped model must not keep the
		// owner waiting: the fallback answers and the model is stalled.
		FirstTokenDeadline: b.StallAfter,
		StableAfter:        b.StableAfter,
		MemoryLimit:        int64(b.MemoryMB) << 20,
		Script:             script,
		PetNames:           p.AllNames(),
		EngineLog:          cfg.Log.Engine,
		Logger:             log,
	}
	setSampling(&opts, b.Sampling)
	if exe != "" {
		opts.Command = []string{exe, "brain"}
	}
	return opts
}

// setSampling puts brain.sampling into o. In llama.Options a zero asks
// for the engine's default, so a configured 0 that means greedy or off
// is sent as NoTemperature or Off.
func setSampling(o *llama.Options, s config.Sampling) {
	o.Temperature = float32(s.Temperature)
	if s.Temperature == 0 {
		o.Temperature = llama.NoTemperature
	}
	o.TopK = offWhenZero(s.TopK)
	o.TopP = float32(s.TopP)
	o.MinP = offWhenZero(float32(s.MinP))
	o.Penalty = llama.Penalty{LastN: offWhenZero(s.RepeatLastN), Repeat: float32(s.RepeatPenalty),
		Frequency: float32(s.FrequencyPenalty), Presence: float32(s.PresencePenalty)}
	o.Candidates, o.Specificity = s.Candidates, float32(s.Specificity)
	o.Guidance = float32(s.Guidance)
	o.NoRepeat = s.NoRepeatNgram
	o.Seed = uint32(s.Seed)
}

// offWhenZero: a brain.sampling value whose 0 turns a sampler off.
func offWhenZero[T int | float32](v T) T {
	if v == 0 {
		return llama.Off
	}
	return v
}

// signalBrainChanged is called by the model brain, from its own
// goroutines, when its status changes; it never blocks.
func (d *daemon) signalBrainChanged() {
	select {
	case d.brainChanged <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (d *daemon) closeBrains() {
	if d.model != nil {
		if err := d.model.Close(); err != nil {
			d.log.Warn("stopping brain process", "component", "brain", "err", err)
		}
	}
}

// scriptFor renders what the model is shown for persona p. The stable
// prefix is rendered from an empty request at load: it gets the pet's
// current name too.
func (d *daemon) scriptFor(p *persona.Persona) func(dialog.Request) dialog.Script {
	name, opt := d.petName, d.scriptOptions()
	return func(req dialog.Request) dialog.Script {
		if req.PetName == "" {
			req.PetName = name
		}
		return dialog.NewScript(p, req, opt)
	}
}

// scriptOptions are the brain's prompt options (scriptOptionsFor).
func (d *daemon) scriptOptions() dialog.ScriptOptions { return scriptOptionsFor(d.cfg.Brain) }

// scriptOptionsFor: a model trained for the job (brain.adapter) learnt
// without demonstrations and is shown none.
func scriptOptionsFor(b config.Brain) dialog.ScriptOptions {
	return dialog.ScriptOptions{NoShots: b.Adapter != ""}
}

func (d *daemon) newConversation() *dialog.Conversation {
	budget := d.cfg.Brain.Context / 3
	return dialog.NewConversation(dialog.ConversationOptions{BudgetTokens: budget, MaxTurns: d.cfg.Brain.HistoryTurns})
}

func engineVersion() string {
	if llama.EngineBuiltIn {
		return "llama.cpp via github.com/ollama/ollama/llama v0.17.4"
	}
	return "none (fallback brain only; build with -tags llama)"
}
