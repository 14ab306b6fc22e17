package mqtt

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// resumeStore is the store paho keeps unacknowledged packets in. It differs
// from paho's MemoryStore in two ways, both about paho's resume, which
// re-sends the stored publishes on every reconnect:
//
//   - It counts the times paho lists it. paho lists it once in Connect and
//     then once per connection, at the start of resume; publishing before
//     that listing puts the new message in it, so it would be sent twice.
//   - It keeps and hands out copies. resume sets DUP on the packet Get
//     returns, and a Publish that was blocked across the reconnect may be
//     writing that very packet on the new connection (paho issue #703, open
//     in v1.5.1: the race detector catches it in TestBrokerOutage). With a
//     copy each, resume marks its own packet and the wire bytes of the
//     other stay as written.
type resumeStore struct {
	mu      sync.Mutex
	packets map[string]packets.ControlPacket

	listed atomic.Uint64
	sig    chan struct{}
}

func newResumeStore() *resumeStore {
	return &resumeStore{packets: map[string]packets.ControlPacket{}, sig: make(chan struct{}, 1)}
}

// Open and Close do nothing: the store lives as long as the link, so
// messages stored before a Disconnect are still there for the next Connect.
func (s *resumeStore) Open()  {}
func (s *resumeStore) Close() {}

func (s *resumeStore) Put(key string, p packets.ControlPacket) {
	c := copyPacket(p)
	s.mu.Lock()
	s.packets[key] = c
	s.mu.Unlock()
}

// Get returns a copy of the packet stored under key, or nil.
func (s *resumeStore) Get(key string) packets.ControlPacket {
	s.mu.Lock()
	p := s.packets[key]
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	return copyPacket(p)
}

func (s *resumeStore) All() []string {
	s.mu.Lock()
	keys := make([]string, 0, len(s.packets))
	for k := range s.packets {
		keys = append(keys, k)
	}
	s.mu.Unlock()
	s.listed.Add(1)
	select {
	case s.sig <- struct{}{}:
	default:
	}
	return keys
}

func (s *resumeStore) Del(key string) {
	s.mu.Lock()
	delete(s.packets, key)
	s.mu.Unlock()
}

func (s *resumeStore) Reset() {
	s.mu.Lock()
	clear(s.packets)
	s.mu.Unlock()
}

// copyPacket returns a packet of its own with p's fields. The slices
// (payload, topics) are shared: paho never changes them after building the
// packet, only header fields such as DUP and the remaining length.
func copyPacket(p packets.ControlPacket) packets.ControlPacket {
	switch p := p.(type) {
	case *packets.PublishPacket:
		c := *p
		return &c
	case *packets.PubrelPacket:
		c := *p
		return &c
	case *packets.SubscribePacket:
		c := *p
		return &c
	case *packets.UnsubscribePacket:
		c := *p
		return &c
	}
	// paho stores only the four kinds above; anything else is kept as is.
	return p
}

// waitListed waits until the store was listed n times, or for at most max
// (a safety net should paho's call pattern change).
func (s *resumeStore) waitListed(ctx context.Context, n uint64, max time.Duration) bool {
	deadline := time.NewTimer(max)
	defer deadline.Stop()
	for s.listed.Load() < n {
		select {
		case <-s.sig:
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	return true
}
