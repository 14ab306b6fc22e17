package mqtt

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestDecodeCommand(t *testing.T) {
	ok := []struct {
		topic, payload string
		check          func(Command) bool
	}{
		{"cmd/chat", `{"id":"a","text":"hi","lang":"pt-BR"}`, func(c Command) bool { return c.ID == TextID("a") && c.Text == "hi" && c.Lang == "pt-BR" }},
		{"cmd/chat", `  hello there  `, func(c Command) bool { return c.Text == "hello there" && c.ID.IsZero() }},
		{"cmd/chat", `{"text":"multi\nline"}`, func(c Command) bool { return c.Text == "multi\nline" }},
		{"cmd/chat", `{"text":"windows\r\nline\tbreak"}`, func(c Command) bool { return c.Text == "windows\r\nline\tbreak" }},
		{"cmd/chat", "plain\r\ntext", func(c Command) bool { return c.Text == "plain\r\ntext" }},
		{"cmd/chat", `"Hello kitty"`, func(c Command) bool { return c.Text == "Hello kitty" }},
		{"cmd/chat", `"Hi," she said`, func(c Command) bool { return c.Text == `"Hi," she said` }},
		{"cmd/chat", `[whispers] hello`, func(c Command) bool { return c.Text == "[whispers] hello" }},
		{"cmd/chat", `42`, func(c Command) bool { return c.Text == "42" }},
		{"sim/touch", `"head"`, func(c Command) bool { return c.SimArg == "head" }},
		{"cmd/pet", ``, func(c Command) bool { return c.Verb == VerbPet && c.Zone == "" }},
		{"cmd/pet", `{"zone":"chin"}`, func(c Command) bool { return c.Zone == "chin" }},
		{"cmd/feed", `{}`, func(c Command) bool { return c.Verb == VerbFeed }},
		{"cmd/feed", `{"id":-12}`, func(c Command) bool { return c.ID.String() == "-12" && c.ID.IsNumber() }},
		{"cmd/feed", `{"id":"-12"}`, func(c Command) bool { return c.ID == TextID("-12") && !c.ID.IsNumber() }},
		{"cmd/play", ` `, func(c Command) bool { return c.Verb == VerbPlay }},
		{"cmd/sleep", `{"id":"s"}`, func(c Command) bool { return c.Verb == VerbSleep }},
		{"cmd/wake", `{}`, func(c Command) bool { return c.Verb == VerbWake }},
		{"cmd/get_state", `{}`, func(c Command) bool { return c.Verb == VerbGetState }},
		{"cmd/ping", ``, func(c Command) bool { return c.Verb == VerbPing }},
		{"cmd/debug_stall", `{"id":"st"}`, func(c Command) bool { return c.Verb == VerbDebugStall }},
		{"cmd/set", `{"volume":0}`, func(c Command) bool { return c.Volume != nil && *c.Volume == 0 && c.Name == nil }},
		{"cmd/set", `{"name":"Señor Whiskers"}`, func(c Command) bool { return c.Name != nil && *c.Name == "Señor Whiskers" }},
		{"cmd/set", `{"persona":"shy-kitten"}`, func(c Command) bool { return c.Persona != nil && *c.Persona == "shy-kitten" }},
		{"sim/touch", `head`, func(c Command) bool { return c.Verb == VerbSim && c.SimInput == "touch" && c.SimArg == "head" }},
		{"sim/button", ``, func(c Command) bool { return c.SimInput == "button" && c.SimArg == "" }},
		{"sim/light", `{"arg":"dark","id":"x"}`, func(c Command) bool { return c.SimArg == "dark" && c.ID == TextID("x") }},
		{"cmd/rate", `{"reply_id":"reply-a7ac9d-9","score":2}`, func(c Command) bool {
			return c.Verb == VerbRate && c.ReplyID == "reply-a7ac9d-9" && c.Score == 2 && c.Note == ""
		}},
		{"cmd/rate", `{"id":"r","reply_id":"reply-a-1","score":0,"note":"它没听懂"}`, func(c Command) bool { return c.Score == 0 && c.Note == "它没听懂" }},
		{"cmd/ratings", ``, func(c Command) bool { return c.Verb == VerbRatings }},
	}
	for _, c := range ok {
		got, err := DecodeCommand(c.topic, []byte(c.payload), false, testMaxPayload)
		if err != nil || !c.check(got) {
			t.Errorf("DecodeCommand(%q, %q) = %+v, %v", c.topic, c.payload, got, err)
		}
	}

	bad := []struct {
		topic, payload string
		retained       bool
		kind           error
		want           string
	}{
		{"cmd/chat", `{"text":`, false, ErrMalformed, "not a valid JSON object"},
		{"cmd/chat", `{"text":"a"} {"text":"b"}`, false, ErrMalformed, "trailing data"},
		{"cmd/chat", `{"text":"a","text":"b"}`, false, ErrMalformed, `duplicate key "text"`},
		{"cmd/chat", `{"text":["a"]}`, false, ErrBadField, "want a string, got an array"},
		{"cmd/chat", `{"text":"   "}`, false, ErrBadField, "is empty"},
		{"cmd/chat", `{"text":"a\u0007b"}`, false, ErrBadField, "control character U+0007"},
		{"cmd/chat", `{"text":"\u001b[31mred"}`, false, ErrBadField, "control character U+001B"},
		{"cmd/chat", "bell\x07", false, ErrBadField, "control character U+0007"},
		{"cmd/chat", `["hello"]`, false, ErrMalformed, "got a JSON array"},
		{"cmd/chat", `""`, false, ErrMissing, `missing field "text"`},
		{"sim/touch", `["head"]`, false, ErrMalformed, "got a JSON array"},
		{"cmd/chat", `{}`, false, ErrMissing, `missing field "text"`},
		{"cmd/chat", ``, false, ErrMissing, `missing field "text"`},
		{"cmd/chat", `{"text":"hi","lang":"english please"}`, false, ErrBadField, "language tag"},
		{"cmd/chat", "{\"text\":\"\xff\"}", false, ErrBadEncoding, "UTF-8"},
		{"cmd/chat", `{"text":"hi"}`, true, ErrRetained, "retained command ignored"},
		{"cmd/chat", `{"text":"` + strings.Repeat("a", 70000) + `"}`, false, ErrTooLarge, "the limit is 65536"},
		{"cmd/pet", `{"zone":"` + strings.Repeat("a", 5000) + `"}`, false, ErrTooLarge, "the limit is 4096"},
		{"cmd/pet", `{"zone":"Top Of Head"}`, false, ErrBadField, `"zone"`},
		{"cmd/pet", `{"zone":3}`, false, ErrBadField, "got a number"},
		{"cmd/feed", `{"food":"tuna"}`, false, ErrBadField, `unknown field "food"`},
		{"cmd/feed", `PRESS`, false, ErrMalformed, "must be a JSON object"},
		{"cmd/feed", `"x"`, false, ErrMalformed, "got a string"},
		{"cmd/feed", `{"id":""}`, false, ErrBadField, `field "id"`},
		{"cmd/feed", `{"id":1.5}`, false, ErrBadField, `field "id"`},
		{"cmd/feed", `{"id":{"a":1}}`, false, ErrBadField, "got an object"},
		{"cmd/set", `{}`, false, ErrMissing, "at least one"},
		{"cmd/set", `{"volume":"loud"}`, false, ErrBadField, "got a string"},
		{"cmd/set", `{"volume":null}`, false, ErrBadField, "got null"},
		{"cmd/set", `{"volume":-0.1}`, false, ErrBadField, "outside 0..1"},
		{"cmd/set", `{"name":""}`, false, ErrBadField, "is empty"},
		{"cmd/set", `{"name":"` + strings.Repeat("x", 33) + `"}`, false, ErrBadField, "limit is 32"},
		{"cmd/set", `{"persona":"../etc/passwd"}`, false, ErrBadField, `"persona"`},
		{"cmd/dance", `{}`, false, ErrUnknownVerb, `unknown verb "dance"`},
		{"cmd/sim", `{}`, false, ErrUnknownVerb, `unknown verb "sim"`},
		{"cmd/", `{}`, false, ErrBadTopic, "one level"},
		{"cmd/Chat", `{}`, false, ErrBadTopic, "one level"},
		{"cmd/chat/extra", `{}`, false, ErrBadTopic, "one level"},
		{"state", `{}`, false, ErrBadTopic, "neither"},
		{"sim/", `x`, false, ErrBadTopic, "sim input"},
		{"sim/button", `{"arg":1}`, false, ErrBadField, `"arg"`},
		{"sim/button", `{"what":1}`, false, ErrBadField, `unknown field "what"`},
		{"cmd/rate", `{"score":1}`, false, ErrMissing, `missing field "reply_id"`},
		{"cmd/rate", `{"reply_id":"reply-a-1"}`, false, ErrMissing, `missing field "score"`},
		{"cmd/rate", ``, false, ErrMissing, `missing field "reply_id"`},
		{"cmd/rate", `2`, false, ErrMalformed, "payload must be a JSON object"},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":3}`, false, ErrBadField, `want 0 (broken), 1 (ok) or 2 (delightful), got "3"`},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":1.5}`, false, ErrBadField, `field "score"`},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":"2"}`, false, ErrBadField, `field "score"`},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":null}`, false, ErrBadField, `field "score"`},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":1e0}`, false, ErrBadField, `field "score"`},
		{"cmd/rate", `{"reply_id":"","score":1}`, false, ErrBadField, `field "reply_id"`},
		{"cmd/rate", `{"reply_id":"a\u0000b","score":1}`, false, ErrBadField, `field "reply_id"`},
		{"cmd/rate", `{"reply_id":7,"score":1}`, false, ErrBadField, "got a number"},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":1,"note":3}`, false, ErrBadField, `field "note"`},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":1,"stars":5}`, false, ErrBadField, `unknown field "stars"`},
		{"cmd/ratings", `{"brain":"x"}`, false, ErrBadField, `unknown field "brain"`},
	}
	for _, c := range bad {
		got, err := DecodeCommand(c.topic, []byte(c.payload), c.retained, testMaxPayload)
		var ce *CommandError
		if !errors.As(err, &ce) || !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeCommand(%q, %.40q, retained=%v) = %+v, %v; want %v containing %q", c.topic, c.payload, c.retained, got, err, c.kind, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "mqtt: command ") || ce.Topic != c.topic {
			t.Errorf("error %q does not name the command topic", err)
		}
	}

	// Ids are recovered wherever the payload can still be read, so the
	// error response can be correlated.
	for _, c := range []struct{ topic, payload string }{
		{"cmd/chat", `{"id":"k1","text":3}`},
		{"cmd/dance", `{"id":"k1"}`},
	} {
		_, err := DecodeCommand(c.topic, []byte(c.payload), false, testMaxPayload)
		var ce *CommandError
		if !errors.As(err, &ce) || ce.ID != TextID("k1") {
			t.Errorf("%s %s: error %v did not keep the id", c.topic, c.payload, err)
		}
	}
	if _, err := DecodeCommand("cmd/feed", []byte(`{"id":"r"}`), true, testMaxPayload); err.(*CommandError).ID != TextID("r") {
		t.Errorf("retained command lost its id: %v", err)
	}
}

