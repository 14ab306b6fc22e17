package mqtt

import (
	"bytes"
	"sync"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// compatHook makes mochi 2.7.9 behave as MQTT 3.1.1 apps expect.
//
// Packet identifiers. MQTT gives each direction its own identifier space:
// the ids a client picks for its SUBSCRIBE, UNSUBSCRIBE and QoS>0 PUBLISH
// have nothing to do with the ids the server picks for its deliveries.
// mochi keeps both in one in-flight map per client (upstream
// mochi-mqtt/server issue 545), so a SUBSCRIBE whose id equals a delivery
// still waiting for its PUBACK was refused with 0x91, and a QoS 1 PUBLISH
// with such an id silently dropped that delivery's in-flight record. Apps
// count their ids up from 1 and so does the server: five SUBSCRIBEs sent
// back to back while retained messages stream in collided in most runs.
//
// The hook translates: every id a client picks is swapped, as the packet is
// read, for one that is free in the in-flight map and far from the ids the
// server is handing out now (half the id space ahead of the last one), and
// swapped back on the SUBACK, UNSUBACK, PUBACK, PUBREC and PUBCOMP that
// answer it. The server's own deliveries keep their ids untouched. Only
// these five packet types carry the client's ids from the server, so a
// translated id can never be mistaken for a delivery's.
//
// Reason codes. mochi answers 3.1.1 clients with MQTT 5 codes in places
// (SUBACK 0x91, CONNACK 0x82) and sends them DISCONNECT packets, which 3.1.1
// does not have: the hook turns SUBACK failures into 0x80, drops the
// DISCONNECT (the connection is closed all the same) and closes the
// connection without a CONNACK where 3.1.1 has no code for the refusal
// (a malformed CONNECT, [MQTT-3.1.4-1]).
//
// Empty passwords. 3.1.1 allows a password of zero bytes; mochi refused it
// as a protocol violation (0x82) before purrd could log anything. The hook
// hands it on as "no password", so authentication refuses it with a logged
// reason and a 3.1.1 code.
type compatHook struct {
	mochi.HookBase
	onMalformed func(cl *mochi.Client, reason string)

	mu      sync.Mutex
	clients map[*mochi.Client]*idMap
}

// idMap is one connection's translation of client-chosen packet ids.
type idMap struct {
	last     uint16            // the server's newest delivery id
	toServer map[uint16]uint16 // client id -> id mochi sees
	toClient map[uint16]uint16 // id mochi sees -> client id
}

func newCompatHook(onMalformed func(*mochi.Client, string)) *compatHook {
	return &compatHook{onMalformed: onMalformed, clients: map[*mochi.Client]*idMap{}}
}

func (h *compatHook) ID() string { return "purrd-compat" }

func (h *compatHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mochi.OnPacketRead, mochi.OnPacketEncode, mochi.OnQosPublish, mochi.OnDisconnect}, []byte{b})
}

func (h *compatHook) ids(cl *mochi.Client, create bool) *idMap {
	m := h.clients[cl]
	if m == nil && create {
		m = &idMap{toServer: map[uint16]uint16{}, toClient: map[uint16]uint16{}}
		h.clients[cl] = m
	}
	return m
}

// OnQosPublish follows the ids the server hands out for its deliveries.
func (h *compatHook) OnQosPublish(cl *mochi.Client, pk packets.Packet, _ int64, _ int) {
	if pk.FixedHeader.Type != packets.Publish {
		return // mochi reports its PUBREC for a client's QoS 2 here too
	}
	h.mu.Lock()
	h.ids(cl, true).last = pk.PacketID
	h.mu.Unlock()
}

func (h *compatHook) OnDisconnect(cl *mochi.Client, _ error, _ bool) {
	h.mu.Lock()
	delete(h.clients, cl)
	h.mu.Unlock()
}

// OnPacketRead runs in the client's read loop, before mochi looks at the
// packet.
func (h *compatHook) OnPacketRead(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	switch pk.FixedHeader.Type {
	case packets.Connect:
		if pk.Connect.PasswordFlag && len(pk.Connect.Password) == 0 {
			pk.Connect.PasswordFlag = false
		}
	case packets.Subscribe, packets.Unsubscribe:
		pk.PacketID = h.translate(cl, pk.PacketID, false)
	case packets.Publish:
		if pk.FixedHeader.Qos > 0 && !cl.Net.Inline {
			pk.PacketID = h.translate(cl, pk.PacketID, pk.FixedHeader.Qos == 2)
		}
	case packets.Pubrel: // the second half of the client's QoS 2 publish
		h.mu.Lock()
		if m := h.ids(cl, false); m != nil {
			if y, ok := m.toServer[pk.PacketID]; ok {
				pk.PacketID = y
			}
		}
		h.mu.Unlock()
	}
	return pk, nil
}

// translate picks the id mochi sees for client id x. A re-sent QoS 2
// PUBLISH keeps the id its first copy got, so mochi recognises it.
func (h *compatHook) translate(cl *mochi.Client, x uint16, reuse bool) uint16 {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.ids(cl, true)
	if y, ok := m.toServer[x]; ok {
		if reuse {
			return y
		}
		delete(m.toClient, y) // the client re-used x: it had its answer
	}
	y := m.last + 1<<15
	for range 1 << 16 {
		if y != 0 {
			if _, taken := m.toClient[y]; !taken {
				if _, busy := cl.State.Inflight.Get(y); !busy {
					break
				}
			}
		}
		y++
	}
	m.toServer[x], m.toClient[y] = y, x
	return y
}

// OnPacketEncode runs just before a packet is written to the client.
func (h *compatHook) OnPacketEncode(cl *mochi.Client, pk packets.Packet) packets.Packet {
	switch pk.FixedHeader.Type {
	case packets.Suback, packets.Unsuback, packets.Puback, packets.Pubcomp, packets.Pubrec:
		h.mu.Lock()
		if m := h.ids(cl, false); m != nil {
			if y := pk.PacketID; m.toClient[y] != 0 {
				x := m.toClient[y]
				pk.PacketID = x
				if pk.FixedHeader.Type != packets.Pubrec { // QoS 2: PUBREL still to come
					delete(m.toClient, y)
					delete(m.toServer, x)
				}
			}
		}
		h.mu.Unlock()
	}
	if cl.Properties.ProtocolVersion >= 5 {
		return pk
	}
	switch pk.FixedHeader.Type {
	case packets.Suback:
		codes := make([]byte, len(pk.ReasonCodes))
		for i, c := range pk.ReasonCodes {
			codes[i] = c
			if c > 2 {
				codes[i] = packets.ErrUnspecifiedError.Code // 0x80, 3.1.1's only failure
			}
		}
		pk.ReasonCodes = codes
	case packets.Connack:
		if pk.ReasonCode > 5 { // 3.1.1 has 0-5 only
			if pk.Properties.ReasonString == packets.ErrProtocolViolationProtocolVersion.Reason {
				pk.ReasonCode = packets.Err3UnsupportedProtocolVersion.Code
				break
			}
			if h.onMalformed != nil {
				h.onMalformed(cl, pk.Properties.ReasonString)
			}
			pk.FixedHeader.Type = packets.Reserved // not written: the connection just closes
		}
	case packets.Disconnect:
		pk.FixedHeader.Type = packets.Reserved // no server DISCONNECT in 3.1.1
	}
	return pk
}
