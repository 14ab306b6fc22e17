package daemon

import (
	"io"
	"os"
	"sync"

	"golang.org/x/term"
)

// termLog carries the text log to a terminal that the simulated board's
// keyboard may hold in raw mode (make run). Raw mode turns the terminal's
// output processing off, so a "\n" no longer returns the carriage and each
// log line would start where the last one ended (a staircase); and the
// keyboard keeps a status line on the bottom row, without a newline, which
// a log line would run on from. While raw, every write clears the bottom
// row first, ends each line with "\r\n", and has the status line drawn
// again below it. Otherwise writes pass through unchanged.
type termLog struct {
	w io.Writer

	mu     sync.Mutex
	raw    bool
	redraw chan struct{} // a log line covered the status line
}

func newTermLog(w io.Writer) *termLog {
	return &termLog{w: w, redraw: make(chan struct{}, 1)}
}

func (t *termLog) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.raw {
		return t.w.Write(p)
	}
	if _, err := t.w.Write(rawLines(p)); err != nil {
		return 0, err
	}
	select {
	case t.redraw <- struct{}{}:
	default:
	}
	return len(p), nil
}

// rawLines is p for a raw terminal: the bottom row cleared ("\r\x1b[K"),
// then p's lines, each ending with "\r\n".
func rawLines(p []byte) []byte {
	out := make([]byte, 0, len(p)+len(p)/40+8)
	out = append(out, "\r\x1b[K"...)
	for i, c := range p {
		if c == '\n' && (i == 0 || p[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	if len(p) == 0 || p[len(p)-1] != '\n' {
		out = append(out, "\r\n"...)
	}
	return out
}

// whileRaw switches t to raw-terminal output until the returned stop is
// called, redrawing status() on the bottom row after log lines. status is
// called outside any log call, so it may take whatever locks it needs. A
// nil t does nothing.
func (t *termLog) whileRaw(status func() string) (stop func()) {
	if t == nil {
		return func() {}
	}
	t.mu.Lock()
	t.raw = true
	t.mu.Unlock()
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-t.redraw:
				line := fitWidth(status(), t.w)
				t.mu.Lock()
				if t.raw {
					_, _ = io.WriteString(t.w, "\r\x1b[K"+line)
				}
				t.mu.Unlock()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		t.mu.Lock()
		t.raw = false
		t.mu.Unlock()
	}
}

// fitWidth cuts line to one character less than the terminal is wide, so
// it never wraps onto a second row that "\r\x1b[K" would not clear.
func fitWidth(line string, w io.Writer) string {
	f, ok := w.(*os.File)
	if !ok {
		return line
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if r := []rune(line); err == nil && cols > 1 && len(r) >= cols {
		return string(r[:cols-1])
	}
	return line
}

// terminalLog wraps stderr in a termLog when it is a terminal (where the
// sim keyboard can put it in raw mode); anything else is returned as is.
func terminalLog(stderr *os.File) (io.Writer, *termLog) {
	if stderr == nil || !term.IsTerminal(int(stderr.Fd())) {
		return stderr, nil
	}
	t := newTermLog(stderr)
	return t, t
}