// FuzzDecodeCommand: whatever arrives, the decoder returns either a valid
// command or a readable error; it never panics.
func FuzzDecodeCommand(f *testing.F) {
	seeds := []struct {
		topic, payload string
		retained       bool
	}{
		{"cmd/chat", `{"id":"a","text":"hi","lang":"en"}`, false},
		{"cmd/chat", `hello`, false},
		{"cmd/chat", `{"text":`, false},
		{"cmd/chat", "{\"text\":\"\xc3\x28\"}", false},
		{"cmd/pet", `{"zone":"head"}`, false},
		{"cmd/feed", ``, false},
		{"cmd/feed", `{"id":12345678901234567890}`, false},
		{"cmd/set", `{"name":"Mochi","volume":0.5,"persona":"calm"}`, false},
		{"cmd/set", `{"volume":1e400}`, false},
		{"cmd/ping", `{"id":"p"}`, true},
		{"cmd/get_state", `[]`, false},
		{"cmd/x/y", `{}`, false},
		{"sim/button", `{"arg":"long"}`, false},
		{"sim/touch", `chin`, false},
		{"cmd/chat", `{"text":"a","text":"b"}`, false},
		{"cmd/chat", `{"text":"\ud800"}`, false},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":2,"note":"lovely"}`, false},
		{"cmd/rate", `{"reply_id":"reply-a-1","score":-0}`, false},
	}
	for _, s := range seeds {
		f.Add(s.topic, []byte(s.payload), s.retained)
	}
	f.Fuzz(func(t *testing.T, topic string, payload []byte, retained bool) {
		c, err := DecodeCommand(topic, payload, retained, 512)
		if err != nil {
			var ce *CommandError
			if !errors.As(err, &ce) || ce.Msg == "" || ce.Kind == nil {
				t.Fatalf("error %v is not a complete *CommandError", err)
			}
			if !utf8.ValidString(ce.Msg) {
				t.Fatalf("error message is not valid UTF-8: %q", ce.Msg)
			}
			if _, jerr := json.Marshal(responseJSON{ID: ce.ID, Status: "error", Error: ce.Msg}); jerr != nil {
				t.Fatalf("error response cannot be encoded: %v", jerr)
			}
			return
		}
		if retained || len(payload) > 512 || !utf8.Valid(payload) {
			t.Fatalf("accepted retained=%v len=%d utf8=%v", retained, len(payload), utf8.Valid(payload))
		}
		if _, known := verbFields[c.Verb]; !known {
			t.Fatalf("accepted unknown verb %q", c.Verb)
		}
		switch c.Verb {
		case VerbChat:
			if strings.TrimSpace(c.Text) == "" || !utf8.ValidString(c.Text) {
				t.Fatalf("chat with text %q", c.Text)
			}
		case VerbSet:
			if c.Name == nil && c.Volume == nil && c.Persona == nil {
				t.Fatal("set with nothing to set")
			}
			if c.Volume != nil && (*c.Volume < 0 || *c.Volume > 1) {
				t.Fatalf("volume %v", *c.Volume)
			}
		case VerbSim:
			if !validToken(c.SimInput, maxTokenLen) {
				t.Fatalf("sim input %q", c.SimInput)
			}
		}
		if id := c.ID.String(); len(id) > maxIDLen || !utf8.ValidString(id) {
			t.Fatalf("id %q", c.ID)
		}
	})
}

