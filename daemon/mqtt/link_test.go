package mqtt

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// TestRoundTrip sends every verb with an id and checks the daemon got the
// decoded fields and the phone exactly one response carrying the id.
func TestRoundTrip(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, func(o *Options) { o.SimBoard = true }, "")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go serve(ctx, e.link)
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/response/#")

			cases := []struct {
				topic, payload string
				check          func(t *testing.T, got echo)
			}{
				{"cmd/chat", `{"id":"c1","text":"hello kitty","lang":"en"}`, func(t *testing.T, g echo) {
					if g.Text != "hello kitty" || g.Lang != "en" {
						t.Errorf("chat decoded as %+v", g)
					}
				}},
				{"cmd/chat", `good morning`, func(t *testing.T, g echo) {
					if g.Text != "good morning" {
						t.Errorf("plain chat decoded as %+v", g)
					}
				}},
				{"cmd/pet", `{"id":"p1","zone":"head"}`, func(t *testing.T, g echo) {
					if g.Zone != "head" {
						t.Errorf("pet zone %q", g.Zone)
					}
				}},
				{"cmd/feed", `{"id":7}`, nil},
				{"cmd/play", ``, nil},
				{"cmd/sleep", `{}`, nil},
				{"cmd/wake", `{"id":"w1"}`, nil},
				{"cmd/get_state", `{"id":"g1"}`, nil},
				{"cmd/set", `{"id":"s1","name":"Mochi","volume":0.25,"persona":"grumpy"}`, func(t *testing.T, g echo) {
					if g.Name == nil || *g.Name != "Mochi" || g.Volume == nil || *g.Volume != 0.25 || g.Persona == nil || *g.Persona != "grumpy" {
						t.Errorf("set decoded as %+v", g)
					}
				}},
				{"cmd/ping", `{"id":"ping-1"}`, nil},
				{"sim/button", `{"id":"sb","arg":"long"}`, func(t *testing.T, g echo) {
					if g.SimInput != "button" || g.SimArg != "long" {
						t.Errorf("sim decoded as %+v", g)
					}
				}},
			}
			for i, c := range cases {
				id := fmt.Sprint(i)
				if strings.Contains(c.payload, `"id":`) {
					var x struct{ ID json.RawMessage }
					json.Unmarshal([]byte(c.payload), &x)
					id = strings.Trim(string(x.ID), `"`)
				}
				ph.pub(base+"/"+c.topic, false, c.payload)
				verb := strings.TrimPrefix(c.topic, "cmd/")
				if strings.HasPrefix(c.topic, "sim/") {
					verb = "sim"
				}
				var r response
				if strings.Contains(c.payload, `"id":`) {
					r = ph.waitResponse(verb, id)
				} else { // the link made the id up: take the newest response on the verb
					m := ph.waitFor("response/"+verb, func(m msg) bool {
						var x response
						return m.topic == base+"/response/"+verb && json.Unmarshal(m.payload, &x) == nil && strings.HasPrefix(x.ID.String(), "cmd-")
					})
					json.Unmarshal(m.payload, &r)
				}
				if r.Status != "ok" || r.Error != "" {
					t.Fatalf("%s %s: response %+v", c.topic, c.payload, r)
				}
				var g echo
				if err := json.Unmarshal(r.Data, &g); err != nil {
					t.Fatalf("%s: data %s: %v", c.topic, r.Data, err)
				}
				if g.ID != r.ID || g.Verb != verb {
					t.Errorf("%s: daemon saw id %q verb %q; response id %q", c.topic, g.ID, g.Verb, r.ID)
				}
				if kind == "embedded" && !strings.HasPrefix(g.Client, "observer-") {
					t.Errorf("%s: embedded broker should name the sender, got client %q", c.topic, g.Client)
				}
				if c.check != nil {
					c.check(t, g)
				}
			}
			// Exactly one response per command.
			for _, id := range []string{"c1", "p1", "7", "s1", "ping-1", "sb"} {
				n := ph.count(func(m msg) bool {
					var x response
					return json.Unmarshal(m.payload, &x) == nil && x.ID.String() == id
				})
				if n != 1 {
					t.Errorf("command %s got %d responses, want 1", id, n)
				}
			}
			// {"id":7} is answered "id":7, the JSON type the phone sent:
			// a typed client would not find its 7 in "7".
			if m := ph.waitFor("response to id 7", topicIs(base+"/response/feed")); !strings.HasPrefix(string(m.payload), `{"id":7,`) {
				t.Errorf("feed {\"id\":7} answered %s; want the id as the number 7", m.payload)
			}
			if s := e.link.Stats(); s.Delivered != uint64(len(cases)) || s.Rejected != 0 {
				t.Errorf("stats %+v: want %d delivered, 0 rejected", s, len(cases))
			}
		})
	}
}

