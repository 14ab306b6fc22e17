package mqtt

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// Listener ids on the embedded broker. purrd's own client connects only on
// the internal one, a random loopback port, with a password made at start.
const (
	internalListener = "purrd-internal"
	tcpListener      = "tcp"
	wsListenerID     = "ws"
	roleInternal     = "internal"
)

// maxPacketSize is the largest packet MQTT's remaining-length field can frame.
const maxPacketSize = 268435455

// embedded is the in-process mochi broker.
type embedded struct {
	srv              *mochi.Server
	internalAddr     string
	internalPassword string
	listenAddr       string          // bound address of the phone listener
	wsAddr           string          // bound websocket address, "" when off
	web              *bridgeListener // the phone page's /mqtt
	hook             *authHook
	logs             *logWindows   // what the broker logs, once per source a minute
	offlineBase      int64         // hook.offlineSent when shutdown began
	stop             chan struct{} // closed when the broker stops
}

func startEmbedded(l *Link) (*embedded, error) {
	var rnd [32]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, fmt.Errorf("mqtt: Run: rand.Read: %w", err)
	}
	b := &embedded{internalPassword: hex.EncodeToString(rnd[:]), logs: newLogWindows(time.Minute)}

	caps := mochi.NewDefaultServerCapabilities()
	// Retained availability, state and discovery must not expire (mochi's
	// default drops messages after a day, taking the device off HA).
	caps.MaximumMessageExpiryInterval = 0
	// Bound what offline phone sessions can hold.
	caps.MaximumSessionExpiryInterval = 24 * 3600
	caps.MaximumInflight = 1024
	// Room for an oversize command so it can be answered rather than cut,
	// within what MQTT can frame at all.
	caps.MaximumPacketSize = uint32(min(max(4*l.o.MaxPayload, 256<<10), maxPacketSize))
	srv := mochi.New(&mochi.Options{
		Logger:       slog.New(brokerLog{h: levelFilter{min: slog.LevelWarn, h: l.log.Handler()}, win: b.logs}).With("component", "mqtt-broker"),
		Capabilities: caps,
	})
	b.srv = srv
	hook := &authHook{
		l:          l,
		logs:       b.logs,
		users:      l.s.users,
		internalPW: sha256.Sum256([]byte(b.internalPassword)),
	}
	hook.offlineSig = make(chan struct{}, 1)
	if l.o.PairedUser != "" {
		hook.paired = &pairedLogin{user: l.o.PairedUser, file: l.o.PairedFile}
	}
	if _, err := rand.Read(rnd[:16]); err != nil {
		return nil, fmt.Errorf("mqtt: Run: rand.Read: %w", err)
	}
	hook.big = newOversizeGuard(l, b.logs, int(caps.MaximumPacketSize)-1, []byte(hex.EncodeToString(rnd[:16])))
	b.hook = hook
	if err := srv.AddHook(hook, nil); err != nil {
		return nil, fmt.Errorf("mqtt: Run: AddHook: %w", err)
	}
	compat := newCompatHook(func(cl *mochi.Client, reason string) {
		l.warns.warn(l.log, "auth-"+cl.Net.Remote, "mqtt broker refused a connection",
			"remote", cl.Net.Remote, "listener", cl.Net.Listener, "client_id", cl.ID, "reason", "malformed CONNECT: "+reason)
	})
	if err := srv.AddHook(compat, nil); err != nil {
		return nil, fmt.Errorf("mqtt: Run: AddHook: %w", err)
	}
	// Last, so that its OnPublish sees only publishes every other hook let through.
	guard := newRetainGuard(caps, func(what string) {
		l.warns.warn(l.log, "retain-guard", "mqtt broker: the retain guard's lock was not free within its wait; went ahead unguarded",
			"waited_for", what, "wait", guardWait)
	})
	if err := srv.AddHook(guard, nil); err != nil {
		return nil, fmt.Errorf("mqtt: Run: AddHook: %w", err)
	}

	var bound []net.Listener
	closeAll := func() {
		for _, ln := range bound {
			ln.Close()
		}
	}
	listen := func(id, addr string) (net.Listener, error) {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("mqtt: Run: embedded broker listener %s: net.Listen(tcp, %q): %w", id, addr, err)
		}
		bound = append(bound, ln)
		return ln, nil
	}
	iln, err := listen(internalListener, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	pln, err := listen(tcpListener, l.o.Listen)
	if err != nil {
		return nil, err
	}
	b.internalAddr, b.listenAddr = iln.Addr().String(), pln.Addr().String()
	ls := []listeners.Listener{listeners.NewNet(internalListener, iln),
		listeners.NewNet(tcpListener, oversizeListener{pln, hook.big.wrap})}
	if l.o.Websocket != "" {
		wln, err := listen(wsListenerID, l.o.Websocket)
		if err != nil {
			return nil, err
		}
		b.wsAddr = wln.Addr().String()
		ws := newWSListener(wsListenerID, wln)
		ws.wrap = hook.big.wrap
		ls = append(ls, ws)
	}
	b.web = newBridgeListener()
	ls = append(ls, b.web)
	for _, x := range ls {
		if err := srv.AddListener(x); err != nil {
			closeAll()
			return nil, fmt.Errorf("mqtt: Run: AddListener(%s): %w", x.ID(), err)
		}
	}
	if err := srv.Serve(); err != nil {
		closeAll()
		return nil, fmt.Errorf("mqtt: Run: embedded broker Serve: %w", err)
	}
	b.stop = make(chan struct{})
	if hook.paired != nil {
		go b.watchPaired(hook.paired, pairedPoll, b.stop)
	}
	l.log.Info("embedded mqtt broker listening", "tcp", b.listenAddr, "websocket", b.wsAddr, "users", len(l.s.users))
	return b, nil
}

