package evalrun

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/purrd/purrd/dialog/eval"
)

// startBroker runs a real MQTT broker (mochi, as the daemon embeds it) on
// a free loopback port.
func startBroker(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	srv := mochi.New(&mochi.Options{Logger: slog.New(slog.DiscardHandler)})
	if err := srv.AddHook(new(allowAll), nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "t", Address: addr})); err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	return "tcp://" + addr
}

// allowAll lets every client in and everywhere: the test's broker is
// private to it.
type allowAll struct{ mochi.HookBase }

func (*allowAll) ID() string { return "allow-all" }
func (*allowAll) Provides(b byte) bool {
	return b == mochi.OnConnectAuthenticate || b == mochi.OnACLCheck
}
func (*allowAll) OnConnectAuthenticate(*mochi.Client, packets.Packet) bool { return true }
func (*allowAll) OnACLCheck(*mochi.Client, string, bool) bool              { return true }

// stallingCat plays a daemon whose model stalls on the first chat: that
// chat is answered by the fallback and the state says "model stalled"
// until recoverAfter has passed; later chats are the model's. It records
// every chat that came while it said it was stalled.
type stallingCat struct {
	base         string
	recoverAfter time.Duration

	mu          sync.Mutex
	stalledAt   time.Time // zero until the first chat
	chats       int
	whileStall  []string
	statePolled int
}

func (c *stallingCat) stalled(now time.Time) bool {
	return !c.stalledAt.IsZero() && now.Sub(c.stalledAt) < c.recoverAfter
}

func (c *stallingCat) run(t *testing.T, broker string) {
	t.Helper()
	o := paho.NewClientOptions().AddBroker(broker).SetClientID("fake-cat")
	cl := paho.NewClient(o)
	if tok := cl.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("fake cat connect: %v", tok.Error())
	}
	t.Cleanup(func() { cl.Disconnect(100) })
	respond := func(verb string, v any) {
		b, _ := json.Marshal(v)
		cl.Publish(c.base+"/response/"+verb, 1, false, b)
	}
	cl.Subscribe(c.base+"/cmd/+", 1, func(_ paho.Client, m paho.Message) {
		var cmd struct{ ID, Text string }
		if err := json.Unmarshal(m.Payload(), &cmd); err != nil {
			t.Errorf("fake cat: command %s: %v", m.Payload(), err)
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		now := time.Now()
		switch verb := m.Topic()[len(c.base)+len("/cmd/"):]; verb {
		case "get_state":
			c.statePolled++
			brain := map[string]string{"name": "llama", "state": "ready"}
			if c.stalled(now) {
				brain = map[string]string{"name": "rules", "state": "ready", "reason": "model stalled: no output for 2.5s"}
			}
			respond(verb, map[string]any{"id": cmd.ID, "status": "ok", "data": map[string]any{"brain": brain}})
		case "chat":
			c.chats++
			if c.stalled(now) {
				c.whileStall = append(c.whileStall, cmd.Text)
			}
			// As the daemon answers: the turn the model stalls on says
			// why the fallback answered; while it stays stalled the
			// fallback answers at once, with no note.
			data := map[string]any{"text": "Mrrp.", "lang": "en", "brain": "llama"}
			switch {
			case c.chats == 1:
				c.stalledAt = now
				data = map[string]any{"text": "Meow?", "lang": "en", "brain": "rules", "fallback": "llama: brain stalled: no output for 2.5s"}
			case c.stalled(now):
				data = map[string]any{"text": "Meow?", "lang": "en", "brain": "rules"}
			}
			chunk, _ := json.Marshal(map[string]any{"command_id": cmd.ID, "text": data["text"], "final": true})
			cl.Publish(c.base+"/reply", 1, false, chunk)
			respond(verb, map[string]any{"id": cmd.ID, "status": "ok", "data": data})
		default:
			respond(verb, map[string]any{"id": cmd.ID, "status": "ok", "data": map[string]any{}})
		}
	}).WaitTimeout(10 * time.Second)
}

