package mqtt

import (
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestIDs: ids have the documented shape (kind, a per-start tag, a
// counter), are unique across goroutines, and differ between starts.
func TestIDs(t *testing.T) {
	ids := NewIDs()
	shape := regexp.MustCompile(`^ev-[0-9a-f]{6}-[0-9]+$`)
	if id := ids.Next("ev"); !shape.MatchString(id) {
		t.Fatalf("Next(ev) = %q; want ev-<6 hex>-<n>", id)
	}
	seen := sync.Map{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				if _, dup := seen.LoadOrStore(ids.Next("x"), true); dup {
					t.Error("duplicate id")
				}
			}
		})
	}
	wg.Wait()
	a, b := NewIDs().Next("ev"), NewIDs().Next("ev")
	if a == b {
		t.Errorf("two starts made the same first id %q (the tag is not random)", a)
	}
}

// TestLinkUsesGivenIDs: the ids the link makes come from the source the
// daemon gives it, so a run has one tag and one counter.
func TestLinkUsesGivenIDs(t *testing.T) {
	o := testOptions(&syncBuffer{})
	o.IDs = NewIDs()
	l, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	tag := strings.TrimSuffix(o.IDs.Next("d"), "-1")
	l.PublishReply(Reply{Text: "mew", Final: true})
	m, ok := l.out.pop()
	if !ok || !strings.Contains(string(m.payload), `"id":"re-`+strings.TrimPrefix(tag, "d-")+`-2"`) {
		t.Fatalf("reply %s; want the id re-%s-2 from the given source", m.payload, strings.TrimPrefix(tag, "d-"))
	}
}
