// Package evalrun plays the conversation eval's set against a running
// daemon the way a phone does: chat commands in over MQTT, the streamed
// reply chunks and the response out. It measures what an owner would get,
// through the same path, and leaves scoring to dialog/eval.
package evalrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/purrd/purrd/dialog/eval"
)

// Daemon is one running cat the runner talks to.
type Daemon struct {
	Broker string // tcp://127.0.0.1:port
	Base   string // base topic, e.g. purr/evalcat
	// Exited is closed when the daemon has stopped: one that stops before
	// answering fails the turn at once instead of at the timeout.
	Exited <-chan struct{}
	// Stop ends the daemon and waits for it.
	Stop func() error
}

// Options configure a run.
type Options struct {
	// Start starts a fresh daemon (empty state) for the conversation.
	Start func(ctx context.Context, conv string) (*Daemon, error)
	// TurnTimeout bounds one owner turn, from the chat command to its
	// response (default 2m).
	TurnTimeout time.Duration
	// ReadyTimeout bounds waiting for a model to load before the first
	// turn (default 2m); after it the fallback answers and it shows.
	ReadyTimeout time.Duration
	// RecoverTimeout bounds waiting, before an owner turn, for a model
	// that stalled on an earlier turn to answer again or be restarted
	// (default 45s: a brain.reply_deadline of 30s and a reload). An
	// owner talks at a person's pace: sending the next line the moment
	// a stalled turn has fallen back would hand the rest of the
	// conversation to the fallback, and measure that instead of the
	// model. The wait is recorded in the turn's result.
	RecoverTimeout time.Duration
	// Progress, when set, gets one line per conversation.
	Progress io.Writer
	// Turn, when set, is called before each owner turn is played (its
	// touches, then its words) with the conversation and the turn's
	// index from 0: `purrd eval` moves the daemon's mind clock there.
	Turn func(conv string, turn int)
}

// Run plays every conversation of set, each with a fresh daemon, and
// returns one result per owner turn. A turn that gets no answer is a
// result with Err set, not an error: the eval reports it. Errors are
// for what stops the run (a daemon that does not start).
func Run(ctx context.Context, set *eval.Set, o Options) ([]eval.TurnResult, error) {
	if o.Start == nil {
		return nil, errors.New("evalrun: Options.Start is nil")
	}
	if o.TurnTimeout <= 0 {
		o.TurnTimeout = 2 * time.Minute
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 2 * time.Minute
	}
	if o.RecoverTimeout <= 0 {
		o.RecoverTimeout = 45 * time.Second
	}
	var out []eval.TurnResult
	for i, c := range set.Conversations {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		started := time.Now()
		res, err := runConversation(ctx, c, o)
		out = append(out, res...)
		if err != nil {
			return out, fmt.Errorf("evalrun: conversation %s (%s:%d): %w", c.ID, c.File, c.Line, err)
		}
		if o.Progress != nil {
			brain := ""
			if len(res) > 0 {
				brain = res[len(res)-1].Brain
			}
			fmt.Fprintf(o.Progress, "eval: %d/%d %s: %d turns, %s, %s\n", i+1, len(set.Conversations), c.ID, len(res), brain, time.Since(started).Round(10*time.Millisecond))
		}
	}
	return out, nil
}

// msg is one MQTT message with the time the phone got it.
type msg struct {
	topic   string
	payload []byte
	at      time.Time
}

type phone struct {
	c      paho.Client
	base   string
	in     chan msg
	exited <-chan struct{}
	polls  int // get_state polls sent, for their ids
}