func TestOutboxPolicy(t *testing.T) {
	o := newOutbox(4)
	push := func(topic string, r rank) (string, bool) {
		v, d := o.push(outMsg{topic: topic, rank: r})
		return v.topic, d
	}
	push("t1", rankTelemetry)
	push("a1", rankAnswer)
	push("t2", rankTelemetry)
	push("e1", rankEvent)
	if v, d := push("a2", rankAnswer); !d || v != "t1" {
		t.Fatalf("full outbox dropped %q (%v); want the oldest telemetry t1", v, d)
	}
	if v, d := push("e2", rankEvent); !d || v != "t2" {
		t.Fatalf("dropped %q; want t2", v)
	}
	// No telemetry left: a new telemetry message is itself the one to go.
	if v, d := push("t3", rankTelemetry); !d || v != "t3" {
		t.Fatalf("dropped %q; want the incoming t3", v)
	}
	if v, d := push("a3", rankAnswer); !d || v != "e1" {
		t.Fatalf("dropped %q; want the oldest event e1", v)
	}
	// A flood's rate_limited answers go before anything else, themselves
	// included.
	if v, d := push("r1", rankRefusal); !d || v != "r1" {
		t.Fatalf("dropped %q; want the incoming refusal r1", v)
	}
	var order []string
	for {
		m, ok := o.pop()
		if !ok {
			break
		}
		order = append(order, m.topic)
	}
	if strings.Join(order, ",") != "a1,a2,e2,a3" || o.droppedCount() != 5 {
		t.Fatalf("left %v, dropped %d", order, o.droppedCount())
	}
	o.push(outMsg{topic: "r2", rank: rankRefusal})
	o.push(outMsg{topic: "t4", rank: rankTelemetry})
	o.push(outMsg{topic: "t5", rank: rankTelemetry})
	o.push(outMsg{topic: "t6", rank: rankTelemetry})
	if v, d := push("t7", rankTelemetry); !d || v != "r2" {
		t.Fatalf("dropped %q; want the refusal r2 before any telemetry", v)
	}
	for range 4 {
		o.pop()
	}
	// pushFront keeps a failed publish first.
	o.push(outMsg{topic: "x"})
	o.pushFront(outMsg{topic: "retry", rank: rankAnswer})
	if m, _ := o.pop(); m.topic != "retry" {
		t.Fatalf("pushFront: first out is %q", m.topic)
	}
}