// TestBadInput sends each kind of bad command and checks for an error
// response naming the problem, a warning in the log, nothing reaching the
// daemon, and the link still answering afterwards.
func TestBadInput(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, func(o *Options) { o.MaxPayload = 512 }, "")
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/response/#")

			cases := []struct {
				name, topic string
				payload     []byte
				respTopic   string
				id          string // "" when none can be recovered
				code, want  string
			}{
				{"malformed json", "cmd/chat", []byte(`{"id":"m1","text":`), "chat", "", "malformed", "not a valid JSON object"},
				{"wrong type", "cmd/chat", []byte(`{"id":"w1","text":42}`), "chat", "w1", "bad_field", `field "text": want a string, got a number`},
				{"wrong id type", "cmd/feed", []byte(`{"id":true}`), "feed", "", "bad_field", `field "id"`},
				{"missing field", "cmd/chat", []byte(`{"id":"mf1","lang":"en"}`), "chat", "mf1", "missing_field", `missing field "text"`},
				{"set with nothing", "cmd/set", []byte(`{"id":"s0"}`), "set", "s0", "missing_field", "at least one of"},
				{"volume out of range", "cmd/set", []byte(`{"id":"v2","volume":2}`), "set", "v2", "bad_field", "outside 0..1"},
				{"unknown field", "cmd/feed", []byte(`{"id":"u1","food":"tuna"}`), "feed", "u1", "bad_field", `unknown field "food"`},
				{"unknown verb", "cmd/dance", []byte(`{"id":"d1"}`), "dance", "d1", "unknown_verb", `unknown verb "dance"`},
				{"oversize", "cmd/pet", []byte(`{"id":"big","zone":"` + strings.Repeat("a", 600) + `"}`), "pet", "", "too_large", "the limit is 512"},
				{"invalid utf-8", "cmd/chat", []byte("{\"id\":\"u8\",\"text\":\"caf\xe9\"}"), "chat", "", "bad_encoding", "not valid UTF-8"},
				{"not an object", "cmd/feed", []byte(`[1,2]`), "feed", "", "malformed", "must be a JSON object"},
				{"sim when not simulated", "sim/button", []byte(`{"id":"sim1"}`), "sim", "sim1", "sim_disabled", "hardware.board is sim"},
				{"nested verb", "cmd/a/b", []byte(`{}`), "invalid", "", "bad_topic", "one level"},
			}
			if kind == "embedded" {
				// The embedded ACL already keeps phones off sim/# when the
				// board is real; that denial is tested in TestACL.
				cases = cases[:len(cases)-2]
			}
			for _, c := range cases {
				ph.pub(base+"/"+c.topic, false, c.payload)
				m := ph.waitFor(c.name, func(m msg) bool {
					var x response
					return m.topic == base+"/response/"+c.respTopic && json.Unmarshal(m.payload, &x) == nil &&
						x.Code == c.code && (c.id == "" || x.ID.String() == c.id)
				})
				var r response
				json.Unmarshal(m.payload, &r)
				if r.Status != "error" || !strings.Contains(r.Error, c.want) || r.ID.IsZero() || string(r.Data) != "null" {
					t.Errorf("%s: response %s; want status error, an id, error containing %q", c.name, m.payload, c.want)
				}
			}
			select {
			case c := <-e.link.Commands():
				t.Fatalf("bad input reached the daemon: %+v", c)
			default:
			}
			if !strings.Contains(e.logs.String(), "refused command") {
				t.Errorf("no warning logged for refused commands:\n%s", e.logs.String())
			}
			if s := e.link.Stats(); s.Rejected < uint64(len(cases)) {
				t.Errorf("stats %+v: want at least %d rejected", s, len(cases))
			}
			// Still alive.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go serve(ctx, e.link)
			ph.pub(base+"/cmd/ping", false, `{"id":"alive"}`)
			if r := ph.waitResponse("ping", "alive"); r.Status != "ok" {
				t.Fatalf("ping after bad input: %+v", r)
			}
		})
	}
}

