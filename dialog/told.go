package dialog

import (
	"regexp"
	"slices"
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
	`|\bpop quiz\b|\bquiz time\b|\btest your memory\b|\bsee if you (?:were|was|have been) listening\b` +
	`|帮我记着|考考你|考你一下|考一考你|考一下你|我(?:刚才|刚刚|之前|上次|早上)(?:跟你)?说|记(?:得|不记得|住).{0,10}(?:啥|什么|哪|谁|几|多少)|我.{0,8}(?:什么|啥|哪|谁|几).{0,6}来着`)

// AnswerFromTalk finds the sentence of the owner's recent turns that a
// question in text asks back: the one sharing the most content words
// with it (and, in Chinese, single characters: "几点开会" meets "下午四点
// 还有个评审会" in 点 and 会 alone), the word the question asks after
// ("哪个市场", "which hospital") counting three times, each kind of thing
// it asks for that the sentence holds (told_kinds.go) twice, newest first
// on a tie. The unit is the sentence, not the clause: "New registrar
// started, Dr Okonkwo-Hale." answers "what was the new doctor's name?"
// only whole; with the short sentences that finish it ("I cut a rose
// from her bush. The yellow one."); and a sentence that opens with he or
// she ("He said I'm to do the band exercises") also meets the question in
// the words of the sentence before it, which the pronoun stands for.
// Clauses said to the pet ("你到时候提醒我一下"), questions, and words
// that try to steer the model are left out of it.
//
// Only two kinds of question look here, so that "what do you think of
// the roses?" is not taken for a test of memory: one that says it asks
// back (AsksBack, or "…did I tell you…"), or a question, marked as one,
// for a thing told ("when's my retest?", "宝宝几点喝的？") that is not
// about the pet and asks for no opinion ("what should I call the fox?").
//
// A question that asks for two things ("Who spilled the beer, and what
// time's my shift tomorrow?") is answered by a sentence for each, in the
// order they were told, where no one sentence holds both (askedParts).
func AnswerFromTalk(text string, history []Turn) (a MemoryAnswer, ok bool) {
	if reAsksOwnFact.MatchString(strings.ToLower(text)) {
		return a, false
	}
	q, ok := newTalkQuery(text, false)
	if !ok {
		return a, false
	}
	units := toldUnitsOf(history)
	a, _, ok = q.answer(units)
	if parts := askedParts(text, q.back); len(parts) == 2 {
		if both, ok2 := answerParts(parts, q.back, units); ok2 {
			return both, true
		}
	}
	return a, ok
}

// answer is the told unit that best answers q (AnswerFromTalk), and its
// place among units.
func (q talkQuery) answer(units []toldUnit) (a MemoryAnswer, at int, ok bool) {
	// The kind of thing asked weighs among the sentences that meet the
	// question's words; alone it picks only where none does and the owner
	// said they ask back (a told time for "what time did I say?"). So
	// one pass keeps the best of each, newest first on a tie.
	type pick struct {
		score int
		words int // of score, what the sentence shares with the question
		text  string
		keys  []string
		at    int
	}
	var met, byKind pick
	byKindTies := 0 // units at byKind's score: more than one, and the kind cannot tell which
	for i := len(units) - 1; i >= 0; i-- {
		before := ""
		if units[i].pronoun && i > 0 {
			before = units[i-1].text(0, len(units[i-1].clauses))
		}
		n, bonus, text, keys := q.score(units[i], before)
		best := &met
		if n == 0 {
			best = &byKind
		}
		if n == 0 && len(keys) > 0 && n+bonus == byKind.score {
			byKindTies++
		}
		if n+bonus > best.score && len(keys) > 0 {
			*best = pick{n + bonus, n, text, keys, i}
			if n == 0 {
				byKindTies = 1
			}
		}
	}
	// A place alone picks nothing: places are told in many sentences
	// ("from Croydon on Saturday" is no answer to "where are we eating?").
	if met.score == 0 && q.back && byKindTies == 1 && q.kinds&^kindPlace != 0 {
		// "What did I say her name was?" after two sentences that each
		// name someone: the kind alone cannot tell which.
		met = byKind
	}
	// A question for a time, a figure or a name that the best sentence
	// holds none of is not answered by it ("Whose piano am I doing in the
	// morning, and what time?" meets "Four pianos today" in a word alone),
	// unless the owner says they ask back.
	kinded := q.kinds&(kindTime|kindNumber|kindName) != 0
	unkind := kinded && met.score == met.words
	if met.score == 0 || unkind && !q.back || q.weak && (!kinded || unkind || met.words < weakWords) {
		return MemoryAnswer{}, 0, false
	}
	return MemoryAnswer{Fact: met.text, Keys: met.keys, Wants: wantsOf(met.text, q.text, q.kinds, q.focus)}, met.at, true
}

