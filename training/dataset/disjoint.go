package dataset

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/purrd/purrd/dialog"
)

// Stretches are the long runs of s that training material must not share
// with the eval's owner lines: every run of 8 words (Latin script) and of
// 10 Han characters, case folded, punctuation dropped. Shorter runs are
// everyday phrases any two cat conversations share.
func Stretches(s string) []string {
	var out []string
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
		if !HasHan(w) {
			words = append(words, w)
		}
	}
	for i := 0; i+8 <= len(words); i++ {
		out = append(out, strings.Join(words[i:i+8], " "))
	}
	var han []rune
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = append(han, r)
		}
	}
	for i := 0; i+10 <= len(han); i++ {
		out = append(out, string(han[i:i+10]))
	}
	return out
}

// EvalOverlap finds what training material must not share with the
// eval: one of its owner lines, or a long stretch (Stretches) of one.
// The training set's test, the rated prompts' test and `purrd ratings
// -conv` all check with it.
type EvalOverlap struct {
	lines     map[string]string // flattened owner line -> the line
	stretches map[string]string // stretch -> the owner line it is from
	cores     map[string]string // an owner line's words without the name it is said to -> the line
}

// NewEvalOverlap indexes the eval's owner lines (eval.OwnerLines).
func NewEvalOverlap(ownerLines []string) *EvalOverlap {
	o := &EvalOverlap{lines: map[string]string{}, stretches: map[string]string{}, cores: map[string]string{}}
	for _, l := range ownerLines {
		if f := dialog.Flatten(l); f != "" {
			o.lines[f] = l
		}
		if c := core(l); c != "" {
			o.cores[c] = l
		}
		for _, g := range Stretches(l) {
			o.stretches[g] = l
		}
	}
	return o
}

// Owner says why an owner line of training material may not be used:
// it is an eval owner line, or shares a stretch with one; "" when fine.
func (o *EvalOverlap) Owner(line string) string {
	if l, ok := o.lines[dialog.Flatten(line)]; ok {
		return fmt.Sprintf("the owner line %q is the eval's", l)
	}
	// The same question to another cat is still the eval's question:
	// "Biscuit, are you hungry?" holds "Are you hungry, Mochi?".
	padded := " " + strings.Join(tokens(line), " ") + " "
	for c, l := range o.cores {
		if strings.Contains(padded, c) {
			return fmt.Sprintf("the owner line holds the eval's %q (%q)", strings.TrimSpace(c), l)
		}
	}
	return o.Text(line)
}

// Text says why any other text of training material (a reply, a fact)
// may not be used: it shares a stretch with an eval owner line.
func (o *EvalOverlap) Text(text string) string {
	for _, g := range Stretches(text) {
		if l, ok := o.stretches[g]; ok {
			return fmt.Sprintf("%q is a stretch of the eval owner line %q", g, l)
		}
	}
	return ""
}

// Conversation is the first reason c may not be used, "" when none.
func (o *EvalOverlap) Conversation(c Conversation) string {
	if why := o.Reasons(c); len(why) > 0 {
		return why[0]
	}
	return ""
}

// Reasons are every reason c may not be used, one per fact or turn that
// overlaps the eval, in order.
func (o *EvalOverlap) Reasons(c Conversation) []string {
	var out []string
	for _, f := range c.Facts {
		if why := o.Text(f); why != "" {
			out = append(out, why)
		}
	}
	for _, t := range c.Turns {
		why := o.Text(t.Text)
		if t.Role == "owner" {
			why = o.Owner(t.Text)
		}
		if why != "" {
			out = append(out, why)
		}
	}
	return out
}

// tokens are a line's words, case folded, and its Han characters one by
// one: the units core and Owner compare.
func tokens(s string) []string {
	var out []string
	var w []rune
	flush := func() {
		if len(w) > 0 {
			out = append(out, string(w))
			w = w[:0]
		}
	}
	for _, r := range strings.ToLower(s) {
		if r == '’' || r == '‘' {
			r = '\''
		}
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			w = append(w, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// core is an eval owner line's tokens without the name it is said to (a
// leading or trailing part set off by a comma of one word or up to three
// Han characters: "Mochi, ...", "..., Mochi?", "麻糬，..."), space-joined
// and padded so that Owner matches whole tokens; "" when what is left is
// too short to tell one line from everyday talk (under four words and six
// Han characters). A name inside the line ("Hi Mochi, how ...") is not
// found: those lines are still held by the whole-line and stretch checks.
func core(line string) string {
	parts := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '，' })
	isName := func(p string) bool {
		t := tokens(p)
		if len(t) == 0 {
			return false
		}
		if HasHan(p) {
			return len(t) <= 3 && len([]rune(strings.Join(t, ""))) == len(t)
		}
		return len(t) == 1
	}
	if len(parts) > 1 && isName(parts[0]) {
		parts = parts[1:]
	}
	if len(parts) > 1 && isName(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	t := tokens(strings.Join(parts, " "))
	han := 0
	for _, x := range t {
		if HasHan(x) {
			han++
		}
	}
	if len(t)-han < 4 && han < 6 {
		return ""
	}
	return " " + strings.Join(t, " ") + " "
}
