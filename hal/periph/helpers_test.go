package periph

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/purrd/purrd/hal"
)

// waitTime is how long a test waits for something that should happen
// promptly; generous so a loaded machine does not fail it.
const waitTime = 10 * time.Second

func testLog(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// recorder collects events and lets a test wait for them.
type recorder struct {
	mu     sync.Mutex
	events []hal.Event
	ch     chan struct{}
}

func newRecorder() *recorder { return &recorder{ch: make(chan struct{}, 1)} }

func (r *recorder) emit(e hal.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	select {
	case r.ch <- struct{}{}:
	default:
	}
}

func (r *recorder) all() []hal.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hal.Event(nil), r.events...)
}

func (r *recorder) kinds() []hal.EventKind {
	var out []hal.EventKind
	for _, e := range r.all() {
		out = append(out, e.Kind)
	}
	return out
}

// waitN waits until at least n events arrived.
func (r *recorder) waitN(t testing.TB, n int) []hal.Event {
	t.Helper()
	deadline := time.After(waitTime)
	for {
		if ev := r.all(); len(ev) >= n {
			return ev
		}
		select {
		case <-r.ch:
		case <-deadline:
			t.Fatalf("waited %v for %d events; got %v", waitTime, n, r.kinds())
		}
	}
}

// waitKind waits for an event of kind k and returns it.
func (r *recorder) waitKind(t testing.TB, k hal.EventKind) hal.Event {
	t.Helper()
	deadline := time.After(waitTime)
	for {
		for _, e := range r.all() {
			if e.Kind == k {
				return e
			}
		}
		select {
		case <-r.ch:
		case <-deadline:
			t.Fatalf("waited %v for a %s event; got %v", waitTime, k, r.kinds())
		}
	}
}

// watch runs in.Watch in the background; the returned func cancels it and
// waits for it to return.
func watch(t testing.TB, in hal.Input, emit hal.Emit) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Watch(ctx, emit) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Watch returned %v", err)
				}
			case <-time.After(waitTime):
				t.Errorf("Watch did not return %v after cancel", waitTime)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func fakePin(name string) *gpiotest.Pin {
	return &gpiotest.Pin{N: name, EdgesChan: make(chan gpio.Level, 64)}
}
