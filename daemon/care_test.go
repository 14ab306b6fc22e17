package daemon

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
)

// An owner in distress gets the care line (never a model's words), and a
// care alert goes out on event/care for family or Home Assistant.
func TestDistressRaisesCareAlert(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	for _, tc := range []struct{ id, text, kind, lang, reach string }{
		{"d-fall", "Mochi, I fell in the kitchen", "fall", "en", "emergency"},
		{"d-zh", "我不想活了", "self_harm", "zh", "急救电话"},
		{"d-up", "I can't get up", "cant_get_up", "en", "neighbour"},
	} {
		ph.publish(p.base+"/cmd/chat", `{"id":"`+tc.id+`","text":"`+tc.text+`"}`)
		ev := ph.await(p.base+"/event/care", 10*time.Second, idIs(tc.id))
		if ev["kind"] != tc.kind || ev["text"] != tc.text || ev["lang"] != tc.lang || ev["time"] == "" {
			t.Errorf("%s: care event %v", tc.id, ev)
		}
		resp := ph.await(p.base+"/response/chat", 10*time.Second, idIs(tc.id))
		data, _ := resp["data"].(map[string]any)
		text, _ := data["text"].(string)
		if resp["status"] != "ok" || data["brain"] != "care" || !strings.Contains(text, tc.reach) {
			t.Errorf("%s: response %v", tc.id, resp)
		}
		// The care line is words on reply like any other: the answer
		// says how long the owner waited for them.
		if ms, ok := data["first_sentence_ms"].(float64); !ok || ms < 0 {
			t.Errorf("%s: response data %v; want first_sentence_ms, the care line's wait", tc.id, data)
		}
		final := ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == tc.id && v["final"] == true })
		if final["text"] != text {
			t.Errorf("%s: final chunk %v; want the whole care line %q", tc.id, final, text)
		}
	}
	if !p.waitLog(`event=care`, 5*time.Second) {
		t.Error("no log line with event=care")
	}
	// Not distress: no alert.
	ph.publish(p.base+"/cmd/chat", `{"id":"d-no","text":"I fell asleep on the sofa"}`)
	ph.await(p.base+"/response/chat", 10*time.Second, idIs("d-no"))
	for _, b := range ph.raw(p.base + "/event/care") {
		if strings.Contains(string(b), `"d-no"`) {
			t.Errorf("false alarm: %s", b)
		}
	}
}

// chatCare sends a chat and returns the response's data once its reply
// stream is closed.
func chatCare(t *testing.T, p *proc, ph *client, id, text string) map[string]any {
	t.Helper()
	ph.publish(p.base+"/cmd/chat", `{"id":"`+id+`","text":"`+text+`"}`)
	resp := ph.await(p.base+"/response/chat", 10*time.Second, idIs(id))
	ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == id && v["final"] == true })
	data, _ := resp["data"].(map[string]any)
	if resp["status"] != "ok" || data == nil {
		t.Fatalf("%s: response %v", id, resp)
	}
	return data
}

// After words of distress the owner stays in the cat's care: every later
// chat gets a care line that sends them to a person (never the same twice
// in a row), the same kind of distress raises no second alert, a new kind
// does, and "my daughter is here" ends the window.
func TestCareWindow(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	alerts := map[string]string{} // command id -> kind alerted
	last := ""
	for _, tc := range []struct{ id, text, care, alert, reach string }{
		{"w1", "Mochi, I fell in the kitchen", "alert", "fall", "neighbour"},
		{"w2", "I'm frightened", "follow_up", "", "neighbour"},
		{"w3", "you're only a toy, what would you know", "follow_up", "", "emergency"},
		{"w4", "what should I do?", "follow_up", "", "family"},
		{"w5", "I've fallen over", "repeat", "", "emergency"},
		{"w6", "my chest hurts and I can't breathe", "alert", "medical", "emergency services"},
		{"w7", "ok", "follow_up", "", "emergency services"},
		{"w8", "my daughter is here now", "over", "", "family"},
		{"w9", "what's your name?", "", "", ""},
	} {
		if tc.alert != "" {
			alerts[tc.id] = tc.alert
		}
		data := chatCare(t, p, ph, tc.id, tc.text)
		text, _ := data["text"].(string)
		if tc.care == "" {
			if data["brain"] == "care" || data["care"] != nil {
				t.Errorf("%s %q: still a care answer after the window closed: %v", tc.id, tc.text, data)
			}
			continue
		}
		if data["brain"] != "care" || data["care"] != tc.care || !strings.Contains(text, tc.reach) {
			t.Errorf("%s %q: want brain care, care %s, a line with %q; got %v", tc.id, tc.text, tc.care, tc.reach, data)
		}
		if text == last {
			t.Errorf("%s: the same care line twice in a row: %q", tc.id, text)
		}
		last = text
	}
	// Every alert has arrived by the time its response has (one link, one
	// order); wait for the last one, then count them all.
	ph.await(p.base+"/event/care", 5*time.Second, idIs("w6"))
	got := map[string]string{}
	for _, b := range ph.raw(p.base + "/event/care") {
		var ev map[string]any
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatal(err)
		}
		got[ev["id"].(string)] = ev["kind"].(string)
	}
	if !maps.Equal(got, alerts) {
		t.Errorf("care alerts %v, want %v", got, alerts)
	}
	for _, ev := range []string{"event=care_repeat", "event=care_over"} {
		if !p.waitLog(ev, 5*time.Second) {
			t.Errorf("no log line with %s", ev)
		}
	}
}

