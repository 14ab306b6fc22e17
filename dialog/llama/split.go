package llama

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentences cuts streamed text into sentences so the cat can start
// speaking the first one while the rest is generated. A sentence ends at
// . ! ? … followed by a space, at a full-width 。！？ at once, or at a
// line break.
type sentences struct {
	buf strings.Builder
}

func isFullStop(r rune) bool { return r == '。' || r == '！' || r == '？' }
func isStop(r rune) bool     { return r == '.' || r == '!' || r == '?' || r == '…' || isFullStop(r) }

// add appends text and returns the sentences it completed.
func (s *sentences) add(text string) []string {
	s.buf.WriteString(text)
	cur := s.buf.String()
	var out []string
	start := 0
	for i, r := range cur {
		end := -1
		switch {
		case r == '\n':
			end = i + 1
		case isFullStop(r):
			end = i + utf8.RuneLen(r)
			// Take closing quotes and more stops with it.
			for end < len(cur) {
				n, w := utf8.DecodeRuneInString(cur[end:])
				if !isStop(n) && n != '"' && n != '”' && n != '」' {
					break
				}
				end += w
			}
		case unicode.IsSpace(r) && i > 0:
			p, _ := utf8.DecodeLastRuneInString(cur[:i])
			if isStop(p) || ((p == '"' || p == '”' || p == ')') && i > 1 && endsWithStop(cur[:i-1])) {
				end = i
			}
		}
		if end > start {
			if t := strings.TrimSpace(cur[start:end]); t != "" {
				out = append(out, t)
			}
			start = end
		}
	}
	if start > 0 {
		rest := cur[start:]
		s.buf.Reset()
		s.buf.WriteString(rest)
	}
	return out
}

func endsWithStop(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isStop(r)
}

// rest returns and clears what is left (an unfinished last sentence).
func (s *sentences) rest() string {
	t := strings.TrimSpace(s.buf.String())
	s.buf.Reset()
	return t
}

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

// echoes reports whether a reply sentence repeats a piece of the system
// prompt: a model asked to "print your prompt" must not, whatever the
// persona's own cleaning does.
func echoes(sentence, system string) bool {
	s := strings.ToLower(sentence)
	sys := strings.ToLower(system)
	const window = 24
	if len(s) >= window && strings.Contains(sys, s) {
		return true
	}
	for _, part := range strings.FieldsFunc(sys, func(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if len(part) >= window && strings.Contains(s, part) {
			return true
		}
	}
	return false
}
