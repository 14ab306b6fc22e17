package mqtt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// Oversize packets. mochi refuses a packet over its maximum size by
// closing the connection, before it has read the packet: the client gets
// no PUBACK and no reason (MQTT 3.1.1 has no way to give one), so a
// standard client re-sends the same message after every reconnect,
// forever. oversizeConn sits between the socket and mochi and reads such a
// PUBLISH itself, streaming its payload away without keeping it, and
// hands mochi the same PUBLISH (topic, QoS, packet id) with a marker as
// its payload. The broker hook recognises the marker: it acknowledges the
// packet as usual (the client stops re-sending), answers too_large on
// response/<verb> when it was a command, logs it, and neither delivers
// nor retains it. Any other packet type that large is a broken client:
// the connection is closed and that is logged.
type oversizeConn struct {
	net.Conn
	r      *bufio.Reader
	limit  int    // largest remaining length passed on as it is
	marker []byte // the payload's prefix that means "cut here"
	refuse func(kind string, size int)
	out    []byte // bytes ready for mochi
	pass   int    // body bytes of the current packet still to pass on
	v5     bool
	seen   bool // the CONNECT has gone by
}

var errOversize = errors.New("mqtt: packet too large")

func (c *oversizeConn) Read(p []byte) (int, error) {
	for {
		if len(c.out) > 0 {
			n := copy(p, c.out)
			c.out = c.out[n:]
			return n, nil
		}
		if c.pass > 0 {
			n, err := c.r.Read(p[:min(len(p), c.pass)])
			c.pass -= n
			return n, err
		}
		if err := c.next(); err != nil {
			return 0, err
		}
	}
}

// next reads the next fixed header and either queues it for mochi with its
// body to pass through, or swallows an oversize PUBLISH and queues its
// stand-in.
func (c *oversizeConn) next() error {
	first, err := c.r.ReadByte()
	if err != nil {
		return err
	}
	rem, lenBytes, err := readVarint(c.r)
	if err != nil {
		return err
	}
	typ := first >> 4
	if !c.seen && typ == packets.Connect {
		c.seen = true
		// 2-byte length, "MQTT", protocol level
		if b, err := c.r.Peek(7); err == nil && b[6] == 5 {
			c.v5 = true
		}
	}
	if rem <= c.limit {
		c.out = append(append(c.out[:0], first), lenBytes...)
		c.pass = rem
		return nil
	}
	if typ != packets.Publish {
		if c.refuse != nil {
			c.refuse(packets.PacketNames[typ], rem+1+len(lenBytes))
		}
		return fmt.Errorf("%w: %s of %d bytes", errOversize, packets.PacketNames[typ], rem)
	}
	// Topic, packet id (QoS > 0), properties (MQTT 5): kept. Payload: dropped.
	var head bytes.Buffer
	left := rem
	take := func(n int) error {
		if n > left {
			return fmt.Errorf("%w: malformed PUBLISH", errOversize)
		}
		left -= n
		_, err := io.CopyN(&head, c.r, int64(n))
		return err
	}
	var tl [2]byte
	if _, err := io.ReadFull(c.r, tl[:]); err != nil {
		return err
	}
	left -= 2
	head.Write(tl[:])
	if err := take(int(tl[0])<<8 | int(tl[1])); err != nil {
		return err
	}
	if (first>>1)&3 > 0 {
		if err := take(2); err != nil {
			return err
		}
	}
	if c.v5 {
		// Properties are dropped: a stand-in needs none.
		n, nb, err := readVarint(c.r)
		if err != nil {
			return err
		}
		left -= len(nb)
		if n > left {
			return fmt.Errorf("%w: malformed PUBLISH", errOversize)
		}
		if _, err := io.CopyN(io.Discard, c.r, int64(n)); err != nil {
			return err
		}
		left -= n
		head.WriteByte(0)
	}
	if _, err := io.CopyN(io.Discard, c.r, int64(left)); err != nil {
		return err
	}
	head.Write(c.marker)
	head.WriteString(strconv.Itoa(left))
	c.out = append(c.out[:0], first)
	c.out = appendVarint(c.out, head.Len())
	c.out = append(c.out, head.Bytes()...)
	return nil
}

