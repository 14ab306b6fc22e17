package periph

import (
	"context"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/purrd/purrd/hal"
)

// vpin is a GPIO input on virtual time, for tests whose outcome depends on
// when edges come relative to the debounce lockout, the long and double
// press windows, and the chatter and stuck timers. The test schedules level
// changes at virtual instants (Set) and lets time run (RunTo); the watcher's
// WaitForEdge consumes the scheduled edges and moves the clock instead of
// sleeping, and the same clock is the board's Hardware.Clock. The watcher
// therefore takes exactly the same steps however slow the machine is
// (-race, qemu): no margins to tune.
type vpin struct {
	*gpiotest.Pin // name, pull and the rest of gpio.PinIO

	mu      sync.Mutex
	start   time.Time
	now     time.Time
	level   gpio.Level
	edges   []vedge       // scheduled, in time order
	horizon time.Time     // virtual time does not pass this until RunTo moves it
	moved   chan struct{} // closed when the horizon moves or the pin closes
	parked  chan struct{} // closed when the watcher reaches the horizon
	idle    bool          // the watcher reached the horizon since RunTo moved it
	closed  bool
}

type vedge struct {
	at    time.Time
	level gpio.Level
}

// vpinPoll is how often, in real time, a watcher parked at the horizon
// returns from WaitForEdge (with no edge and no time passed) so that it
// sees its context cancelled.
const vpinPoll = 5 * time.Millisecond

func newVPin(name string, level gpio.Level) *vpin {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return &vpin{Pin: &gpiotest.Pin{N: name}, start: t0, now: t0, horizon: t0, level: level,
		moved: make(chan struct{}), parked: make(chan struct{})}
}

// Now is the virtual clock (Hardware.Clock).
func (p *vpin) Now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.now
}

// In implements gpio.PinIn; the level stays what the test set.
func (p *vpin) In(gpio.Pull, gpio.Edge) error { return nil }

// Read implements gpio.PinIn: the level as of the virtual now.
func (p *vpin) Read() gpio.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.level
}

// WaitForEdge implements gpio.PinIn on virtual time: the next scheduled
// edge within timeout (and the horizon) moves the clock to it and returns
// true; otherwise the clock moves by timeout and it returns false. When
// neither is possible before the horizon the watcher is parked: it waits
// for RunTo, returning false every vpinPoll without moving the clock.
func (p *vpin) WaitForEdge(timeout time.Duration) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	deadline := p.now.Add(timeout)
	for {
		if p.closed { // the test is over: time runs freely, no more edges
			if timeout >= 0 {
				p.now = deadline
			}
			return false
		}
		if len(p.edges) > 0 && (timeout < 0 || !p.edges[0].at.After(deadline)) && !p.edges[0].at.After(p.horizon) {
			e := p.edges[0]
			p.edges = p.edges[1:]
			if e.at.After(p.now) {
				p.now = e.at
			}
			p.level = e.level
			return true
		}
		if timeout >= 0 && !deadline.After(p.horizon) {
			p.now = deadline
			return false
		}
		if !p.idle {
			p.idle = true
			close(p.parked)
			p.parked = make(chan struct{})
		}
		moved := p.moved
		p.mu.Unlock()
		poll := time.NewTimer(vpinPoll)
		select {
		case <-moved:
		case <-poll.C:
		}
		poll.Stop()
		p.mu.Lock()
		if moved == p.moved {
			return false // polled: let the watcher look at its context
		}
	}
}

// Set schedules the pin to change to level at virtual time at (from the
// start); changes must be scheduled in time order.
func (p *vpin) Set(at time.Duration, levels ...gpio.Level) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range levels {
		p.edges = append(p.edges, vedge{at: p.start.Add(at), level: l})
	}
}

// Bounce schedules levels from at, gap apart.
func (p *vpin) Bounce(at, gap time.Duration, levels ...gpio.Level) {
	for i, l := range levels {
		p.Set(at+time.Duration(i)*gap, l)
	}
}

// RunTo lets virtual time run up to at (from the start) and returns once the
// watcher has done everything that happens until then: it is parked in
// WaitForEdge at the horizon, so every event up to at has been emitted.
// A watcher that never parks shows as a test timeout with every stack.
func (p *vpin) RunTo(t testing.TB, at time.Duration) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.horizon, p.idle = p.start.Add(at), false
	close(p.moved)
	p.moved = make(chan struct{})
	for !p.idle {
		parked := p.parked
		p.mu.Unlock()
		<-parked
		p.mu.Lock()
	}
}

// Horizon is how far RunTo has let virtual time run, from the start.
func (p *vpin) Horizon() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.horizon.Sub(p.start)
}

func (p *vpin) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.moved)
	}
}

// openVButton opens one button (active low, idle high) or touch pad (active
// high, idle low) on a virtual-time pin at rest and starts watching it.
func openVButton(t *testing.T, kind string, timing hal.Timing) (*vpin, *recorder, *hal.Board) {
	t.Helper()
	spec := hal.DeviceSpec{Name: "button", Kind: kind, Pin: "GPIO17", Pull: "up", ActiveLow: true}
	idle := gpio.High
	if kind == hal.KindTouchPad {
		spec = hal.DeviceSpec{Name: "pad", Kind: kind, Pin: "GPIO17", Pull: "down", Zone: "head"}
		idle = gpio.Low
	}
	p := newVPin("GPIO17", idle)
	rec, b := watchVPin(t, spec, p, timing)
	return p, rec, b
}

// watchVPin opens a board with the one device spec on p (its clock is the
// board's) and starts watching it; the board reports the pin's health.
func watchVPin(t *testing.T, spec hal.DeviceSpec, p *vpin, timing hal.Timing) (*recorder, *hal.Board) {
	t.Helper()
	b, err := OpenWith(context.Background(), []hal.DeviceSpec{spec}, timing, testLog(t), Hardware{Pins: map[string]gpio.PinIO{spec.Pin: p}, Clock: p.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	rec := newRecorder()
	watch(t, b.Inputs[0], rec.emit)
	t.Cleanup(p.close) // runs before watch's cleanup: frees a watcher blocked at the horizon
	p.RunTo(t, 0)
	return rec, b
}

// deviceHealth is the board's health entry for device.
func deviceHealth(t testing.TB, b *hal.Board, device string) hal.Health {
	t.Helper()
	for _, h := range b.Health() {
		if h.Device == device {
			return h
		}
	}
	t.Fatalf("no health entry for %s in %+v", device, b.Health())
	return hal.Health{}
}
