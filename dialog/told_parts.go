package dialog

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Owners ask back two things at once more often than one ("Quick: what
// was the headteacher called, and how many sugars went in my tea?",
// "那个新来的小工叫啥子，分店开在哪条路？"). Answered by the one sentence
// that meets the question best, half the question went unanswered and
// the other half of a good reply was refused for missing it.

// reAndAsks is a second question joined to the first by "and": "What
// was the boat's name and what year was the negative?". askedParts puts a
// comma before it, where a second question more often stands.
var reAndAsks = regexp.MustCompile(`(?i)\s+((?:and|or)\s+(?:also\s+)?(?:who|whose|what|what's|where|where's|which|when|when's|who's|how)\b)`)

// reJoinWord is the word that joins a second question to the first
// after a comma: ", and what time…", "，还有…".
var reJoinWord = regexp.MustCompile(`(?i)^(?:(?:and|or|also|plus)\s+|还有|另外|以及)`)

// askedParts are the clauses of text's questions that each ask for a
// thing told (asksForThing); where the owner said they ask back (back),
// any Chinese one with a question word not about the pet too.
func askedParts(text string, back bool) []string {
	var parts []string
	for _, sent := range SplitSentences(text) {
		if !strings.ContainsAny(sent, "?？") {
			continue
		}
		for _, c := range sentenceClauses(reAndAsks.ReplaceAllString(sent, ", $1")) {
			p := strings.TrimRight(c, "?？!！.。")
			p = strings.TrimSpace(reJoinWord.ReplaceAllString(p, ""))
			if lp := strings.ToLower(p); asksForThing(lp) || back && zhAsksThing(lp) {
				parts = append(parts, p)
			}
		}
	}
	return parts
}

// answerParts answers each of two parts on its own and joins the two
// sentences, in the order they were told. It declines when a part finds
// nothing, or both find the same sentence (which then answers both).
func answerParts(parts []string, back bool, units []toldUnit) (MemoryAnswer, bool) {
	var as [2]MemoryAnswer
	var at [2]int
	var qs [2]talkQuery
	for i, p := range parts {
		q, ok := newTalkQuery(p+"?", back)
		if !ok {
			return MemoryAnswer{}, false
		}
		if as[i], at[i], ok = q.answer(units); !ok {
			return MemoryAnswer{}, false
		}
		qs[i] = q
	}
	// A unit said back whole carries the short sentences that finish it
	// ("He'd hidden the ring inside a little tin of mints. Very smooth,
	// Eduardo."); two of them make a reply of three or four sentences,
	// too long to say. Each part is then said by its first sentence,
	// where that one still holds what its part asks for.
	if len(SplitSentences(as[0].Fact))+len(SplitSentences(as[1].Fact)) > 2 {
		for i := range as {
			as[i] = firstSentenceOf(as[i], qs[i])
		}
	}
	first, second := as[0], as[1]
	if strings.Contains(first.Fact, second.Fact) || strings.Contains(second.Fact, first.Fact) {
		return MemoryAnswer{}, false
	}
	if at[1] < at[0] {
		first, second = second, first
	}
	fact := Capitalize(strings.TrimSpace(first.Fact))
	if r, _ := utf8.DecodeLastRuneInString(fact); !isEnd(r) {
		fact += endMark("", "", hasHan(fact))
	}
	mark, _ := utf8.DecodeLastRuneInString(fact)
	fact += spaceAfter(string(mark)) + Capitalize(strings.TrimSpace(second.Fact))
	// The cat says the answer whole or not at all: a persona says two
	// sentences a reply ("I got an 88. Eighty-eight! I fly back Sunday"
	// came out as a purr), so two parts that run longer are left to the
	// one sentence that answers best.
	if len(SplitSentences(fact)) > 2 || utf8.RuneCountInString(fact) > maxPartsRunes {
		return MemoryAnswer{}, false
	}
	return MemoryAnswer{
		Fact:  fact,
		Keys:  append(slices.Clone(first.Keys), second.Keys...),
		Wants: append(slices.Clone(first.Wants), second.Wants...),
		Parts: []MemoryAnswer{first, second},
	}, true
}

// firstSentenceOf is a, said by its first sentence, where that one holds
// a thing of each kind q asks for that a held, or a as it is.
func firstSentenceOf(a MemoryAnswer, q talkQuery) MemoryAnswer {
	sents := SplitSentences(a.Fact)
	if len(sents) < 2 {
		return a
	}
	s := strings.TrimRightFunc(strings.TrimSpace(sents[0]), isEnd)
	if held := q.kinds & heldKinds(a.Fact, q.text); heldKinds(s, q.text)&held != held {
		return a
	}
	words := contentWords(s)
	var keys []string
	for _, k := range a.Keys {
		if words[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return a
	}
	return MemoryAnswer{Fact: s, Keys: keys, Wants: wantsOf(s, q.text, q.kinds, q.focus)}
}

// maxPartsRunes is the longest answer of two parts the cat says back:
// room for a purr in the persona's 160.
const maxPartsRunes = 140
