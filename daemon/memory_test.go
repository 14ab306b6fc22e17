package daemon

import (
	"strings"
	"testing"
	"time"
)

// The phone page's memory view: cmd/memory lists what the cat learnt from
// chats, cmd/forget drops one fact by key or all of them.
func TestMemoryAndForget(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	for i, text := range []string{"My name is Ana", "I love strawberries"} {
		id := "m" + string(rune('0'+i))
		ph.publish(p.base+"/cmd/chat", `{"id":"`+id+`","text":"`+text+`"}`)
		ph.await(p.base+"/response/chat", 15*time.Second, idIs(id))
	}
	ph.publish(p.base+"/cmd/memory", `{"id":"see"}`)
	r := ph.await(p.base+"/response/memory", 10*time.Second, idIs("see"))
	facts, _ := r["data"].(map[string]any)["facts"].([]any)
	if len(facts) != 2 {
		t.Fatalf("memory: %v, want two facts", r)
	}
	key := facts[0].(map[string]any)["key"].(string)
	ph.publish(p.base+"/cmd/forget", `{"id":"one","key":"`+key+`"}`)
	r = ph.await(p.base+"/response/forget", 10*time.Second, idIs("one"))
	if d := r["data"].(map[string]any); d["forgot"] != 1.0 || len(d["facts"].([]any)) != 1 {
		t.Fatalf("forget %q: %v", key, r)
	}
	ph.publish(p.base+"/cmd/forget", `{"id":"none","key":"`+key+`"}`)
	r = ph.await(p.base+"/response/forget", 10*time.Second, idIs("none"))
	if r["status"] != "error" || !strings.Contains(r["error"].(string), key) {
		t.Fatalf("forgetting it again: %v", r)
	}
	ph.publish(p.base+"/cmd/forget", `{"id":"all"}`)
	r = ph.await(p.base+"/response/forget", 10*time.Second, idIs("all"))
	if d := r["data"].(map[string]any); d["forgot"] != 1.0 || len(d["facts"].([]any)) != 0 {
		t.Fatalf("forget all: %v", r)
	}
}

// The state carries what the body shows, so a phone can draw the cat:
// eyes and face change when the cat is fed.
func TestStateShowsBody(t *testing.T) {
	p := startProc(t, "")
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	ph.publish(p.base+"/cmd/feed", `{"id":"f"}`)
	ph.await(p.base+"/response/feed", 10*time.Second, idIs("f"))
	st := ph.await(p.base+"/state", 5*time.Second, func(v map[string]any) bool { return v["body"] != nil })
	b := st["body"].(map[string]any)
	if eyes, _ := b["eyes"].(string); len(eyes) != 7 || eyes[0] != '#' || b["face"] == "" || b["face"] == nil {
		t.Fatalf("state body: %v", b)
	}
}
