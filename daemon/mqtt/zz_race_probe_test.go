package mqtt

import (
	"testing"
	"time"
)

// TEMPORARY probe (to be deleted): is purrd subscribed to cmd/# when
// newEnv returns, and when a phone could first publish?
func TestZZProbeSubscribedAtConnected(t *testing.T) {
	e := newEnv(t, "embedded", nil, "")
	subscribed := func() bool {
		return len(e.link.broker.srv.Topics.Subscribers(base+"/cmd/feed").Subscriptions) > 0
	}
	atReturn := subscribed()
	start := time.Now()
	ph := newObserver(t, e.url, nil)
	ph.sub(base + "/response/#")
	atFirstPub := subscribed()
	for !subscribed() && time.Since(start) < waitLong {
		time.Sleep(time.Millisecond)
	}
	t.Logf("PROBE atReturn=%v atFirstPub=%v subscribedAfter=%v", atReturn, atFirstPub, time.Since(start))
}