// talkQuery is what a question asks of the talk.
type talkQuery struct {
	text  string
	back  bool            // the owner says they ask back
	words map[string]bool // its content words
	han   map[rune]bool   // its Chinese characters that tell things apart
	focus map[string]bool // the words it asks after
	kinds answerKinds
	// weak: a Chinese question for a thing that does not say it was told
	// ("还有期末考试是哪天？"). Only a time, a figure or a name asked for
	// and held, in a sentence that meets it in two words or characters
	// (weakWords), answers it: "今天中午吃什么？" asks no memory.
	weak bool
}

// weakWords is the least a sentence shares with a weak question, in
// halves (talkQuery.score).
const weakWords = 4

// newTalkQuery reads the question in text; back says the owner said
// elsewhere that they ask back (a part of a question, askedParts).
func newTalkQuery(text string, back bool) (q talkQuery, ok bool) {
	q = talkQuery{text: text, back: back || AsksBack(text), words: map[string]bool{}, han: map[rune]bool{}, focus: map[string]bool{}}
	var asked []string
	weak := false
	for _, sent := range SplitSentences(text) {
		// "去哪儿都说…" in a sentence that ends with a full stop is no
		// question, whatever QuestionClauses makes of its 哪.
		marked := strings.ContainsAny(sent, "?？")
		if ls := strings.ToLower(sent); marked && (reRemindBack.MatchString(ls) || reAgainBack.MatchString(ls) && !reAboutPet.MatchString(ls)) {
			q.back = true
		}
		var clauses []string
		for _, c := range QuestionClauses(sent) {
			lc := strings.ToLower(c)
			if marked && reTellsBack.MatchString(lc) {
				q.back = true
			}
			switch {
			case q.back || marked && asksForThing(lc):
				clauses = append(clauses, c)
			case marked && zhAsksThing(lc):
				clauses = append(clauses, c)
				weak = true
			}
		}
		// A question marked as one asks in each of its clauses that holds
		// a question word: "明天几点、在哪儿来着？" asks for the time as much
		// as for the place; and a few words before it that are not said to
		// the pet name what it asks about: "And the corgi, what was his
		// name?", "Mochi, the syrup man, what did I say his name was?".
		if marked && len(clauses) > 0 {
			for _, c := range sentenceClauses(sent) {
				lc := strings.ToLower(c)
				if reAsksForThing.MatchString(lc) && !reAboutPet.MatchString(lc) ||
					zhAsksThing(lc) ||
					!hasHan(lc) && len(strings.Fields(lc)) <= topicWords && !reAboutPet.MatchString(lc) {
					clauses = append(clauses, c) // a clause twice weighs no more: words are a set
				}
			}
		}
		asked = append(asked, clauses...)
	}
	for _, c := range asked {
		lc := strings.ToLower(c)
		for w := range contentWords(c) {
			if !genericWords[w] {
				q.words[w] = true
			}
		}
		for _, r := range c {
			if unicode.Is(unicode.Han, r) && !strings.ContainsRune(hanNotContent, r) {
				q.han[r] = true
			}
		}
		for _, m := range reFocus.FindAllStringSubmatch(lc, -1) {
			for _, f := range m[1:] {
				if f != "" && !auxiliaries[f] {
					q.focus[stem(sameWord(f))] = true
				}
			}
		}
	}
	q.kinds = askedKinds(asked)
	q.weak = weak && !q.back && !slices.ContainsFunc(asked, func(c string) bool { return asksForThing(strings.ToLower(c)) })
	// "What did I say her name was?" shares no word with its answer: the
	// kind it asks for finds it (AnswerFromTalk's byKind).
	return q, len(q.words)+len(q.han) > 0 || q.back && q.kinds != 0
}

// topicWords is the longest clause before a question's that names what
// it asks about.
const topicWords = 6

