package llama

import (
	"strings"

	"github.com/purrd/purrd/dialog"
)

// chatFormat renders a Prompt in one family of chat templates. Models
// carry a Jinja template (tokenizer.chat_template); purrd recognises the
// family from its markers instead of running Jinja, which covers the small
// models worth running on a Pi (see docs/models.md).
type chatFormat struct {
	name string
	// system renders the cached prefix; turn one message; gen opens the
	// pet's turn. Special strings are template markup.
	system func(sys string) []Segment
	turn   func(m Message) []Segment
	gen    []Segment
	stop   []string
}

func sp(s string) Segment { return Segment{Text: s, Special: true} }
func tx(s string) Segment { return Segment{Text: s} }

// detectFormat picks the chat format for a model's template; petName
// labels the pet's lines in the plain format.
func detectFormat(template, petName string) chatFormat {
	switch {
	case strings.Contains(template, "<|im_start|>"):
		return chatFormat{
			name:   "chatml",
			system: func(s string) []Segment { return []Segment{sp("<|im_start|>system\n"), tx(s), sp("<|im_end|>\n")} },
			turn: func(m Message) []Segment {
				return []Segment{sp("<|im_start|>" + m.Role + "\n"), tx(m.Text), sp("<|im_end|>\n")}
			},
			gen:  []Segment{sp("<|im_start|>assistant\n")},
			stop: []string{"<|im_end|>", "<|im_start|>"},
		}
	case strings.Contains(template, "<start_of_turn>"):
		// Gemma has no system role: the persona opens the first user
		// turn, which still makes it a fixed prefix.
		return chatFormat{
			name:   "gemma",
			system: func(s string) []Segment { return []Segment{sp("<start_of_turn>user\n"), tx(s + "\n\n")} },
			turn: func(m Message) []Segment {
				role := "user"
				if m.Role == RoleAssistant {
					role = "model"
				}
				return []Segment{sp("<start_of_turn>" + role + "\n"), tx(m.Text), sp("<end_of_turn>\n")}
			},
			gen:  []Segment{sp("<start_of_turn>model\n")},
			stop: []string{"<end_of_turn>", "<start_of_turn>"},
		}
	case strings.Contains(template, "<|start_header_id|>"):
		return chatFormat{
			name: "llama3",
			system: func(s string) []Segment {
				return []Segment{sp("<|start_header_id|>system<|end_header_id|>\n\n"), tx(s), sp("<|eot_id|>")}
			},
			turn: func(m Message) []Segment {
				return []Segment{sp("<|start_header_id|>" + m.Role + "<|end_header_id|>\n\n"), tx(m.Text), sp("<|eot_id|>")}
			},
			gen:  []Segment{sp("<|start_header_id|>assistant<|end_header_id|>\n\n")},
			stop: []string{"<|eot_id|>"},
		}
	case strings.Contains(template, "<|user|>"):
		return chatFormat{
			name:   "phi3",
			system: func(s string) []Segment { return []Segment{sp("<|system|>\n"), tx(s), sp("<|end|>\n")} },
			turn: func(m Message) []Segment {
				return []Segment{sp("<|" + m.Role + "|>\n"), tx(m.Text), sp("<|end|>\n")}
			},
			gen:  []Segment{sp("<|assistant|>\n")},
			stop: []string{"<|end|>"},
		}
	}
	if petName == "" {
		petName = "Cat"
	}
	return chatFormat{
		name:   "plain",
		system: func(s string) []Segment { return []Segment{tx(s + "\n\n")} },
		turn: func(m Message) []Segment {
			if m.Role == RoleAssistant {
				return []Segment{tx(petName + ": " + m.Text + "\n")}
			}
			return []Segment{tx("Owner: " + m.Text + "\n")}
		},
		gen:  []Segment{tx(petName + ":")},
		stop: []string{"\nOwner:", "\nUser:", "\n" + petName + ":"},
	}
}

// render splits a prompt into the cached prefix and the per-turn rest.
func (f chatFormat) render(p Prompt) (prefix, rest []Segment) {
	prefix = f.system(p.System)
	for _, m := range p.Turns {
		rest = append(rest, f.turn(m)...)
	}
	return prefix, append(rest, f.gen...)
}

// defaultPrompt is the built-in BuildPrompt: history, then the owner's
// message with mood and remembered facts in front, so the system prompt
// (and its cache) stays the same from turn to turn.
func defaultPrompt(system string, req dialog.Request) Prompt {
	p := Prompt{System: system}
	for _, t := range req.History {
		role := RoleUser
		if t.Role == "pet" {
			role = RoleAssistant
		}
		p.Turns = append(p.Turns, Message{Role: role, Text: t.Text})
	}
	var ctx []string
	if req.PetName != "" {
		ctx = append(ctx, "Your name: "+req.PetName+".")
	}
	if req.Mood != "" {
		ctx = append(ctx, "You feel: "+req.Mood+".")
	}
	if len(req.Facts) > 0 {
		ctx = append(ctx, "You know: "+strings.Join(req.Facts, "; ")+".")
	}
	text := req.Text
	if len(ctx) > 0 {
		text = "(" + strings.Join(ctx, " ") + ")\n" + text
	}
	p.Turns = append(p.Turns, Message{Role: RoleUser, Text: text})
	return p
}
