package dialog

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Owners ask back what they told a few minutes ago, not only what the
// facts keep: "My retest is March 14th" is no life fact (ExtractFacts
// keeps none), yet "When's my retest?" or "我刚说几点开会来着？" comes
// two turns later, and a cat that answers "I'm here!" sounds as if it
// never listened. The prompt holds those turns, but a model of 270M
// parameters answers such a question from them about half the time in
// the eval's fresh talk. So the statements of the recent history are a
// second memory for MemoryAsked: the reply must name what was told, or
// the fallback says it back. Nothing here changes the prompt (which
// the adapter was trained on): only which reply is said.

// MemoryAsked is the remembered thing a message asks about: a fact
// (AnswerInMemory over facts) or, failing that, a clause the owner said
// in history (AnswerFromTalk).
// The talk wins only where it shares more of the question's words than
// the fact: "Where is Susan off to?" asks the talk of Spain, not the fact
// that Susan rings on Tuesdays.
func MemoryAsked(text string, facts []string, history []Turn) (MemoryAnswer, bool) {
	fact, factOK := AnswerInMemory(text, facts)
	talk, talkOK := AnswerFromTalk(text, history)
	if talkOK && (!factOK || shared(talk) > shared(fact)) {
		return talk, true
	}
	return fact, factOK
}

// shared is how many content words of its fact an answer's question held.
func shared(a MemoryAnswer) int { return len(contentWords(a.Fact)) - len(a.Keys) }

// AsksBack reports whether text asks the pet back something the owner
// told it ("remind me, what…", "what did I just say", "我刚才说…",
// "…来着？").
func AsksBack(text string) bool {
	return reAsksBack.MatchString(strings.ToLower(text))
}

var reAsksBack = regexp.MustCompile(`\bremind me,? (?:what|who|where|when|which|how)\b|\bwhat (?:did|do) i (?:just )?(?:say|tell|need|have to)\b` +
	`|\b(?:do|did|can) you (?:still )?remember (?:what|who|where|when|which|how|the|my)\b|\bwhat was (?:it|that) i\b` +
	`|\bwhat \w+(?: \w+)? did i (?:say|tell you)\b|\b(?:who|where|when) did i say\b` +
	`|帮我记着|考考你|我(?:刚才|刚刚|之前|上次|早上)(?:跟你)?说|记(?:得|不记得|住).{0,10}(?:啥|什么|哪|谁|几)|我.{0,8}(?:什么|啥|哪|谁|几).{0,6}来着`)

// AnswerFromTalk finds the sentence of the owner's recent turns that a
// question in text asks back: the one sharing the most content words
// with it (and, in Chinese, single characters: "几点开会" meets "下午四点
// 还有个评审会" in 点 and 会 alone), the word the question asks after
// ("哪个市场", "which hospital") counting three times, newest first on a
// tie. The unit is the sentence, not the clause: "New registrar started,
// Dr Okonkwo-Hale." answers "what was the new doctor's name?" only
// whole. Clauses said to the pet ("你到时候提醒我一下"), questions, and
// words that try to steer the model are left out of it.
//
// Only two kinds of question look here, so that "what do you think of
// the roses?" is not taken for a test of memory: one that says it asks
// back (AsksBack), or a question, marked as one, for a thing ("when's my
// retest?", "我中午吃的啥？") that is not about the pet (no "you", no 你).
func AnswerFromTalk(text string, history []Turn) (a MemoryAnswer, ok bool) {
	if reAsksOwnFact.MatchString(strings.ToLower(text)) {
		return a, false
	}
	back := AsksBack(text)
	var asked []string
	for _, sent := range SplitSentences(text) {
		// "去哪儿都说…" in a sentence that ends with a full stop is no
		// question, whatever QuestionClauses makes of its 哪.
		marked := strings.ContainsAny(sent, "?？")
		for _, q := range QuestionClauses(sent) {
			if back || marked && asksForThing(strings.ToLower(q)) {
				asked = append(asked, q)
			}
		}
	}
	qw, qh, focus := map[string]bool{}, map[rune]bool{}, map[string]bool{}
	for _, q := range asked {
		lq := strings.ToLower(q)
		for w := range contentWords(q) {
			if !genericWords[w] {
				qw[w] = true
			}
		}
		for _, r := range q {
			if unicode.Is(unicode.Han, r) && !strings.ContainsRune(hanNotContent, r) {
				qh[r] = true
			}
		}
		for _, m := range reFocus.FindAllStringSubmatch(lq, -1) {
			for _, f := range m[1:] {
				if f != "" {
					focus[stem(f)] = true
				}
			}
		}
	}
	if len(qw)+len(qh) == 0 {
		return a, false
	}
	best := 0
	for i := len(history) - 1; i >= 0; i-- {
		t := history[i]
		if t.Role != "owner" {
			continue
		}
		sents := toldSentences(t.Text)
		for j := len(sents) - 1; j >= 0; j-- {
			c := sents[j]
			n := 0
			var keys []string
			for w := range contentWords(c) {
				switch {
				case qw[w] && focus[w]:
					n += 3
				case qw[w]:
					n++
				default:
					keys = append(keys, w)
				}
			}
			seen := map[rune]bool{}
			for _, r := range c {
				if qh[r] && !seen[r] {
					seen[r] = true
					n++
				}
			}
			for f := range focus {
				if hasHan(f) && strings.Contains(c, f) {
					n += 2
				}
			}
			if n > best && len(keys) > 0 {
				best, a = n, MemoryAnswer{Fact: c, Keys: keys}
			}
		}
	}
	return a, best > 0
}

