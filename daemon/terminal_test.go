package daemon

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/internal/testkit"
)

func TestRawLines(t *testing.T) {
	for in, want := range map[string]string{
		"level=INFO msg=hi\n":  "\r\x1b[Klevel=INFO msg=hi\r\n",
		"one\ntwo\n":           "\r\x1b[Kone\r\ntwo\r\n",
		"already\r\n":          "\r\x1b[Kalready\r\n",
		"no newline":           "\r\x1b[Kno newline\r\n",
		"\n":                   "\r\x1b[K\r\n",
		"":                     "\r\x1b[K\r\n",
		"mixed\r\nline\nend\n": "\r\x1b[Kmixed\r\nline\r\nend\r\n",
	} {
		if got := string(rawLines([]byte(in))); got != want {
			t.Errorf("rawLines(%q) = %q, want %q", in, got, want)
		}
	}
}

// Cooked, the log passes through untouched; while the keyboard holds the
// terminal raw, lines end with "\r\n" and the status line comes back below
// the last one; after, it passes through again.
func TestTermLog(t *testing.T) {
	var out testkit.SyncBuffer
	tl := newTermLog(&out)
	fmt.Fprint(tl, "before\n")
	stop := tl.whileRaw(func() string { return "eyes off | quiet" })
	n, err := fmt.Fprint(tl, "during\n")
	if err != nil || n != len("during\n") {
		t.Errorf("Write = %d, %v; want the length of its input", n, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasSuffix(out.String(), "\r\x1b[Keyes off | quiet") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	stop()
	fmt.Fprint(tl, "after\n")
	want := "before\n" + "\r\x1b[Kduring\r\n" + "\r\x1b[Keyes off | quiet" + "after\n"
	if got := out.String(); got != want {
		t.Errorf("terminal got %q\nwant %q", got, want)
	}
	var none *termLog
	none.whileRaw(func() string { return "" })() // no terminal: nothing to do
}