// The window works in Chinese too, and brain.care_window: 0s turns it off:
// only the distress turn itself gets a care line, and each one alerts.
func TestCareWindowChineseAndOff(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	for _, tc := range []struct{ id, text, care string }{
		{"z1", "我摔倒了", "alert"},
		{"z2", "我好害怕", "follow_up"},
		{"z3", "家人来了", "over"},
		{"z4", "你好", ""},
	} {
		data := chatCare(t, p, ph, tc.id, tc.text)
		text, _ := data["text"].(string)
		if tc.care == "" {
			if data["brain"] == "care" {
				t.Errorf("%s: %v", tc.id, data)
			}
			continue
		}
		if data["brain"] != "care" || data["care"] != tc.care || data["lang"] != "zh" || !strings.Contains(text, "家人") {
			t.Errorf("%s %q: %v", tc.id, tc.text, data)
		}
	}

	off := startProc(t, "brain: {kind: rules, care_window: 0s}\n")
	off.waitNote("READY=1", 20*time.Second)
	ph = off.phone()
	for _, tc := range []struct{ id, text, brain string }{
		{"o1", "I fell", "care"},
		{"o2", "I'm frightened", "rules"},
		{"o3", "I fell", "care"},
	} {
		if data := chatCare(t, off, ph, tc.id, tc.text); data["brain"] != tc.brain {
			t.Errorf("care_window 0s: %s %q answered by %v", tc.id, tc.text, data)
		}
	}
	ph.await(off.base+"/event/care", 5*time.Second, idIs("o1"))
	ph.await(off.base+"/event/care", 5*time.Second, idIs("o3"))
}

// Home Assistant's care event entity lists every kind an alert can carry.
func TestCareEventTypesAreTheDistressKinds(t *testing.T) {
	var kinds []string
	for _, k := range dialog.DistressKinds() {
		kinds = append(kinds, string(k))
	}
	if got := mqtt.CareEventTypes(); !slices.Equal(got, kinds) {
		t.Errorf("mqtt.CareEventTypes() = %v, want %v", got, kinds)
	}
}

// The window's rules, on a clock of its own.
func TestCareWindowRules(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	var w careWindow
	if w.active(t0) {
		t.Fatal("a new window is active")
	}
	if !w.distress(t0, dialog.DistressFall, 10*time.Minute) {
		t.Error("a first fall does not alert")
	}
	if w.distress(t0.Add(time.Minute), dialog.DistressFall, 10*time.Minute) {
		t.Error("a second fall in the window alerts again")
	}
	if !w.distress(t0.Add(2*time.Minute), dialog.DistressSelfHarm, 10*time.Minute) || w.kind() != dialog.DistressSelfHarm {
		t.Errorf("self-harm after a fall: kind %s", w.kind())
	}
	if w.distress(t0.Add(3*time.Minute), dialog.DistressFall, 10*time.Minute) || w.kind() != dialog.DistressSelfHarm {
		t.Errorf("the most urgent kind must lead the follow-ups: %s", w.kind())
	}
	// Each distress turn restarts the window: 3m + 10m.
	if !w.active(t0.Add(12*time.Minute)) || w.active(t0.Add(13*time.Minute)) {
		t.Error("the window does not run 10m from the last distress")
	}
	if !w.distress(t0.Add(14*time.Minute), dialog.DistressFall, 10*time.Minute) {
		t.Error("a fall after the window closed does not alert")
	}
	w.close()
	if w.active(t0.Add(14 * time.Minute)) {
		t.Error("closed window still active")
	}
	if !w.distress(t0.Add(15*time.Minute), dialog.DistressFall, 0) || w.active(t0.Add(15*time.Minute)) {
		t.Error("a 0 window: every distress alerts and no window opens")
	}
	if !w.distress(t0.Add(15*time.Minute), dialog.DistressFall, 0) {
		t.Error("a 0 window: a second fall does not alert")
	}
}

// A long message is answered (shortened, keeping its end); a payload far
// too large gets an error and still a word from the cat.
func TestLongAndHugeChat(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	long := strings.Repeat("I went to the market today and saw many fish. ", 40) + "What is your name?"
	ph.publish(p.base+"/cmd/chat", `{"id":"long","text":"`+long+`"}`)
	r := ph.await(p.base+"/response/chat", 10*time.Second, idIs("long"))
	data, _ := r["data"].(map[string]any)
	if r["status"] != "ok" || data["text"] == "" || !strings.Contains(data["note"].(string), "shortened") {
		t.Errorf("long chat: %v", r)
	}
	ph.publish(p.base+"/cmd/chat", strings.Repeat("meow ", 14000))
	r = ph.await(p.base+"/response/chat", 10*time.Second, func(v map[string]any) bool { return v["code"] == "too_large" })
	id, _ := r["id"].(string)
	reply := ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == id && v["text"] != "" && v["text"] != nil })
	if !strings.Contains(reply["text"].(string), "short") {
		t.Errorf("huge chat: reply %v", reply)
	}
	final := ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == id && v["final"] == true })
	if final["text"] != reply["text"] {
		t.Errorf("huge chat: final chunk %v; want the plea %q again, whole", final, reply["text"])
	}
}
