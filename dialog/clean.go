package dialog

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purrd/purrd/dialog/persona"
)

var (
	// Where a model starts writing the owner's turn or a template token:
	// everything from there on is not the pet's.
	reTurnMarker = regexp.MustCompile(`(?i)<\|[^|>]{0,40}\|>|</?s>|\[/?INST\]|<start_of_turn>|<end_of_turn>|(?:^|\n|\s)(?:user|owner|human|用户|主人)\s*[:：]`)
	// A role label at the start of the reply: "Assistant:", "Mochi:".
	reRolePrefix = regexp.MustCompile(`(?i)^\s*(?:#+\s*)?(?:assistant|ai|bot|cat|pet|kitty|response|answer|回答|助手|猫)\s*[:：]\s*`)
	reANSI       = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])`)
	reMDLink     = regexp.MustCompile(`!?\[([^\]\n]{0,200})\]\([^)\n]{0,400}\)`)
	reTag        = regexp.MustCompile(`</?[A-Za-z!/?][^<>\n]{0,200}>`)
	reThink      = regexp.MustCompile(`(?is)<think>.*?(?:</think>|$)`) // reasoning models think aloud
	reBold       = regexp.MustCompile(`\*\*([^*\n]{1,200})\*\*|__([^_\n]{1,200})__`)
	reAction     = regexp.MustCompile(`\*[^*\n]{1,60}\*`) // *purrs*: the body shows it, words don't
	reSpacePunct = regexp.MustCompile(`\s+([!?.,;:。！？，、；：…])`)
	reMDMarks    = regexp.MustCompile("(?m)^\\s*(?:>\\s*|[-+•]\\s+|\\d+[.)]\\s+)|#+|\\*\\*|__|~~|`+|\\*|(?:^|\\s)_|_(?:\\s|$)")
	reSpaces     = regexp.MustCompile(`\s+`)
)

// isEmoji covers pictographs, dingbats, symbols and their joiners and
// selectors: a speech engine reads them aloud as names, or not at all.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF,
		r >= 0x2300 && r <= 0x23FF, r >= 0xFE00 && r <= 0xFE0F, r == 0x200D, r == 0x20E3,
		r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return r > 0x2000 && unicode.Is(unicode.So, r)
}

// isInvisible is a control or formatting character that must never reach
// a display or a speech engine (bidi overrides included).
func isInvisible(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x206F, r == 0xFEFF:
		return true
	}
	return false
}

// stripInvisible drops escape sequences, control characters and emoji.
func stripInvisible(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = reANSI.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if isInvisible(r) || isEmoji(r) {
			return -1
		}
		return r
	}, s)
}

// CleanReply makes a model's raw reply fit to say: control characters,
// escape sequences, markup, emoji and stage directions go; a role label at
// the start goes; anything after the model starts writing the owner's turn
// goes; sentences with a word the persona forbids or that repeat the system
// prompt are dropped; what is left is bounded to the persona's sentence and
// length limits. It returns "" when nothing sayable remains: answer with a
// filler then (persona.FillersIn). systemPrompt may be "". For many calls
// with the same prompt, or a streamed reply, use a Cleaner.
func CleanReply(text string, p *persona.Persona, systemPrompt string) string {
	out, _ := NewCleaner(p, systemPrompt).clean(text, -1, -1)
	return out
}

// Cleaner is CleanReply with the system prompt indexed once. Safe for
// concurrent use (it is read-only after NewCleaner).
type Cleaner struct {
	p    *persona.Persona
	echo *EchoDetector
}

// NewCleaner prepares cleaning for persona p (persona.Default when nil)
// and its system prompt.
func NewCleaner(p *persona.Persona, systemPrompt string) *Cleaner {
	if p == nil {
		p = persona.Default()
	}
	var samples []string
	for _, lines := range p.Samples {
		samples = append(samples, lines...)
	}
	return &Cleaner{p: p, echo: NewEchoDetector(systemPrompt, samples)}
}

// Clean is CleanReply.
func (c *Cleaner) Clean(text string) string {
	out, _ := c.clean(text, -1, -1)
	return out
}