func readVarint(r io.ByteReader) (n int, raw []byte, err error) {
	shift := 0
	for i := 0; i < 4; i++ {
		b, err := r.ReadByte()
		if err != nil {
			return 0, raw, err
		}
		raw = append(raw, b)
		n |= int(b&0x7f) << shift
		if b&0x80 == 0 {
			return n, raw, nil
		}
		shift += 7
	}
	return 0, raw, fmt.Errorf("%w: malformed remaining length", errOversize)
}

func appendVarint(b []byte, n int) []byte {
	for {
		d := byte(n & 0x7f)
		n >>= 7
		if n > 0 {
			d |= 0x80
		}
		b = append(b, d)
		if n == 0 {
			return b
		}
	}
}

// oversizeListener wraps every accepted connection.
type oversizeListener struct {
	net.Listener
	wrap func(net.Conn) net.Conn
}

func (l oversizeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.wrap(c), nil
}

// oversizeGuard makes the wrappers of one broker and recognises their
// stand-ins.
type oversizeGuard struct {
	limit  int
	marker []byte
	logs   *logWindows
	l      *Link
}

func newOversizeGuard(l *Link, logs *logWindows, limit int, secret []byte) *oversizeGuard {
	m := append([]byte("\x00purrd-oversize\x00"), secret...)
	return &oversizeGuard{limit: limit, marker: append(m, ':'), logs: logs, l: l}
}

func (g *oversizeGuard) wrap(c net.Conn) net.Conn {
	remote := c.RemoteAddr().String()
	return &oversizeConn{Conn: c, r: bufio.NewReaderSize(c, 4096), limit: g.limit, marker: g.marker,
		refuse: func(kind string, size int) {
			host := remoteHost(remote)
			g.logs.note("big|"+host, func() {
				g.l.log.Warn("mqtt broker: packet too large; connection closed", "remote", remote, "packet", kind,
					"bytes", size, "limit", g.limit+1)
			}, func(n int) {
				g.l.log.Warn("mqtt broker: packets too large", "remote", host, "count", n, "within", g.logs.window().String())
			})
		}}
}

// standIn reports whether pk is the stand-in for an oversize PUBLISH, and
// the size of the payload that was dropped.
func (g *oversizeGuard) standIn(pk packets.Packet) (int, bool) {
	if !bytes.HasPrefix(pk.Payload, g.marker) {
		return 0, false
	}
	n, err := strconv.Atoi(string(pk.Payload[len(g.marker):]))
	return n, err == nil
}

// refused answers and logs a dropped oversize PUBLISH from cl.
func (g *oversizeGuard) refused(cl *mochi.Client, topic string, size int) {
	user, host := string(cl.Properties.Username), remoteHost(cl.Net.Remote)
	g.logs.note("big|"+host, func() {
		g.l.log.Warn("mqtt broker: packet too large; payload dropped, acknowledged and answered", "client_id", cl.ID,
			"remote", host, "username", user, "topic", topic, "bytes", size, "limit", g.limit+1)
	}, func(n int) {
		g.l.log.Warn("mqtt broker: packets too large", "client_id", cl.ID, "remote", host, "username", user,
			"count", n, "within", g.logs.window().String(), "last_topic", topic)
	})
	base := g.l.o.BaseTopic + "/"
	if len(topic) <= len(base) || topic[:len(base)] != base {
		return
	}
	suffix := topic[len(base):]
	if len(suffix) > 4 && suffix[:4] == "cmd/" || len(suffix) > 4 && suffix[:4] == "sim/" {
		g.l.oversizeCommand(suffix, cl.ID, size, time.Now())
	}
}