func threeTurns() *eval.Set {
	c := &eval.Conversation{ID: "paced"}
	for _, text := range []string{"one", "two", "three"} {
		c.Turns = append(c.Turns, &eval.Turn{Text: text, Lang: "en"})
	}
	return &eval.Set{Version: "vT", Conversations: []*eval.Conversation{c}}
}

func runAgainst(t *testing.T, cat *stallingCat, o Options) []eval.TurnResult {
	t.Helper()
	broker := startBroker(t)
	cat.run(t, broker)
	o.Start = func(context.Context, string) (*Daemon, error) {
		return &Daemon{Broker: broker, Base: cat.base, Exited: make(chan struct{}), Stop: func() error { return nil }}, nil
	}
	res, err := Run(context.Background(), threeTurns(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results, want 3: %+v", len(res), res)
	}
	for _, r := range res {
		if r.Err != "" {
			t.Fatalf("turn %d: %s", r.Turn, r.Err)
		}
	}
	return res
}

// TestRunWaitsForAStalledModel: after a turn the fallback answered
// because the model stalled, the next line waits, as an owner would,
// until the state says the model answers again; the wait is recorded,
// and no line is sent while the model is stalled.
func TestRunWaitsForAStalledModel(t *testing.T) {
	cat := &stallingCat{base: "purr/paced", recoverAfter: 1500 * time.Millisecond}
	res := runAgainst(t, cat, Options{})
	cat.mu.Lock()
	defer cat.mu.Unlock()
	if len(cat.whileStall) > 0 {
		t.Errorf("lines sent while the model was stalled: %q", cat.whileStall)
	}
	if res[0].Brain != "rules" || res[0].Fallback == "" || res[0].WaitedMS != 0 {
		t.Errorf("turn 1 %+v, want the fallback's answer and no wait before it", res[0])
	}
	if res[1].Brain != "llama" || res[1].WaitedMS < 1000 {
		t.Errorf("turn 2 %+v, want the model's answer after waiting about 1.5 s", res[1])
	}
	if res[2].WaitedMS != 0 {
		t.Errorf("turn 3 waited %d ms after a turn the model answered", res[2].WaitedMS)
	}
	t.Logf("turn 2 waited %d ms; get_state polled %d times", res[1].WaitedMS, cat.statePolled)
}

// TestRunWaitsNoLongerThanRecoverTimeout: a model that does not recover
// in time is not waited for forever: the line goes, the fallback answers
// it, and the result says how long the runner waited.
func TestRunWaitsNoLongerThanRecoverTimeout(t *testing.T) {
	cat := &stallingCat{base: "purr/impatient", recoverAfter: time.Hour}
	res := runAgainst(t, cat, Options{RecoverTimeout: 600 * time.Millisecond})
	for _, r := range res[1:] {
		if r.Brain != "rules" || r.WaitedMS < 600 || r.WaitedMS > 30_000 {
			t.Errorf("turn %d %+v, want the fallback after waiting about 0.6 s", r.Turn, r)
		}
	}
}

// TestRunCallsTurnBeforeEachLine: Options.Turn hears of every owner turn,
// in order, before its line is sent (purrd eval moves the cat's mind
// clock there, so the line is felt at the turn's time).
func TestRunCallsTurnBeforeEachLine(t *testing.T) {
	cat := &stallingCat{base: "purr/turns", recoverAfter: 10 * time.Millisecond}
	var turns []int
	var chatsBefore []int
	runAgainst(t, cat, Options{Turn: func(conv string, i int) {
		if conv != "paced" {
			t.Errorf("Turn(%q, %d): want conversation paced", conv, i)
		}
		cat.mu.Lock()
		chatsBefore = append(chatsBefore, cat.chats)
		cat.mu.Unlock()
		turns = append(turns, i)
	}})
	if want := []int{0, 1, 2}; !slices.Equal(turns, want) || !slices.Equal(chatsBefore, want) {
		t.Errorf("Turn called for turns %v with %v chats already sent; want %v and %v", turns, chatsBefore, want, want)
	}
}
