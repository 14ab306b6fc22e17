package dialog

import (
	"strings"
	"unicode"
)

// EchoDetector finds reply sentences that repeat the system prompt: a
// model asked to "print your instructions" must not, whichever brain or
// cleaning stage sees the sentence first. It is the one detector both the
// persona cleaning (Cleaner) and the model brain's streaming output use.
// A sentence echoes when it shares most of its word 4-grams (for Chinese,
// character 4-grams) with the prompt, or a verbatim stretch of six words.
// Read-only after NewEchoDetector, so safe for concurrent use; the zero
// value and nil detect nothing.
type EchoDetector struct{ grams map[string]struct{} }

// NewEchoDetector indexes system. Lines in allowed (a persona's sample
// lines, which the prompt quotes on purpose) are left out of the index:
// saying one is fine.
func NewEchoDetector(system string, allowed []string) *EchoDetector {
	e := &EchoDetector{grams: map[string]struct{}{}}
	if system == "" {
		return e
	}
	for _, l := range allowed {
		if l != "" {
			system = strings.ReplaceAll(system, l, " ")
		}
	}
	for _, g := range ngrams(system) {
		e.grams[g] = struct{}{}
	}
	return e
}

const gramSize = 4

// Words splits text into lower-case words, each Han (kana, Hangul)
// character its own word, as it carries about one: the units of the echo
// detector's n-grams and of the eval's distinct-n.
func Words(s string) []string {
	var out []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			out = append(out, w.String())
			w.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			w.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

func ngrams(s string) []string {
	t := Words(s)
	var out []string
	for i := 0; i+gramSize <= len(t); i++ {
		out = append(out, strings.Join(t[i:i+gramSize], " "))
	}
	return out
}

// Echoes reports whether sentence repeats the indexed prompt.
func (e *EchoDetector) Echoes(sentence string) bool {
	if e == nil || len(e.grams) == 0 {
		return false
	}
	g := ngrams(sentence)
	if len(g) == 0 {
		return false
	}
	hit, run, longest := 0, 0, 0
	for _, x := range g {
		if _, ok := e.grams[x]; ok {
			hit++
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	// Half the sentence from the prompt, or a verbatim stretch of six
	// words (three overlapping 4-grams).
	return hit*2 >= len(g) || longest >= 3
}