// clean keeps at most maxSent sentences and maxRunes runes (-1: the
// persona's limits); ended reports that the model started another turn,
// so whatever follows is not the pet's either.
func (c *Cleaner) clean(text string, maxSent, maxRunes int) (out string, ended bool) {
	p := c.p
	if maxSent < 0 {
		maxSent = p.Reply.MaxSentences
	}
	if maxRunes < 0 {
		maxRunes = p.Reply.MaxRunes
	}
	s := stripInvisible(text)
	s = reThink.ReplaceAllString(s, "")
	s = reRolePrefix.ReplaceAllString(s, "")
	s = stripName(s, p)
	if loc := reTurnMarker.FindStringIndex(s); loc != nil {
		s, ended = s[:loc[0]], true
	}
	s = reMDLink.ReplaceAllString(s, "$1")
	s = reTag.ReplaceAllString(s, "")
	s = reBold.ReplaceAllString(s, "$1$2")
	s = reAction.ReplaceAllString(s, "")
	s = reMDMarks.ReplaceAllString(s, " ")
	s = strings.TrimSpace(reSpaces.ReplaceAllString(s, " "))
	s = reSpacePunct.ReplaceAllString(s, "$1")
	if s == "" || maxSent == 0 {
		return "", ended
	}
	var kept []string
	for _, sent := range SplitSentences(s) {
		if !hasWordOrDigit(sent) || forbidden(sent, p) || c.echo.Echoes(sent) {
			continue
		}
		kept = append(kept, sent)
		if len(kept) == maxSent {
			break
		}
	}
	return bound(joinSentences(kept), maxRunes), ended
}

// ReplyFilter cleans a streamed reply chunk by chunk and bounds the reply
// as a whole: once the persona's sentence or length limit is reached, or
// the model starts writing another turn, Done is true and the caller
// should stop generating. One per reply; not safe for concurrent use.
type ReplyFilter struct {
	c         *Cleaner
	thinking  bool // inside a <think> block that spans chunks
	sentences int
	runes     int
	done      bool
	said      []string
}

// NewReply starts filtering one reply.
func (c *Cleaner) NewReply() *ReplyFilter { return &ReplyFilter{c: c} }

// Add cleans one chunk (ideally a whole sentence, as SentenceSplitter
// gives) and returns what may be said of it, "" when nothing.
func (f *ReplyFilter) Add(chunk string) string {
	if f.done {
		return ""
	}
	if f.thinking {
		i := strings.Index(strings.ToLower(chunk), "</think>")
		if i < 0 {
			return ""
		}
		chunk, f.thinking = chunk[i+len("</think>"):], false
	}
	if l := strings.ToLower(chunk); strings.Contains(l, "<think>") && !strings.Contains(l[strings.LastIndex(l, "<think>"):], "</think>") {
		f.thinking = true // clean drops the open block; later chunks until </think> go too
	}
	p := f.c.p
	leftRunes := p.Reply.MaxRunes - f.runes
	out, ended := f.c.clean(chunk, p.Reply.MaxSentences-f.sentences, leftRunes)
	if out != "" {
		f.sentences += len(SplitSentences(out))
		f.runes += utf8.RuneCountInString(out) + 1
		f.said = append(f.said, out)
	}
	if ended || f.sentences >= p.Reply.MaxSentences || f.runes >= p.Reply.MaxRunes-3 || strings.HasSuffix(out, "…") && utf8.RuneCountInString(out) >= leftRunes-1 {
		f.done = true
	}
	return out
}

// Done reports that the reply is complete: stop generating.
func (f *ReplyFilter) Done() bool { return f.done }

// Text is everything said so far, joined as one reply.
func (f *ReplyFilter) Text() string { return joinSentences(f.said) }

// stripName drops "Mochi:" (in any of the persona's names) at the start.
func stripName(s string, p *persona.Persona) string {
	names := []string{p.Name}
	for _, n := range p.Names {
		names = append(names, n)
	}
	for again := true; again; {
		again = false
		t := strings.TrimLeft(s, " \n\t")
		for _, n := range names {
			if len(t) > len(n) && strings.EqualFold(t[:len(n)], n) {
				rest := strings.TrimLeft(t[len(n):], " ")
				if r, sz := utf8.DecodeRuneInString(rest); r == ':' || r == '：' {
					s, again = rest[sz:], true
					break
				}
			}
		}
	}
	return s
}

func hasWordOrDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func forbidden(sent string, p *persona.Persona) bool {
	l := strings.ToLower(sent)
	for _, w := range p.Forbidden {
		if strings.Contains(l, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// joinSentences puts a space between sentences except after Chinese ones.
func joinSentences(ss []string) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(ss[i-1])
			if !isCJKEnd(last) && !unicode.Is(unicode.Han, last) && !isCloser(last) || last == '"' {
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
	}
	return b.String()
}

// bound cuts s to max runes at a word boundary, marking the cut with "…".
func bound(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n, soft := 0, 0, -1
	for i, r := range s {
		if n == max-1 {
			cut = i
			break
		}
		if isSoftBreak(r) && n > max/2 {
			soft = i
		}
		n++
	}
	if soft > 0 {
		cut = soft
	}
	return strings.TrimRight(s[:cut], " ,，、;:") + "…"
}
