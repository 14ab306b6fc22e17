package daemon

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
)

func TestChatRepliesStreamAndRespond(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	for _, tc := range []struct{ id, text, lang string }{
		{"c-en", "Hello kitty, how are you?", "en"},
		{"c-zh", "你好呀，小猫咪", "zh"},
	} {
		ph.publish(p.base+"/cmd/chat", `{"id":"`+tc.id+`","text":"`+tc.text+`"}`)
		resp := ph.await(p.base+"/response/chat", 15*time.Second, idIs(tc.id))
		if resp["status"] != "ok" {
			t.Fatalf("%s: response %v", tc.id, resp)
		}
		data := resp["data"].(map[string]any)
		text, _ := data["text"].(string)
		if text == "" || data["lang"] != tc.lang || data["brain"] != "rules" {
			t.Fatalf("%s: response data %v", tc.id, data)
		}
		if ms, ok := data["first_sentence_ms"].(float64); !ok || ms < 0 {
			t.Errorf("%s: response data %v; want first_sentence_ms", tc.id, data)
		}
		if tc.lang == "zh" && !strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: Chinese chat answered without Chinese: %q", tc.id, text)
		}
		// The streamed chunks carry the command id, count up, and end
		// with a final chunk; their text adds up to the response's.
		final := ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool {
			return v["command_id"] == tc.id && v["final"] == true
		})
		// The final chunk carries the whole reply, so a widget showing
		// the topic's latest message ends on the cat's words, not blank.
		if final["text"] != text {
			t.Errorf("%s: final chunk %v; want the whole reply %q as its text", tc.id, final, text)
		}
		var said []string
		for _, b := range ph.raw(p.base + "/reply") {
			var v map[string]any
			json.Unmarshal(b, &v)
			if v["command_id"] == tc.id && v["id"] == final["id"] && v["final"] == false && v["text"] != nil && v["text"] != "" {
				said = append(said, v["text"].(string))
			}
		}
		if len(said) == 0 || !strings.Contains(text, said[0]) {
			t.Errorf("%s: streamed chunks %q do not make the reply %q", tc.id, said, text)
		}
	}
}

func TestBadChatAndUnknownVerbGetErrors(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/cmd/chat", `{"id":"e1","text":"   "}`)
	r := ph.await(p.base+"/response/chat", 10*time.Second, idIs("e1"))
	if r["status"] != "error" || !strings.Contains(r["error"].(string), "empty") {
		t.Errorf("empty chat: %v", r)
	}
	ph.publish(p.base+"/cmd/chat", `{"id":"e2","text":42}`)
	r = ph.await(p.base+"/response/chat", 10*time.Second, idIs("e2"))
	if r["status"] != "error" {
		t.Errorf("numeric chat text: %v", r)
	}
	ph.publish(p.base+"/cmd/dance", `{"id":"e3"}`)
	r = ph.await(p.base+"/response/dance", 10*time.Second, idIs("e3"))
	if r["status"] != "error" || !strings.Contains(r["error"].(string), "dance") {
		t.Errorf("unknown verb: %v", r)
	}
	// Still alive.
	ph.publish(p.base+"/cmd/ping", `{"id":"alive"}`)
	ph.await(p.base+"/response/ping", 10*time.Second, idIs("alive"))
}

