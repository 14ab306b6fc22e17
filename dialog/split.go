package dialog

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxSentenceRunes is where a sentence with no end in sight is cut.
const DefaultMaxSentenceRunes = 120

func isCJKEnd(r rune) bool { return r == '。' || r == '！' || r == '？' || r == '…' || r == '；' }

func isEnd(r rune) bool { return r == '.' || r == '!' || r == '?' || isCJKEnd(r) }
func isCloser(r rune) bool {
	return r == '"' || r == '\'' || r == ')' || r == '”' || r == '’' || r == '」' || r == '』' || r == '）' || r == '】'
}
func isSoftBreak(r rune) bool {
	return r == ' ' || r == ',' || r == '，' || r == '、' || r == ';' || r == ':' || r == '：'
}

// Abbreviations whose full stop does not end a sentence ("no" is judged
// apart: see isAbbrev).
var abbrevs = [...]string{"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e"}

// boundary finds the end (byte offset just past the sentence) of the first
// whole sentence in s. final says no more text will come, so an end mark
// at the very end of s counts. It returns -1 when no sentence is complete.
func boundary(s string, final bool) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\n' {
			return i + n
		}
		if !isEnd(r) {
			i += n
			continue
		}
		// A run of end marks and closing quotes ends together: "?!", "...",
		// "。」".
		j := i + n
		cjk := isCJKEnd(r)
		dots := 0 // an ellipsis is a pause, not an end, unless the text ends
		if r == '.' || r == '…' {
			dots = 1
		}
		if r == '…' {
			dots = 2
		}
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if !isEnd(r2) && !isCloser(r2) {
				break
			}
			cjk = cjk || isCJKEnd(r2)
			switch r2 {
			case '.', '…':
				if dots > 0 {
					dots++
				}
			case '!', '?', '！', '？', '。':
				dots = 0
			}
			j += n2
		}
		if dots >= 2 && j < len(s) {
			i = j
			continue
		}
		if j == len(s) {
			if final {
				return j
			}
			return -1 // the next piece decides ("3." + "5", "Mr." + " Li")
		}
		next, _ := utf8.DecodeRuneInString(s[j:])
		switch {
		case cjk:
			return emojiTail(s, j, final)
		case unicode.IsSpace(next) || isEmoji(next):
			if r == '.' && j == i+n && isAbbrev(s[:i], s[j:]) {
				i = j
				continue
			}
			return emojiTail(s, j, final)
		case unicode.Is(unicode.Han, next):
			return j // "好的.我们" — no space in Chinese
		}
		i = j
	}
	return -1
}

// isAbbrev reports a full stop that ends an abbreviation, not a sentence:
// "Dr. Paws", "e.g. fish", "No. 5" (only before a number: "No. Go away."
// is two sentences), "the 6 a.m. slot" (only before a word in lower case),
// and initials with a stop between them ("out of T.F. Green", "the U.S.
// embassy"): a said-back sentence cut there ended on "out of T.F.". Such
// initials at the end of a sentence ("I moved to the U.S. Then…") keep
// the next sentence with them, which costs less than a name cut in two.
func isAbbrev(before, after string) bool {
	k := strings.LastIndexFunc(before, unicode.IsSpace)
	w := strings.ToLower(strings.TrimLeftFunc(before[k+1:], func(r rune) bool { return !unicode.IsLetter(r) }))
	d := strings.TrimLeftFunc(after, unicode.IsSpace)
	if w == "no" {
		return d != "" && isDigit(d[0])
	}
	if w == "a.m" || w == "p.m" {
		// "the 6 a.m. slot" goes on; "I start at 6 a.m. Then…" ends.
		r, _ := utf8.DecodeRuneInString(d)
		return unicode.IsLower(r) || unicode.IsDigit(r)
	}
	for _, a := range abbrevs {
		if w == a {
			return true
		}
	}
	return reInitials.MatchString(w)
}

// reInitials: letters each followed by a stop but the last, whose stop is
// the one being judged ("t.f" of "T.F.").
var reInitials = regexp.MustCompile(`^(?:\pL\.)+\pL$`)