func runConversation(ctx context.Context, c *eval.Conversation, o Options) ([]eval.TurnResult, error) {
	d, err := o.Start(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("start daemon: %w", err)
	}
	defer d.Stop()
	ph, err := connect(ctx, d)
	if err != nil {
		return nil, err
	}
	defer ph.c.Disconnect(100)
	if _, err := ph.awaitBrain(ctx, o.ReadyTimeout, loading); err != nil {
		return nil, err
	}
	var out []eval.TurnResult
	for i, t := range c.Turns {
		var waited time.Duration
		if i > 0 {
			// A model that stalled on an earlier turn: wait as an owner
			// would for the cat to be itself again before the next line.
			// One get_state when it is ready. Asked before every turn,
			// not only after one that fell back: while the model is
			// stalled the fallback answers at once, with no fallback
			// note, so a wait that timed out must be tried again.
			if waited, err = ph.awaitBrain(ctx, o.RecoverTimeout, recovering); err != nil {
				return out, fmt.Errorf("turn %d: %w", i+1, err)
			}
		}
		if o.Turn != nil {
			o.Turn(c.ID, i)
		}
		for j, verb := range t.Commands {
			id := fmt.Sprintf("%s-%d-%s%d", c.ID, i+1, verb, j)
			if _, err := ph.command(ctx, verb, id, "{\"id\":"+jsonString(id)+"}", 30*time.Second); err != nil {
				return out, fmt.Errorf("turn %d: %s: %w", i+1, verb, err)
			}
		}
		r := ph.chat(ctx, fmt.Sprintf("%s-%d", c.ID, i+1), t.Text, o.TurnTimeout, t.Kind == eval.KindDistress)
		r.Conv, r.Turn = c.ID, i+1
		r.WaitedMS = waited.Milliseconds()
		out = append(out, r)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// connect retries until the daemon's embedded broker listens.
func connect(ctx context.Context, d *Daemon) (*phone, error) {
	ph := &phone{base: d.Base, in: make(chan msg, 4096), exited: d.Exited}
	opts := paho.NewClientOptions().AddBroker(d.Broker).
		SetClientID(fmt.Sprintf("eval-%d", time.Now().UnixNano())).
		SetAutoReconnect(false).SetConnectTimeout(2 * time.Second).SetOrderMatters(true)
	opts.SetDefaultPublishHandler(func(_ paho.Client, m paho.Message) {
		select {
		case ph.in <- msg{topic: m.Topic(), payload: m.Payload(), at: time.Now()}:
		default: // a phone that cannot keep up loses messages; 4096 is far more than a turn makes
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-d.Exited:
			return nil, errors.New("daemon exited before its broker answered (see its log)")
		case <-ctx.Done():
			return nil, ctx.Err()
		default:
		}
		ph.c = paho.NewClient(opts)
		tok := ph.c.Connect()
		if tok.WaitTimeout(3*time.Second) && tok.Error() == nil {
			topics := map[string]byte{d.Base + "/reply": 1, d.Base + "/response/+": 1, d.Base + "/event/care": 1}
			// The embedded broker can refuse a subscribe whose packet id
			// it is using itself (docs: talk-and-training notes); retry.
			for try := 0; try < 5; try++ {
				st := ph.c.SubscribeMultiple(topics, nil)
				if st.WaitTimeout(5*time.Second) && st.Error() == nil {
					return ph, nil
				} else if st.Error() != nil {
					last = st.Error()
				}
				time.Sleep(50 * time.Millisecond)
			}
			ph.c.Disconnect(0)
			return nil, fmt.Errorf("subscribe on %s: %v", d.Broker, last)
		}
		last = tok.Error()
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("connect to %s: %v", d.Broker, last)
}

func (ph *phone) publish(topic, payload string) error {
	tok := ph.c.Publish(topic, 1, false, payload)
	if !tok.WaitTimeout(10 * time.Second) {
		return fmt.Errorf("publish %s: no acknowledgement within 10s", topic)
	}
	return tok.Error()
}

// response is a response/<verb> payload.
type response struct {
	ID     any             `json:"id"`
	Status string          `json:"status"`
	Error  string          `json:"error"`
	Data   json.RawMessage `json:"data"`
}

// command sends cmd/<verb> and waits for its response's data.
func (ph *phone) command(ctx context.Context, verb, id, payload string, within time.Duration) (json.RawMessage, error) {
	if err := ph.publish(ph.base+"/cmd/"+verb, payload); err != nil {
		return nil, err
	}
	timer := time.NewTimer(within)
	defer timer.Stop()
	for {
		select {
		case m := <-ph.in:
			if m.topic != ph.base+"/response/"+verb {
				continue
			}
			var r response
			if json.Unmarshal(m.payload, &r) != nil || r.ID != id {
				continue
			}
			if r.Status != "ok" {
				return nil, fmt.Errorf("%s answered %s: %s", verb, r.Status, r.Error)
			}
			return r.Data, nil
		case <-ph.exited:
			return nil, errors.New("daemon exited (see its log)")
		case <-timer.C:
			return nil, fmt.Errorf("no response to %s within %v", verb, within)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// loading says the model is still loading: the eval measures the model,
// not its loading.
func loading(state, reason string) bool {
	return state == "loading" || strings.HasPrefix(reason, "model loading")
}

// recovering says the model is not answering now but will by itself:
// it stalled and may still answer, or it is being restarted or reloaded.
// A model that failed for good is not waited for.
func recovering(state, reason string) bool {
	return loading(state, reason) || strings.HasPrefix(reason, "model stalled") || strings.HasPrefix(reason, "model restarting")
}

// awaitBrain polls the state while busy says the model is not ready, at
// most within; it returns how long that took. After within the fallback
// answers, and every result says so.
func (ph *phone) awaitBrain(ctx context.Context, within time.Duration, busy func(state, reason string) bool) (time.Duration, error) {
	start := time.Now()
	deadline := start.Add(within)
	answered := time.Now().Add(30 * time.Second)
	waited := func() time.Duration { return 0 } // until a poll says busy
	for {
		// The broker listens before the daemon has subscribed to its
		// commands, and a command nobody subscribes to is gone: ask again
		// until the daemon answers. Ids are never reused, so a late
		// answer is not taken for a later poll's.
		ph.polls++
		id := fmt.Sprintf("ready-%d", ph.polls)
		data, err := ph.command(ctx, "get_state", id, `{"id":`+jsonString(id)+`}`, time.Second)
		if err != nil {
			if ctx.Err() == nil && time.Now().Before(answered) && !isExited(ph.exited) {
				continue
			}
			return waited(), fmt.Errorf("get_state: %w", err)
		}
		answered = time.Now().Add(30 * time.Second)
		var st struct {
			Brain struct{ Name, State, Reason string } `json:"brain"`
		}
		if err := json.Unmarshal(data, &st); err != nil {
			return waited(), fmt.Errorf("get_state data %s: %w", data, err)
		}
		if !busy(st.Brain.State, st.Brain.Reason) || time.Now().After(deadline) {
			return waited(), nil
		}
		waited = func() time.Duration { return time.Since(start) }
		select {
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			return waited(), ctx.Err()
		}
	}
}

type chunk struct {
	CommandID string `json:"command_id"`
	Text      string `json:"text"`
	Final     bool   `json:"final"`
	Filler    bool   `json:"filler"`
}

type chatData struct {
	Text     string `json:"text"`
	Lang     string `json:"lang"`
	Brain    string `json:"brain"`
	Fallback string `json:"fallback"`
	Routine  string `json:"routine"`
	Comfort  string `json:"comfort"`
	Question string `json:"question"`
	Feeling  string `json:"feeling"`
}

// chat sends one owner message and follows it to its response, timing the
// first chunk with words and the response. With waitCare it also waits
// for the loop to finish what it publishes about the turn (a ping round
// trip), so an event/care sent right after the response is counted.
func (ph *phone) chat(ctx context.Context, id, text string, within time.Duration, waitCare bool) eval.TurnResult {
	r := eval.TurnResult{FirstMS: -1, FinalMS: -1}
	payload, _ := json.Marshal(map[string]string{"id": id, "text": text})
	start := time.Now()
	if err := ph.publish(ph.base+"/cmd/chat", string(payload)); err != nil {
		r.Err = err.Error()
		return r
	}
	timer := time.NewTimer(within)
	defer timer.Stop()
	for {
		select {
		case m := <-ph.in:
			switch m.topic {
			case ph.base + "/reply":
				var c chunk
				if json.Unmarshal(m.payload, &c) != nil || c.CommandID != id || c.Text == "" {
					continue
				}
				if c.Filler {
					r.Filler = true
				} else if r.FirstMS < 0 {
					r.FirstMS = m.at.Sub(start).Milliseconds()
				}
			case ph.base + "/event/care":
				r.CareAlerts = append(r.CareAlerts, string(m.payload))
			case ph.base + "/response/chat":
				var resp response
				if json.Unmarshal(m.payload, &resp) != nil || resp.ID != id {
					continue
				}
				r.FinalMS = m.at.Sub(start).Milliseconds()
				if resp.Status != "ok" {
					r.Err = fmt.Sprintf("chat answered %s: %s", resp.Status, resp.Error)
					return r
				}
				var d chatData
				if err := json.Unmarshal(resp.Data, &d); err != nil {
					r.Err = fmt.Sprintf("chat data %s: %v", resp.Data, err)
					return r
				}
				r.Reply, r.Lang, r.Brain, r.Fallback, r.Routine, r.Comfort, r.Question, r.Feeling = d.Text, d.Lang, d.Brain, d.Fallback, d.Routine, d.Comfort, d.Question, d.Feeling
				if waitCare {
					ph.drainCare(ctx, id, &r)
				}
				return r
			}
		case <-ph.exited:
			r.Err = "daemon exited (see its log)"
			return r
		case <-timer.C:
			r.Err = fmt.Sprintf("no response within %v", within)
			return r
		case <-ctx.Done():
			r.Err = ctx.Err().Error()
			return r
		}
	}
}

// drainCare collects event/care messages until a ping sent now is answered.
func (ph *phone) drainCare(ctx context.Context, id string, r *eval.TurnResult) {
	pid := id + "-care-sync"
	if ph.publish(ph.base+"/cmd/ping", `{"id":`+jsonString(pid)+`}`) != nil {
		return
	}
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	for {
		select {
		case m := <-ph.in:
			switch m.topic {
			case ph.base + "/event/care":
				r.CareAlerts = append(r.CareAlerts, string(m.payload))
			case ph.base + "/response/ping":
				var resp response
				if json.Unmarshal(m.payload, &resp) == nil && resp.ID == pid {
					return
				}
			}
		case <-timer.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

func isExited(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
