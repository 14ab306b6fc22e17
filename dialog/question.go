package dialog

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A clause asks rather than tells when it starts with a question word or
// an inverted auxiliary ("what's my name", "do I like tea", "remember my
// name?"), after any greeting or filler.
var (
	reEnQuestionStart = regexp.MustCompile(`(?i)^(?:(?:so|and|but|well|oh|hey|ok|okay|um|hmm|mochi|kitty|cat)\b[\s,]*)*` +
		`(?:what|what's|whats|who|who's|whose|whom|where|where's|when|why|how|how's|which|` +
		`do|does|did|is|isn't|are|aren't|am|was|were|can|can't|could|will|won't|would|should|shall|have|has|may|might|` +
		`remember|recall|guess|tell me|say)\b`)
	// Chinese asks with a question word, a final particle or an A-not-A
	// verb ("记不记得", "是不是"); Cantonese with its own (咩, 乜, 边个,
	// 边度, "识唔识").
	reZhQuestion = regexp.MustCompile(`什么|什麼|啥|哪|谁|誰|几|幾|多少|怎么|怎樣|怎样|为什么|為什麼|吗|嗎|么$|咩|乜|边个|邊個|边度|邊度|(\p{Han})[不唔](\p{Han})`)
)

// statements cuts text into clauses (at sentence ends, then at commas and
// semicolons) and keeps those that tell rather than ask. The last clause of
// a sentence ended by a question mark asks; so does any clause that opens
// like a question.
func statements(text string) []string {
	return clauses(text, false)
}

// QuestionClauses cuts text into clauses like statements does and keeps
// those that ask, so a caller can answer "what do I like?" without taking
// "I like tea, do you?" for a question about the owner.
func QuestionClauses(text string) []string {
	return clauses(text, true)
}

// Clauses cuts text into its clauses: sentences (SplitSentences), each cut
// at commas, semicolons and enumeration commas, trimmed, empty ones left
// out. The rules brain reads keywords clause by clause with it.
func Clauses(text string) []string {
	var out []string
	for _, sent := range SplitSentences(text) {
		out = append(out, sentenceClauses(sent)...)
	}
	return out
}

// sentenceClauses cuts one sentence at commas and semicolons, but not at
// the comma of a figure ("71,300 words").
func sentenceClauses(sent string) []string {
	var out []string
	start := 0
	for i, r := range sent {
		cut := r == '，' || r == ';' || r == '；' || r == '、' || r == '：' ||
			(r == ',' || r == ':') && !(i > 0 && isDigit(sent[i-1]) && i+1 < len(sent) && isDigit(sent[i+1]))
		if !cut {
			continue
		}
		if p := strings.TrimSpace(sent[start:i]); p != "" {
			out = append(out, p)
		}
		start = i + utf8.RuneLen(r)
	}
	if p := strings.TrimSpace(sent[start:]); p != "" {
		out = append(out, p)
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// clauses keeps the clauses of text that ask (asking) or tell (!asking).
func clauses(text string, asking bool) []string {
	var out []string
	for _, sent := range SplitSentences(text) {
		body := strings.TrimRightFunc(sent, func(r rune) bool { return isEnd(r) || isCloser(r) || isEmoji(r) || unicode.IsSpace(r) })
		asked := strings.ContainsAny(sent[len(body):], "?？")
		parts := sentenceClauses(sent)
		for i, p := range parts {
			if ((asked && i == len(parts)-1) || isQuestion(p)) != asking {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// isQuestion reports whether a clause, whatever its end mark, opens or is
// built like a question.
func isQuestion(clause string) bool {
	if strings.ContainsAny(clause, "?？") || reEnQuestionStart.MatchString(clause) {
		return true
	}
	for _, m := range reZhQuestion.FindAllStringSubmatch(clause, -1) {
		// A-not-A needs the same character twice: "记不记得" and "识唔识"
		// ask, "我不想" and "我唔想" tell.
		if m[1] == "" || m[1] == m[2] {
			return true
		}
	}
	return false
}