// emojiTail extends a sentence that ends at j over the emoji that close it
// ("Yay! 😺 Next": the cat face belongs to "Yay!", not to "Next"). It
// returns -1 when s ends inside that tail and more text may come.
func emojiTail(s string, j int, final bool) int {
	end := j
	for k := j; k < len(s); {
		r, n := utf8.DecodeRuneInString(s[k:])
		switch {
		case r == ' ' || r == '\t':
		case isEmoji(r):
			end = k + n
		default:
			return end
		}
		k += n
	}
	if final {
		return end
	}
	return -1
}

// cutLong cuts a sentence-less s at most max runes long, at the last soft
// break in its second half, or hard at max. ok is false when s is short.
func cutLong(s string, max int) (int, bool) {
	if utf8.RuneCountInString(s) <= max {
		return 0, false
	}
	cut, runes, soft := 0, 0, -1
	for i, r := range s {
		if runes == max {
			cut = i
			break
		}
		if isSoftBreak(r) && runes >= max/2 {
			soft = i + utf8.RuneLen(r)
		}
		runes++
	}
	if soft > 0 {
		return soft, true
	}
	return cut, true
}

// SplitSentences splits a whole text into trimmed sentences.
func SplitSentences(text string) []string {
	var out []string
	for text != "" {
		b := boundary(text, true)
		if b < 0 {
			b = len(text)
		}
		if s := strings.TrimSpace(text[:b]); s != "" {
			out = append(out, s)
		}
		text = text[b:]
	}
	return out
}

// SentenceSplitter turns streamed token pieces into whole sentences, in
// English (.!? followed by a space) and Chinese (。！？ at once), cutting
// a sentence that runs past MaxRunes at a soft break. It is the one
// splitter of the project: the persona cleaning, the sentence limit and
// the model brain's streaming (dialog/llama) all count the same sentences.
// Abbreviations ("Dr. Paws"), decimals ("3.5"), an ellipsis inside a
// sentence ("Mrrp... fish"), runs of marks ("?!", "!!!"), closing quotes
// and brackets after the mark, and emoji after it stay with their
// sentence. Not safe for concurrent use: one per reply.
type SentenceSplitter struct {
	MaxRunes int // 0: DefaultMaxSentenceRunes
	buf      strings.Builder
}

// Push adds a piece of text and returns the sentences it completed (nil
// when none), trimmed and non-empty.
func (s *SentenceSplitter) Push(piece string) []string {
	s.buf.WriteString(piece)
	return s.drain(false)
}

// Flush returns the sentences left at the end of the stream (the last one
// may lack an end mark) and resets the splitter.
func (s *SentenceSplitter) Flush() []string {
	out := s.drain(true)
	rest := strings.TrimSpace(s.buf.String())
	s.buf.Reset()
	if rest != "" {
		out = append(out, rest)
	}
	return out
}

// Rest returns what is left in the splitter, the last sentence with its
// end mark or an unfinished one, trimmed, without splitting it further, and
// resets the splitter. A caller that must tell a whole last sentence from
// a fragment (a reply cut by a token bound) uses it instead of Flush.
func (s *SentenceSplitter) Rest() string {
	rest := strings.TrimSpace(s.buf.String())
	s.buf.Reset()
	return rest
}

func (s *SentenceSplitter) drain(final bool) []string {
	max := s.MaxRunes
	if max <= 0 {
		max = DefaultMaxSentenceRunes
	}
	text := s.buf.String()
	var out []string
	for {
		b := boundary(text, final)
		if b < 0 {
			c, ok := cutLong(text, max)
			if !ok {
				break
			}
			b = c
		} else if c, ok := cutLong(text[:b], max); ok {
			b = c
		}
		if t := strings.TrimSpace(text[:b]); t != "" {
			out = append(out, t)
		}
		text = text[b:]
		if final && strings.TrimSpace(text) == "" {
			text = ""
			break
		}
	}
	if len(out) > 0 || text == "" {
		s.buf.Reset()
		s.buf.WriteString(text)
	}
	return out
}
