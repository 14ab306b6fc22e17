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
}

// NewEvalOverlap indexes the eval's owner lines (eval.OwnerLines).
func NewEvalOverlap(ownerLines []string) *EvalOverlap {
	o := &EvalOverlap{lines: map[string]string{}, stretches: map[string]string{}}
	for _, l := range ownerLines {
		if f := dialog.Flatten(l); f != "" {
			o.lines[f] = l
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
	for _, f := range c.Facts {
		if why := o.Text(f); why != "" {
			return why
		}
	}
	for _, t := range c.Turns {
		why := o.Text(t.Text)
		if t.Role == "owner" {
			why = o.Owner(t.Text)
		}
		if why != "" {
			return why
		}
	}
	return ""
}