// score is how well a told unit answers q: how much it meets the
// question's words, and what it gains for the kinds of thing asked that
// it holds; then the words it says back (its clauses from the first up
// to the last that meets the question, when the whole is too long to
// say), and those of them the question did not hold. before is the
// sentence a pronoun opening the unit stands for.
func (q talkQuery) score(u toldUnit, before string) (n, bonus int, text string, keys []string) {
	met := func(c string) (n int) {
		for w := range contentWords(c) {
			switch {
			case q.words[w] && q.focus[w]:
				n += 3
			case q.words[w]:
				n++
			}
		}
		seen := map[rune]bool{}
		for _, r := range c {
			if q.han[r] && !seen[r] {
				seen[r] = true
				n++
			}
		}
		for f := range q.focus {
			if hasHan(f) && strings.Contains(c, f) {
				n += 2
			}
		}
		return n
	}
	whole := u.text(0, len(u.clauses))
	if text = whole; tooLong(text) {
		if text = q.shorter(u, met); text == "" {
			return 0, 0, "", nil
		}
	}
	// Counted in halves: a word the sentence shares is two, the words
	// its pronoun stands for are one in all, so "It's probably the
	// audiobook Declan sent" does not tie with the sentence before it.
	// The kinds it holds are those of what would be said of it: not the
	// "flat white" of a long sentence cut down to "like we used to".
	n = 2 * met(whole)
	held := q.kinds & heldKinds(text, q.text)
	// What a pronoun stands for counts nearly whole where the sentence
	// also holds what is asked ("She's called Mrs Abernathy" for "who is
	// Tom's new teacher?"; "她下车的时候跟我说'…'" for "那个南方小姑娘跟我说
	// 啥来着？"), a half less, so that the sentence named in still wins a
	// tie; elsewhere a half in all.
	if m := met(before); m > 0 && held != 0 {
		n += 2*m - 1
	} else if m > 0 {
		n++
	}
	bonus = kindBonus * bits(held)
	if n+bonus == 0 {
		return 0, 0, "", nil
	}
	for w := range contentWords(text) {
		if !q.words[w] {
			keys = append(keys, w)
		}
	}
	return n, bonus, text, keys
}

// shorter says a unit too long to say whole by some of its clauses: those
// from its start (or else from the first that meets the question) to
// the last that meets it, and the next ones while they hold what it asks
// for ("We had a new agency nurse on, Siobhán Twomey from Mallow, …").
// Where these hold nothing asked for, the clauses that meet it or hold
// it, or those that hold it alone ("The plumber came round after lunch,
// …, and he told me the valve is stuck, …"). "" when none is short enough.
func (q talkQuery) shorter(u toldUnit, met func(string) int) string {
	u.clauses = finerClauses(u.clauses)
	holds := func(c string) bool { return q.kinds&heldKinds(c, q.text) != 0 }
	first, last := -1, -1
	var both, held []string
	for i, c := range u.clauses {
		m, h := met(c) > 0, holds(c)
		if m {
			if first < 0 {
				first = i
			}
			last = i
		}
		if m || h {
			both = append(both, c)
		}
		if h {
			held = append(held, c)
		}
	}
	span, spanHolds := "", false
	if last >= 0 {
		for last+1 < len(u.clauses) && holds(u.clauses[last+1]) && !tooLong(u.text(first, last+2)) {
			last++
		}
		for _, from := range []int{0, first} {
			if t := u.text(from, last+1); !tooLong(t) {
				span = t
				for _, c := range u.clauses[from : last+1] {
					spanHolds = spanHolds || holds(c)
				}
				break
			}
		}
	}
	if span != "" && (spanHolds || q.kinds == 0) {
		return span
	}
	for _, cs := range [][]string{both, held} {
		if len(cs) == 0 {
			continue
		}
		cut := toldUnit{clauses: append([]string(nil), cs...), zh: u.zh}
		if words := strings.Fields(cut.clauses[0]); len(words) > 1 && joiningWords[strings.ToLower(words[0])] {
			cut.clauses[0] = strings.Join(words[1:], " ")
		}
		if t := cut.text(0, len(cut.clauses)); !tooLong(t) {
			return t
		}
	}
	return span
}

