package mqtt

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// testClock is the rate limiter's clock in tests: real time until a test
// sets it, then still until the test moves it, so no test waits for a
// refill and none depends on how fast the machine is (-race, qemu).
type testClock struct {
	mu  sync.Mutex
	set bool
	t   time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.set {
		return time.Now()
	}
	return c.t
}

// stop holds the clock at t.
func (c *testClock) stop(t time.Time) {
	c.mu.Lock()
	c.set, c.t = true, t
	c.mu.Unlock()
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func stoppedLimiter(t *testing.T, perSecond float64, burst int) (*limiter, *testClock) {
	l := newLimiter(perSecond, burst)
	c := &testClock{}
	c.stop(mustTime(t))
	l.now = c.now
	return l, c
}

// take sends n commands as key and counts those allowed.
func take(l *limiter, key string, n int) int {
	got := 0
	for range n {
		if l.allow(key) {
			got++
		}
	}
	return got
}

// TestLimiterBurst: a sender gets exactly burst commands at once, and an
// idle sender never saves up more than burst, however long it idled.
func TestLimiterBurst(t *testing.T) {
	l, clock := stoppedLimiter(t, 5, 10)
	if got := take(l, "a", 100); got != 10 {
		t.Fatalf("a new sender got %d of 100 commands at once; the burst is 10", got)
	}
	clock.advance(time.Hour)
	if got := take(l, "a", 100); got != 10 {
		t.Fatalf("after an idle hour a sender got %d of 100 commands at once; the burst is 10", got)
	}
}

// TestLimiterRefill: an empty bucket gets one token each 1/rate seconds,
// not sooner.
func TestLimiterRefill(t *testing.T) {
	l, clock := stoppedLimiter(t, 5, 10)
	take(l, "a", 10)
	clock.advance(199 * time.Millisecond)
	if l.allow("a") {
		t.Fatal("a token 199 ms after the bucket ran dry, at 5 a second (one each 200 ms)")
	}
	clock.advance(2 * time.Millisecond)
	if !l.allow("a") {
		t.Fatal("no token 201 ms after the bucket ran dry, at 5 a second")
	}
	if l.allow("a") {
		t.Fatal("two tokens 201 ms after the bucket ran dry, at 5 a second")
	}
	clock.advance(time.Second)
	if got := take(l, "a", 100); got != 5 {
		t.Fatalf("%d tokens a second later; the rate is 5 a second", got)
	}
}

// TestLimiterPerSender: one sender's flood does not touch another's bucket.
func TestLimiterPerSender(t *testing.T) {
	l, _ := stoppedLimiter(t, 5, 10)
	take(l, "user:alice", 100)
	if got := take(l, "user:bob", 100); got != 10 {
		t.Fatalf("bob got %d of 100 after alice's flood; his own burst is 10", got)
	}
	if got := take(l, "client:anon", 100); got != 10 {
		t.Fatalf("an anonymous client got %d of 100 after the users' floods; its own burst is 10", got)
	}
}

// TestLimiterBounded: the limiter remembers at most maxBuckets senders,
// and a sender that is short of tokens keeps its deficit when the map is
// full (nobody is wiped); newcomers then share one bucket, and a sender
// whose bucket is full again is the one forgotten.
func TestLimiterBounded(t *testing.T) {
	l, clock := stoppedLimiter(t, 1, 2)
	for i := range maxBuckets {
		if !l.allow(fmt.Sprint("k", i)) {
			t.Fatalf("sender %d refused its first command", i)
		}
	}
	if got := take(l, "late-1", 1) + take(l, "late-2", 1) + take(l, "late-3", 1); got != 2 {
		t.Fatalf("newcomers to a full map got %d commands; they share one bucket of 2", got)
	}
	if n := l.len(); n != maxBuckets {
		t.Fatalf("the limiter remembers %d senders; the bound is %d", n, maxBuckets)
	}
	if got := take(l, "k0", 10); got != 1 {
		t.Fatalf("k0 got %d commands after the map filled; it had 1 token left (a full map must not reset buckets)", got)
	}

	clock.advance(2 * time.Second) // every bucket is full again
	if !l.allow("late-4") {
		t.Fatal("a newcomer was refused although every remembered bucket was full again")
	}
	if n := l.len(); n != maxBuckets {
		t.Fatalf("the limiter remembers %d senders; the bound is %d", n, maxBuckets)
	}
	if got := take(l, "late-4", 10); got != 1 {
		t.Fatalf("late-4 got %d more commands; it has a bucket of its own now with 1 token left", got)
	}
	if _, kept := l.senders["k1"]; kept {
		t.Error("k1, the least recently used full bucket, was not the one forgotten")
	}
	if _, kept := l.senders["k0"]; !kept {
		t.Error("k0, used recently, was forgotten")
	}
}