// TestRetainedCommandIgnored: a retained command must never be acted on.
func TestRetainedCommandIgnored(t *testing.T) {
	t.Run("mosquitto", func(t *testing.T) {
		// MQTT 3.1.1 clears the retain flag on live deliveries, so the
		// dangerous case is the one replayed on (re)subscribe: it is left
		// on the broker before purrd connects.
		m := startMosquitto(t, "")
		ph := newObserver(t, m.url(), nil)
		ph.pub(base+"/cmd/feed", true, `{"id":"ghost"}`)
		ph.sub(base + "/response/#")
		logs := &syncBuffer{}
		o := testOptions(logs)
		o.Broker = m.url()
		l, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- l.Run(ctx) }()
		defer func() { cancel(); <-done }()
		r := ph.waitResponse("feed", "ghost")
		if r.Status != "error" || r.Code != "retained" || !strings.Contains(r.Error, "retained") {
			t.Fatalf("retained command answered %+v", r)
		}
		// A live command after it is delivered, proving the ghost was not.
		go serve(ctx, l)
		ph.pub(base+"/cmd/feed", false, `{"id":"real"}`)
		if r := ph.waitResponse("feed", "real"); r.Status != "ok" {
			t.Fatalf("live feed: %+v", r)
		}
		if s := l.Stats(); s.Delivered != 1 {
			t.Fatalf("delivered %d commands, want only the live one", s.Delivered)
		}
		if !strings.Contains(logs.String(), "retained command ignored") {
			t.Errorf("no warning for the retained command:\n%s", logs.String())
		}
	})
	t.Run("embedded", func(t *testing.T) {
		// The embedded broker refuses retained commands outright: answered,
		// not delivered, and not kept for later subscribers.
		e := newEnv(t, "embedded", nil, "")
		ph := newObserver(t, e.url, nil)
		ph.sub(base + "/response/#")
		ph.pub(base+"/cmd/feed", true, `{"id":"ghost"}`)
		r := ph.waitResponse("feed", "ghost")
		if r.Status != "error" || r.Code != "retained" {
			t.Fatalf("retained command answered %+v", r)
		}
		late := newObserver(t, e.url, nil)
		late.sub(base + "/cmd/#")
		late.sub(base + "/availability") // a retained message we know arrives, as a fence
		late.waitFor("availability", topicIs(base+"/availability"))
		if n := late.count(topicIs(base + "/cmd/feed")); n != 0 {
			t.Fatalf("embedded broker kept the retained command: %s", late.dump())
		}
		select {
		case c := <-e.link.Commands():
			t.Fatalf("retained command delivered: %+v", c)
		default:
		}
	})
}