// finerClauses cuts an English clause too long to say alone at "and",
// "but", "so" and "then" ("He said his best pigeon was called Duchess
// and once flew home from France in a day").
func finerClauses(clauses []string) []string {
	var out []string
	for _, c := range clauses {
		if hasHan(c) || !tooLong(c) {
			out = append(out, c)
			continue
		}
		for _, p := range reJoin.Split(c, -1) {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// reJoin is where an English clause joins another: the joining word goes
// with the cut, as shorter's clauses drop it anyway.
var reJoin = regexp.MustCompile(` (?:and|but|so|then) `)

// bits counts the kinds in k.
func bits(k answerKinds) (n int) {
	for ; k != 0; k &= k - 1 {
		n++
	}
	return n
}

// maxToldRunes is the longest told sentence said back whole, its
// quotation marks not counted.
const maxToldRunes = 80

// tooLong reports whether s is longer than maxToldRunes.
func tooLong(s string) bool {
	n := 0
	for _, r := range s {
		if !strings.ContainsRune(quoteMarks, r) {
			n++
		}
	}
	return n > maxToldRunes
}

// quoteMarks open or close a quotation.
const quoteMarks = "\"“”「」"

// reAsksOwnFact asks for what a fact pattern keeps (the owner's name,
// age, home, birthday, likes): the recall patterns answer those from the
// facts, and a told sentence that merely shares a word ("我有个外孙女叫
// 朵朵" for "你还记得我叫什么吗？") must not stand in for them.
var reAsksOwnFact = regexp.MustCompile(`\bmy (?:name|age|birthday|address|favou?rite)\b|\bwho am i\b|\bhow old am i\b|\bwhere do i live\b` +
	`|\bwhat do i (?:like|love|hate)\b|我的名字|我叫(?:什么|啥)|我是谁|我多大|我几岁|我住(?:在)?哪|我(?:的)?生日|我(?:最)?(?:喜欢|爱|讨厌)(?:吃|喝)?(?:什么|啥)`)

// reTellsBack finds a question that says it asks for what the owner
// told, "you" or 你 notwithstanding: "how many seedlings did I tell you
// went in?", "the new girl I was telling you about", "…来着？".
var reTellsBack = regexp.MustCompile(`\b(?:what|who|whose|which|when|where|how many|how much)\b.*\b(?:did i (?:tell you|mention)|i (?:was )?(?:telling you|told you)|i mentioned)\b|来着`)

// reRemindBack asks back in a sentence marked as a question: "Remind me,
// the number of covers tonight?", "what's my new boss called again?"
// ("Remind me to ring Mum." is a bidding).
var reRemindBack = regexp.MustCompile(`\bremind me\b|\btell me again\b`)

// reAgainBack asks back with "again" ("what's my new boss called
// again?"), unless it is about the pet: "what are you doing on the table
// again?" is a scolding.
var reAgainBack = regexp.MustCompile(`\b(?:what|what's|who|who's|whose|which|when|when's|where|how many|how much)\b[^?]*\bagain\b`)

// reFocus finds the word a question asks after: "which hospital", "what
// day", "the name of the new girl", "Kabelo's little friend", "哪个市场",
// "什么菜".
var reFocus = regexp.MustCompile(`\b(?:which|what|whose)\s+([a-z]{3,})\b|\bname of (?:the|my|that|his|her|our) (?:\w+ )?([a-z]{3,})\b|\bwho(?:'s| is| was) \w+'s (?:\w+ )?([a-z]{3,})\b|(?:哪个|哪家|哪条|哪天|什么|啥)(\p{Han}{2})`)

// auxiliaries follow "what" without being what it asks after ("what
// did Arjun say?").
var auxiliaries = map[string]bool{"did": true, "does": true, "was": true, "were": true, "are": true, "has": true,
	"have": true, "had": true, "would": true, "should": true, "could": true, "will": true, "can": true}

// genericWords are content words too common in talk to tell one told
// sentence from another ("what did I say I got?").
var genericWords = map[string]bool{"got": true, "get": true, "going": true, "thing": true, "today": true, "again": true,
	"tell": true, "telling": true, "told": true, "say": true, "said": true, "mention": true, "mentioned": true,
	"about": true, "remember": true, "remind": true}

// toldUnit is a sentence of an owner's turn that may be said back: its
// clauses about the owner's world, then the short sentences after it
// that finish it ("The yellow one.").
type toldUnit struct {
	clauses []string
	zh      bool
	tail    string // the finishing sentences, with their marks
	end     string // the sentence's own mark, said only before a tail
	pronoun bool   // it opens with he, she, 他 or 她: it speaks of the sentence before
}

// text is the unit's clauses from..to, with the tail when to is the last.
func (u toldUnit) text(from, to int) string {
	sep := ", "
	if u.zh {
		sep = "，"
	}
	s := unpairedQuotes(strings.Join(u.clauses[from:to], sep))
	if to == len(u.clauses) && u.tail != "" {
		return s + u.end + spaceAfter(u.end) + u.tail
	}
	return s
}

// toldUnitsOf are the told units of the owner's turns in history, oldest
// first.
func toldUnitsOf(history []Turn) []toldUnit {
	var out []toldUnit
	for _, t := range history {
		if t.Role != "owner" {
			continue
		}
		out = append(out, toldSentences(t.Text)...)
	}
	return out
}

// toldSentences are the sentences of an owner's turn that tell something
// the owner may ask back, each without its clauses said to the pet or
// meant to steer the model, its quotation marks dropped where they do not
// pair. A sentence too short to tell anything alone ("Mint green.",
// "Room B214.") finishes the one before it.
func toldSentences(text string) []toldUnit {
	var out []toldUnit
	last := -1 // the unit a short sentence may finish, in this turn
	for _, sent := range SplitSentences(text) {
		body := toldBody(sent)
		if strings.ContainsAny(sent, "?？") || body == "" {
			last = -1
			continue
		}
		zh := hasHan(body)
		var kept []string
		quoted := false // inside someone's words, where 你 and "you" are not the pet
		for _, c := range sentenceClauses(body) {
			opens := quoted || strings.ContainsAny(c, "\"“「")
			if toldClause(c, zh, opens) {
				kept = append(kept, c)
			}
			for _, r := range c {
				switch r {
				case '"':
					quoted = !quoted
				case '“', '「':
					quoted = true
				case '”', '」':
					quoted = false
				}
			}
		}
		if len(kept) == 0 {
			last = -1
			continue
		}
		joined := strings.Join(kept, ", ")
		if zh {
			joined = strings.Join(kept, "，")
		}
		if short := finishes(joined, zh); short != tellsAlone {
			if last >= 0 && out[last].zh == zh {
				out[last].finish(unpairedQuotes(joined), endMark(sent, body, zh))
				continue
			}
			if short == tooShort {
				continue
			}
			// "Booked the theatre at last." opens the turn: there is
			// nothing before it to finish, and it tells on its own.
		}
		lower := strings.ToLower(joined)
		out = append(out, toldUnit{clauses: kept, zh: zh, end: endMark(sent, body, zh),
			pronoun: rePronounOpening.MatchString(lower)})
		last = len(out) - 1
	}
	return out
}

// toldBody is a sentence without its end: marks, emoji, brackets. A
// closing quotation mark stays, for it pairs with its opening one, and
// the mark inside it goes ("…the logo "less purple."" ends "purple"").
func toldBody(sent string) string {
	body := strings.TrimRightFunc(sent, func(r rune) bool {
		return isEnd(r) || isCloser(r) && !strings.ContainsRune(quoteMarks, r) || isEmoji(r) || unicode.IsSpace(r)
	})
	if r, n := utf8.DecodeLastRuneInString(body); n > 0 && strings.ContainsRune(quoteMarks, r) {
		return strings.TrimRightFunc(body[:len(body)-n], func(r rune) bool { return isEnd(r) || unicode.IsSpace(r) }) + string(r)
	}
	return body
}

// finish adds a short sentence, and its mark, to the unit's tail.
func (u *toldUnit) finish(s, mark string) {
	if u.tail != "" {
		r, _ := utf8.DecodeLastRuneInString(u.tail)
		u.tail += spaceAfter(string(r))
	}
	u.tail += s + mark
}

// spaceAfter is what follows an end mark before the next sentence: a
// space after a Latin mark, nothing after a Chinese one.
func spaceAfter(mark string) string {
	if r, _ := utf8.DecodeRuneInString(mark); isCJKEnd(r) {
		return ""
	}
	return " "
}

// endMark is the mark that ends sent after its body: its first full
// stop, exclamation mark or ellipsis, or else a full stop.
func endMark(sent, body string, zh bool) string {
	for _, r := range sent[len(body):] {
		if isEnd(r) {
			return string(r)
		}
	}
	if zh {
		return "。"
	}
	return "."
}

// shortness is how a told sentence stands: alone, or finishing the one
// before it.
type shortness int

const (
	tellsAlone shortness = iota
	// tooShort tells nothing alone: a few characters, two words ("Mint
	// green."); dropped where nothing comes before it.
	tooShort
	// fragment is up to five words with no verb or subject a few words
	// know and no time, figure or name ("The yellow one.", "Little corgi,
	// zero fear."); where nothing comes before it, it tells alone.
	// "Dentist Tuesday at nine." holds a time: a note of its own, not the
	// end of "Mum's birthday is on Friday.".
	fragment
)

// finishes is how a told sentence stands (shortness).
func finishes(s string, zh bool) shortness {
	if zh {
		if utf8.RuneCountInString(s) < 4 {
			return tooShort
		}
		return tellsAlone
	}
	words := strings.Fields(strings.ToLower(s))
	if len(words) < 3 {
		return tooShort
	}
	if len(words) > 5 {
		return tellsAlone
	}
	for _, w := range words {
		if tellingWords[strings.Trim(w, ".,!\"“”")] || strings.ContainsAny(w, "'’") {
			return tellsAlone
		}
	}
	if len(words) > 3 && heldKinds(s, "")&(kindTime|kindNumber|kindName) != 0 {
		return tellsAlone
	}
	return fragment
}

// tellingWords make three words a sentence of their own.
var tellingWords = map[string]bool{"i": true, "we": true, "he": true, "she": true, "they": true, "it": true, "you": true,
	"is": true, "was": true, "are": true, "were": true, "am": true, "be": true, "been": true, "has": true, "have": true,
	"had": true, "do": true, "did": true, "does": true, "will": true, "can": true, "got": true, "get": true}

// rePronounOpening opens a sentence that speaks of someone or something
// named in the one before: "He said…", "It was…", "Fourteen of them…".
var rePronounOpening = regexp.MustCompile(`^(?:he|she|they|his|her|their|it|its|this|that|these|those)\b|^\S+ of (?:them|those)\b|^(?:他|她|它)`)

// toldClause reports whether a clause of a told sentence is about the
// owner's world: not said to the pet ("there you go", "你真乖"), not a
// greeting, not words that steer the model. In a quotation ("她说'你们
// 东北人真热情'") 你 and "you" are someone else's.
func toldClause(c string, zh, quoted bool) bool {
	if c == "" || strings.ContainsAny(c, "[]<>{}|`#*_") || reSteer.MatchString(c) {
		return false
	}
	if zh {
		return quoted || !strings.Contains(c, "你")
	}
	lc := strings.ToLower(c)
	if !quoted && reAboutPet.MatchString(lc) {
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
const hanNotContent = hanAsking + "他她它们地得在有个呀哦嗯嘛么说刚才过一不也都就和跟啥多少要想这那今天很再又猜问儿"

// reAsksForThing opens an English question for a thing; reAboutPet finds
// the pet in it.
var (
	reAsksForThing = regexp.MustCompile(`\b(?:who|whose|what|what's|where|where's|which|when|when's|who's|how many|how long|how much|how far|how old|how tall|how big|how high|how heavy|how fast)\b`)
	reAboutPet     = regexp.MustCompile(`\b(?:you|your|you're|you'd|you'll|yours|yourself)\b`)
	reZhAsksThing  = regexp.MustCompile(`什么|啥|哪|几|谁|多少|多[高远长重大久宽深厚]|边个|乜|咩|边度`)
	// reZhToldThing marks a thing already told, the owner's, done or
	// pointed back at: "我中午吃的啥？", "宝宝几点喝的？", "那个新客人姓什么？",
	// not "今天吃什么？".
	reZhToldThing = regexp.MustCompile(`我|了|的|过|刚|来着|上一|之前|昨|那个|那位|那家|那只|那条`)
)

// asksForThing reports whether a lower-cased question clause asks for a
// thing about the owner's world rather than about the pet.
func asksForThing(q string) bool {
	if hasHan(q) {
		return zhAsksThing(q) && reZhToldThing.MatchString(q)
	}
	return reAsksForThing.MatchString(q) && !reAboutPet.MatchString(q) && !reAsksOpinion.MatchString(q)
}

// zhAsksThing reports a lower-cased Chinese clause with a question word
// that is not about the pet (no 你), told or not.
func zhAsksThing(q string) bool {
	return hasHan(q) && reZhAsksThing.MatchString(q) && !strings.Contains(q, "你")
}

// reAsksOpinion asks what to do or what might be, not what was told:
// "what should I call the puppy?".
var reAsksOpinion = regexp.MustCompile(`\b(?:should|would|could|shall|might)\b`)
