package mqtt

import (
	"context"
	"encoding/json"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// nonLoopbackIP finds an address of this machine that is not loopback, so
// a client can reach a 0.0.0.0 listener from "the LAN".
func nonLoopbackIP() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() {
			return ipn.IP.String()
		}
	}
	return ""
}

func withUser(name, pass string) func(*paho.ClientOptions) {
	return func(o *paho.ClientOptions) { o.SetUsername(name).SetPassword(pass) }
}

func TestACL(t *testing.T) {
	e := newEnv(t, "embedded", func(o *Options) {
		o.Listen = "0.0.0.0:0"
		o.Websocket = "127.0.0.1:0"
		o.Users = []User{
			{Name: "alice", Password: "alice-pw", Role: RolePhone},
			{Name: "bob", Password: "bob-pw", Role: RoleAdmin},
		}
	}, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go serve(ctx, e.link)
	e.link.SetState(map[string]any{"mood": "content"})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(e.url, "tcp://"))
	loop := "tcp://127.0.0.1:" + port

	admin := newObserver(t, loop, withUser("bob", "bob-pw"))
	admin.sub(base + "/#")
	admin.waitFor("retained state", topicIs(base+"/state"))

	refused := func(name, broker string, mod func(*paho.ClientOptions)) {
		t.Helper()
		if o, err := dialObserver(broker, mod); err == nil {
			o.c.Disconnect(0)
			t.Errorf("%s: connection accepted; want refused", name)
		}
	}
	t.Run("authentication", func(t *testing.T) {
		refused("wrong password", loop, withUser("alice", "nope"))
		refused("unknown user", loop, withUser("mallory", "x"))
		refused("purrd's internal username", loop, withUser(internalUser, "guess"))
		refused("purrd's client id", loop, func(o *paho.ClientOptions) { o.SetClientID("purrd-" + robot) })
		refused("will on availability", loop, func(o *paho.ClientOptions) { o.SetWill(base+"/availability", "online", 1, true) })
		refused("anonymous websocket", "ws://"+e.link.broker.wsAddr, nil)
		if ip := nonLoopbackIP(); ip != "" {
			refused("anonymous from the LAN", "tcp://"+net.JoinHostPort(ip, port), nil)
			lan := newObserver(t, "tcp://"+net.JoinHostPort(ip, port), withUser("alice", "alice-pw"))
			lan.sub(base + "/response/#")
			lan.pub(base+"/cmd/ping", false, `{"id":"lan"}`)
			lan.waitResponse("ping", "lan")
		} else {
			t.Log("no non-loopback IPv4 address on this machine: LAN cases not run")
		}
		// A phone's own will on its own... nothing: wills go through the ACL.
		ok := newObserver(t, loop, withUser("alice", "alice-pw"))
		ok.sub(base + "/response/#")
		ok.pub(base+"/cmd/ping", false, `{"id":"alice"}`)
		ok.waitResponse("ping", "alice")
		if e.link.Status() != StatusConnected || e.link.Stats().Reconnects != 0 {
			t.Errorf("purrd's own connection was disturbed: %s %+v", e.link.Status(), e.link.Stats())
		}
	})

	t.Run("phone cannot fake the robot", func(t *testing.T) {
		for _, topic := range []string{"state", "availability", "event/button", "reply", "response/feed", "sim/button"} {
			for _, who := range []struct {
				name string
				mod  func(*paho.ClientOptions)
			}{{"anonymous", nil}, {"alice", withUser("alice", "alice-pw")}} {
				ph := newObserver(t, loop, who.mod)
				// QoS 0: silently dropped.
				ph.c.Publish(base+"/"+topic, 0, true, "FAKE-"+who.name).WaitTimeout(waitLong)
				// QoS 1: MQTT 3.1.1 has no negative PUBACK, so the broker
				// disconnects the client.
				ph.c.Publish(base+"/"+topic, 1, true, "FAKE-"+who.name)
				select {
				case <-ph.lost:
				case <-time.After(waitLong):
					t.Errorf("%s publishing QoS 1 on %s was not disconnected", who.name, topic)
				}
			}
		}
		// Fence: a real command's response arrives after any fake would have.
		ph := newObserver(t, loop, nil)
		ph.sub(base + "/response/#")
		ph.pub(base+"/cmd/ping", false, `{"id":"fence"}`)
		ph.waitResponse("ping", "fence")
		admin.waitFor("fence response", func(m msg) bool { return strings.Contains(string(m.payload), `"fence"`) })
		if fakes := admin.all(func(m msg) bool { return strings.HasPrefix(string(m.payload), "FAKE") }); len(fakes) > 0 {
			t.Fatalf("faked messages got through: %+v", fakes)
		}
		if m := retainedOn(t, loop, base+"/state", nil); !strings.Contains(string(m.payload), "content") {
			t.Fatalf("retained state replaced: %s", m.payload)
		}
		if !strings.Contains(e.logs.String(), "denied access") {
			t.Errorf("denials not logged:\n%s", e.logs.String())
		}
	})

	t.Run("subscriptions", func(t *testing.T) {
		for filter, want := range map[string]byte{
			base + "/#":       1,
			"homeassistant/#": 1,
			"#":               0x80,
			"$SYS/#":          0x80,
			"purr/+/state":    0x80,
			"purr/othercat/#": 0x80,
		} {
			// A fresh client each time, so each filter's answer stands
			// alone (TestPhoneFiveSubscribes sends them back to back).
			ph := newObserver(t, loop, withUser("alice", "alice-pw"))
			tok := ph.c.Subscribe(filter, 1, nil)
			if !tok.WaitTimeout(waitLong) || tok.Error() != nil {
				t.Fatalf("subscribe %s: %v", filter, tok.Error())
			}
			if got := tok.(*paho.SubscribeToken).Result()[filter]; got != want {
				t.Errorf("subscribe %s: SUBACK code %#x, want %#x", filter, got, want)
			}
		}
	})

	t.Run("admin may publish anything", func(t *testing.T) {
		admin.pub(base+"/event/test", false, `{"by":"admin"}`)
		admin.waitFor("admin's event", func(m msg) bool { return strings.Contains(string(m.payload), `"by":"admin"`) })
	})

	t.Run("websocket with login", func(t *testing.T) {
		ws := newObserver(t, "ws://"+e.link.broker.wsAddr, withUser("alice", "alice-pw"))
		ws.sub(base + "/response/#")
		ws.pub(base+"/cmd/ping", false, `{"id":"ws"}`)
		if r := ws.waitResponse("ping", "ws"); r.Status != "ok" {
			t.Fatalf("ping over websocket: %+v", r)
		}
	})
}

