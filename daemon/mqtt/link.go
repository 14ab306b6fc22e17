package mqtt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// Status values reported by Link.Status.
const (
	StatusConnected  = "connected"
	StatusConnecting = "connecting"
	StatusOffline    = "offline"
)

const (
	statusOffline int32 = iota
	statusConnecting
	statusConnected
)

// Availability payloads on <base>/availability.
const (
	Online  = "online"
	Offline = "offline"
)

// Link is purrd's MQTT link. Create it with New, start it with Run; every
// other method is safe from any goroutine and never blocks on the network.
type Link struct {
	o   Options
	s   settings
	log *slog.Logger

	cmds  chan Command
	out   *outbox
	wake  chan struct{}
	warns *warnLimiter
	// limits is the command rate limit: per sender on the embedded broker
	// (authHook), per command topic on an external one (handle), which
	// hides who sent what.
	limits *limiter
	ledger *originLedger
	ids    *IDs
	seqs   atomic.Uint64 // Command.seq
	// avail is <base>/availability, made once: the broker hook and
	// onMessage compare every packet's topic with it.
	avail string

	status atomic.Int32 // paho's view of the connection
	// ready is the connection generation (connects) the pump has set up:
	// subscribed, so commands published from then on reach the link.
	ready      atomic.Uint64
	needSetup  atomic.Bool
	announceHA atomic.Bool
	reannounce atomic.Bool // a stale "offline" was seen while connected
	stopping   atomic.Bool // shutdown publishes "offline" itself
	staleWills atomic.Uint64
	running    atomic.Bool

	mu          sync.Mutex
	state       []byte
	stateDirty  bool
	outstanding map[uint64]struct{}
	client      paho.Client
	broker      *embedded
	store       *resumeStore

	connects, published, rejected, busy, limited, delivered, encodeErrs atomic.Uint64
	inflight                                                            atomic.Int64

	// Test seams: dial replaces paho's dialer (and lets a test cut the raw
	// connection to trigger the last will); reconnectMax shortens backoff.
	dial         func(*url.URL) (net.Conn, error)
	reconnectMax time.Duration
	connMu       sync.Mutex
	conn         *cuttableConn
}

// Stats are the link's counters, for the STATUS line and tests.
type Stats struct {
	Outbox     int    // messages waiting for the broker
	OutboxCap  int    // mqtt.outbox_size
	Inflight   int    // publishes waiting for their PUBACK (not counted in Outbox)
	Dropped    uint64 // messages dropped because the outbox was full
	Published  uint64 // publishes the broker acknowledged
	Reconnects uint64 // connections after the first
	Rejected   uint64 // commands refused (bad input, retained, rate limit, busy, sim off)
	Busy       uint64 // of Rejected: refused because the daemon was not keeping up
	Limited    uint64 // of Rejected: refused by the rate limit
	Delivered  uint64 // commands handed to the daemon
	StaleWills uint64 // "offline" last wills of old sessions answered with "online"
}

// Reply is one chunk of a pet's reply, published on <base>/reply.
type Reply struct {
	ID        string // the reply's id, shared by all its chunks
	CommandID ID     // the command that caused it, if any
	Seq       int    // chunk number from 0
	// Text is the chunk's words; on the final chunk, the whole reply
	// (what was said, fillers excepted), not new words.
	Text       string
	Final      bool
	Emotion    string
	Sound      string
	Expression string
	Filler     bool // a "thinking" filler sent while the brain is slow
}

type replyJSON struct {
	ID         string `json:"id"`
	CommandID  ID     `json:"command_id,omitzero"`
	Seq        int    `json:"seq"`
	Text       string `json:"text"`
	Final      bool   `json:"final"`
	Emotion    string `json:"emotion,omitempty"`
	Sound      string `json:"sound,omitempty"`
	Expression string `json:"expression,omitempty"`
	Filler     bool   `json:"filler,omitempty"`
	TS         string `json:"ts"`
}

type responseJSON struct {
	ID     ID     `json:"id"`
	Status string `json:"status"`
	Code   string `json:"code,omitempty"`
	Error  string `json:"error,omitempty"`
	Data   any    `json:"data"`
}

