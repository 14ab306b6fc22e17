package lograte

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Unix(1e9, 0)} }
func textLog(b *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func TestOneLinePerKeyPerInterval(t *testing.T) {
	var b bytes.Buffer
	log := textLog(&b)
	c := newClock()
	l := New(time.Second).WithClock(c.now)
	for range 5 {
		l.Warn(log, "k", "bad command", "topic", "cmd/x")
		c.add(100 * time.Millisecond)
	}
	l.Warn(log, "other", "different problem")
	c.add(500 * time.Millisecond) // 1s after the first line
	l.Warn(log, "k", "bad command", "topic", "cmd/x")
	l.Warn(log, "k", "bad command", "topic", "cmd/x")
	want := "level=WARN msg=\"bad command\" topic=cmd/x\n" +
		"level=WARN msg=\"different problem\"\n" +
		"level=WARN msg=\"bad command\" topic=cmd/x suppressed=4\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// A flood of distinct keys (a new client id each) is bounded too: the
// table never grows past MaxKeys plus the shared overflow slot, and keys
// that come while it is full share one line per interval.
func TestManyKeysStayBounded(t *testing.T) {
	var b bytes.Buffer
	log := textLog(&b)
	c := newClock()
	l := New(time.Second).WithClock(c.now)
	for i := range 3 * MaxKeys {
		l.Warn(log, fmt.Sprint("client-", i), "refused")
	}
	if n := strings.Count(b.String(), "\n"); n != MaxKeys+1 {
		t.Errorf("%d lines for %d keys within one interval, want %d", n, 3*MaxKeys, MaxKeys+1)
	}
	if len(l.keys) > MaxKeys+1 {
		t.Errorf("table holds %d keys", len(l.keys))
	}
	// An interval later the old keys are forgotten and new ones get a
	// slot of their own again.
	c.add(time.Second)
	b.Reset()
	l.Warn(log, "fresh", "refused")
	l.Warn(log, "fresh", "refused")
	if n := strings.Count(b.String(), "\n"); n != 1 || len(l.keys) > MaxKeys+1 {
		t.Errorf("after an interval: %d lines, %d keys:\n%s", n, len(l.keys), b.String())
	}
}

func TestConcurrentUse(t *testing.T) {
	var mu sync.Mutex
	var b bytes.Buffer
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return b.Write(p)
	}), nil))
	l := New(time.Hour)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				l.Warn(log, "k", "flood")
			}
		})
	}
	wg.Wait()
	if n := strings.Count(b.String(), "\n"); n != 1 {
		t.Errorf("%d lines, want 1", n)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
