package dialog

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purrd/purrd/dialog/persona"
)

// Script is one exchange as a language model is given it, before any chat
// markup: who the pet is, a few demonstrations, what it remembers, the
// recent turns and the owner's new words. A model format (dialog/llama)
// turns it into tokens; the training export renders the very same Script,
// so a trained adapter sees at run time exactly the text it learnt from.
//
// Small models copy whatever notes they are given, so nothing here is an
// instruction to the model: the persona is a sentence of narration, the
// memory reads as something the owner said, and the mood is a stage
// direction on the pet's line ("Mochi (sleepy):") in transcript formats.
type Script struct {
	// Narration describes the pet in the third person, for transcript
	// (base model) formats; System says the same in the second person,
	// for instruction-tuned chat formats. Both depend only on the persona
	// and the pet's name, so they open a prefix that stays cached.
	Narration string
	System    string
	// Shots are demonstrations in every language the pet speaks; part of
	// the stable prefix. Empty when the model was trained for the job.
	Shots []Turn
	// Memory is what the owner told the pet before, written as the owner's
	// own words ("My name is Lin. I like tea."); "" when nothing is known.
	Memory string
	// History is the recent conversation, oldest first.
	History []Turn
	// Owner is the owner's new message; "" renders only the stable prefix.
	Owner string
	// Mood is how the pet feels now ("sleepy"); "" when content.
	Mood string
	// PetName labels the pet's lines; OwnerLabel the owner's.
	PetName    string
	OwnerLabel string
}

// ScriptOptions choose how much a Script shows.
type ScriptOptions struct {
	// NoShots leaves the demonstrations out: a model trained for the job
	// (brain.adapter) needs none, and its training text has none.
	NoShots bool
}

// OwnerLabel is how transcripts name the owner.
const OwnerLabel = "Owner"

// NewScript builds the Script for req with persona p (nil: the built-in
// persona). The daemon, `purrd chat`, the eval and the training export all
// call it, so they cannot drift apart.
func NewScript(p *persona.Persona, req Request, opt ScriptOptions) Script {
	if p == nil {
		p = persona.Default()
	}
	name := req.PetName
	if name == "" {
		name = p.Name
	}
	s := Script{
		Narration:  narration(p, name),
		System:     systemLine(p, name),
		Memory:     MemoryLine(req.Facts),
		Owner:      req.Text,
		PetName:    name,
		OwnerLabel: OwnerLabel,
	}
	if req.Mood != "" && req.Mood != MoodContent {
		s.Mood = req.Mood
	}
	if !opt.NoShots {
		for _, lang := range p.Languages {
			for _, e := range p.Examples[lang] {
				s.Shots = append(s.Shots, Turn{Role: "owner", Text: e.Owner}, Turn{Role: "pet", Text: e.Pet})
			}
		}
	}
	for _, t := range req.History {
		if (t.Role == "owner" || t.Role == "pet") && strings.TrimSpace(t.Text) != "" {
			s.History = append(s.History, Turn{Role: t.Role, Text: oneLine(t.Text)})
		}
	}
	s.Owner = oneLine(s.Owner)
	return s
}

// Stable is the part of s that does not change from turn to turn: what a
// brain evaluates once at load and keeps cached.
func (s Script) Stable() Script {
	return Script{Narration: s.Narration, System: s.System, Shots: s.Shots, PetName: s.PetName, OwnerLabel: s.OwnerLabel}
}

// narration is the persona as one or two sentences of third-person prose.
func narration(p *persona.Persona, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is a small robot %s who lives at home with the owner.", name, p.Species)
	if len(p.Traits) > 0 {
		fmt.Fprintf(&b, " %s is %s.", name, andList(p.Traits))
	}
	// The persona's names in other languages hold only while the pet has
	// the persona's name; an owner's own name for it has no translations.
	for _, lang := range p.Languages {
		if n := p.NameIn(lang); n != "" && n != name && name == p.Name {
			fmt.Fprintf(&b, " In %s, %s is called %s.", plainLangName(lang), name, n)
		}
	}
	fmt.Fprintf(&b, " %s answers in %s, in the owner's language.", name, lengthWords(p))
	return b.String()
}

// systemLine is the persona for instruction-tuned chat models.
func systemLine(p *persona.Persona, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "You are %s, a small robot %s who lives at home with your owner.", name, p.Species)
	if len(p.Traits) > 0 {
		fmt.Fprintf(&b, " You are %s.", andList(p.Traits))
	}
	for _, lang := range p.Languages {
		if n := p.NameIn(lang); n != "" && n != name && name == p.Name {
			fmt.Fprintf(&b, " In %s your name is %s.", plainLangName(lang), n)
		}
	}
	if p.Style != "" {
		fmt.Fprintf(&b, " Your way of talking: %s.", strings.TrimRight(p.Style, ". "))
	}
	fmt.Fprintf(&b, " You talk like a %s, never like an assistant, in %s, in the owner's language.", p.Species, lengthWords(p))
	return b.String()
}

// plainLangName is "Chinese" rather than "Chinese (简体中文)": prose, not a
// label.
func plainLangName(lang string) string {
	name, _, _ := strings.Cut(LangName(lang), " (")
	return name
}

func lengthWords(p *persona.Persona) string {
	if p.Reply.MaxSentences == 1 {
		return "one short sentence"
	}
	return "one or two short sentences"
}

func andList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// oneLine keeps a turn on one line: transcript formats end a turn at the
// line break, so an owner's newline must not start a forged turn.
func oneLine(s string) string {
	s = reTemplateToken.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// MemoryLine writes remembered facts (dialog.ExtractFacts texts such as
// "owner's name is Lin", "owner likes tea") back as the owner's own words:
// "My name is Lin. I like tea." A model reads that as part of the
// conversation rather than as a note to copy out.
func MemoryLine(facts []string) string {
	var out []string
	for _, f := range facts {
		if s := factAsOwnerWords(f); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

// ownerVerbs turns the third-person verbs of fact texts into the first person.
var ownerVerbs = []struct{ from, to string }{
	{"owner's ", "My "},
	{"owner likes ", "I like "}, {"owner loves ", "I love "}, {"owner hates ", "I hate "},
	{"owner dislikes ", "I dislike "}, {"owner adores ", "I adore "},
	{"owner lives in ", "I live in "}, {"owner is ", "I am "},
}

func factAsOwnerWords(f string) string {
	f = oneLine(f)
	if f == "" {
		return ""
	}
	for _, v := range ownerVerbs {
		if rest, ok := strings.CutPrefix(f, v.from); ok {
			f = v.to + rest
			break
		}
	}
	first, _ := utf8.DecodeRuneInString(f)
	switch r, _ := utf8.DecodeLastRuneInString(f); {
	case strings.ContainsRune(".!?。！？", r):
	case unicode.Is(unicode.Han, first) && unicode.Is(unicode.Han, r):
		f += "。"
	default:
		f += "."
	}
	return f
}

// PromptText is every sentence of s the owner must never hear back: the
// persona in both forms and the demonstrated replies. Reply cleaning drops
// sentences that repeat it. The memory is not in it: it is the owner's own
// words, and saying them back ("Susan rings on Tuesdays!") is recall.
func (s Script) PromptText() string {
	parts := []string{s.Narration, s.System}
	for _, t := range s.Shots {
		if t.Role == "pet" {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