// New checks o and prepares a link; it touches no network.
func New(o Options) (*Link, error) {
	s, err := o.settings()
	if err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.IDs == nil {
		o.IDs = NewIDs()
	}
	l := &Link{
		o:            o,
		s:            s,
		log:          o.Logger.With("component", "mqtt"),
		cmds:         make(chan Command, commandQueue),
		out:          newOutbox(o.OutboxSize),
		wake:         make(chan struct{}, 1),
		warns:        newWarnLimiter(10 * time.Second),
		ids:          o.IDs,
		avail:        o.BaseTopic + "/availability",
		outstanding:  map[uint64]struct{}{},
		reconnectMax: 30 * time.Second,
		store:        newResumeStore(),
		limits:       newLimiter(o.Rate, o.Burst),
	}
	if s.broker == nil {
		l.ledger = newOriginLedger()
	}
	return l, nil
}

// BaseTopic is the resolved base topic, e.g. "purr/kitchen-cat".
func (l *Link) BaseTopic() string { return l.o.BaseTopic }

// Commands delivers decoded, validated, rate-limited commands. Each must be
// answered with Respond. The link never blocks on it: when it is full, new
// commands are answered "busy".
func (l *Link) Commands() <-chan Command { return l.cmds }

// Status is "connected", "connecting" or "offline". "connected" means
// commands are heard: paho is connected and the link has subscribed on this
// connection. Until the broker's SUBACK, a broker that does not remember
// purrd's session (a fresh embedded broker, a restart without persistence)
// has no subscriber for a command and drops it unanswered, so that time is
// still "connecting"; the daemon sends READY=1 on "connected".
func (l *Link) Status() string {
	switch l.status.Load() {
	case statusConnected:
		if l.ready.Load() == l.connects.Load() {
			return StatusConnected
		}
		return StatusConnecting
	case statusConnecting:
		return StatusConnecting
	}
	return StatusOffline
}

// Stats returns the link's counters.
func (l *Link) Stats() Stats {
	r := l.connects.Load()
	if r > 0 {
		r--
	}
	return Stats{
		Outbox:     l.out.len(),
		OutboxCap:  l.o.OutboxSize,
		Inflight:   int(l.inflight.Load()),
		Dropped:    l.out.droppedCount(),
		Published:  l.published.Load(),
		Reconnects: r,
		Rejected:   l.rejected.Load(),
		Busy:       l.busy.Load(),
		Limited:    l.limited.Load(),
		Delivered:  l.delivered.Load(),
		StaleWills: l.staleWills.Load(),
	}
}

