package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// ErrQuit is returned by Keyboard when the user pressed q or Ctrl-C (in raw
// mode the terminal does not turn Ctrl-C into SIGINT, so the daemon must
// treat this as a request to stop).
var ErrQuit = errors.New("sim: quit from the keyboard")

// keymap maps a key to an Inject call. Immutable.
func keymap() map[byte][2]string {
	return map[byte][2]string{
		' ': {"press", ""},
		'l': {"long_press", ""},
		'2': {"double_press", ""},
		'h': {"touch", "head"},
		'b': {"touch", "back"},
		'c': {"touch", "chin"},
		's': {"stroke", "head back"},
		'p': {"pick_up", ""},
		'd': {"put_down", ""},
		'k': {"shake", ""},
		'f': {"fall", ""},
		't': {"tilt", ""},
		'g': {"charge", ""}, // toggles
		'+': {"temp", "+1"},
		'-': {"temp", "-1"},
		'x': {"battery", "-10"},
	}
}

// KeyHelp documents the keyboard, one key a line.
const KeyHelp = `space  press the button        l  long press     2  double press
h b c  touch head / back / chin  s  stroke head->back
p      pick up    d  put down    k  shake          f  fall        t  tilt
+ -    room temperature +/- 1 °C x  drain battery 10 %          g  charger on/off
?      this help                 q or Ctrl-C  quit`

// Keyboard drives the board from keys read from in, and when out is a
// terminal keeps a one-line status of the outputs on it. When in is a
// terminal it is put in raw mode (one key at a time, no echo) and restored
// on return. It returns nil when ctx ends or in reaches EOF, ErrQuit on q
// or Ctrl-C.
func (b *Board) Keyboard(ctx context.Context, in io.Reader, out io.Writer) error {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		old, err := term.MakeRaw(int(f.Fd()))
		if err != nil {
			return fmt.Errorf("sim: keyboard: raw mode on %s: %w", f.Name(), err)
		}
		defer func() { _ = term.Restore(int(f.Fd()), old) }()
	}
	st := newStatus(b, out)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go st.run(ctx)

	keys := make(chan byte)
	readErr := make(chan error, 1)
	// A blocked Read cannot be interrupted; this goroutine ends at the
	// next key or EOF, which for a terminal is at exit.
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := in.Read(buf)
			for _, k := range buf[:n] {
				select {
				case keys <- k:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				readErr <- err
				return
			}
		}
	}()
	st.message("sim: keys: space press, h/b/c touch, s stroke, p/d pick up/put down, k shake, f fall, t tilt, +/- temp, x battery, g charge, ? help, q quit")
	km := keymap()
	for {
		select {
		case <-ctx.Done():
			st.finish()
			return nil
		case err := <-readErr:
			st.finish()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("sim: keyboard: read: %w", err)
		case k := <-keys:
			switch k {
			case 'q', 3, 4: // q, Ctrl-C, Ctrl-D
				st.finish()
				return ErrQuit
			case '?':
				st.message(strings.ReplaceAll(KeyHelp, "\n", "\r\n"))
				continue
			case '\r', '\n':
				continue
			}
			act, ok := km[k]
			if !ok {
				st.message(fmt.Sprintf("sim: key %q does nothing (? for help)", k))
				continue
			}
			if err := b.Inject(act[0], b.resolveArg(act[0], act[1])); err != nil {
				st.message(err.Error())
				continue
			}
			st.lastInput(act[0] + " " + act[1])
		}
	}
}

// resolveArg turns the keyboard's relative arguments into absolute ones.
func (b *Board) resolveArg(input, arg string) string {
	switch input {
	case "temp":
		r := b.Room()
		d := 1.0
		if arg == "-1" {
			d = -1
		}
		return fmt.Sprintf("%g", r.TemperatureC+d)
	case "battery":
		return fmt.Sprintf("%g", max(0, b.Battery().Percent-10))
	case "charge":
		if b.Battery().Charging {
			return "off"
		}
		return "on"
	}
	return arg
}
