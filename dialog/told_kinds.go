package dialog

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// A question asked back often shares no word with its answer: "what
// time did I say I had to be at the foot place?" is answered by "I've
// got the chiropodist at twenty past eleven", "婆婆今天赢了好多钱来着？"
// by "赢了八十六块钱". What it does say is the kind of thing it wants: a
// time, a number, a name, a colour, someone's words. A told sentence that
// holds a thing of that kind is the likelier answer, as in a question
// answering system's answer types; the kind only weighs among sentences
// the question already points at, or where the owner says outright that
// they ask back.

// answerKinds is a set of the kinds of thing a question asks for.
type answerKinds uint8

const (
	kindTime answerKinds = 1 << iota
	kindNumber
	kindName
	kindColour
	kindSpeech
)

// kindBonus is what a told sentence gains for each kind it holds of
// those asked, in the halves AnswerFromTalk counts in: as much as two
// shared words, less than the focus word.
const kindBonus = 4

var (
	reAsksTime   = regexp.MustCompile(`\bwhat time\b|\bwhen(?:'s)?\b|\bwhat day\b|\bwhich day\b|\bwhat date\b|几点|什么时候|啥时候|哪天|几号|星期几|礼拜几|周几|几时`)
	reAsksNumber = regexp.MustCompile(`\bhow (?:many|much|long|old|far)\b|\bwhat (?:score|mark|grade|number|price)\b|\bthe number of\b|多少|好多|几多|几[^点号时多]|多[高远长重大久宽深厚]`)
	reAsksName   = regexp.MustCompile(`\bwho(?:'s| is| was)?\b|\bwhose\b|\bname\b|\bcalled\b|叫(?:什么|什麼|啥|咩|乜)|姓(?:什么|什麼|啥|咩|乜)|(?:咩|乜)名|名字|谁|誰|边个|邊個`)
	reAsksColour = regexp.MustCompile(`\bcolou?r\b|颜色|什么色|啥色`)
	// Someone's words, not the owner's own: "what did Marcus tell me to
	// do?", "她跟我说啥来着？" ("what did I say?" asks back, for no kind).
	reAsksSpeech = regexp.MustCompile(`\bwhat did (?:[a-z]{2,}|[a-hj-z])(?: \w+)? (?:say|tell|said|ask)\b|\bwhat (?:he|she|they) said\b|(?:说|讲|告诉我|问)了?(?:些)?(?:什么|啥)`)

	reHasColour = regexp.MustCompile(`(?i)\b(?:red|orange|yellow|green|blue|purple|violet|pink|white|black|grey|gray|brown|gold|golden|silver|navy|teal|mint|cream|beige|lilac|turquoise|ginger)\b` +
		`|[红橙黄绿蓝紫粉白黑灰棕金银青]色|[红黄绿蓝紫粉]的`)
	reHasSpeech = regexp.MustCompile(`(?i)\b(?:said|says|say|told|tells|asked|reckons|wants me)\b|["“”「」]|说|讲|问|告诉|让我|叫我`)
	reHasNameZh = regexp.MustCompile(`叫|姓|名`)
)

// kindReaders tell, for each kind, a question that asks for it and a
// told sentence that holds one (asked is the question's text, whose own
// capitalised words name no answer).
var kindReaders = []struct {
	kind  answerKinds
	asks  *regexp.Regexp
	holds func(s, asked string) bool
}{
	{kindTime, reAsksTime, func(s, _ string) bool { return reClock.MatchString(s) || reDay.MatchString(s) }},
	{kindNumber, reAsksNumber, func(s, _ string) bool { return reNumber.MatchString(s) }},
	{kindName, reAsksName, func(s, asked string) bool {
		return reHasNameZh.MatchString(s) || len(zhNames(s)) > 0 || len(englishNames(s, asked)) > 0
	}},
	{kindColour, reAsksColour, func(s, _ string) bool { return reHasColour.MatchString(s) }},
	{kindSpeech, reAsksSpeech, func(s, _ string) bool { return reHasSpeech.MatchString(s) }},
}

// askedKinds are the kinds of thing the question clauses qs ask for.
func askedKinds(qs []string) answerKinds {
	var k answerKinds
	for _, q := range qs {
		lq := strings.ToLower(q)
		for _, r := range kindReaders {
			if r.asks.MatchString(lq) {
				k |= r.kind
			}
		}
	}
	return k
}

// heldKinds are the kinds of thing a told sentence holds.
func heldKinds(s, asked string) answerKinds {
	var k answerKinds
	for _, r := range kindReaders {
		if r.holds(s, asked) {
			k |= r.kind
		}
	}
	return k
}

// englishNames are the capitalised words of s after each sentence's
// first that name someone or something not in asked: no calendar word,
// title or "I'm" ("a boy called Ruan" for "who is Kabelo's little
// friend?", not "Little Kabelo is staying").
func englishNames(s, asked string) []string {
	if hasHan(s) {
		return nil
	}
	la := strings.ToLower(asked)
	var out []string
	for _, sent := range SplitSentences(s) {
		for i, w := range reName.FindAllString(sent, -1) {
			w = strings.TrimSuffix(w, "'s")
			if i == 0 && strings.HasPrefix(sent, w) || w == "I" || strings.HasPrefix(w, "I'") || calendarWords[w] || titles[strings.ToLower(w)] ||
				strings.Contains(la, strings.ToLower(w)) {
				continue
			}
			out = append(out, w)
		}
	}
	return out
}