// Run connects (starting the embedded broker first when no external broker
// is configured) and keeps the link up until ctx is done; then it publishes
// availability "offline", disconnects cleanly and returns nil. It returns an
// error only when it cannot start (a listener cannot bind, Run called twice).
func (l *Link) Run(ctx context.Context) error {
	if !l.running.CompareAndSwap(false, true) {
		return errors.New("mqtt: Run: already running")
	}
	l.status.Store(statusConnecting)
	defer l.status.Store(statusOffline)

	brokerURL := l.s.broker
	user, pass := l.o.Username, l.o.Password
	var stopBy time.Time // when the link's stop must be over; set by pump
	if brokerURL == nil {
		b, err := startEmbedded(l)
		if err != nil {
			return err
		}
		l.mu.Lock()
		l.broker = b
		l.mu.Unlock()
		defer func() { b.close(stopBy) }()
		brokerURL = &url.URL{Scheme: "tcp", Host: b.internalAddr}
		user, pass = internalUser, b.internalPassword
	}

	opts := paho.NewClientOptions().
		AddBroker(brokerURL.String()).
		SetClientID(l.o.ClientID).
		SetCleanSession(false).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(min(time.Second, l.reconnectMax)).
		SetMaxReconnectInterval(l.reconnectMax).
		SetConnectTimeout(10*time.Second).
		SetKeepAlive(l.o.KeepAlive).
		SetPingTimeout(10*time.Second).
		SetWriteTimeout(10*time.Second).
		SetOrderMatters(true).
		SetStore(l.store).
		SetBinaryWill(l.avail, []byte(Offline), 1, true).
		SetDefaultPublishHandler(l.onMessage).
		SetOnConnectHandler(func(paho.Client) {
			l.connects.Add(1)
			l.status.Store(statusConnected)
			l.needSetup.Store(true)
			l.log.Info("mqtt connected", "broker", redact(brokerURL), "client_id", l.o.ClientID)
			l.poke()
		}).
		SetConnectionLostHandler(func(_ paho.Client, err error) {
			l.status.Store(statusConnecting)
			l.log.Warn("mqtt connection lost; reconnecting", "broker", redact(brokerURL), "err", err)
		}).
		SetReconnectingHandler(func(paho.Client, *paho.ClientOptions) {
			l.status.Store(statusConnecting)
		})
	if user != "" {
		opts.SetUsername(user).SetPassword(pass)
	}
	if l.s.tls != nil && l.s.broker != nil {
		opts.SetTLSConfig(l.s.tls)
	}
	if l.dial != nil {
		opts.SetCustomOpenConnectionFn(func(u *url.URL, _ paho.ClientOptions) (net.Conn, error) {
			c, err := l.dial(u)
			if err != nil {
				return nil, err
			}
			cc := &cuttableConn{Conn: c}
			l.connMu.Lock()
			l.conn = cc
			l.connMu.Unlock()
			return cc, nil
		})
	}
	client := paho.NewClient(opts)
	l.mu.Lock()
	l.client = client
	l.mu.Unlock()
	client.Connect() // with ConnectRetry this only starts the attempts
	l.log.Info("mqtt link starting", "broker", redact(brokerURL), "base", l.o.BaseTopic, "client_id", l.o.ClientID)

	stopBy = l.pump(ctx, client)
	client.Disconnect(uint(max(min(time.Until(stopBy), 250*time.Millisecond), 0) / time.Millisecond))
	return nil
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// poke wakes the pump without blocking.
func (l *Link) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Respond answers c exactly once on <base>/response/<verb>: status "ok" with
// data, or status "error" with err's message. Later calls for the same
// command are dropped with a warning.
func (l *Link) Respond(c Command, data any, err error) {
	l.mu.Lock()
	_, ok := l.outstanding[c.seq]
	delete(l.outstanding, c.seq)
	l.mu.Unlock()
	if !ok {
		l.warns.warn(l.log, "respond-twice", "mqtt: Respond: command already answered or not from this link; dropped", "id", c.ID, "verb", c.Verb)
		return
	}
	l.respond(c.Verb, c.ID, data, err, rankAnswer)
}

func (l *Link) respond(verb string, id ID, data any, err error, rk rank) {
	r := responseJSON{ID: id, Status: "ok", Data: data}
	if err != nil {
		r.Status, r.Code, r.Data = "error", errorCode(err), nil
		r.Error = err.Error()
		var ce *CommandError
		if errors.As(err, &ce) {
			r.Error = ce.Msg
		}
	}
	b, merr := json.Marshal(r)
	if merr != nil {
		l.encodeErrs.Add(1)
		l.log.Error("mqtt: cannot encode response data", "id", id, "verb", verb, "err", merr)
		r = responseJSON{ID: id, Status: "error", Code: "internal", Error: "internal error: the answer could not be encoded"}
		b, _ = json.Marshal(r)
	}
	if verb == "" {
		verb = "invalid"
	}
	l.enqueue(outMsg{topic: l.o.BaseTopic + "/response/" + verb, payload: b, rank: rk})
}

// Stamp is what every event/<class> payload carries: embed it in the
// event's struct. The field is on the struct, rather than added to the
// encoded JSON, so the payload is whatever encoding/json makes of it.
type Stamp struct {
	// ID is the event's correlation id (a reply or log line it caused
	// carries it too); PublishEvent makes one when it is empty. A care
	// alert's is its chat command's, with the type the phone gave it.
	ID ID `json:"id"`
	// TS is when purrd queued it for publishing; PublishEvent sets it.
	TS string `json:"ts"`
}

func (s *Stamp) stamp() *Stamp { return s }

// Event is an event payload: a pointer to a struct that embeds Stamp.
type Event interface{ stamp() *Stamp }

// PublishEvent publishes ev as JSON on <base>/event/<class>, after filling
// its Stamp (so ev's caller sees the id it was published with). "sensor"
// and "battery" events are telemetry: the first to go when the outbox is
// full.
func (l *Link) PublishEvent(class string, ev Event) {
	if !validToken(class, 32) {
		l.log.Error("mqtt: PublishEvent: bad event class; dropped", "class", class)
		return
	}
	st := ev.stamp()
	if st.ID.IsZero() {
		st.ID = TextID(l.ids.Next("ev"))
	}
	st.TS = time.Now().UTC().Format(tsLayout)
	b, err := json.Marshal(ev)
	if err != nil {
		l.encodeErrs.Add(1)
		l.log.Error("mqtt: PublishEvent: cannot encode event; dropped", "class", class, "err", err)
		return
	}
	r := rankEvent
	switch class {
	case "sensor", "battery":
		r = rankTelemetry
	case "care": // an owner in distress: the last to be dropped
		r = rankAnswer
	}
	l.enqueue(outMsg{topic: l.o.BaseTopic + "/event/" + class, payload: b, rank: r})
}

// PublishReply publishes one reply chunk on <base>/reply.
func (l *Link) PublishReply(r Reply) {
	if r.ID == "" {
		r.ID = l.ids.Next("re")
	}
	b, err := json.Marshal(replyJSON{
		ID: r.ID, CommandID: r.CommandID, Seq: r.Seq, Text: r.Text, Final: r.Final,
		Emotion: r.Emotion, Sound: r.Sound, Expression: r.Expression, Filler: r.Filler,
		TS: time.Now().UTC().Format(tsLayout),
	})
	if err != nil { // only strings and numbers: cannot happen, but never panic
		l.log.Error("mqtt: PublishReply: cannot encode; dropped", "id", r.ID, "err", err)
		return
	}
	l.enqueue(outMsg{topic: l.o.BaseTopic + "/reply", payload: b, rank: rankAnswer})
}

// SetState replaces the retained state. It is encoded now (so the caller
// may change its value afterwards) and published coalesced: at most four
// times a second, plus every mqtt.state_interval and on every reconnect.
func (l *Link) SetState(state any) {
	b, err := json.Marshal(state)
	if err != nil {
		l.encodeErrs.Add(1)
		l.log.Error("mqtt: SetState: cannot encode state; keeping the previous one", "err", err)
		return
	}
	l.mu.Lock()
	l.state, l.stateDirty = b, true
	l.mu.Unlock()
	l.poke()
}

func (l *Link) enqueue(m outMsg) {
	if victim, dropped := l.out.push(m); dropped {
		l.warns.warn(l.log, "outbox-full", "mqtt: outbox full; dropped the oldest lowest-priority message",
			"topic", victim.topic, "outbox_size", l.o.OutboxSize, "dropped_total", l.out.droppedCount())
	}
	l.poke()
}

const tsLayout = "2006-01-02T15:04:05.000Z07:00"

// onMessage runs on paho's router goroutine: it must never block.
func (l *Link) onMessage(_ paho.Client, m paho.Message) {
	topic := m.Topic()
	if l.o.HomeAssistant && topic == l.o.HAPrefix+"/status" {
		// A retained "online" comes with every subscribe; the announcement
		// made on connect already covers it.
		if !m.Retained() && strings.TrimSpace(string(m.Payload())) == Online {
			l.announceHA.Store(true)
			l.poke()
		}
		return
	}
	if topic == l.avail {
		// The retained value that comes with the subscribe predates the
		// "online" setup publishes right after it; only a live "offline"
		// while connected is a stale last will to answer.
		if !m.Retained() && strings.TrimSpace(string(m.Payload())) == Offline &&
			l.status.Load() == statusConnected && !l.stopping.Load() {
			n := l.staleWills.Add(1)
			l.warns.warn(l.log, "stale-will", "mqtt: the broker published purrd's last will while purrd is connected (an old session's); saying online again",
				"topic", topic, "stale_wills_total", n)
			l.reannounce.Store(true)
			l.poke()
		}
		return
	}
	if !strings.HasPrefix(topic, l.o.BaseTopic+"/") {
		return
	}
	client := ""
	if l.ledger != nil {
		client = l.ledger.take(topic, m.Payload())
	}
	l.handle(topic[len(l.o.BaseTopic)+1:], m.Payload(), m.Retained(), client)
}

// handle decodes and polices one command and hands it to the daemon.
func (l *Link) handle(suffix string, payload []byte, retained bool, client string) {
	now := time.Now()
	if l.s.broker != nil { // the embedded broker's authHook has limited it already
		key := limitKey(suffix)
		if l.overLimit("topic:"+key, "on "+key, suffix, payload, client) {
			return
		}
	}
	c, err := DecodeCommand(suffix, payload, retained, l.o.MaxPayload)
	if err == nil && c.Verb == VerbSim && !l.o.SimBoard {
		err = &CommandError{Topic: suffix, Verb: c.Verb, ID: c.ID, Kind: ErrSimDisabled,
			Msg: "sim inputs are accepted only when hardware.board is sim"}
	}
	if err != nil {
		if c.Verb == VerbChat && !retained && errors.Is(err, ErrTooLarge) {
			// The owner said far too much, but said it to the cat: answer
			// with the error and let the daemon have the cat react.
			if c.ID.IsZero() {
				c.ID = TextID(l.ids.Next("cmd"))
			}
			l.reject(c, suffix, client, err)
			c.Client, c.Received, c.Oversize = client, now, len(payload)
			select {
			case l.cmds <- c:
			default: // busy: the error response has gone out all the same
			}
			return
		}
		l.reject(c, suffix, client, err)
		return
	}
	if c.ID.IsZero() {
		c.ID = TextID(l.ids.Next("cmd"))
	}
	c.Client, c.Received, c.seq = client, now, l.seqs.Add(1)
	l.mu.Lock()
	if len(l.outstanding) >= 4*commandQueue*32 {
		// The daemon is not answering; forget rather than grow forever.
		l.log.Error("mqtt: too many unanswered commands; forgetting them", "count", len(l.outstanding))
		clear(l.outstanding)
	}
	l.outstanding[c.seq] = struct{}{}
	l.mu.Unlock()
	// Counted before the send, so that whoever receives the command (and
	// anyone its answer reaches) already sees it in Stats; a refused send
	// takes the count back.
	l.delivered.Add(1)
	select {
	case l.cmds <- c:
	default:
		l.delivered.Add(^uint64(0))
		l.mu.Lock()
		delete(l.outstanding, c.seq)
		l.mu.Unlock()
		l.busy.Add(1)
		l.reject(c, suffix, client, &CommandError{Topic: suffix, Verb: c.Verb, ID: c.ID, Kind: ErrBusy,
			Msg: fmt.Sprintf("busy: %d commands are already waiting; try again shortly", commandQueue)})
	}
}

// overLimit takes a token from key's bucket for one command. A command
// over the limit is answered rate_limited, like any refused command (each
// gets exactly one answer), and not delivered; per says whose limit it was
// for the answer ("per user"). The answers go out at the lowest rank, so a
// flood's answers are the first the outbox gives up.
func (l *Link) overLimit(key, per, suffix string, payload []byte, client string) bool {
	if l.limits.allow(key) {
		return false
	}
	l.limited.Add(1)
	c, _ := DecodeCommand(suffix, payload, false, l.o.MaxPayload)
	l.reject(c, suffix, client, &CommandError{Topic: suffix, Verb: c.Verb, ID: c.ID, Kind: ErrRateLimited,
		Msg: fmt.Sprintf("rate limited: at most %g commands a second (burst %d) %s; try again shortly", l.o.Rate, l.o.Burst, per)})
	return true
}

// limitKey is the external broker's rate-limit bucket for a topic: one per
// known verb, one for all sim inputs, and one shared by everything else, so
// a flood over made-up topics cannot mint itself fresh buckets.
func limitKey(suffix string) string {
	if v, ok := strings.CutPrefix(suffix, "cmd/"); ok {
		if _, known := verbFields[v]; known {
			return suffix
		}
	}
	if strings.HasPrefix(suffix, "sim/") {
		return "sim"
	}
	return "other"
}

// reject answers a refused command with an error response and a
// rate-limited warning.
func (l *Link) reject(c Command, suffix, client string, err error) {
	l.rejected.Add(1)
	id := c.ID
	if id.IsZero() {
		id = TextID(l.ids.Next("cmd"))
	}
	verb := c.Verb
	if verb == "" || !validToken(verb, 32) {
		verb = "invalid"
	}
	kind := errorCode(err)
	l.warns.warn(l.log, "reject-"+kind, "mqtt: refused command", "topic", suffix, "id", id, "client", client, "err", err)
	r := rankAnswer
	if errors.Is(err, ErrRateLimited) {
		r = rankRefusal
	}
	l.respond(verb, id, nil, err, r)
}

// brokerReject is how the embedded broker reports a retained command it
// stopped before delivery.
func (l *Link) brokerReject(suffix string, payload []byte, client string, err *CommandError) {
	c, _ := DecodeCommand(suffix, payload, false, l.o.MaxPayload)
	err.Verb, err.ID = c.Verb, c.ID
	l.reject(c, suffix, client, err)
}

// dropConnection cuts the raw network connection as a network failure
// would (tests: the broker must then publish the last will, and paho must
// reconnect).
func (l *Link) dropConnection() bool {
	l.connMu.Lock()
	defer l.connMu.Unlock()
	if l.conn == nil {
		return false
	}
	l.conn.cut.Store(true)
	l.conn.Close()
	return true
}

// cuttableConn reports reads after a cut as a network error: paho ignores
// "use of closed network connection", taking it for its own close.
type cuttableConn struct {
	net.Conn
	cut atomic.Bool
}

var errCut = errors.New("mqtt: connection cut")

func (c *cuttableConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && c.cut.Load() {
		err = errCut
	}
	return n, err
}
