package daemon

import (
	"errors"
	"reflect"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/sd"
)

// reload is SIGHUP: read the config again and apply what can change while
// running (log level, persona, robot name, the filler budget, and the reply
// deadline of the fallback brain). A new file
// with any problem is rejected as a whole and the running config stays:
// a typo must never take the cat down. Parts that need a restart to
// change (the board, the broker) are named in the log.
func (d *daemon) reload() {
	d.notify.Reloading()
	// systemd holds the unit in "reloading" until READY=1 comes again,
	// whether the new file was taken or not.
	defer func() {
		if err := d.notify.Ready(d.statusLine()); err != nil {
			d.log.Warn("sd_notify READY after reload failed", "component", "daemon", "err", err)
		}
	}()
	cfg, err := config.Load(d.cfg.Path)
	if err != nil {
		attrs := []any{"component", "daemon", "event", "reload_rejected", "file", d.cfg.Path}
		var probs *config.Errors
		if errors.As(err, &probs) {
			for _, p := range probs.Problems {
				d.log.Error("config problem", "component", "config", "problem", p.String())
			}
			attrs = append(attrs, "problems", len(probs.Problems))
		}
		d.log.Error("new config rejected, keeping the running one", append(attrs, "err", err)...)
		return
	}
	if d.modelOverride != "" {
		cfg.Brain.Model = d.modelOverride
	}
	if d.adapterOverride != "" {
		cfg.Brain.Adapter = d.adapterOverride
	}
	// The new level applies after the reload is logged, so that turning
	// the level down still leaves a line saying so.
	if l, err := sd.ParseLevel(cfg.Log.Level); err == nil {
		defer d.level.Set(l)
	}
	if cfg.Persona != d.cfg.Persona {
		if err := d.switchPersona(cfg.Persona); err != nil {
			d.log.Error("new persona rejected, keeping the running one", "component", "daemon", "err", err)
			cfg.Persona = d.cfg.Persona
		}
	}
	var restart []string
	if !reflect.DeepEqual(cfg.Hardware, d.cfg.Hardware) {
		restart = append(restart, "hardware")
	}
	if !reflect.DeepEqual(cfg.MQTT, d.cfg.MQTT) {
		restart = append(restart, "mqtt")
	}
	if cfg.Web != d.cfg.Web {
		restart = append(restart, "web")
	}
	if cfg.Brain.Model != d.cfg.Brain.Model || cfg.Brain.Adapter != d.cfg.Brain.Adapter || cfg.Brain.AdapterScale != d.cfg.Brain.AdapterScale || cfg.Brain.Kind != d.cfg.Brain.Kind || cfg.Brain.Threads != d.cfg.Brain.Threads || cfg.Brain.Context != d.cfg.Brain.Context ||
		cfg.Brain.FlashAttention != d.cfg.Brain.FlashAttention || cfg.Brain.Batch != d.cfg.Brain.Batch || cfg.Brain.KVCache != d.cfg.Brain.KVCache {
		restart = append(restart, "brain model")
	}
	// The model brain takes its sampling settings at start (llama.Options);
	// the fallback brain has none.
	if cfg.Brain.Sampling != d.cfg.Brain.Sampling {
		restart = append(restart, "brain sampling")
	}
	if cfg.Robot.ID != d.cfg.Robot.ID || cfg.State.Dir != d.cfg.State.Dir {
		restart = append(restart, "robot id/state dir")
	}
	if cfg.State.SaveInterval != d.cfg.State.SaveInterval || cfg.Brain.Spontaneous != d.cfg.Brain.Spontaneous ||
		cfg.Brain.MaxTokens != d.cfg.Brain.MaxTokens || cfg.Brain.MemoryMB != d.cfg.Brain.MemoryMB ||
		(d.model != nil && (cfg.Brain.Deadline != d.cfg.Brain.Deadline || cfg.Brain.StallAfter != d.cfg.Brain.StallAfter ||
			cfg.Brain.StableAfter != d.cfg.Brain.StableAfter)) ||
		cfg.Log.Engine != d.cfg.Log.Engine || cfg.Log.Format != d.cfg.Log.Format {
		restart = append(restart, "save interval/spontaneous remarks/model limits and deadline/log format")
	}
	if cfg.Robot.Name != d.cfg.Robot.Name && !d.nameSet {
		d.petName = cfg.Robot.Name
		if d.petName == "" {
			d.petName = d.persona.Name
		}
	}
	// d.cfg always describes what runs: sections that need a restart keep
	// their running values until then.
	old := d.cfg
	cfg.Hardware, cfg.MQTT, cfg.Robot.ID, cfg.State.Dir = old.Hardware, old.MQTT, old.Robot.ID, old.State.Dir
	cfg.Brain.Model, cfg.Brain.Kind, cfg.Brain.Threads, cfg.Brain.Context = old.Brain.Model, old.Brain.Kind, old.Brain.Threads, old.Brain.Context
	cfg.Brain.Adapter, cfg.Brain.AdapterScale, cfg.Brain.Sampling = old.Brain.Adapter, old.Brain.AdapterScale, old.Brain.Sampling
	cfg.Brain.FlashAttention, cfg.Brain.Batch, cfg.Brain.KVCache = old.Brain.FlashAttention, old.Brain.Batch, old.Brain.KVCache
	cfg.State.SaveInterval, cfg.Brain.Spontaneous, cfg.Brain.MaxTokens, cfg.Brain.MemoryMB = old.State.SaveInterval, old.Brain.Spontaneous, old.Brain.MaxTokens, old.Brain.MemoryMB
	cfg.Log.Engine, cfg.Log.Format = old.Log.Engine, old.Log.Format
	cfg.Web = old.Web
	if d.model != nil {
		cfg.Brain.StallAfter, cfg.Brain.StableAfter = old.Brain.StallAfter, old.Brain.StableAfter
	}
	d.cfg = cfg
	d.stateDirty = true
	if len(restart) > 0 {
		d.log.Warn("config reloaded; some changes take effect after a restart", "component", "daemon", "event", "reloaded", "needs_restart", restart)
		return
	}
	d.log.Info("config reloaded", "component", "daemon", "event", "reloaded", "level", cfg.Log.Level)
}
