package llama

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanSentence is the built-in Options.Clean: it drops control and
// format characters (a random model emits raw bytes; a real one may emit
// stray template tokens) and squeezes whitespace.
func cleanSentence(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// sampleLines are the system prompt's list items ("- Mrrp, fish?"): the
// persona's sample lines, which the model may well say. They are left out
// of the echo index; the daemon's persona cleaning judges every sentence
// again with the persona at hand.
func sampleLines(system string) []string {
	var out []string
	for _, l := range strings.Split(system, "\n") {
		if item, ok := strings.CutPrefix(strings.TrimSpace(l), "- "); ok && item != "" {
			out = append(out, item)
		}
	}
	return out
}
