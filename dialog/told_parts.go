package dialog

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Owners ask back two things at once more often than one ("Quick: what
// was the headteacher called, and how many sugars went in my tea?",
// "那个新来的小工叫啥子，分店开在哪条路？"). Answered by the one sentence
// that meets the question best, half the question went unanswered and
// the other half of a good reply was refused for missing it.

// reAndAsks cuts an English clause before a second question word joined
// by "and": "What was the boat's name and what year was the negative?".
var reAndAsks = regexp.MustCompile(`(?i)\s+(?:and|or)\s+(?:also\s+)?(?:who|whose|what|what's|where|where's|which|when|when's|who's|how)\b`)

// reJoinWord is the word that joins a second question to the first
// after a comma: ", and what time…", "，还有…".
var reJoinWord = regexp.MustCompile(`(?i)^(?:(?:and|or|also|plus)\s+|还有|另外|以及)`)

// askedParts are the clauses of text's questions that each ask for a
// thing told: a question word, not about the pet (or, in Chinese, with no
// 你), and not asking an opinion. back says the owner said they ask back;
// otherwise each part must ask for a told thing on its own (asksForThing).
func askedParts(text string, back bool) []string {
	var parts []string
	for _, sent := range SplitSentences(text) {
		if !strings.ContainsAny(sent, "?？") {
			continue
		}
		for _, c := range sentenceClauses(sent) {
			for _, p := range splitAt(c, reAndAsks) {
				p = strings.TrimRight(strings.TrimSpace(p), "?？!！.。")
				p = strings.TrimSpace(reJoinWord.ReplaceAllString(p, ""))
				lp := strings.ToLower(p)
				asks := false
				if hasHan(lp) {
					asks = reZhAsksThing.MatchString(lp) && !strings.Contains(lp, "你") && (back || asksForThing(lp))
				} else {
					asks = reAsksForThing.MatchString(lp) && !reAboutPet.MatchString(lp) && !reAsksOpinion.MatchString(lp)
				}
				if asks {
					parts = append(parts, p)
				}
			}
		}
	}
	return parts
}

// splitAt cuts s before each match of re, leaving out the joining word
// ("and") and keeping the question word with the part after it.
func splitAt(s string, re *regexp.Regexp) []string {
	var out []string
	for {
		loc := re.FindStringIndex(s)
		if loc == nil {
			return append(out, s)
		}
		out = append(out, s[:loc[0]])
		_, s, _ = strings.Cut(strings.TrimSpace(s[loc[0]:]), " ")
	}
}

// answerParts answers each of two parts on its own and joins the two
// sentences, in the order they were told. It declines when a part finds
// nothing, or both find the same sentence (which then answers both).
func answerParts(parts []string, back bool, history []Turn) (MemoryAnswer, bool) {
	var as []MemoryAnswer
	for _, p := range parts {
		q, ok := newTalkQuery(p+"?", back)
		if !ok {
			return MemoryAnswer{}, false
		}
		a, ok := q.answer(history)
		if !ok {
			return MemoryAnswer{}, false
		}
		as = append(as, a)
	}
	first, second := as[0], as[1]
	if strings.Contains(first.Fact, second.Fact) || strings.Contains(second.Fact, first.Fact) {
		return MemoryAnswer{}, false
	}
	if toldAt(history, second.Fact) < toldAt(history, first.Fact) {
		first, second = second, first
	}
	sep := " "
	if hasHan(first.Fact) {
		sep = ""
	}
	fact := capitalised(strings.TrimSpace(first.Fact))
	if !endsSentence(fact) {
		fact += map[bool]string{true: "。", false: "."}[hasHan(fact)]
	}
	fact += sep + capitalised(strings.TrimSpace(second.Fact))
	// The cat says the answer whole or not at all: a persona says two
	// sentences a reply ("I got an 88. Eighty-eight! I fly back Sunday"
	// came out as a purr), so two parts that run longer are left to the
	// one sentence that answers best.
	if len(SplitSentences(fact)) > 2 || utf8.RuneCountInString(fact) > maxPartsRunes {
		return MemoryAnswer{}, false
	}
	both := MemoryAnswer{
		Fact:  fact,
		Keys:  append(slices.Clone(first.Keys), second.Keys...),
		Names: append(slices.Clone(first.Names), second.Names...),
		Wants: append(slices.Clone(first.Wants), second.Wants...),
		Parts: []MemoryAnswer{first, second},
	}
	return both, true
}

// toldAt is where in history the owner said fact (its turn and place in
// it), for ordering two answers as they were told.
func toldAt(history []Turn, fact string) int {
	for i, t := range history {
		if t.Role != "owner" {
			continue
		}
		if j := strings.Index(t.Text, fact); j >= 0 {
			return i*100000 + j
		}
	}
	return len(history) * 100000
}

// maxPartsRunes is the longest answer of two parts the cat says back:
// room for a purr in the persona's 160.
const maxPartsRunes = 140

// capitalised is s with its first letter in upper case: a part cut from
// the middle of a sentence ("got an appointment for Thursday") opens one
// in the answer.
func capitalised(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// endsSentence reports s ending in a sentence's end mark.
func endsSentence(s string) bool {
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") ||
		strings.HasSuffix(s, "。") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "？")
}
