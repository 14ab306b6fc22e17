package llama

import (
	"strings"

	"github.com/purrd/purrd/dialog"
)

// chatFormat renders a dialog.Script in one family of prompt formats.
// Models carry a Jinja template (tokenizer.chat_template); purrd recognises
// the family from its markers instead of running Jinja, which covers the
// small models worth running on a Pi (see docs/models.md). A model without
// a template is a base model: it gets a plain transcript.
//
// The same code renders the run-time prompt and the training text (see
// Render and Example), so an adapter trained on it meets the same tokens.
type chatFormat struct {
	name string
	// open starts the stable prefix (the persona).
	open func(s dialog.Script) []Segment
	// owner renders one owner turn; memory what the owner said before.
	owner  func(s dialog.Script, text string) []Segment
	memory func(s dialog.Script) []Segment
	// gen opens the pet's turn; mood is "" in history.
	gen func(s dialog.Script, mood string) []Segment
	// answer is the pet's words and the end of its turn: the tokens a
	// model generates, which carry the loss in training (Segment.Reply).
	answer func(text string) []Segment
	// gap separates the demonstrations from the live conversation.
	gap  []Segment
	stop []string
}

func sp(s string) Segment { return Segment{Text: s, Special: true} }
func tx(s string) Segment { return Segment{Text: s} }

// detectFormat picks the prompt format for a model's chat template.
func detectFormat(template string) chatFormat {
	switch {
	case strings.Contains(template, "<|im_start|>"):
		return roleFormat("chatml",
			func(role string) []Segment { return []Segment{sp("<|im_start|>" + role + "\n")} },
			sp("<|im_end|>"), sp("\n"), "system", "user", "assistant",
			[]string{"<|im_end|>", "<|im_start|>"})
	case strings.Contains(template, "<start_of_turn>"):
		// Gemma has no system role: the persona is a user turn of its own.
		return roleFormat("gemma",
			func(role string) []Segment { return []Segment{sp("<start_of_turn>" + role + "\n")} },
			sp("<end_of_turn>"), sp("\n"), "user", "user", "model",
			[]string{"<end_of_turn>", "<start_of_turn>"})
	case strings.Contains(template, "<|start_header_id|>"):
		return roleFormat("llama3",
			func(role string) []Segment {
				return []Segment{sp("<|start_header_id|>" + role + "<|end_header_id|>\n\n")}
			},
			sp("<|eot_id|>"), Segment{}, "system", "user", "assistant",
			[]string{"<|eot_id|>"})
	case strings.Contains(template, "<|user|>"):
		return roleFormat("phi3",
			func(role string) []Segment { return []Segment{sp("<|" + role + "|>\n")} },
			sp("<|end|>"), sp("\n"), "system", "user", "assistant",
			[]string{"<|end|>"})
	}
	return plainFormat()
}

// roleFormat is a chat template with role headers and an end-of-turn
// marker. The system turn carries the second-person persona; mood has no
// place in it that would not change the cached prefix or get copied, so
// these formats leave it out (the pet's sounds and eyes show it).
func roleFormat(name string, header func(role string) []Segment, end, nl Segment, sysRole, userRole, petRole string, stop []string) chatFormat {
	turn := func(role, text string) []Segment {
		segs := append(header(role), tx(text), end)
		if nl.Text != "" {
			segs = append(segs, nl)
		}
		return segs
	}
	return chatFormat{
		name:  name,
		open:  func(s dialog.Script) []Segment { return turn(sysRole, s.System) },
		owner: func(_ dialog.Script, text string) []Segment { return turn(userRole, text) },
		memory: func(s dialog.Script) []Segment {
			return turn(sysRole, "Your owner told you before: "+s.Memory)
		},
		gen: func(dialog.Script, string) []Segment { return header(petRole) },
		answer: func(text string) []Segment {
			segs := []Segment{{Text: text, Reply: true}, {Text: end.Text, Special: true, Reply: true}}
			if nl.Text != "" {
				segs = append(segs, nl)
			}
			return segs
		},
		stop: stop,
	}
}

