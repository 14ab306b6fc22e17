package sim

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/purrd/purrd/hal"
)

// status keeps one line on a terminal showing the outputs, redrawn when
// something changes (never on a timer). On anything but a terminal it
// stays silent except for messages, which are printed as lines.
type status struct {
	b    *Board
	w    io.Writer
	tty  bool
	mu   sync.Mutex
	last string
	in   string
}

func newStatus(b *Board, w io.Writer) *status {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &status{b: b, w: w, tty: tty}
}

// Line renders the status line for the board's outputs and sensors.
func (b *Board) StatusLine() string {
	o := b.Outputs()
	room, bat := b.Room(), b.Battery()
	var sb strings.Builder
	e := o.Eyes
	if e.Brightness == 0 || e.Color == (hal.RGB{}) {
		sb.WriteString("eyes off")
	} else {
		anim := string(e.Animation)
		if anim == "" {
			anim = "steady"
		}
		fmt.Fprintf(&sb, "eyes #%02x%02x%02x %d%% %s", e.Color.R, e.Color.G, e.Color.B, int(e.Brightness*100+0.5), anim)
	}
	if o.Purring {
		fmt.Fprintf(&sb, " | purring %s", o.Purr)
	} else {
		sb.WriteString(" | quiet")
	}
	fmt.Fprintf(&sb, " | tail %.0f°", o.TailAngle)
	if o.TailLimp {
		sb.WriteString(" limp")
	}
	if o.Tune != "" {
		fmt.Fprintf(&sb, " | tune %s", o.Tune)
	}
	if o.Expression != "" {
		fmt.Fprintf(&sb, " | face %s", o.Expression)
	}
	fmt.Fprintf(&sb, " | %s | %.1f°C | bat %.0f%%", b.MotionState(), room.TemperatureC, bat.Percent)
	if bat.Charging {
		sb.WriteString(" charging")
	}
	return sb.String()
}

func (s *status) run(ctx context.Context) {
	s.draw()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.b.changed:
			s.draw()
		}
	}
}

func (s *status) lastInput(in string) {
	s.mu.Lock()
	s.in = strings.TrimSpace(in)
	s.mu.Unlock()
	s.draw()
}

func (s *status) draw() {
	if !s.tty {
		return
	}
	line := s.b.StatusLine()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.in != "" {
		line = "[" + s.in + "] " + line
	}
	if line == s.last {
		return
	}
	s.last = line
	if f, ok := s.w.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 1 && len([]rune(line)) >= w {
			line = string([]rune(line)[:w-1])
		}
	}
	fmt.Fprintf(s.w, "\r\x1b[K%s", line)
}

// message prints a line above the status line.
func (s *status) message(m string) {
	s.mu.Lock()
	if s.tty {
		fmt.Fprintf(s.w, "\r\x1b[K%s\r\n", m)
		s.last = ""
	} else {
		fmt.Fprintln(s.w, m)
	}
	s.mu.Unlock()
	s.draw()
}

func (s *status) finish() {
	if s.tty {
		fmt.Fprint(s.w, "\r\n")
	}
}
