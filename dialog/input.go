package dialog

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxChatRunes bounds the owner's words a brain sees in one chat
// message; a longer message is shortened to it by ValidateChat. (The MQTT
// payload has its own, much larger bound.)
const DefaultMaxChatRunes = 500

// Chat input errors; ValidateChat wraps them with detail.
var (
	ErrChatEmpty   = errors.New("dialog: chat text is empty")
	ErrChatNotUTF8 = errors.New("dialog: chat text is not valid UTF-8")
)

// ValidateChat checks and tidies the owner's words before any brain sees
// them: invalid UTF-8 and empty text (after removing control characters,
// escape sequences and chat-template tokens such as <|im_start|>, which
// could forge a turn) are errors. Text longer than maxRunes (0: the
// default) is shortened by keeping its start and its end, joined by " … ":
// the question in a long message is usually at its end. note says so, for
// the log and the response.
func ValidateChat(text string, maxRunes int) (clean, note string, err error) {
	if maxRunes <= 0 {
		maxRunes = DefaultMaxChatRunes
	}
	if !utf8.ValidString(text) {
		bad := 0
		for i := 0; i < len(text); {
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n == 1 {
				bad = i
				break
			}
			i += n
		}
		return "", "", fmt.Errorf("%w (bad byte 0x%02x at offset %d)", ErrChatNotUTF8, text[bad], bad)
	}
	s := reANSI.ReplaceAllString(text, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == '\r' {
			return ' '
		}
		if isInvisible(r) {
			return -1
		}
		return r
	}, s)
	s = reTemplateToken.ReplaceAllString(s, " ")
	s = strings.TrimSpace(reSpaces.ReplaceAllString(s, " "))
	if s == "" {
		return "", "", ErrChatEmpty
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		s = keepEnds(s, maxRunes)
		note = fmt.Sprintf("chat text shortened from %d to %d characters, keeping its start and its end", n, utf8.RuneCountInString(s))
	}
	return s, note, nil
}

// chatGap joins the start and the end of a shortened message.
const chatGap = " … "

// keepEnds shortens s to at most max runes: about the first 40% and the
// last 60% of the budget, each cut at a sentence end or a word break when
// one is near, else mid-word (Chinese has no spaces).
func keepEnds(s string, max int) string {
	r := []rune(s)
	gap := utf8.RuneCountInString(chatGap)
	if len(r) <= max || max <= gap+2 {
		return string(r[:min(len(r), max)])
	}
	budget := max - gap
	headN := budget * 2 / 5
	tailN := budget - headN
	head := r[:headN]
	// Back off to a sentence end, or failing that a space, in the head's
	// last third.
	if i := lastBreak(head, headN*2/3); i > 0 {
		head = head[:i]
	}
	tail := r[len(r)-tailN:]
	if i := firstBreak(tail, tailN/3); i >= 0 {
		tail = tail[i:]
	}
	return strings.TrimSpace(string(head)) + chatGap + strings.TrimSpace(string(tail))
}

// lastBreak is the rune index just past the last sentence end (else word
// break) in r at or after from; 0 when there is none.
func lastBreak(r []rune, from int) int {
	for i := len(r) - 1; i >= from; i-- {
		if isEnd(r[i]) {
			return i + 1
		}
	}
	for i := len(r) - 1; i >= from; i-- {
		if unicode.IsSpace(r[i]) || isSoftBreak(r[i]) {
			return i + 1
		}
	}
	return 0
}

// firstBreak is the rune index of the start of the first sentence (else
// word) in r before until; -1 when there is none.
func firstBreak(r []rune, until int) int {
	for i := 0; i < until && i < len(r)-1; i++ {
		if isEnd(r[i]) && !isEnd(r[i+1]) {
			return i + 1
		}
	}
	for i := 0; i < until && i < len(r)-1; i++ {
		if unicode.IsSpace(r[i]) || isSoftBreak(r[i]) {
			return i + 1
		}
	}
	return -1
}

// OverlongReply is what the cat says to a message far too big to read
// (the link refused its payload): a sound and a plea for the short version,
// in the owner's language when it is known.
func OverlongReply(lang string) string {
	if lang == "zh" {
		return "喵……这么多字，小猫读不完啦。能说短一点吗？"
	}
	return "Mrrp… that's more words than a cat can hold. Tell me the short version?"
}
