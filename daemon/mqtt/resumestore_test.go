package mqtt

import (
	"bytes"
	"slices"
	"sync"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

func storedPublish(t *testing.T, id uint16, payload string) *packets.PublishPacket {
	t.Helper()
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.Qos = 1
	p.MessageID = id
	p.TopicName = "purr/testcat/reply"
	p.Payload = []byte(payload)
	return p
}

// TestResumeStoreHandsOutCopies is paho issue #703 in miniature: resume sets
// DUP on what Get returns while the writer packs the packet Publish put.
// With paho's MemoryStore both are one packet and -race reports it.
func TestResumeStoreHandsOutCopies(t *testing.T) {
	s := newResumeStore()
	s.Open()
	orig := storedPublish(t, 7, "mrrp")
	s.Put("o.7", orig)

	var wg sync.WaitGroup
	var wire bytes.Buffer
	wg.Add(1)
	go func() { // the writer of the new connection
		defer wg.Done()
		if err := orig.Write(&wire); err != nil {
			t.Errorf("Write: %v", err)
		}
	}()
	got, ok := s.Get("o.7").(*packets.PublishPacket)
	if !ok {
		t.Fatalf("Get(o.7) = %T, want *packets.PublishPacket", s.Get("o.7"))
	}
	got.Dup = true // what resume does
	wg.Wait()

	if got == orig {
		t.Fatal("Get returned the packet that was put, not a copy")
	}
	if orig.Dup {
		t.Error("resume's DUP reached the packet Publish is sending")
	}
	if again := s.Get("o.7").(*packets.PublishPacket); again.Dup || again == got {
		t.Errorf("a second Get saw the first one's change (dup %v, same %v)", again.Dup, again == got)
	}
	if got.MessageID != 7 || got.TopicName != orig.TopicName || string(got.Payload) != "mrrp" || got.Qos != 1 {
		t.Errorf("copy = id %d topic %q payload %q qos %d, want the stored publish", got.MessageID, got.TopicName, got.Payload, got.Qos)
	}
	read, err := packets.ReadPacket(&wire)
	if err != nil {
		t.Fatalf("ReadPacket of the written publish: %v", err)
	}
	if read.(*packets.PublishPacket).Dup {
		t.Error("the first send went out with DUP set")
	}
}

func TestResumeStoreKeysDelReset(t *testing.T) {
	s := newResumeStore()
	s.Open()
	if s.Get("o.1") != nil {
		t.Error("Get of a missing key is not nil")
	}
	s.Put("o.1", storedPublish(t, 1, "a"))
	s.Put("o.2", storedPublish(t, 2, "b"))
	rel := packets.NewControlPacket(packets.Pubrel).(*packets.PubrelPacket)
	rel.MessageID = 3
	s.Put("o.3", rel)
	sub := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	sub.MessageID, sub.Topics, sub.Qoss = 4, []string{"purr/testcat/cmd/#"}, []byte{1}
	s.Put("o.4", sub)
	unsub := packets.NewControlPacket(packets.Unsubscribe).(*packets.UnsubscribePacket)
	unsub.MessageID, unsub.Topics = 5, []string{"purr/testcat/old"}
	s.Put("o.5", unsub)

	keys := s.All()
	slices.Sort(keys)
	if want := []string{"o.1", "o.2", "o.3", "o.4", "o.5"}; !slices.Equal(keys, want) {
		t.Fatalf("All() = %v, want %v", keys, want)
	}
	for key, want := range map[string]packets.ControlPacket{"o.3": rel, "o.4": sub, "o.5": unsub} {
		got := s.Get(key)
		if got == want {
			t.Errorf("Get(%s) returned the packet put, not a copy", key)
		}
		if got.Details() != want.Details() || got.String() != want.String() {
			t.Errorf("Get(%s) = %v, want %v", key, got, want)
		}
	}
	s.Del("o.1")
	if s.Get("o.1") != nil || len(s.All()) != 4 {
		t.Errorf("after Del(o.1): Get = %v, All = %v", s.Get("o.1"), s.All())
	}
	if got := s.listed.Load(); got != 2 {
		t.Errorf("listed = %d after two All calls, want 2", got)
	}
	s.Close()
	s.Open()
	if len(s.All()) != 4 {
		t.Error("Close and Open lost the stored packets; paho's next Connect re-sends them")
	}
	s.Reset()
	if keys := s.All(); len(keys) != 0 {
		t.Errorf("All() after Reset = %v, want none", keys)
	}
}
