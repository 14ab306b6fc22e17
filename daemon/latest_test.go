package daemon

import "testing"

func TestSendLatestKeepsNewest(t *testing.T) {
	box := make(chan int, 1)
	for i := 1; i <= 5; i++ {
		sendLatest(box, i) // never blocks, although nobody reads
	}
	if got := <-box; got != 5 {
		t.Fatalf("mailbox held %d, want the newest (5)", got)
	}
	select {
	case v := <-box:
		t.Fatalf("mailbox held a second value %d", v)
	default:
	}
}