// reAsksOwnFact asks for what a fact pattern keeps (the owner's name,
// age, home, birthday, likes): the recall patterns answer those from the
// facts, and a told sentence that merely shares a word ("我有个外孙女叫
// 朵朵" for "你还记得我叫什么吗？") must not stand in for them.
var reAsksOwnFact = regexp.MustCompile(`\bmy (?:name|age|birthday|address|favou?rite)\b|\bwho am i\b|\bhow old am i\b|\bwhere do i live\b` +
	`|\bwhat do i (?:like|love|hate)\b|我的名字|我叫(?:什么|啥)|我是谁|我多大|我几岁|我住(?:在)?哪|我(?:的)?生日|我(?:最)?(?:喜欢|爱|讨厌)(?:吃|喝)?(?:什么|啥)`)

// reFocus finds the word a question asks after: "which hospital", "what
// day", "哪个市场", "什么菜".
var reFocus = regexp.MustCompile(`\b(?:which|what|whose)\s+([a-z]{3,})\b|(?:哪个|哪家|哪条|哪天|什么|啥)(\p{Han}{2})`)

// genericWords are content words too common in talk to tell one told
// sentence from another ("what did I say I got?").
var genericWords = map[string]bool{"got": true, "get": true, "going": true, "thing": true, "today": true, "again": true}

// toldSentences are the sentences of an owner's turn that tell something
// the owner may ask back, each without its clauses said to the pet or
// meant to steer the model, its quotation marks dropped where they do not
// pair, and no longer than a reply may be.
func toldSentences(text string) []string {
	var out []string
	for _, sent := range SplitSentences(text) {
		body := strings.TrimRightFunc(sent, func(r rune) bool { return isEnd(r) || isCloser(r) || isEmoji(r) || unicode.IsSpace(r) })
		if strings.ContainsAny(sent, "?？") || body == "" {
			continue
		}
		zh := hasHan(body)
		var kept []string
		for _, c := range sentenceClauses(body) {
			if toldClause(c, zh) {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			continue
		}
		joined := strings.Join(kept, ", ")
		if zh {
			joined = strings.Join(kept, "，")
		}
		joined = unpairedQuotes(joined)
		words := len(strings.Fields(joined))
		if zh && utf8.RuneCountInString(joined) < 4 || !zh && words < 3 || utf8.RuneCountInString(joined) > 80 {
			continue
		}
		out = append(out, joined)
	}
	return out
}

// toldClause reports whether a clause of a told sentence is about the
// owner's world: not said to the pet ("there you go", "你真乖"), not a
// greeting, not words that steer the model.
func toldClause(c string, zh bool) bool {
	if c == "" || strings.ContainsAny(c, "[]<>{}|`#*_") || reSteer.MatchString(c) {
		return false
	}
	if zh {
		return !strings.Contains(c, "你")
	}
	lc := strings.ToLower(c)
	if reAboutPet.MatchString(lc) {
		return false
	}
	words := strings.FieldsFunc(lc, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	return len(words) > 0 && !notAboutOwner[words[0]]
}

// unpairedQuotes drops the quotation marks of s when they do not pair: a
// clause cut out of a quote ("五点五十说"这个方案…) would say them alone.
func unpairedQuotes(s string) string {
	if strings.Count(s, "\"")%2 == 0 && strings.Count(s, "“") == strings.Count(s, "”") &&
		strings.Count(s, "「") == strings.Count(s, "」") {
		return s
	}
	return strings.NewReplacer("\"", "", "“", "", "”", "", "「", "", "」", "").Replace(s)
}

// hanNotContent are characters a Chinese question and its answer share
// whatever they are about, counted one by one: contentWords' hanAsking,
// and the function words and time words that a pair of characters
// carries along but a single character does not tell apart.
const hanNotContent = hanAsking + "他她它们地得在有个呀哦嗯嘛么说刚才过一不也都就和跟啥多少要想这那今天很再又猜问"

// reAsksForThing opens an English question for a thing; reAboutPet finds
// the pet in it.
var (
	reAsksForThing = regexp.MustCompile(`\b(?:who|whose|what|what's|where|where's|which|when|when's|who's|how many|how long|how much)\b`)
	reAboutPet     = regexp.MustCompile(`\b(?:you|your|you're|you'd|you'll|yours|yourself)\b`)
	reZhAsksThing  = regexp.MustCompile(`什么|啥|哪|几|谁|多少`)
)

// asksForThing reports whether a lower-cased question clause asks for a
// thing about the owner's world rather than about the pet.
func asksForThing(q string) bool {
	if hasHan(q) {
		return reZhAsksThing.MatchString(q) && strings.Contains(q, "我") && !strings.Contains(q, "你")
	}
	return reAsksForThing.MatchString(q) && !reAboutPet.MatchString(q)
}