// beginShutdown is called before purrd publishes availability "offline".
func (b *embedded) beginShutdown() {
	b.offlineBase = b.hook.offlineSent.Load()
}

// close stops the broker, first giving it until stopBy (at least a tenth
// of a second) to hand the "offline" to every connected subscriber: closing
// at once would cut the message off in their write queues, and the phone
// would never learn the cat went away on purpose.
func (b *embedded) close(stopBy time.Time) {
	avail := b.hook.l.avail
	want := int64(0)
	for id := range b.srv.Topics.Subscribers(avail).Subscriptions {
		// purrd's own client is leaving too: the "offline" queued for it
		// may never be written, and waiting for it held every stop that
		// lost the race to the deadline.
		if cl, ok := b.srv.Clients.Get(id); ok && !cl.Closed() && !cl.Net.Inline && cl.Net.Listener != internalListener {
			want++
		}
	}
	deadline := time.After(max(time.Until(stopBy), 100*time.Millisecond))
	for b.hook.offlineSent.Load()-b.offlineBase < want {
		select {
		case <-b.hook.offlineSig:
		case <-deadline:
			want = 0
		}
	}
	close(b.stop)
	if err := b.srv.Close(); err != nil {
		b.srv.Log.Warn("embedded broker close", "err", err)
	}
	b.logs.close()
}

// authHook authenticates clients, enforces the ACL and stops retained or
// flooding commands before they reach any subscriber.
type authHook struct {
	mochi.HookBase
	l           *Link
	users       map[string]user
	internalPW  [sha256.Size]byte
	logs        *logWindows
	big         *oversizeGuard
	paired      *pairedLogin // nil unless purrd made the phone user
	offlineSent atomic.Int64 // availability "offline" publishes written to clients
	offlineSig  chan struct{}
}

func (h *authHook) ID() string { return "purrd-auth" }

func (h *authHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mochi.OnConnectAuthenticate, mochi.OnACLCheck, mochi.OnPublish, mochi.OnPacketSent}, []byte{b})
}

func (h *authHook) OnPacketSent(cl *mochi.Client, pk packets.Packet, _ []byte) {
	if pk.FixedHeader.Type == packets.Publish && pk.TopicName == h.l.avail && string(pk.Payload) == Offline && cl.Net.Listener != internalListener {
		h.offlineSent.Add(1)
		select {
		case h.offlineSig <- struct{}{}:
		default:
		}
	}
}

