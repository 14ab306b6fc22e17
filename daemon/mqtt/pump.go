package mqtt

import (
	"context"
	"slices"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// flight is a publish handed to paho, waiting for its PUBACK.
type flight struct {
	m   outMsg
	tok paho.Token
	// requeue: outbox messages go back to the outbox when their publish
	// fails; availability, state and discovery are re-sent on connect anyway.
	requeue bool
}

// pump is the only goroutine that publishes. It sets up every new
// connection (subscribe, availability, discovery, state), then drains the
// outbox with up to window publishes in flight. Run calls it; it returns
// when ctx is done, after a short flush and availability "offline", with
// the deadline by which the rest of the stop must be over.
func (l *Link) pump(ctx context.Context, c paho.Client) time.Time {
	var (
		fl         []flight
		doneGen    uint64 // the connection generation set up last
		lastState  time.Time
		retryAt    time.Time
		timerArmed bool
	)
	periodic := time.NewTicker(l.o.StateEvery)
	defer periodic.Stop()
	reapTick := time.NewTicker(250 * time.Millisecond)
	defer reapTick.Stop()
	timer := time.NewTimer(time.Hour)
	timer.Stop()

	for {
		var failed bool
		fl, failed = l.reap(fl)
		if failed {
			// A publish failed while paho still looked connected: pause
			// briefly rather than spin on the same message.
			retryAt = time.Now().Add(200 * time.Millisecond)
		}
		if l.status.Load() == statusConnected && !time.Now().Before(retryAt) {
			if gen := l.connects.Load(); gen != doneGen {
				var ok bool
				if fl, ok = l.setup(ctx, c, fl, gen); ok {
					doneGen = gen
					l.ready.Store(gen)
					lastState = time.Time{}
				} else {
					retryAt = time.Now().Add(time.Second)
				}
			}
		}
		if l.status.Load() == statusConnected && doneGen == l.connects.Load() {
			if l.announceHA.Swap(false) && l.o.HomeAssistant {
				fl = l.announce(c, fl)
			}
			if l.reannounce.Swap(false) {
				fl = l.sayOnline(c, fl)
			}
			if st, wait := l.takeState(lastState); st != nil {
				fl = append(fl, flight{m: outMsg{topic: l.o.BaseTopic + "/state", payload: st, retain: true},
					tok: c.Publish(l.o.BaseTopic+"/state", 1, true, st)})
				lastState = time.Now()
			} else if wait > 0 && !timerArmed {
				timer.Reset(wait)
				timerArmed = true
			}
			if !time.Now().Before(retryAt) {
				fl = l.fill(c, fl)
			} else if !timerArmed {
				timer.Reset(time.Until(retryAt))
				timerArmed = true
			}
		}
		l.inflight.Store(int64(len(fl)))

		// Wait for a PUBACK only when the window is full: otherwise
		// finished publishes are reaped on the next wake or tick, which
		// saves a wake-up per message at a steady event rate.
		var head <-chan struct{}
		if len(fl) >= window {
			head = fl[0].tok.Done()
		}
		select {
		case <-ctx.Done():
			stopBy := time.Now().Add(stopBudget)
			l.shutdown(c, fl, stopBy)
			return stopBy
		case <-l.wake:
		case <-head:
		case <-reapTick.C:
		case <-timer.C:
			timerArmed = false
		case <-periodic.C:
			l.mu.Lock()
			if l.state != nil {
				l.stateDirty = true
			}
			l.mu.Unlock()
		}
	}
}

// fill hands outbox messages to paho until the window is full.
func (l *Link) fill(c paho.Client, fl []flight) []flight {
	for len(fl) < window {
		m, ok := l.out.pop()
		if !ok {
			break
		}
		fl = append(fl, flight{m: m, tok: c.Publish(m.topic, 1, m.retain, m.payload), requeue: true})
	}
	return fl
}

// reap removes finished publishes, counting successes and putting failed
// outbox messages back at the front in their original order.
func (l *Link) reap(fl []flight) ([]flight, bool) {
	var failed []outMsg
	anyFailed := false
	keep := fl[:0]
	for _, f := range fl {
		select {
		case <-f.tok.Done():
			if err := f.tok.Error(); err != nil {
				anyFailed = true
				l.log.Debug("mqtt publish failed; will retry", "topic", f.m.topic, "err", err)
				if f.requeue {
					failed = append(failed, f.m)
				}
				continue
			}
			l.published.Add(1)
		default:
			keep = append(keep, f)
		}
	}
	clear(fl[len(keep):])
	for _, m := range slices.Backward(failed) {
		if victim, dropped := l.out.pushFront(m); dropped {
			l.warns.warn(l.log, "outbox-full", "mqtt: outbox full; dropped the oldest lowest-priority message",
				"topic", victim.topic, "outbox_size", l.o.OutboxSize, "dropped_total", l.out.droppedCount())
		}
	}
	return keep, anyFailed
}

// takeState returns the state to publish now, or how long to wait before
// the next one may go (coalescing bursts of changes).
func (l *Link) takeState(last time.Time) ([]byte, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stateDirty || l.state == nil {
		return nil, 0
	}
	if wait := stateMinGap - time.Since(last); wait > 0 {
		return nil, wait
	}
	l.stateDirty = false
	return l.state, 0
}

// setup prepares connection number gen: subscriptions (again: a broker
// that restarted without persistence forgot them), availability, discovery
// and the current state. It first waits for paho to list its store for
// this connection's resume, so nothing published here is in that list and
// sent twice (paho 1.5.1 would also flip the DUP bit of a packet it is
// writing, a data race).
func (l *Link) setup(ctx context.Context, c paho.Client, fl []flight, gen uint64) ([]flight, bool) {
	if !l.store.waitListed(ctx, gen+1, 2*time.Second) && ctx.Err() == nil {
		l.log.Warn("mqtt: paho did not list its store for resume; publishing anyway (duplicates possible)", "connection", gen)
	}
	// purrd also listens to its own availability: a broker may publish
	// the last will of the connection just lost after the new one said
	// "online" (mochi sends it from the old session's goroutine, racing
	// the takeover), and the retained value would then say the cat is
	// gone while it is here. onMessage answers that with "online" again.
	subs := map[string]byte{l.o.BaseTopic + "/cmd/#": 1, l.o.BaseTopic + "/sim/#": 1, l.avail: 1}
	if l.o.HomeAssistant {
		subs[l.o.HAPrefix+"/status"] = 1
	}
	tok := c.SubscribeMultiple(subs, l.onMessage)
	select {
	case <-tok.Done():
	case <-ctx.Done():
		return fl, false
	case <-time.After(10 * time.Second):
		l.log.Warn("mqtt subscribe timed out; retrying", "topics", len(subs))
		return fl, false
	}
	if err := tok.Error(); err != nil {
		l.log.Warn("mqtt subscribe failed; retrying", "err", err)
		return fl, false
	}
	if st, ok := tok.(*paho.SubscribeToken); ok {
		for topic, code := range st.Result() {
			switch {
			case code == 0x91:
				// "Packet identifier in use": mochi 2.7.9 checks a
				// SUBSCRIBE's id against its own unacknowledged deliveries
				// (e.g. commands queued while purrd was away); try again.
				l.log.Warn("mqtt subscribe refused as packet id in use; retrying", "topic", topic)
				return fl, false
			case code >= 0x80:
				l.log.Error("mqtt broker refused a subscription; commands on it will not arrive", "topic", topic, "code", code)
			}
		}
	}
	fl = l.sayOnline(c, fl)
	if l.o.HomeAssistant {
		fl = l.announce(c, fl)
	}
	l.mu.Lock()
	if l.state != nil {
		l.stateDirty = true
	}
	l.mu.Unlock()
	return fl, true
}

// sayOnline publishes the retained availability "online".
func (l *Link) sayOnline(c paho.Client, fl []flight) []flight {
	return append(fl, flight{m: outMsg{topic: l.avail}, tok: c.Publish(l.avail, 1, true, []byte(Online))})
}

// announce publishes the retained Home Assistant discovery configs.
func (l *Link) announce(c paho.Client, fl []flight) []flight {
	msgs := l.discovery()
	l.log.Debug("mqtt: announcing to Home Assistant", "configs", len(msgs), "prefix", l.o.HAPrefix)
	for _, m := range msgs {
		fl = append(fl, flight{m: m, tok: c.Publish(m.topic, 1, true, m.payload)})
	}
	return fl
}

// stopBudget bounds the link's whole stop: the flush, "offline", the
// embedded broker's close and paho's disconnect. The daemon's own shutdown
// budget (5 s) must hold the hal, the brain and this; a link that took its
// parts' sum (3 + 2 + 1 s) ran the daemon past it on a loaded machine.
const stopBudget = 3 * time.Second

// Parts of stopBudget kept for the steps after the flush.
const (
	offlineReserve = 1500 * time.Millisecond // "offline", broker close, disconnect
	closeReserve   = 500 * time.Millisecond  // broker close, disconnect
)

// shutdown flushes what it can until the stop deadline leaves
// offlineReserve, then says "offline" itself: a clean disconnect does not
// fire the last will.
func (l *Link) shutdown(c paho.Client, fl []flight, stopBy time.Time) {
	deadline := stopBy.Add(-offlineReserve)
	for l.status.Load() == statusConnected && time.Now().Before(deadline) {
		fl, _ = l.reap(fl)
		fl = l.fill(c, fl)
		if len(fl) == 0 {
			break
		}
		select {
		case <-fl[0].tok.Done():
		case <-time.After(time.Until(deadline)):
		}
	}
	if len(fl) > 0 {
		l.log.Warn("mqtt: stopping before the broker acknowledged every publish", "in_flight", len(fl))
	}
	l.stopping.Store(true)
	if l.status.Load() == statusConnected {
		l.mu.Lock()
		if l.broker != nil {
			l.broker.beginShutdown()
		}
		l.mu.Unlock()
		tok := c.Publish(l.avail, 1, true, []byte(Offline))
		if !tok.WaitTimeout(max(time.Until(stopBy.Add(-closeReserve)), 100*time.Millisecond)) || tok.Error() != nil {
			l.log.Warn("mqtt: could not publish availability offline before disconnecting", "err", tok.Error())
		}
	}
	if n := l.out.len(); n > 0 {
		l.log.Warn("mqtt: stopping with unsent messages", "count", n)
	}
	l.inflight.Store(0)
}