// plainFormat is a transcript for base models, which continue text rather
// than follow roles: a line of narration, then "Owner: ..." and
// "Mochi: ..." lines. The pet's line carries its mood as a stage direction
// ("Mochi (sleepy):"), which shapes the reply without being words to copy.
// A reply ends at the line break.
func plainFormat() chatFormat {
	return chatFormat{
		name: "plain",
		open: func(s dialog.Script) []Segment { return []Segment{tx(s.Narration + "\n\n")} },
		owner: func(s dialog.Script, text string) []Segment {
			return []Segment{tx(s.OwnerLabel + ": " + text + "\n")}
		},
		memory: func(s dialog.Script) []Segment {
			return []Segment{tx(s.OwnerLabel + " said before: " + s.Memory + "\n")}
		},
		gen: func(s dialog.Script, mood string) []Segment {
			if mood != "" {
				return []Segment{tx(s.PetName + " (" + mood + "):")}
			}
			return []Segment{tx(s.PetName + ":")}
		},
		// The space belongs to the reply: it is what the model writes
		// after the colon, so training and generation split it alike.
		answer: func(text string) []Segment { return []Segment{{Text: " " + text + "\n", Reply: true}} },
		gap:    []Segment{tx("\n")},
		stop:   []string{"\n"},
	}
}

// turns renders turns oldest first.
func (f chatFormat) turns(s dialog.Script, ts []dialog.Turn) []Segment {
	var out []Segment
	for _, t := range ts {
		if t.Role == "pet" {
			out = append(out, f.gen(s, "")...)
			out = append(out, f.answer(t.Text)...)
		} else {
			out = append(out, f.owner(s, t.Text)...)
		}
	}
	return out
}

// render splits a Script into the stable prefix (persona and
// demonstrations, cached from load on) and the per-turn rest, which ends
// by opening the pet's turn. A Script without owner words renders the
// prefix alone.
func (f chatFormat) render(s dialog.Script) (prefix, rest []Segment) {
	prefix = append(prefix, f.open(s)...)
	if len(s.Shots) > 0 {
		prefix = append(prefix, f.turns(s, s.Shots)...)
		prefix = append(prefix, f.gap...)
		// Demonstrations are the prompt, not the pet's words: no loss.
		for i := range prefix {
			prefix[i].Reply = false
		}
	}
	if s.Owner == "" {
		return prefix, nil
	}
	// Memory comes before the history: it changes only when a fact is
	// learnt, so the cached tokens stay valid turn after turn.
	if s.Memory != "" {
		rest = append(rest, f.memory(s)...)
	}
	rest = append(rest, f.turns(s, s.History)...)
	rest = append(rest, f.owner(s, s.Owner)...)
	rest = append(rest, f.gen(s, s.Mood)...)
	return prefix, rest
}

// neutral is what follows the prefix to open the pet's turn with nothing
// said: the pet's habits, for weighing what a reply owes to the
// conversation (Options.Specificity).
func (f chatFormat) neutral(s dialog.Script) []Segment { return f.gen(s, s.Mood) }

// unprompted is what follows the prefix for the conversation as it was
// before the owner's last words: the pet's turn opened right after its
// own last line. Guidance (Options.Guidance) pushes each token away from
// what the pet would say there, towards what those words call for.
func (f chatFormat) unprompted(s dialog.Script) []Segment {
	var rest []Segment
	if s.Memory != "" {
		rest = append(rest, f.memory(s)...)
	}
	rest = append(rest, f.turns(s, s.History)...)
	return append(rest, f.gen(s, s.Mood)...)
}

// Format names the prompt format purrd uses for a model with this chat
// template ("" for a base model): chatml, gemma, llama3, phi3 or plain.
func Format(template string) string { return detectFormat(template).name }

// Render is the prompt for s as the brain sends it for a model with this
// chat template: the cached prefix, then the rest.
func Render(template string, s dialog.Script) []Segment {
	prefix, rest := detectFormat(template).render(s)
	return append(prefix, rest...)
}

// Example is a training example: the run-time prompt for s followed by
// the pet's reply and the end of its turn. Segments with Reply set are
// the pet's words, in the history and in the reply, which carry the loss.
func Example(template string, s dialog.Script, reply string) []Segment {
	f := detectFormat(template)
	return append(Render(template, s), f.answer(reply)...)
}