// TestFlood: a flood gets the burst through and every other command
// answered rate_limited, each exactly once; the bucket refills at the rate.
// The limiter's clock stands still, so the counts are exact.
func TestFlood(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, func(o *Options) { o.Rate, o.Burst = 1, 5 }, "")
			e.clock.stop(mustTime(t))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go serve(ctx, e.link)
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/response/#")
			const flood = 20
			for i := range flood {
				ph.pub(base+"/cmd/feed", false, fmt.Sprintf(`{"id":"f%d"}`, i))
			}
			isFeed := func(m msg) bool { return m.topic == base+"/response/feed" }
			ph.waitCount("an answer to every flooded command", flood, isFeed)
			// Every answer to the flood has been queued before this one.
			e.clock.advance(time.Second)
			ph.pub(base+"/cmd/feed", false, `{"id":"fence"}`)
			if r := ph.waitResponse("feed", "fence"); r.Status != "ok" {
				t.Fatalf("a second after the flood (rate 1/s): %+v; want ok", r)
			}
			per := map[string][]response{}
			for _, m := range ph.all(isFeed) {
				var r response
				if err := json.Unmarshal(m.payload, &r); err != nil {
					t.Fatalf("response %s: %v", m.payload, err)
				}
				per[r.ID.String()] = append(per[r.ID.String()], r)
			}
			for i := range flood {
				id := fmt.Sprintf("f%d", i)
				rs := per[id]
				if len(rs) != 1 {
					t.Errorf("%s got %d answers; every command gets exactly one", id, len(rs))
					continue
				}
				switch r := rs[0]; {
				case i < 5 && r.Status != "ok":
					t.Errorf("%s, within the burst of 5: %+v", id, r)
				case i >= 5 && (r.Code != "rate_limited" || !strings.Contains(r.Error, "at most 1 commands a second (burst 5)")):
					t.Errorf("%s, past the burst of 5: %+v; want rate_limited naming the limit", id, r)
				}
			}
			if s := e.link.Stats(); s.Limited != flood-5 || s.Delivered != 6 {
				t.Errorf("stats %+v: want %d limited, 6 delivered", s, flood-5)
			}
			if !strings.Contains(e.logs.String(), "rate limited") {
				t.Errorf("no warning about the flood:\n%s", e.logs.String())
			}
			// The fence took the one token of that second: the next is limited.
			ph.pub(base+"/cmd/feed", false, `{"id":"after"}`)
			if r := ph.waitResponse("feed", "after"); r.Code != "rate_limited" {
				t.Errorf("a second command in that second: %+v; want rate_limited", r)
			}
			// On an external broker purrd cannot see the sender, so the
			// limit is per command topic: the feed flood leaves ping alone.
			// On the embedded broker it is this client's limit, whatever
			// the topic.
			ph.pub(base+"/cmd/ping", false, `{"id":"other-topic"}`)
			r := ph.waitResponse("ping", "other-topic")
			if want := map[string]string{"mosquitto": "ok", "embedded": "error"}[kind]; r.Status != want {
				t.Errorf("ping after the feed flood: %+v; want %s", r, want)
			}
		})
	}
}

// TestRateLimitPerUser: on the embedded broker a logged-in user has one
// bucket whatever client id it connects with, so reconnecting under a new
// id does not escape the limit; other users and anonymous loopback clients
// (one bucket per client id) have their own.
func TestRateLimitPerUser(t *testing.T) {
	e := newEnv(t, "embedded", func(o *Options) {
		o.Rate, o.Burst = 1, 3
		o.Users = []User{{Name: "alice", Password: "alice-pw", Role: RolePhone}, {Name: "bob", Password: "bob-pw", Role: RolePhone}}
	}, "")
	e.clock.stop(mustTime(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go serve(ctx, e.link)
	client := func(user, id string) *observer {
		o := newObserver(t, e.url, func(o *paho.ClientOptions) {
			o.SetClientID(id)
			if user != "" {
				o.SetUsername(user).SetPassword(user + "-pw")
			}
		})
		o.sub(base + "/response/#")
		return o
	}
	pings := func(o *observer, tag string, n int) (ok int, limited []response) {
		t.Helper()
		for i := range n {
			id := fmt.Sprintf("%s-%d", tag, i)
			o.pub(base+"/cmd/ping", false, fmt.Sprintf(`{"id":%q}`, id))
			switch r := o.waitResponse("ping", id); {
			case r.Status == "ok":
				ok++
			case r.Code == "rate_limited":
				limited = append(limited, r)
			default:
				t.Fatalf("%s: %+v", id, r)
			}
		}
		return ok, limited
	}

	if ok, lim := pings(client("alice", "alice-phone"), "a", 4); ok != 3 || len(lim) != 1 || !strings.Contains(lim[0].Error, "per user") {
		t.Fatalf("alice: %d ok, limited %+v; want 3 ok and one rate_limited naming the per-user limit", ok, lim)
	}
	if ok, _ := pings(client("alice", "alice-laptop"), "a2", 1); ok != 0 {
		t.Error("alice escaped her limit by connecting under another client id")
	}
	if ok, _ := pings(client("bob", "bob-phone"), "b", 3); ok != 3 {
		t.Errorf("bob got %d of 3 after alice's flood; he has his own bucket", ok)
	}
	if ok, lim := pings(client("", "anon-1"), "n1", 4); ok != 3 || len(lim) != 1 || !strings.Contains(lim[0].Error, "per client") {
		t.Errorf("anonymous anon-1: %d ok, limited %+v; want 3 ok and one rate_limited naming the per-client limit", ok, lim)
	}
	if ok, _ := pings(client("", "anon-2"), "n2", 3); ok != 3 {
		t.Errorf("anonymous anon-2 got %d of 3; an anonymous client's bucket is its client id's", ok)
	}
}

// TestBusy: when the daemon stops reading, the link answers "busy" instead
// of stalling paho, and recovers once the daemon reads again.
func TestBusy(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, func(o *Options) { o.Rate = 10000; o.Burst = 10000 }, "")
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/response/#")
			n := commandQueue + 10
			for i := range n {
				ph.pub(base+"/cmd/feed", false, fmt.Sprintf(`{"id":"b%d"}`, i))
			}
			ph.waitCount("busy answers", 10, func(m msg) bool {
				var x response
				return json.Unmarshal(m.payload, &x) == nil && x.Code == "busy"
			})
			if s := e.link.Stats(); s.Busy != 10 || s.Delivered != uint64(commandQueue) {
				t.Fatalf("stats %+v: want 10 busy, %d delivered", s, commandQueue)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go serve(ctx, e.link)
			for i := range commandQueue {
				if r := ph.waitResponse("feed", fmt.Sprintf("b%d", i)); r.Status != "ok" {
					t.Fatalf("queued command b%d: %+v", i, r)
				}
			}
			ph.pub(base+"/cmd/ping", false, `{"id":"p"}`)
			ph.waitResponse("ping", "p")
		})
	}
}

