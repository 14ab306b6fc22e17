package dialog

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/purrd/purrd/dialog/persona"
)

const chatHelp = `Type to talk. Commands:
  /pet /feed /play /sleep /wake   owner commands
  /stroke [zone] /poke [zone] /hold [zone]   touch (zones: head chin back belly tail ...)
  /pickup /putdown /shake /fall /tilt /cold /hot   body and room
  /wait <duration>   let time pass (e.g. /wait 3h) to see decay and sleep
  /mood   every axis and need     /facts   what it remembers
  /forget   drop the facts        /clear   forget recent turns
  /help   this text               /quit   leave`

// chatStimuli maps REPL commands to stimuli.
var chatStimuli = map[string]StimulusKind{
	"/pet": StimPet, "/feed": StimFeed, "/play": StimPlay, "/sleep": StimSleep, "/wake": StimWake,
	"/stroke": StimStroke, "/poke": StimPoke, "/hold": StimTouchHeld, "/pickup": StimPickedUp,
	"/putdown": StimPutDown, "/shake": StimShaken, "/fall": StimFall, "/tilt": StimTilted,
	"/cold": StimCold, "/hot": StimHot, "/press": StimButtonPress,
}

// ChatREPL is `purrd chat`: a terminal conversation with brain for makers
// tuning a persona. It shows the mood before every prompt, each instant
// reaction, and the reply as it streams, cleaned as the daemon would clean
// it. It returns nil at end of input or /quit, ctx.Err() when ctx ends,
// and the error of a failed write. Replies that fail are reported and
// answered with a filler, as the daemon would. fixed, when not nil, is asked
// first, as the daemon asks its care and refusal paths before any brain.
// somber, when not nil, marks sad words for the instant reaction, as the
// daemon marks them (Stimulus.Somber).
func ChatREPL(ctx context.Context, in io.Reader, out io.Writer, mind *Mind, brain Brain, conv *Conversation, p *persona.Persona, fixed ChatFixed, somber func(text string) bool) error {
	if mind == nil || brain == nil || conv == nil {
		return errChatParts
	}
	if p == nil {
		p = mind.Persona()
	}
	w := &errWriter{w: out}
	st := brain.Status()
	w.printf("Chatting with %s (brain: %s, %s%s). /help for commands, /quit to leave.\n", p.Name, st.Name, st.State, reason(st))

	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		readErr <- sc.Err()
		close(lines)
	}()

	var offset time.Duration // simulated time from /wait
	now := func() time.Time { return mind.clock.Now().Add(offset) }
	cleaner := NewCleaner(p, NewScript(p, Request{PetName: p.Name}, ScriptOptions{NoShots: true}).PromptText())
	n := 0
	for {
		for _, e := range mind.Tick(now()) {
			if e.Reason != "" {
				w.printf("  * %s (%s), now %s\n", e.Kind, e.Reason, e.Mood)
			} else {
				w.printf("  * %s: %s\n", e.Kind, e.Mood)
			}
		}
		w.printf("[%s] you> ", mind.MoodLine())
		if w.err != nil {
			return fmt.Errorf("dialog: chat: write: %w", w.err)
		}
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line, ok = <-lines:
		}
		if !ok {
			w.printf("\n")
			if err := <-readErr; err != nil {
				return fmt.Errorf("dialog: chat: read: %w", err)
			}
			return w.err
		}
		line = strings.TrimSpace(line)
		n++
		id := "chat-" + strconv.Itoa(n)
		if strings.HasPrefix(line, "/") {
			cmd, arg, _ := strings.Cut(line, " ")
			arg = strings.TrimSpace(arg)
			switch cmd {
			case "/quit", "/exit":
				return w.err
			case "/help":
				w.printf("%s\n", chatHelp)
			case "/mood":
				b, _ := json.MarshalIndent(mind.State(), "  ", "  ")
				w.printf("  %s\n", b)
			case "/facts":
				facts := conv.Facts()
				if len(facts) == 0 {
					w.printf("  (nothing remembered yet)\n")
				}
				for _, f := range facts {
					w.printf("  - %s\n", f)
				}
			case "/forget":
				conv.Forget()
				w.printf("  (facts forgotten)\n")
			case "/clear":
				conv.ClearTurns()
				w.printf("  (recent turns forgotten)\n")
			case "/wait":
				d, err := time.ParseDuration(arg)
				if err != nil || d <= 0 {
					w.printf("  ! /wait wants a positive duration like 30m or 3h, got %q\n", arg)
					break
				}
				offset += d
				w.printf("  (%s pass)\n", d)
			default:
				k, known := chatStimuli[cmd]
				if !known {
					w.printf("  ! unknown command %q; /help lists them\n", cmd)
					break
				}
				if arg == "" && k.isTouch() {
					arg = "head"
				}
				r := mind.Feel(Stimulus{Kind: k, Zone: arg, Time: now(), ID: id})
				w.printf("  %s\n", describeReaction(r))
			}
			continue
		}
		text, note, err := ValidateChat(line, 0)
		if err != nil {
			w.printf("  ! %v\n", err)
			continue
		}
		if note != "" {
			w.printf("  (%s)\n", note)
		}
		r := mind.Feel(Stimulus{Kind: StimChat, Time: now(), ID: id, Somber: somber != nil && somber(text)})
		w.printf("  %s\n", describeReaction(r))
		req := NewRequest(id, text, p, mind, conv)
		name := p.NameIn(req.Lang)
		var reply, why string
		answered := false
		if fixed != nil {
			reply, why, answered = fixed(req, now())
		}
		if answered {
			// Said whole, as the daemon says these lines: the
			// persona's length limits do not cut them.
			w.printf("%s> %s\n  (%s)\n", name, reply, why)
		} else {
			if reply, err = streamReply(ctx, w, brain, req, cleaner, name); err != nil {
				return err
			}
			if reply == "" {
				reply = p.FillersIn(req.Lang)[0]
				w.printf("%s> %s\n", name, reply)
			}
		}
		for _, f := range conv.Add(Turn{Role: "owner", Text: text, Time: now()}) {
			w.printf("  (remembered: %s)\n", f.Text)
		}
		conv.Add(Turn{Role: "pet", Text: reply, Time: now()})
	}
}

