package daemon

import (
	"strings"
	"testing"
	"time"
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
		ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == tc.id && v["final"] == true })
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
	ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == id && v["final"] == true })
}