// TestConnectedMeansSubscribed: Status reports "connected" only once purrd
// has subscribed, so a command sent as soon as the link (or the daemon's
// READY) says connected is heard. purrd's SUBSCRIBE is held on the wire to
// open the gap between CONNACK and SUBACK that a loaded machine opens by
// chance: on a fresh broker a command published in it has no subscriber
// and is lost unanswered (TestBusy once saw 9 of its 10 busy answers).
func TestConnectedMeansSubscribed(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			logs := &syncBuffer{}
			o := testOptions(logs)
			var mosq *mosquitto
			if kind == "mosquitto" {
				mosq = startMosquitto(t, "")
				o.Broker = mosq.url()
			}
			l, err := New(o)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			held, release := make(chan struct{}), make(chan struct{})
			var releaseOnce, holdOnce sync.Once
			releaseAll := func() { releaseOnce.Do(func() { close(release) }) }
			l.dial = func(u *url.URL) (net.Conn, error) {
				c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
				if err != nil {
					return nil, err
				}
				return &subscribeHolder{Conn: c, held: held, release: release, once: &holdOnce}, nil
			}
			e := &env{kind: kind, link: l, mosq: mosq, logs: logs, done: make(chan error, 1)}
			ctx, cancel := context.WithCancel(context.Background())
			e.cancel = cancel
			go func() { e.done <- l.Run(ctx) }()
			t.Cleanup(e.stop)
			t.Cleanup(releaseAll) // runs first: Run's shutdown must not wait on a held write

			select {
			case <-held:
			case err := <-e.done:
				t.Fatalf("Run returned before subscribing: %v\n%s", err, logs.String())
			case <-time.After(waitLong):
				t.Fatalf("purrd sent no SUBSCRIBE within %v\n%s", waitLong, logs.String())
			}
			// paho has its CONNACK (the pump subscribes only then), the
			// broker has no subscription yet: not connected.
			if l.status.Load() != statusConnected || l.connects.Load() == 0 {
				t.Fatalf("SUBSCRIBE written before paho reported the connection up\n%s", logs.String())
			}
			if st := l.Status(); st != StatusConnecting {
				t.Fatalf("Status %q while purrd's SUBSCRIBE is unanswered; want %q", st, StatusConnecting)
			}
			releaseAll()
			e.waitConnected(t)
			if kind == "embedded" {
				if n := len(l.broker.srv.Topics.Subscribers(base + "/cmd/ping").Subscriptions); n != 1 {
					t.Fatalf("Status connected with %d subscribers on %s/cmd/ping; want purrd's", n, base)
				}
				e.url = "tcp://" + l.broker.listenAddr
			} else {
				e.url = mosq.url()
			}
			ctx2, cancel2 := context.WithCancel(context.Background())
			defer cancel2()
			go serve(ctx2, l)
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/response/#")
			ph.pub(base+"/cmd/ping", false, `{"id":"first"}`)
			if r := ph.waitResponse("ping", "first"); r.Status != "ok" {
				t.Fatalf("first command after connected: %+v", r)
			}
		})
	}
}

// subscribeHolder holds the first MQTT SUBSCRIBE written (on any of the
// connections sharing once) until release is closed, announcing it by
// closing held.
type subscribeHolder struct {
	net.Conn
	held, release chan struct{}
	once          *sync.Once
}