// streamReply asks brain for req's reply and prints it as it streams,
// cleaned as the daemon would clean it, and returns what was said ("" when
// nothing was). A failed reply is reported, not returned: only the end of
// ctx ends the REPL.
func streamReply(ctx context.Context, w *errWriter, brain Brain, req Request, cleaner *Cleaner, name string) (string, error) {
	var said []string
	filter := cleaner.NewReply()
	replyCtx, stop := context.WithCancel(ctx)
	err := brain.Reply(replyCtx, req, func(c Chunk) {
		t := filter.Add(c.Text)
		if filter.Done() {
			stop() // enough said: stop generating
		}
		if t == "" {
			return
		}
		if len(said) == 0 {
			w.printf("%s> ", name)
		} else if joinSentences([]string{said[len(said)-1], t}) != said[len(said)-1]+t {
			w.printf(" ")
		}
		said = append(said, t)
		w.printf("%s", t)
	})
	if len(said) > 0 {
		w.printf("\n")
	}
	stop()
	if err != nil && !(filter.Done() && errors.Is(err, context.Canceled)) {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		w.printf("  ! brain: %v\n", err)
	}
	return joinSentences(said), nil
}

func reason(st BrainStatus) string {
	if st.Reason == "" {
		return ""
	}
	return ": " + st.Reason
}

// describeReaction is one line a maker can read: what the body would do.
func describeReaction(r Reaction) string {
	var b strings.Builder
	fmt.Fprintf(&b, "(%s, %s eyes %s #%02x%02x%02x %.0f%%", r.Sound, r.Expression, r.Eyes.Animation,
		r.Eyes.R, r.Eyes.G, r.Eyes.B, r.Eyes.Brightness*100)
	if r.Purr != "" {
		fmt.Fprintf(&b, ", purr %s %.2f", r.Purr, r.PurrStrength)
	}
	fmt.Fprintf(&b, ", tail %s %.0f°) feels %s", r.Tail, r.TailAngle, r.Emotion)
	return b.String()
}

// ChatFixed answers a chat line with a line chosen without the brain
// (the daemon's care and refusal paths) and says which path chose it
// (why); ok false leaves the line to the brain. now is the REPL's clock,
// which /wait moves.
type ChatFixed func(req Request, now time.Time) (text, why string, ok bool)

// errWriter keeps the first write error so the REPL checks once per turn.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}

// errChatParts is returned when ChatREPL lacks a part to work with.
var errChatParts = errors.New("dialog: chat: mind, brain and conversation are all required")
