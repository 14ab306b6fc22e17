package mqtt

import "sync"

// rank orders what the outbox gives up first when it is full: answers to
// commands refused by the rate limit (a flood's own echo must not push out
// anything else), telemetry (sensor and battery readings, soon stale
// anyway), then other events, and only then replies and responses, which
// a person is waiting for.
type rank uint8

const (
	rankRefusal rank = iota
	rankTelemetry
	rankEvent
	rankAnswer
)

// outMsg is one QoS 1 publish waiting for the broker.
type outMsg struct {
	topic   string
	payload []byte
	retain  bool
	rank    rank
}

// outbox is a bounded FIFO of publishes. It is the link's own queue rather
// than paho's store so that the bound and the drop policy are explicit: when
// full, the oldest message of the lowest rank present (the incoming one
// included) is dropped and counted.
type outbox struct {
	mu      sync.Mutex
	buf     []outMsg // ring of cap(buf)
	head, n int
	dropped uint64
}

func newOutbox(size int) *outbox {
	return &outbox{buf: make([]outMsg, size)}
}

// push appends m. When the outbox is full it drops one message by the policy
// and returns it (ok=true); the dropped one may be m itself.
func (o *outbox) push(m outMsg) (victim outMsg, dropped bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.n == len(o.buf) {
		i := o.victimLocked(m.rank)
		o.dropped++
		if i < 0 {
			return m, true
		}
		victim = o.removeLocked(i)
		dropped = true
	}
	o.buf[(o.head+o.n)%len(o.buf)] = m
	o.n++
	return victim, dropped
}

// pushFront puts back a message whose publish failed, ahead of the rest, so
// it keeps its place; the same drop policy applies when full.
func (o *outbox) pushFront(m outMsg) (victim outMsg, dropped bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.n == len(o.buf) {
		// m is the oldest message now, so it loses ties within its rank.
		i := -1
		for r := rankTelemetry; r < m.rank && i < 0; r++ {
			i = o.firstOfRankLocked(r)
		}
		o.dropped++
		if i < 0 {
			return m, true
		}
		victim = o.removeLocked(i)
		dropped = true
	}
	o.head = (o.head - 1 + len(o.buf)) % len(o.buf)
	o.buf[o.head] = m
	o.n++
	return victim, dropped
}

// victimLocked picks the index to drop for an incoming message of rank in:
// the oldest message of the lowest rank, or -1 when that is the incoming one.
func (o *outbox) victimLocked(in rank) int {
	for r := rankRefusal; r <= rankAnswer; r++ {
		if i := o.firstOfRankLocked(r); i >= 0 {
			return i
		}
		if r == in {
			return -1
		}
	}
	return 0
}

func (o *outbox) firstOfRankLocked(r rank) int {
	for i := 0; i < o.n; i++ {
		if o.buf[(o.head+i)%len(o.buf)].rank == r {
			return i
		}
	}
	return -1
}

// removeLocked removes the i-th oldest message, closing the gap.
func (o *outbox) removeLocked(i int) outMsg {
	size := len(o.buf)
	m := o.buf[(o.head+i)%size]
	for j := i; j < o.n-1; j++ {
		o.buf[(o.head+j)%size] = o.buf[(o.head+j+1)%size]
	}
	o.buf[(o.head+o.n-1)%size] = outMsg{}
	o.n--
	return m
}

func (o *outbox) pop() (outMsg, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.n == 0 {
		return outMsg{}, false
	}
	m := o.buf[o.head]
	o.buf[o.head] = outMsg{}
	o.head = (o.head + 1) % len(o.buf)
	o.n--
	return m, true
}

func (o *outbox) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n
}

func (o *outbox) droppedCount() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dropped
}
