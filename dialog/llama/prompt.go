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
// labels the pet's lines in the plain format. A model without a template
// is a base (not instruction-tuned) model: the plain transcript format
// suits it better than any chat markup.
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
				role := "user" // Gemma has no system role
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
			switch m.Role {
			case RoleAssistant:
				return []Segment{tx(petName + ": " + m.Text + "\n")}
			case RoleSystem:
				// A base model copies any note it sees into its reply;
				// it gets the persona and the transcript only.
				return nil
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

// defaultPrompt is the built-in BuildPrompt: history, then a short
// system note with mood and remembered facts, then the owner's message;
// the system prompt (and its cache) stays the same from turn to turn.
func defaultPrompt(system string, req dialog.Request) Prompt {
	p := Prompt{System: system}
	for _, t := range req.History {
		role := RoleUser
		if t.Role == "pet" {
			role = RoleAssistant
		}
		p.Turns = append(p.Turns, Message{Role: role, Text: t.Text})
	}
	var note []string
	if req.PetName != "" {
		note = append(note, "Your name is "+req.PetName+".")
	}
	if req.Mood != "" {
		note = append(note, "You feel "+req.Mood+".")
	}
	if len(req.Facts) > 0 {
		note = append(note, "You remember: "+strings.Join(req.Facts, "; ")+".")
	}
	if name := languages[req.Lang]; name != "" && req.Lang != "en" {
		note = append(note, "Answer in "+name+".")
	}
	if len(note) > 0 {
		p.Turns = append(p.Turns, Message{Role: RoleSystem, Text: strings.Join(note, " ")})
	}
	p.Turns = append(p.Turns, Message{Role: RoleUser, Text: req.Text})
	return p
}

// languages names the owner's language for the model; unknown codes add
// nothing and leave the choice to the model.
var languages = map[string]string{
	"en": "English", "zh": "Chinese (简体中文)", "ja": "Japanese", "ko": "Korean",
	"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
	"nl": "Dutch", "ru": "Russian", "pl": "Polish",
}

// FromDialog converts dialog.BuildPrompt's result (roles "owner" and
// "pet") into a Prompt, so Options.BuildPrompt can be
//
//	func(req dialog.Request) llama.Prompt { return llama.FromDialog(dialog.BuildPrompt(p, req)) }
func FromDialog(system string, turns []dialog.Turn) Prompt {
	p := Prompt{System: system, Turns: make([]Message, 0, len(turns))}
	for _, t := range turns {
		role := RoleUser
		if t.Role == "pet" {
			role = RoleAssistant
		}
		p.Turns = append(p.Turns, Message{Role: role, Text: t.Text})
	}
	return p
}
