// Package export turns purrd's training conversations into the examples a
// trainer reads, rendered by the same code that renders the brain's prompt
// at run time (dialog.NewScript and the llama prompt formats) and, given a
// model, tokenized by the same engine. Whatever the adapter learns from is
// therefore, token for token, what it is shown on the robot.
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/training/dataset"
)

// Options choose how conversations are rendered.
type Options struct {
	Persona *persona.Persona // nil: the built-in persona
	// Template is the model's chat template ("" for a base model); it picks
	// the prompt format, as it does in the brain.
	Template string
	Script   dialog.ScriptOptions
	// Context is the model context the daemon runs with (brain.context);
	// the history budget is derived from it as the daemon derives it.
	Context int
	// HistoryTurns is the most turns of the talk a prompt holds
	// (brain.history_turns); 0 is dialog's default (16).
	HistoryTurns int
}

// Record is one line of the export: a whole conversation rendered as the
// prompt of its last reply, followed by that reply. Every reply of the pet
// still inside the rendered history carries loss too, so a conversation
// of five exchanges teaches five replies in one sequence.
type Record struct {
	ID   string `json:"id"`
	Lang string `json:"lang"`
	Text string `json:"text"`
	IDs  []int  `json:"ids,omitempty"`
	Mask []int8 `json:"mask,omitempty"`
	// Replies counts the pet replies that carry loss.
	Replies int `json:"replies"`
}

// Render is the training example for c: the run-time prompt of its last
// reply (built through the same Request and Conversation code the daemon
// uses) plus that reply. It fails on a conversation that does not start
// with the owner, alternate, and end with the pet.
func Render(c dataset.Conversation, o Options) ([]llama.Segment, dialog.Script, error) {
	req, p, err := request(c, o)
	if err != nil {
		return nil, dialog.Script{}, err
	}
	s := dialog.NewScript(p, req, o.Script)
	return llama.Example(o.Template, s, strings.Join(strings.Fields(c.Turns[len(c.Turns)-1].Text), " ")), s, nil
}

// Request is what the brain is asked for c's last reply: the owner's
// last line with the facts, mood, name and earlier turns around it, as
// the daemon would ask it. A model's own replies to it (purrd dataset
// sample) are replies to exactly the prompt Render trains on.
func Request(c dataset.Conversation, o Options) (dialog.Request, error) {
	req, _, err := request(c, o)
	return req, err
}

func request(c dataset.Conversation, o Options) (dialog.Request, *persona.Persona, error) {
	if err := check(c); err != nil {
		return dialog.Request{}, nil, err
	}
	p := o.Persona
	if p == nil {
		p = persona.Default()
	}
	ctx := o.Context
	if ctx <= 0 {
		ctx = 1024
	}
	conv := dialog.NewConversation(dialog.ConversationOptions{BudgetTokens: ctx / 3, MaxTurns: o.HistoryTurns})
	for i, f := range c.Facts {
		conv.Remember(dialog.Fact{Key: fmt.Sprintf("given:%d", i), Text: f})
	}
	// A fixed clock: fact times are not part of any prompt, and the export
	// must not change from run to run.
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var req dialog.Request
	last := len(c.Turns) - 1
	for i, t := range c.Turns {
		if t.Role == "owner" {
			req = dialog.NewRequest(fmt.Sprintf("%s/%d", c.ID, i), t.Text, p, nil, conv)
			req.Mood = c.Mood
			if c.PetName != "" {
				req.PetName = c.PetName
			}
		}
		if i == last {
			break
		}
		conv.Add(dialog.Turn{Role: t.Role, Text: t.Text, Time: at})
	}
	return req, p, nil
}

func check(c dataset.Conversation) error {
	if len(c.Turns) < 2 {
		return fmt.Errorf("export: %s: %d turns; want an owner turn and a reply at least", c.ID, len(c.Turns))
	}
	for i, t := range c.Turns {
		want := "owner"
		if i%2 == 1 {
			want = "pet"
		}
		if t.Role != want {
			return fmt.Errorf("export: %s: turn %d is %q, want %q (turns alternate, owner first)", c.ID, i, t.Role, want)
		}
		if strings.TrimSpace(t.Text) == "" {
			return fmt.Errorf("export: %s: turn %d is empty", c.ID, i)
		}
	}
	if len(c.Turns)%2 != 0 {
		return fmt.Errorf("export: %s: the last turn is the owner's; want the pet's reply last", c.ID)
	}
	return nil
}

// Encoder tokenizes segments as the brain does (llama.Tokenizer).
type Encoder interface {
	Encode(segs []llama.Segment) (ids []int, reply []bool, err error)
}

// Write renders every conversation and writes one JSON Record a line.
// With enc, records carry token ids and the loss mask; records longer than
// maxTokens (when > 0) are left out and counted in the returned skipped.
func Write(w io.Writer, convs []dataset.Conversation, o Options, enc Encoder, maxTokens int) (written, skipped int, err error) {
	jw := json.NewEncoder(w)
	jw.SetEscapeHTML(false)
	for _, c := range convs {
		segs, _, err := Render(c, o)
		if err != nil {
			return written, skipped, err
		}
		rec := Record{ID: c.ID, Lang: c.Lang}
		var b strings.Builder
		inReply := false
		for _, s := range segs {
			b.WriteString(s.Text)
			if s.Reply && !inReply {
				rec.Replies++
			}
			inReply = s.Reply
		}
		rec.Text = b.String()
		if enc != nil {
			ids, reply, err := enc.Encode(segs)
			if err != nil {
				return written, skipped, fmt.Errorf("export: %s: %w", c.ID, err)
			}
			if maxTokens > 0 && len(ids) > maxTokens {
				skipped++
				continue
			}
			rec.IDs = ids
			rec.Mask = make([]int8, len(reply))
			for i, r := range reply {
				if r {
					rec.Mask[i] = 1
				}
			}
		}
		if err := jw.Encode(rec); err != nil {
			return written, skipped, fmt.Errorf("export: write %s: %w", c.ID, err)
		}
		written++
	}
	return written, skipped, nil
}