func TestDiscovery(t *testing.T) {
	for _, kind := range brokers() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, func(o *Options) {
				o.HomeAssistant = true
				o.Users = []User{{Name: "ha", Password: "ha-pw", Role: RoleAdmin}}
			}, "")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cmds := make(chan Command, 8)
			go func() {
				for {
					select {
					case <-ctx.Done():
						return
					case c := <-e.link.Commands():
						cmds <- c
						e.link.Respond(c, nil, nil)
					}
				}
			}()
			ha := newObserver(t, e.url, withUser("ha", "ha-pw"))
			ha.sub("homeassistant/#")
			isConfig := func(m msg) bool { return strings.HasSuffix(m.topic, "/config") }
			// All ten delivered means all ten retained: a broker stores a
			// retained publish before it delivers it.
			ha.waitTopics("10 discovery configs", 10, isConfig)
			// Announced: a later subscriber gets all of them retained. It
			// may get one live as well: a broker may store a publish, then
			// scan it out to a new subscriber, then deliver it live to
			// every subscriber (mochi does, under load).
			late := newObserver(t, e.url, withUser("ha", "ha-pw"))
			late.sub("homeassistant/#")
			retainedConfig := func(m msg) bool { return isConfig(m) && m.retained }
			late.waitTopics("10 retained discovery configs", 10, retainedConfig)

			seen := map[string]bool{}
			for _, m := range late.all(retainedConfig) {
				parts := strings.Split(m.topic, "/")
				if len(parts) != 5 || parts[0] != "homeassistant" || parts[2] != "purrd_"+robot {
					t.Errorf("discovery topic %s is not homeassistant/<component>/purrd_%s/<object>/config", m.topic, robot)
					continue
				}
				component, object := parts[1], parts[3]
				seen[component+"/"+object] = true
				var c map[string]any
				if err := json.Unmarshal(m.payload, &c); err != nil {
					t.Fatalf("%s: %v", m.topic, err)
				}
				for _, k := range []string{"name", "unique_id", "default_entity_id", "availability_topic", "payload_available", "payload_not_available", "device", "origin"} {
					if _, ok := c[k]; !ok {
						t.Errorf("%s lacks %q: %s", m.topic, k, m.payload)
					}
				}
				if c["availability_topic"] != base+"/availability" || c["payload_available"] != Online || c["payload_not_available"] != Offline {
					t.Errorf("%s availability not tied to the last will: %s", m.topic, m.payload)
				}
				if c["unique_id"] != "purrd_"+robot+"_"+object || c["default_entity_id"] != component+"."+robot+"_"+object {
					t.Errorf("%s ids: %v %v", m.topic, c["unique_id"], c["default_entity_id"])
				}
				dev, _ := c["device"].(map[string]any)
				if ids, _ := dev["identifiers"].([]any); len(ids) == 0 || dev["name"] == nil || dev["sw_version"] != "test" {
					t.Errorf("%s device block %v", m.topic, dev)
				}
				if o, _ := c["origin"].(map[string]any); o["name"] != "purrd" {
					t.Errorf("%s origin %v", m.topic, o)
				}
				switch component {
				case "sensor", "binary_sensor":
					tmpl, _ := c["value_template"].(string)
					if c["state_topic"] != base+"/state" || !strings.Contains(tmpl, "value_json.") {
						t.Errorf("%s state: %v %v", m.topic, c["state_topic"], tmpl)
					}
				case "button":
					if c["command_topic"] != base+"/cmd/"+object || c["payload_press"] != "{}" {
						t.Errorf("%s command: %v %v", m.topic, c["command_topic"], c["payload_press"])
					}
				case "event":
					tmpl, _ := c["value_template"].(string)
					if c["state_topic"] != base+"/event/"+object || !strings.Contains(tmpl, "'event_type': value_json.kind") || c["event_types"] == nil {
						t.Errorf("%s event: %v %v", m.topic, c["state_topic"], tmpl)
					}
				}
			}
			for _, want := range []string{"sensor/mood", "sensor/battery", "sensor/temperature", "sensor/humidity", "sensor/owner_rating", "binary_sensor/asleep", "button/feed", "button/pet", "button/play", "event/care"} {
				if !seen[want] {
					t.Errorf("no discovery config for %s", want)
				}
			}
			// Pressing the HA button is a valid command.
			var press map[string]any
			for _, m := range ha.all(func(m msg) bool { return strings.HasSuffix(m.topic, "button/purrd_"+robot+"/feed/config") }) {
				json.Unmarshal(m.payload, &press)
			}
			ha.pub(press["command_topic"].(string), false, press["payload_press"].(string))
			select {
			case c := <-cmds:
				if c.Verb != VerbFeed {
					t.Fatalf("HA feed button delivered %+v", c)
				}
			case <-time.After(waitLong):
				t.Fatal("HA feed button press not delivered")
			}
			// HA coming online again gets everything re-announced.
			since := ha.mark()
			ha.pub("homeassistant/status", false, "online")
			ha.waitTopics("re-announced configs", 10, func(m msg) bool { return m.seq >= since && isConfig(m) })
		})
	}
}

