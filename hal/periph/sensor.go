package periph

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/purrd/purrd/hal"
)

// sampler reads a device once and emits what it saw.
type sampler interface {
	sample(now time.Time, emit hal.Emit) error
}

// polled runs a sampler at its interval. A failed read marks the device
// degraded, emits DeviceFailed once, and retries with exponential backoff
// until a read succeeds, which emits DeviceRecovered.
type polled struct {
	spec               hal.DeviceSpec
	interval           time.Duration
	retryMin, retryMax time.Duration
	s                  sampler
	health             *healthTable
	log                *slog.Logger
	pending            []hal.Event
	clock              func() time.Time
}

func (p *polled) hold(e hal.Event) { p.pending = append(p.pending, e) }

// Name implements hal.Input.
func (p *polled) Name() string { return p.spec.Name }

// Watch implements hal.Input.
func (p *polled) Watch(ctx context.Context, emit hal.Emit) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	var failed bool
	var backoff time.Duration
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		now := p.clock()
		out := emit
		if failed {
			// Hold a recovering device's readings until DeviceRecovered
			// has been sent, so consumers see the events in a sane order.
			p.pending = p.pending[:0]
			out = p.hold
		}
		err := p.s.sample(now, out)
		if err != nil {
			backoff = min(max(backoff*2, p.retryMin), p.retryMax)
			if !failed {
				failed = true
				msg := fmt.Sprintf("device %s: read failed: %v", p.spec, err)
				p.log.Warn("device failed; retrying with backoff", "device", p.spec.Name, "kind", p.spec.Kind, "bus", p.spec.Bus, "address", fmt.Sprintf("%#02x", p.spec.Address), "err", err)
				p.health.set(hal.Health{Device: p.spec.Name, OK: false, Degraded: true, Err: msg})
				emit(hal.Event{Kind: hal.DeviceFailed, Time: now, Device: p.spec.Name, Err: msg})
			} else {
				p.log.Debug("device still failing", "device", p.spec.Name, "retry_in", backoff, "err", err)
			}
			timer.Reset(backoff)
			continue
		}
		if failed {
			failed, backoff = false, 0
			p.log.Info("device recovered", "device", p.spec.Name)
			p.health.set(hal.Health{Device: p.spec.Name, OK: true})
			emit(hal.Event{Kind: hal.DeviceRecovered, Time: now, Device: p.spec.Name})
			for _, e := range p.pending {
				emit(e)
			}
		}
		timer.Reset(p.interval)
	}
}

func (b *builder) polled(s hal.DeviceSpec, def time.Duration, smp sampler) *polled {
	iv := s.Interval
	if iv <= 0 {
		iv = def
	}
	return &polled{spec: s, interval: iv, retryMin: b.hw.RetryMin, retryMax: b.hw.RetryMax, s: smp, health: b.health, log: b.log, clock: b.hw.Clock}
}
