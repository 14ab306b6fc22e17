package dataset

import (
	"strings"
	"unicode"
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
