package dialog

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// DefaultMaxChatRunes bounds one chat message.
const DefaultMaxChatRunes = 500

// Chat input errors; ValidateChat wraps them with detail.
var (
	ErrChatEmpty   = errors.New("dialog: chat text is empty")
	ErrChatNotUTF8 = errors.New("dialog: chat text is not valid UTF-8")
)

// ValidateChat checks and tidies the owner's words before any brain sees
// them: invalid UTF-8 and empty text (after removing control characters,
// escape sequences and chat-template tokens such as <|im_start|>, which
// could forge a turn) are errors; text longer than maxRunes (0: the
// default) is cut there and note says so, for the log and the response.
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
		i := 0
		for k := 0; k < maxRunes; k++ {
			_, sz := utf8.DecodeRuneInString(s[i:])
			i += sz
		}
		s = strings.TrimSpace(s[:i])
		note = fmt.Sprintf("chat text cut from %d to %d characters", n, maxRunes)
	}
	return s, note, nil
}