// TestNewRefuses checks configuration errors are caught before any network.
func TestNewRefuses(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"bad robot id", func(o *Options) { o.RobotID = "Kitchen Cat" }, "RobotID"},
		{"wildcard base", func(o *Options) { o.BaseTopic = "purr/#" }, "BaseTopic"},
		{"trailing slash", func(o *Options) { o.BaseTopic = "purr/cat/" }, "BaseTopic"},
		{"no base", func(o *Options) { o.BaseTopic = "" }, "BaseTopic"},
		{"wildcard HA prefix", func(o *Options) { o.HAPrefix = "home+" }, "HAPrefix"},
		{"no client id", func(o *Options) { o.ClientID = "" }, "ClientID"},
		{"no listener", func(o *Options) { o.Listen = "" }, "Listen"},
		{"bad role", func(o *Options) { o.Users = []User{{Name: "a", Password: "x", Role: "root"}} }, `role "root"`},
		{"no role", func(o *Options) { o.Users = []User{{Name: "a", Password: "x"}} }, `role ""`},
		{"no password", func(o *Options) { o.Users = []User{{Name: "a", Role: RolePhone}} }, "no password"},
		{"reserved user", func(o *Options) {
			o.Users = []User{{Name: internalUser, Password: "x", Role: RoleAdmin}}
		}, "reserved"},
		{"user twice", func(o *Options) {
			o.Users = []User{{Name: "a", Password: "x", Role: RoleAdmin}, {Name: "a", Password: "y", Role: RolePhone}}
		}, "twice"},
		{"tls on tcp", func(o *Options) {
			o.Broker = "tcp://127.0.0.1:1883"
			o.TLS.CAFile = "/etc/ssl/certs/ca-certificates.crt"
		}, "not a TLS URL"},
		{"missing ca file", func(o *Options) {
			o.Broker = "ssl://127.0.0.1:8883"
			o.TLS.CAFile = "/nonexistent/ca.pem"
		}, "CAFile"},
		{"bad scheme", func(o *Options) { o.Broker = "http://x:1" }, "scheme"},
		{"password without user", func(o *Options) { o.Broker = "tcp://x:1"; o.Password = "pw" }, "Username"},
		{"negative outbox", func(o *Options) { o.OutboxSize = -1 }, "OutboxSize"},
		{"no keep-alive", func(o *Options) { o.KeepAlive = 0 }, "KeepAlive"},
		{"no payload limit", func(o *Options) { o.MaxPayload = 0 }, "MaxPayload"},
		{"no rate", func(o *Options) { o.Rate = 0 }, "Rate"},
		{"NaN rate", func(o *Options) { o.Rate = math.NaN() }, "Rate"},
		{"no burst", func(o *Options) { o.Burst = 0 }, "Burst"},
		{"no state interval", func(o *Options) { o.StateEvery = 0 }, "StateEvery"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := testOptions(&syncBuffer{})
			c.mod(&o)
			_, err := New(o)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "mqtt: New: ") {
				t.Fatalf("New: %v; want an error containing %q", err, c.want)
			}
		})
	}
	l, err := New(testOptions(&syncBuffer{}))
	if err != nil {
		t.Fatal(err)
	}
	if l.BaseTopic() != base || l.Status() != StatusOffline {
		t.Fatalf("base %q status %s", l.BaseTopic(), l.Status())
	}
	if err := l.Run(canceled()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := l.Run(canceled()); err == nil {
		t.Fatal("second Run accepted")
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