func (c *subscribeHolder) Write(p []byte) (int, error) {
	if len(p) > 0 && p[0] == 0x82 { // SUBSCRIBE: packet type 8, flags 0b0010
		c.once.Do(func() {
			close(c.held)
			<-c.release
		})
	}
	return c.Conn.Write(p)
}

// TestLastWill: when purrd's connection dies without a DISCONNECT, the
// broker publishes availability "offline"; the link then reconnects and
// says "online" again.
func TestLastWill(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, nil, "")
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("logs:\n%s", e.logs.String())
				}
			})
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/availability")
			ph.waitFor("retained online", func(m msg) bool { return string(m.payload) == Online })
			// purrd stays away until the broker has acted on the dead
			// connection: back at once, its new session may take the old
			// one over before the broker reads the end of it, and mochi
			// then drops the will (TestStaleWillAnswered covers a will
			// that comes after the return).
			gate := make(chan struct{})
			e.dialGate.Store(&gate)
			if !e.link.dropConnection() {
				t.Fatal("no raw connection to drop")
			}
			ph.waitFor("last will offline", func(m msg) bool { return !m.retained && string(m.payload) == Offline })
			close(gate)
			ph.waitCount("online again after reconnect", 2, func(m msg) bool { return string(m.payload) == Online })
			e.waitConnected(t)
			if s := e.link.Stats(); s.Reconnects < 1 {
				t.Errorf("stats %+v: want a reconnect", s)
			}
			// A late subscriber ends on "online". The broker may publish
			// the old session's will after the new one said online (mochi
			// does, from the old session's goroutine); purrd answers it, so
			// "offline" may show briefly but never last.
			late := newObserver(t, e.url, nil)
			late.sub(base + "/availability")
			late.waitLatest(base+"/availability", Online)
			// A clean stop publishes offline itself (no will on DISCONNECT).
			e.stop()
			late.waitFor("offline on clean stop", func(m msg) bool { return !m.retained && string(m.payload) == Offline })
		})
	}
}

// TestStaleWillAnswered: an "offline" on purrd's availability while purrd
// is connected (the last will of a session the broker is only now
// closing) is answered with "online", so the retained value does not
// report a living cat as gone.
func TestStaleWillAnswered(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, nil, "")
			ph := newObserver(t, e.url, nil)
			ph.sub(base + "/availability")
			ph.waitLatest(base+"/availability", Online)
			// A real last will, from another session that dies without a
			// DISCONNECT: what an old purrd connection leaves behind.
			oldURL, user, pass := e.url, "", ""
			if kind == "embedded" {
				oldURL, user, pass = "tcp://"+e.link.broker.internalAddr, internalUser, e.link.broker.internalPassword
			}
			var raw net.Conn
			newObserver(t, oldURL, func(o *paho.ClientOptions) {
				o.SetUsername(user).SetPassword(pass).
					SetBinaryWill(base+"/availability", []byte(Offline), 1, true).
					SetCustomOpenConnectionFn(func(u *url.URL, _ paho.ClientOptions) (net.Conn, error) {
						c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
						raw = c
						return c, err
					})
			})
			raw.Close()
			ph.waitFor("the stale offline", func(m msg) bool { return string(m.payload) == Offline })
			// What must hold is the retained value: "online" again. A
			// subscriber's live view may end on "offline" even so: the
			// broker delivers the will from the dead session's goroutine,
			// and that delivery may reach it after purrd's answer.
			probe := newObserver(t, e.url, nil)
			var last msg
			for deadline := time.Now().Add(waitLong); ; {
				// Each SUBSCRIBE has the broker send the retained value anew.
				since := probe.mark()
				probe.sub(base + "/availability")
				last = probe.waitFor("the retained availability", func(m msg) bool { return m.seq >= since && m.retained })
				if string(last.payload) == Online {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("a late subscriber still sees %q retained after %v; the phone saw:%s", last.payload, waitLong, ph.dump())
				}
				if tok := probe.c.Unsubscribe(base + "/availability"); !tok.WaitTimeout(waitLong) || tok.Error() != nil {
					t.Fatalf("unsubscribe: %v", tok.Error())
				}
				time.Sleep(50 * time.Millisecond)
			}
			if s := e.link.Stats(); s.StaleWills != 1 || s.Reconnects != 0 {
				t.Errorf("stats %+v: want one stale will answered, no reconnect", s)
			}
			if !strings.Contains(e.logs.String(), "last will while purrd is connected") {
				t.Errorf("no log line for the stale will:\n%s", e.logs.String())
			}
		})
	}
}