func mustTime(t *testing.T) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, "2026-01-02T03:04:05.678Z")
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestLimitKey(t *testing.T) {
	for in, want := range map[string]string{
		"cmd/chat": "cmd/chat", "cmd/feed": "cmd/feed", "cmd/dance": "other", "cmd/a/b": "other",
		"sim/button": "sim", "sim/x": "sim", "weird": "other",
	} {
		if got := limitKey(in); got != want {
			t.Errorf("limitKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWarnLimiter: a flood of identical warnings logs once, and the next
// line after the quiet interval says how many were suppressed.
func TestWarnLimiter(t *testing.T) {
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	w := newWarnLimiter(50 * time.Millisecond)
	for range 100 {
		w.warn(log, "k", "bad command")
	}
	w.warn(log, "other", "different problem")
	if n := strings.Count(buf.String(), "bad command"); n != 1 {
		t.Fatalf("100 identical warnings logged %d times:\n%s", n, buf.String())
	}
	time.Sleep(60 * time.Millisecond) // the interval under test
	w.warn(log, "k", "bad command")
	if !strings.Contains(buf.String(), "suppressed=99") || !strings.Contains(buf.String(), "different problem") {
		t.Fatalf("want a suppressed=99 count and the other key's line:\n%s", buf.String())
	}
}

// A long chat message is the brain's to shorten, not the link's to refuse:
// only a payload past MaxChatPayload is too large.
func TestDecodeLongChat(t *testing.T) {
	long := strings.Repeat("喵", 5000) + " what is my name?"
	c, err := DecodeCommand("cmd/chat", []byte(`{"id":"l1","text":"`+long+`"}`), false, testMaxPayload)
	if err != nil || c.Text != long || c.ID != TextID("l1") {
		t.Fatalf("DecodeCommand(long chat) = %q…, %v", c.Text[:min(len(c.Text), 20)], err)
	}
	_, err = DecodeCommand("cmd/chat", []byte(strings.Repeat("a", MaxChatPayload+1)), false, testMaxPayload)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge chat: %v, want ErrTooLarge", err)
	}
	if _, err := DecodeCommand("cmd/chat", []byte(strings.Repeat("a", 100000)), false, 200000); err != nil {
		t.Errorf("chat under a larger mqtt.max_payload: %v", err)
	}
}
