package daemon

import (
	"context"
	"os"
	"time"

	"github.com/purrd/purrd/daemon/sd"
)

// loop is the one goroutine that owns the order of events: hardware events,
// phone commands, brain output and timers all pass through here, so the
// mind sees them in a single order and no lock guards it. Nothing in a case
// may block; slow work runs beside the loop and reports back on a channel.
// The watchdog is pinged from here, so a ping means "the loop is alive".
func (d *daemon) loop(ctx context.Context, hup <-chan os.Signal) error {
	d.loopCtx = ctx
	var watchdog <-chan time.Time
	if iv := sd.WatchdogInterval(); iv > 0 {
		t := time.NewTicker(iv)
		defer t.Stop()
		watchdog = t.C
		d.notify.Watchdog()
	}
	tick := time.NewTicker(tickEvery)
	defer tick.Stop()
	saveEvery := d.cfg.State.SaveInterval
	if saveEvery <= 0 {
		saveEvery = 5 * time.Minute
	}
	save := time.NewTicker(saveEvery)
	defer save.Stop()
	commands := d.link.Commands()

	for {
		select {
		case <-ctx.Done():
			return nil
		case <-watchdog:
			if err := d.notify.Watchdog(); err != nil {
				d.log.Warn("watchdog ping failed", "component", "daemon", "err", err)
			}
		case ev := <-d.events:
			d.onHalEvent(ev)
		case c := <-commands:
			d.onCommand(ctx, c)
		case m := <-d.replies:
			d.onReply(m)
		case <-d.brainChanged:
			d.stateDirty = true
		case now := <-tick.C:
			d.onTick(now)
		case <-save.C:
			if err := d.saveState(); err != nil {
				d.log.Error("saving state", "component", "state", "err", err)
			}
		case <-hup:
			d.reload()
		}
		if d.body.viewChanged {
			d.body.viewChanged, d.stateDirty = false, true
		}
		if d.stateDirty {
			d.stateDirty = false
			d.publishState()
		}
	}
}
