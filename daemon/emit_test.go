package daemon

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/internal/lograte"
	"github.com/purrd/purrd/internal/testkit"
)

// A full event queue never blocks an input: every drop is counted (the
// state document reports the total) and logged at most once an interval.
func TestEmitDropsAndLogsOnceAnInterval(t *testing.T) {
	var logs testkit.SyncBuffer
	d := &daemon{
		log:     slog.New(slog.NewTextHandler(&logs, nil)),
		events:  make(chan hal.Event), // no reader: always full
		dropLog: lograte.New(time.Hour),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 250 {
			d.emit(hal.Event{Kind: hal.ButtonPress})
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("emit blocked on a full queue")
	}
	if n := d.droppedEvents.Load(); n != 250 {
		t.Errorf("droppedEvents = %d, want 250", n)
	}
	if n := strings.Count(logs.String(), "event queue full"); n != 1 || !strings.Contains(logs.String(), "dropped=1") {
		t.Errorf("%d warnings, want 1 (dropped=1):\n%s", n, logs.String())
	}
}