// TestRetainedState: the latest state is retained for late subscribers and
// bursts of changes are coalesced.
func TestRetainedState(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, nil, "")
			live := newObserver(t, e.url, nil)
			live.sub(base + "/state")
			for i := range 200 {
				e.link.SetState(map[string]any{"mood": "content", "n": i, "asleep": false})
			}
			live.waitFor("final state", func(m msg) bool { return strings.Contains(string(m.payload), `"n":199`) })
			if n := live.count(topicIs(base + "/state")); n > 10 {
				t.Errorf("200 rapid SetState calls published %d states; want them coalesced", n)
			}
			m := retainedOn(t, e.url, base+"/state", nil)
			var st struct {
				Mood string
				N    int
			}
			if err := json.Unmarshal(m.payload, &st); err != nil || !m.retained || st.N != 199 || st.Mood != "content" {
				t.Fatalf("late subscriber got %s retained=%v (%v)", m.payload, m.retained, err)
			}
		})
	}
}

// TestEventsAndReplies: events get an id and timestamp, replies keep their
// correlation fields.
func TestEventsAndReplies(t *testing.T) {
	e := newEnv(t, "embedded", nil, "")
	ph := newObserver(t, e.url, nil)
	ph.sub(base+"/event/#", base+"/reply")
	e.link.PublishEvent("button", &testEvent{Input: "head", Kind: "press"})
	touch := &testEvent{Stamp: Stamp{ID: TextID("t-1")}, Zone: "back"}
	e.link.PublishEvent("touch", touch)
	e.link.PublishEvent("Bad Class", &testEvent{Kind: "x"})
	e.link.PublishReply(Reply{ID: "r1", CommandID: TextID("c9"), Seq: 0, Text: "Mrrp!", Emotion: "happy", Sound: "purr"})
	e.link.PublishReply(Reply{ID: "r1", CommandID: TextID("c9"), Seq: 1, Text: "Hello.", Final: true})

	m := ph.waitFor("button event", topicIs(base+"/event/button"))
	var ev map[string]any
	if err := json.Unmarshal(m.payload, &ev); err != nil {
		t.Fatalf("event %s: %v", m.payload, err)
	}
	if id, _ := ev["id"].(string); !strings.HasPrefix(id, "ev-") || ev["input"] != "head" {
		t.Errorf("button event %s: want a made-up id and the fields", m.payload)
	}
	if ts, _ := ev["ts"].(string); ts == "" {
		t.Errorf("button event has no ts: %s", m.payload)
	} else if _, err := time.Parse(time.RFC3339, ts); err != nil {
		t.Errorf("ts %q: %v", ts, err)
	}
	m = ph.waitFor("touch event", topicIs(base+"/event/touch"))
	if !strings.Contains(string(m.payload), `"id":"t-1"`) || strings.Count(string(m.payload), `"id"`) != 1 {
		t.Errorf("touch event %s: its own id must be kept, not doubled", m.payload)
	}
	if touch.TS == "" || !strings.Contains(string(m.payload), `"ts":"`+touch.TS+`"`) {
		t.Errorf("touch event %s: the caller's Stamp must say what was published (ts %q)", m.payload, touch.TS)
	}
	ph.waitCount("two reply chunks", 2, topicIs(base+"/reply"))
	for i, m := range ph.all(topicIs(base + "/reply")) {
		var r struct {
			ID, CommandID, Text, Emotion string
			Seq                          int
			Final                        bool
		}
		json.Unmarshal(m.payload, &r)
		if r.ID != "r1" || r.Seq != i || r.Final != (i == 1) {
			t.Errorf("reply chunk %d: %s", i, m.payload)
		}
		if !strings.Contains(string(m.payload), `"command_id":"c9"`) {
			t.Errorf("reply chunk %d lacks command_id: %s", i, m.payload)
		}
	}
	if ph.count(func(m msg) bool { return strings.Contains(m.topic, "Bad") }) != 0 {
		t.Error("an event with an invalid class was published")
	}
}