// role of a connected client; authentication already checked its password.
func (h *authHook) role(cl *mochi.Client) string {
	name := string(cl.Properties.Username)
	switch {
	case name == internalUser:
		if cl.Net.Listener == internalListener {
			return roleInternal
		}
		return ""
	case cl.Net.Listener == internalListener:
		return ""
	case name == "":
		return RolePhone
	}
	if u, ok := h.users[name]; ok {
		return u.role
	}
	return ""
}

func (h *authHook) OnConnectAuthenticate(cl *mochi.Client, pk packets.Packet) bool {
	name := string(pk.Connect.Username)
	role, why := h.authenticate(cl, name, pk.Connect.Password)
	if role != "" && pk.Connect.WillFlag && !h.allowed(role, pk.Connect.WillTopic, true) {
		role, why = "", fmt.Sprintf("last-will topic %q is not one this user may publish", pk.Connect.WillTopic)
	}
	if role == "" {
		h.l.warns.warn(h.l.log, "auth-"+cl.Net.Remote, "mqtt broker refused a connection",
			"remote", cl.Net.Remote, "listener", cl.Net.Listener, "username", name, "client_id", cl.ID, "reason", why)
		return false
	}
	h.l.log.Debug("mqtt broker client connected", "remote", cl.Net.Remote, "username", name, "role", role, "client_id", cl.ID)
	if h.paired != nil && name == h.paired.user && h.l.o.OnPairedLogin != nil {
		h.l.o.OnPairedLogin()
	}
	return true
}

func (h *authHook) authenticate(cl *mochi.Client, name string, password []byte) (role, why string) {
	sum := sha256.Sum256(password)
	if cl.Net.Listener == internalListener || name == internalUser {
		if cl.Net.Listener == internalListener && name == internalUser && subtle.ConstantTimeCompare(sum[:], h.internalPW[:]) == 1 {
			return roleInternal, ""
		}
		return "", "the internal listener and username are purrd's own"
	}
	if cl.ID == h.l.o.ClientID {
		return "", fmt.Sprintf("client id %q is purrd's own", cl.ID)
	}
	if name == "" {
		if cl.Net.Listener == wsListenerID || cl.Net.Listener == webListenerID {
			return "", "websocket clients must log in"
		}
		if !loopbackRemote(cl.Net.Remote) {
			return "", "anonymous clients are accepted on loopback only"
		}
		return RolePhone, ""
	}
	if len(password) == 0 {
		// 3.1.1 allows it; mochi used to refuse it unlogged with a code
		// 3.1.1 lacks (compatHook). An app with a login but no password
		// was probably not set up yet.
		return "", "empty password"
	}
	u, ok := h.users[name]
	if h.paired != nil && name == h.paired.user {
		u.password = h.paired.current()
	}
	want := sha256.Sum256([]byte(u.password))
	if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !ok {
		return "", "bad username or password"
	}
	return u.role, ""
}

// remoteHost is a client's address without its port, so a client that
// reconnects is still the same source.
func remoteHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

func loopbackRemote(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *authHook) OnACLCheck(cl *mochi.Client, topic string, write bool) bool {
	role := h.role(cl)
	if h.allowed(role, topic, write) {
		return true
	}
	verb := "subscribe to"
	if write {
		verb = "publish on"
	}
	// Once per client (username and address) a minute, then the count:
	// never the payload.
	user, host := string(cl.Properties.Username), remoteHost(cl.Net.Remote)
	h.logs.note("acl|"+user+"|"+host, func() {
		h.l.log.Warn("mqtt broker denied access", "client_id", cl.ID, "remote", host,
			"username", user, "role", role, "action", verb, "topic", topic)
	}, func(n int) {
		h.l.log.Warn("mqtt broker denied access", "client_id", cl.ID, "remote", host,
			"username", user, "role", role, "count", n, "within", h.logs.window().String(),
			"last_action", verb, "last_topic", topic)
	})
	return false
}