func TestSimInputReachesMindAndPhone(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/sim/touch", `{"id":"s1","arg":"head"}`)
	ph.await(p.base+"/response/sim", 10*time.Second, idIs("s1"))
	ev := ph.await(p.base+"/event/touch", 10*time.Second, func(v map[string]any) bool { return v["kind"] == "touch_start" })
	if ev["zone"] != "head" || ev["reaction"] == nil || ev["id"] == "" {
		t.Fatalf("touch event %v", ev)
	}
	// feed changes the needs the state reports.
	ph.publish(p.base+"/cmd/feed", `{"id":"f1"}`)
	r := ph.await(p.base+"/response/feed", 10*time.Second, idIs("f1"))
	if r["status"] != "ok" || r["data"].(map[string]any)["reaction"] == nil {
		t.Fatalf("feed response %v", r)
	}
	ph.publish(p.base+"/cmd/get_state", `{"id":"g1"}`)
	st := ph.await(p.base+"/response/get_state", 10*time.Second, idIs("g1"))["data"].(map[string]any)
	for _, k := range []string{"mood", "needs", "emotion", "asleep", "sensors", "hardware", "brain", "version", "uptime_s"} {
		if _, ok := st[k]; !ok {
			t.Errorf("state lacks %q: %v", k, st)
		}
	}
	// sleep, then a touch wakes the cat.
	ph.publish(p.base+"/cmd/sleep", `{"id":"z1"}`)
	r = ph.await(p.base+"/response/sleep", 10*time.Second, idIs("z1"))
	if r["data"].(map[string]any)["asleep"] != true {
		t.Fatalf("sleep: %v", r)
	}
	ph.publish(p.base+"/cmd/pet", `{"id":"w1","zone":"chin"}`)
	r = ph.await(p.base+"/response/pet", 10*time.Second, idIs("w1"))
	if r["data"].(map[string]any)["asleep"] != false {
		t.Fatalf("a pet did not wake the cat: %v", r)
	}
	ph.await(p.base+"/event/mind", 10*time.Second, func(v map[string]any) bool { return v["kind"] == "woke_up" })
	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestSetPersonaNameVolumeSurviveRestart(t *testing.T) {
	personas, err := filepath.Abs("../configs/personas/mochi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	extra := "persona: " + personas + "\n"
	p := startProc(t, extra)
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/cmd/set", `{"id":"bad","persona":"../etc/passwd"}`)
	if r := ph.await(p.base+"/response/set", 10*time.Second, idIs("bad")); r["status"] != "error" {
		t.Fatalf("path-like persona accepted: %v", r)
	}
	ph.publish(p.base+"/cmd/set", `{"id":"s1","persona":"tofu","volume":0.25}`)
	r := ph.await(p.base+"/response/set", 10*time.Second, idIs("s1"))
	if r["status"] != "ok" {
		t.Fatalf("set: %v", r)
	}
	tofu := r["data"].(map[string]any)["persona"]
	if tofu == "" || tofu == "Mochi" {
		t.Fatalf("persona not switched: %v", r)
	}
	ph.publish(p.base+"/cmd/set", `{"id":"s2","name":"Biscuit"}`)
	ph.await(p.base+"/response/set", 10*time.Second, idIs("s2"))
	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}

	// Same state directory, same config: the owner's choices are back.
	p2 := startProcSetup(t, extra, func(dir string) {
		os.CopyFS(filepath.Join(dir, "state"), os.DirFS(filepath.Join(p.dir, "state")))
	})
	p2.waitNote("READY=1", 20*time.Second)
	ph2 := p2.phone()
	ph2.publish(p2.base+"/cmd/get_state", `{"id":"g"}`)
	st := ph2.await(p2.base+"/response/get_state", 10*time.Second, idIs("g"))["data"].(map[string]any)
	if st["persona"] != tofu || st["name"] != "Biscuit" || st["volume"] != 0.25 {
		t.Fatalf("after restart: persona %v name %v volume %v; want %v Biscuit 0.25", st["persona"], st["name"], st["volume"], tofu)
	}
}

// TestSpontaneousRemarkIsRare: with brain.spontaneous_every set, a pick-up
// makes the cat say something unprompted (a reply whose command_id is the
// event's id, no response), and a second pick-up right after does not.
func TestSpontaneousRemarkIsRare(t *testing.T) {
	p := startProc(t, "brain: {kind: rules, spontaneous_every: 1h}\n")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/sim/pick_up", `{"id":"u1"}`)
	ev := ph.await(p.base+"/event/motion", 10*time.Second, func(v map[string]any) bool { return v["kind"] == "picked_up" })
	remark := ph.await(p.base+"/reply", 10*time.Second, func(v map[string]any) bool {
		return v["command_id"] == ev["id"] && v["text"] != ""
	})
	if remark["final"] == true {
		t.Fatalf("remark chunk %v", remark)
	}
	ph.publish(p.base+"/sim/put_down", `{"id":"u2"}`)
	ph.await(p.base+"/event/motion", 10*time.Second, func(v map[string]any) bool { return v["kind"] == "put_down" })
	ph.publish(p.base+"/sim/pick_up", `{"id":"u3"}`)
	ph.await(p.base+"/response/sim", 10*time.Second, idIs("u3"))
	var second map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for second == nil && time.Now().Before(deadline) {
		for _, b := range ph.raw(p.base + "/event/motion") {
			var v map[string]any
			json.Unmarshal(b, &v)
			if v["kind"] == "picked_up" && v["id"] != ev["id"] {
				second = v
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if second == nil {
		t.Fatal("second pick-up event not seen")
	}
	ph.publish(p.base+"/cmd/ping", `{"id":"sync"}`) // the loop has handled everything before this
	ph.await(p.base+"/response/ping", 10*time.Second, idIs("sync"))
	// A remark would have been started before the ping was handled; the
	// rules brain answers in microseconds, so half a second is ample for
	// its chunks to arrive. (Absence cannot be awaited.)
	time.Sleep(500 * time.Millisecond)
	for _, b := range ph.raw(p.base + "/reply") {
		var v map[string]any
		json.Unmarshal(b, &v)
		if v["command_id"] == second["id"] {
			t.Fatalf("a second remark within spontaneous_every: %s", b)
		}
	}
}

// TestConfigPersonaWinsWhenOwnerChoseNone: a persona only the config named
// is not pinned by the state file; editing the config changes the cat.
func TestConfigPersonaWinsWhenOwnerChoseNone(t *testing.T) {
	dir, err := filepath.Abs("../configs/personas")
	if err != nil {
		t.Fatal(err)
	}
	p := startProc(t, "persona: "+dir+"/mochi.yaml\n")
	p.waitNote("READY=1", 20*time.Second)
	p.signal(syscall.SIGTERM)
	if code := p.wait(stopWait); code != 0 {
		t.Fatalf("exit %d", code)
	}
	p2 := startProcSetup(t, "persona: "+dir+"/tofu.yaml\n", func(d string) {
		os.CopyFS(filepath.Join(d, "state"), os.DirFS(filepath.Join(p.dir, "state")))
	})
	p2.waitNote("READY=1", 20*time.Second)
	ph := p2.phone()
	ph.publish(p2.base+"/cmd/get_state", `{"id":"g"}`)
	st := ph.await(p2.base+"/response/get_state", 10*time.Second, idIs("g"))["data"].(map[string]any)
	if st["persona"] != "Tofu" || st["name"] != "Tofu" {
		t.Fatalf("config changed to tofu, state says persona %v name %v", st["persona"], st["name"])
	}
}

// TestIDKeepsItsJSONType: a phone that sends {"id":42} finds 42 (a number)
// in the response and in every reply chunk's command_id, and one that sends
// "42" finds the string: each gets back the type it sent.
func TestIDKeepsItsJSONType(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	for _, id := range []any{42.0, "42"} {
		idJSON, _ := json.Marshal(id)
		ph.publish(p.base+"/cmd/ping", `{"id":`+string(idJSON)+`}`)
		r := ph.await(p.base+"/response/ping", 10*time.Second, func(v map[string]any) bool { return v["id"] == id })
		if r["status"] != "ok" {
			t.Fatalf("ping id %s: %v", idJSON, r)
		}
		ph.publish(p.base+"/cmd/chat", `{"id":`+string(idJSON)+`,"text":"Hello kitty"}`)
		ph.await(p.base+"/response/chat", 15*time.Second, func(v map[string]any) bool { return v["id"] == id })
		ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool { return v["command_id"] == id && v["final"] == true })
		for _, b := range ph.raw(p.base + "/reply") {
			var v map[string]any
			json.Unmarshal(b, &v)
			if v["command_id"] == float64(42) || v["command_id"] == "42" {
				continue
			}
			t.Errorf("reply chunk %s: command_id is neither 42 nor \"42\"", b)
		}
	}
	// Exactly one answer for each: the number and the string are two ids.
	var num, str int
	for _, b := range ph.raw(p.base + "/response/chat") {
		var v map[string]any
		json.Unmarshal(b, &v)
		switch v["id"] {
		case 42.0:
			num++
		case "42":
			str++
		}
	}
	if num != 1 || str != 1 {
		t.Errorf("chat answers: %d with the number 42, %d with the string; want one each", num, str)
	}
}

// TestUnspokenLanguageSaysSo: the cat speaks its persona's languages (en,
// zh). Asked for pt-BR it answers in English, and the answer says so: lang
// is the language it spoke ("en", not "pt"), and the note names the one
// asked for.
func TestUnspokenLanguageSaysSo(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/cmd/chat", `{"id":"pt","text":"Olá gatinho, tudo bem?","lang":"pt-BR"}`)
	r := ph.await(p.base+"/response/chat", 15*time.Second, idIs("pt"))
	data, _ := r["data"].(map[string]any)
	note, _ := data["note"].(string)
	if r["status"] != "ok" || data["lang"] != "en" || !strings.Contains(note, "does not speak pt-BR") || !strings.Contains(note, "answered in en") {
		t.Errorf("pt-BR chat: %v; want lang en and a note naming pt-BR", r)
	}
	ph.publish(p.base+"/cmd/chat", `{"id":"zh","text":"你好","lang":"zh-CN"}`)
	r = ph.await(p.base+"/response/chat", 15*time.Second, idIs("zh"))
	if data, _ := r["data"].(map[string]any); data["lang"] != "zh" || data["note"] != nil {
		t.Errorf("zh-CN chat: %v; want lang zh and no note", r)
	}
}

// TestSimMistakesHaveTheirCodes: sim/dance is answered unknown_input (as
// cmd/dance is unknown_verb), naming the inputs there are, and a bad
// argument bad_field: the caller's mistakes, not the daemon's "failed".
func TestSimMistakesHaveTheirCodes(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/sim/dance", `{"id":"s-dance"}`)
	r := ph.await(p.base+"/response/sim", 10*time.Second, idIs("s-dance"))
	if msg, _ := r["error"].(string); r["code"] != "unknown_input" || !strings.Contains(msg, "dance") || !strings.Contains(msg, "touch <zone>") {
		t.Errorf("sim/dance: %v; want unknown_input naming it and the inputs", r)
	}
	ph.publish(p.base+"/sim/touch", `{"id":"s-tail","arg":"tail"}`)
	r = ph.await(p.base+"/response/sim", 10*time.Second, idIs("s-tail"))
	if msg, _ := r["error"].(string); r["code"] != "bad_field" || !strings.Contains(msg, `"tail"`) {
		t.Errorf("sim/touch tail: %v; want bad_field naming the zone", r)
	}
}

// Sad words get a quiet cat in the reply the phone sees (rules.Somber):
// no chirp or trill, no happy or loving eyes, whatever its mood.
func TestSadWordsGetAQuietCat(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	for i, text := range []string{
		"My old friend Betty died last week.",
		"老伴走了三年了，今天又梦见他了。",
		"My knees have been aching all morning.",
		"My old friend Betty died last week.",
	} {
		id := fmt.Sprintf("sad-%d", i)
		ph.publish(p.base+"/cmd/chat", `{"id":"`+id+`","text":"`+text+`"}`)
		ph.await(p.base+"/response/chat", 15*time.Second, idIs(id))
		final := ph.await(p.base+"/reply", 5*time.Second, func(v map[string]any) bool {
			return v["command_id"] == id && v["final"] == true
		})
		if s := final["sound"]; s == "chirp" || s == "trill" {
			t.Errorf("%q: the cat made a %v", text, s)
		}
		if e := final["expression"]; e == "happy" || e == "love" || e == nil {
			t.Errorf("%q: expression %v; want a quiet one", text, e)
		}
	}
}