var (
	// reClock is a time told precisely, which an answer to "what time"
	// must say rather than the day alone ("tomorrow… before 8 a.m.");
	// reDay a day.
	reClock = regexp.MustCompile(`(?i)\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.]\d{2}\b|\b(?:half|quarter|ten|five|twenty|twenty-five) (?:past|to) \w+|\b\w+ o'clock\b|\b(?:at|by|till|until|from|before|after) (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\b|\bhalf (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b` +
		`|[零一二两三四五六七八九十\d]+点(?:半|[零一二三四五六七八九十\d]+分?)?|[零一二两三四五六七八九十\d]+[号日]`)
	reDay = regexp.MustCompile(`(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|noon|midnight)\b|\b\d{1,2}(?:st|nd|rd|th)\b|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|[一二三四五六七八九十]+月|腊月|正月|明天|后天|今晚`)
	// reNumber is a figure: digits, number words, two Chinese numerals or
	// one with its measure word (not the 三 of 三明治).
	reNumber    = regexp.MustCompile(`(?i)\d+(?:[.,]\d+)?|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand))*\b|[零〇一二两三四五六七八九十百千万]{2,}|[两三四五六七八九十百千万][个只条块斤碗元岁分人次张本件杯瓶盘米度年天页层位节台辆双袋箱盒包克里周公]`)
	reAsksClock = regexp.MustCompile(`\bwhat time\b|\bwhat time's\b|几点`)
	reName      = regexp.MustCompile(`\p{Lu}[\p{L}'-]+`)
)

// wantsOf are, for each kind asked of a told sentence s that s holds,
// the words of that kind in s (lower-cased), and the word that tells
// which thing the question asks after (focus), for MemoryAnswer.Wants.
func wantsOf(s, asked string, kinds answerKinds, focus map[string]bool) [][]string {
	var out [][]string
	add := func(ws []string) {
		var g []string
		for _, w := range ws {
			if w = strings.ToLower(strings.TrimSpace(w)); w != "" && !slices.Contains(g, w) {
				g = append(g, w)
			}
		}
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	held := kinds & heldKinds(s, asked)
	if held&kindTime != 0 {
		// "What time…?" wants the clock where one was told; "when…?" the
		// clock or the day.
		clock := clockDigits(reClock.FindAllString(s, -1))
		if len(clock) == 0 || !reAsksClock.MatchString(strings.ToLower(asked)) {
			clock = append(clock, reDay.FindAllString(s, -1)...)
		}
		add(clock)
	}
	if held&kindNumber != 0 && held&kindTime == 0 {
		add(reNumber.FindAllString(s, -1))
	}
	if held&kindName != 0 {
		names := englishNames(s, asked)
		names = append(names, zhNames(s)...) // 陈屿 of 他叫陈屿, 阿杰, 小周

		add(names)
	}
	if held&kindColour != 0 {
		add(reHasColour.FindAllString(s, -1))
	}
	// "Which hall?" of "…in the Whitworth Hall" wants "Whitworth": the
	// word before the one asked after, where it tells which.
	// "Room B214." wants "B214", the word after, where the one before
	// tells nothing.
	for _, sent := range SplitSentences(s) {
		if hasHan(sent) {
			continue
		}
		words := strings.FieldsFunc(sent, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-' })
		for i, w := range words {
			if !focus[stem(sameWord(strings.TrimSuffix(strings.ToLower(w), "'s")))] {
				continue
			}
			if before := ""; i > 0 {
				before = strings.ToLower(words[i-1])
				if !notContent[before] && !determiners[before] {
					add([]string{before})
					continue
				}
			}
			if i+1 < len(words) && (strings.ContainsAny(words[i+1], "0123456789") || unicode.IsUpper([]rune(words[i+1])[0])) {
				add([]string{words[i+1]})
			}
		}
	}
	return out
}

// titles come before a name without being it.
var titles = map[string]bool{"dr": true, "mr": true, "mrs": true, "ms": true, "miss": true, "prof": true, "professor": true, "doctor": true, "nurse": true, "uncle": true, "auntie": true, "aunty": true}

// determiners point at a thing without telling which.
var determiners = map[string]bool{"the": true, "a": true, "an": true, "my": true, "his": true, "her": true, "our": true, "their": true,
	"your": true, "this": true, "that": true, "these": true, "those": true, "some": true, "any": true, "to": true, "at": true, "in": true, "on": true, "of": true}

// clockDigits are the times told, and for "at 3" or "8 a.m." the bare
// figure too, which an answer may say alone ("Three! At 3.").
func clockDigits(ws []string) []string {
	out := append([]string(nil), ws...)
	for _, w := range ws {
		if d := reDigits.FindString(w); d != "" {
			out = append(out, d)
		}
		if f := strings.Fields(w); len(f) == 2 && (f[0] == "at" || f[0] == "by" || f[0] == "till" || f[0] == "until" || f[0] == "from" || f[0] == "before" || f[0] == "after") {
			out = append(out, f[1])
		}
	}
	return out
}

var reDigits = regexp.MustCompile(`\d+(?:[:.]\d{2})?`)
