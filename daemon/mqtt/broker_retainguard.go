package mqtt

import (
	"bytes"
	"sync"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// retainGuard works around a data race in mochi 2.7.9 (the newest release;
// its main branch reads the same way). When a client subscribes,
// TopicsIndex.scanMessages looks for retained messages by reading each
// topic node's retainPath without a lock, while a retained publish from
// another client's goroutine writes it under the index's lock
// (TopicsIndex.RetainMessage). purrd republishes its retained state often
// and a phone subscribes on every reconnect, so the two meet: the race
// detector caught it in TestBrokerOutage, and an unlucky read of a string
// being written from "" could see a length without its bytes.
//
// The guard makes the two take turns: a SUBSCRIBE's scan for retained
// messages runs under a read lock (from OnPacketSent for its SUBACK,
// which mochi writes just before the scan, until OnPacketProcessed), and
// a retain under the write lock (this hook's OnPublish, which runs after
// every other hook's, or OnWill, until OnRetainMessage, which mochi calls
// right after the index is written). Neither lock is held across a
// network write, so a phone that stops reading cannot stall the others;
// only the retain itself is held, not the delivery to subscribers. Each
// side counts what it holds per client, so a hook sequence mochi cuts
// short (another hook refusing the publish, a SUBACK that failed to
// write) never unlocks what it did not lock. It must be the last hook
// added.
//
// Neither side ever waits long: should a lock not come free within
// guardWait (in normal running it is held for microseconds), the
// operation goes ahead unguarded, as it would without the guard, rather
// than risk stalling the broker on a path mochi takes that this hook
// does not foresee; gaveUp hears of each such wait (the broker logs it).
type retainGuard struct {
	mochi.HookBase
	retainAvailable bool
	gaveUp          func(what string) // a lock not had within guardWait

	rw   sync.RWMutex
	mu   sync.Mutex            // guards the two maps (hold, release)
	subs map[*mochi.Client]int // SUBSCRIBEs scanning under rw's read lock
	rets map[*mochi.Client]int // retains holding rw's write lock
}

// guardWait bounds each wait for the guard's lock.
const guardWait = time.Second

func newRetainGuard(caps *mochi.Capabilities, gaveUp func(what string)) *retainGuard {
	return &retainGuard{
		retainAvailable: caps.RetainAvailable != 0,
		gaveUp:          gaveUp,
		subs:            map[*mochi.Client]int{},
		rets:            map[*mochi.Client]int{},
	}
}

func (g *retainGuard) ID() string { return "purrd-retain-guard" }

func (g *retainGuard) Provides(b byte) bool {
	return bytes.Contains([]byte{mochi.OnPacketSent, mochi.OnPacketProcessed, mochi.OnPublish, mochi.OnWill, mochi.OnRetainMessage}, []byte{b})
}

// OnPacketSent takes the read lock once a SUBACK is written: mochi
// sends it from processSubscribe (the only place a SUBACK is made) right
// before it scans for the retained messages to deliver, with the
// client's write lock already released.
func (g *retainGuard) OnPacketSent(cl *mochi.Client, pk packets.Packet, _ []byte) {
	if pk.FixedHeader.Type != packets.Suback || cl.Net.Inline {
		return
	}
	g.hold(g.subs, cl, g.rw.TryRLock, "subscribe")
}

// OnPacketProcessed ends a SUBSCRIBE, retained messages and all.
func (g *retainGuard) OnPacketProcessed(cl *mochi.Client, pk packets.Packet, _ error) {
	if pk.FixedHeader.Type != packets.Subscribe {
		return
	}
	g.release(g.subs, cl, g.rw.RUnlock)
}

// OnPublish takes the write lock for a publish mochi is about to retain:
// every earlier hook has let it through, and nothing between here and
// retainMessage returns.
func (g *retainGuard) OnPublish(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.FixedHeader.Retain && !pk.Ignore {
		g.lockRetain(cl)
	}
	return pk, nil
}

// OnWill does the same for a last will sent now (a delayed one is
// retained later from mochi's loop, outside the guard).
func (g *retainGuard) OnWill(cl *mochi.Client, will mochi.Will) (mochi.Will, error) {
	if will.Retain && cl.Properties.Will.WillDelayInterval == 0 {
		g.lockRetain(cl)
	}
	return will, nil
}

func (g *retainGuard) lockRetain(cl *mochi.Client) {
	if !g.retainAvailable {
		return // mochi retains nothing and will not call OnRetainMessage
	}
	g.hold(g.rets, cl, g.rw.TryLock, "retain")
}

// hold takes the lock with try, polling until it succeeds or guardWait
// has passed (a plain Lock would queue fairly, but could wait for ever),
// and counts it against cl in held.
func (g *retainGuard) hold(held map[*mochi.Client]int, cl *mochi.Client, try func() bool, what string) {
	deadline := time.Now().Add(guardWait)
	for pause := time.Microsecond; !try(); pause = min(2*pause, time.Millisecond) {
		if time.Now().After(deadline) {
			if g.gaveUp != nil {
				g.gaveUp(what)
			}
			return
		}
		time.Sleep(pause)
	}
	g.mu.Lock()
	held[cl]++
	g.mu.Unlock()
}

// release unlocks what hold took for cl, if it took anything.
func (g *retainGuard) release(held map[*mochi.Client]int, cl *mochi.Client, unlock func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if held[cl] == 0 {
		return
	}
	if held[cl]--; held[cl] == 0 {
		delete(held, cl)
	}
	unlock()
}

// OnRetainMessage follows the index's write.
func (g *retainGuard) OnRetainMessage(cl *mochi.Client, _ packets.Packet, _ int64) {
	g.release(g.rets, cl, g.rw.Unlock)
}
