package mqtt

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// logWindows lets the embedded broker log each kind of trouble once per
// source per window (a minute), then one line with the count of what came
// after, so a client that keeps doing something wrong costs the journal a
// line a minute, not a line a packet.
type logWindows struct {
	mu     sync.Mutex
	every  time.Duration
	open   map[string]*logWindow
	closed bool
}

type logWindow struct {
	n       int
	summary func(n int)
	timer   *time.Timer
}

// maxWindows bounds the open windows; past it, new sources share one.
const maxWindows = 1024

func newLogWindows(every time.Duration) *logWindows {
	return &logWindows{every: every, open: map[string]*logWindow{}}
}

func (w *logWindows) setEvery(d time.Duration) {
	w.mu.Lock()
	w.every = d
	w.mu.Unlock()
}

func (w *logWindows) window() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.every
}

// note records one occurrence for key. The first of a window is logged at
// once by first; the rest are counted, and summary(n) logs them when the
// window closes.
func (w *logWindows) note(key string, first func(), summary func(n int)) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	if _, ok := w.open[key]; !ok && len(w.open) >= maxWindows {
		key = "(many sources)"
	}
	if win, ok := w.open[key]; ok {
		win.n++
		win.summary = summary
		w.mu.Unlock()
		return
	}
	win := &logWindow{}
	w.open[key] = win
	win.timer = time.AfterFunc(w.every, func() { w.tick(key, win) })
	w.mu.Unlock()
	first()
}

func (w *logWindows) tick(key string, win *logWindow) {
	w.mu.Lock()
	n, summary := win.n, win.summary
	if n == 0 || w.closed {
		delete(w.open, key)
		w.mu.Unlock()
		return
	}
	win.n = 0
	win.timer.Reset(w.every)
	w.mu.Unlock()
	summary(n)
}

// close logs what is still counted and stops the windows.
func (w *logWindows) close() {
	w.mu.Lock()
	w.closed = true
	var flush []func()
	for key, win := range w.open {
		win.timer.Stop()
		if win.n > 0 {
			n, s := win.n, win.summary
			flush = append(flush, func() { s(n) })
		}
		delete(w.open, key)
	}
	w.mu.Unlock()
	for _, f := range flush {
		f()
	}
}

// brokerLog is the handler mochi logs through: no packet dumps (mochi
// attaches the whole packet, payload included, to "error processing
// packet"), nothing for a refused publish (the ACL hook has logged the
// denial), and each message at most once per client per window.
type brokerLog struct {
	h   slog.Handler
	win *logWindows
}

func (b brokerLog) Enabled(ctx context.Context, l slog.Level) bool { return b.h.Enabled(ctx, l) }

func (b brokerLog) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	client := ""
	denied := false
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "pk":
			return true
		case "client":
			client = a.Value.String()
		case "error":
			if err, ok := a.Value.Any().(error); ok && errors.Is(err, packets.ErrNotAuthorized) {
				denied = true
			}
		}
		out.AddAttrs(a)
		return true
	})
	if denied {
		return nil
	}
	b.win.note("mochi|"+r.Message+"|"+client, func() { _ = b.h.Handle(ctx, out) }, func(n int) {
		s := slog.NewRecord(time.Now(), r.Level, r.Message+" (repeated)", 0)
		s.AddAttrs(slog.String("client", client), slog.Int("count", n), slog.Duration("within", b.win.window()))
		_ = b.h.Handle(context.Background(), s)
	})
	return nil
}

func (b brokerLog) WithAttrs(a []slog.Attr) slog.Handler { return brokerLog{b.h.WithAttrs(a), b.win} }
func (b brokerLog) WithGroup(name string) slog.Handler   { return brokerLog{b.h.WithGroup(name), b.win} }