// allowed is the ACL: purrd and admins may do anything; a phone (and any
// anonymous loopback client) may publish only commands (and sim inputs on a
// simulated board) and read the robot's topics and Home Assistant's.
func (h *authHook) allowed(role, topic string, write bool) bool {
	base, ha := h.l.o.BaseTopic, h.l.o.HAPrefix
	switch role {
	case roleInternal, RoleAdmin:
		return true
	case RolePhone:
		if write {
			return len(topic) > len(base)+5 && strings.HasPrefix(topic, base+"/cmd/") ||
				h.l.o.SimBoard && len(topic) > len(base)+5 && strings.HasPrefix(topic, base+"/sim/")
		}
		return topic == base || strings.HasPrefix(topic, base+"/") || topic == ha || strings.HasPrefix(topic, ha+"/")
	}
	return false
}

func (h *authHook) OnPublish(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	base := h.l.o.BaseTopic
	topic := pk.TopicName
	if size, ok := h.big.standIn(pk); ok && !cl.Net.Inline {
		h.big.refused(cl, topic, size)
		return pk, packets.CodeSuccessIgnore
	}
	if cl.Net.Inline || h.role(cl) == roleInternal ||
		!(strings.HasPrefix(topic, base+"/cmd/") || strings.HasPrefix(topic, base+"/sim/")) {
		return pk, nil
	}
	suffix := topic[len(base)+1:]
	if pk.FixedHeader.Retain {
		h.l.brokerReject(suffix, pk.Payload, cl.ID, &CommandError{Topic: suffix, Kind: ErrRetained,
			Msg: "retained command refused: publish commands without the retain flag; it was neither stored nor acted on"})
		return pk, packets.CodeSuccessIgnore
	}
	key, per := senderKey(cl)
	if h.l.overLimit(key, per, suffix, pk.Payload, cl.ID) {
		return pk, packets.CodeSuccessIgnore
	}
	h.l.ledger.put(topic, pk.Payload, cl.ID)
	return pk, nil
}

// senderKey is whose rate-limit bucket a client's commands take: its
// user's, since a user may reconnect under any client id (a fresh id must
// not mean a fresh bucket); an anonymous client, loopback only, has no user
// and takes its client id's.
func senderKey(cl *mochi.Client) (key, per string) {
	if name := string(cl.Properties.Username); name != "" {
		return "user:" + name, "per user"
	}
	return "client:" + cl.ID, "per client"
}

// originLedger remembers which client published a command on the embedded
// broker until purrd's subscription delivers it, so Command.Client can name
// the sender (MQTT 3.1.1 deliveries do not carry it).
type originLedger struct {
	mu    sync.Mutex
	seed  maphash.Seed
	m     map[uint64][]string
	order []uint64
}

const ledgerSize = 256

func newOriginLedger() *originLedger {
	return &originLedger{seed: maphash.MakeSeed(), m: map[uint64][]string{}}
}

func (o *originLedger) key(topic string, payload []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(o.seed)
	h.WriteString(topic)
	h.WriteByte(0)
	h.Write(payload)
	return h.Sum64()
}

func (o *originLedger) put(topic string, payload []byte, client string) {
	k := o.key(topic, payload)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.m[k] = append(o.m[k], client)
	o.order = append(o.order, k)
	if len(o.order) > ledgerSize {
		old := o.order[0]
		o.order = append(o.order[:0], o.order[1:]...)
		if list := o.m[old]; len(list) > 1 {
			o.m[old] = list[1:]
		} else {
			delete(o.m, old)
		}
	}
}

func (o *originLedger) take(topic string, payload []byte) string {
	k := o.key(topic, payload)
	o.mu.Lock()
	defer o.mu.Unlock()
	list := o.m[k]
	if len(list) == 0 {
		return ""
	}
	if len(list) == 1 {
		delete(o.m, k)
	} else {
		o.m[k] = list[1:]
	}
	return list[0]
}
