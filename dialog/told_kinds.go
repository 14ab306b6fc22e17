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
// time, a number, a name, a colour, someone's words, a place. A told
// sentence that holds a thing of that kind is the likelier answer, as in
// a question answering system's answer types; the kind only weighs among
// sentences the question already points at, or where the owner says
// outright that they ask back (a place never alone: places are told in
// many sentences).

// answerKinds is a set of the kinds of thing a question asks for.
type answerKinds uint8

const (
	kindTime answerKinds = 1 << iota
	kindNumber
	kindName
	kindColour
	kindSpeech
	kindPlace
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

	// A place: "where's the ring hidden?" is answered by "in the sock
	// drawer", "分店开在哪条路？" by "开在玉林路". A proper name after a
	// preposition ("from a supplier in Belfast"), a preposition and a
	// thing that holds things, or a Chinese place word.
	reAsksPlace = regexp.MustCompile(`\bwhere(?:'s|'re)?\b|哪里|哪儿|哪裡|在哪|去哪|哪条(?:路|街)|哪个(?:区|地方|城市|站|路口|门)|哪一站|哪站|哪家|哪间|边度|喺边`)
	reHasPlace  = regexp.MustCompile(`\b(?:[Ii]n|[Aa]t|[Ff]rom|[Nn]ear|to|[Oo]utside|[Bb]ehind) (?:the )?(?:[A-Z][a-z]|[a-z][A-Z])|` +
		`(?i)\b(?:in|under|behind|inside|on|at the back of|on top of|next to) (?:the|my|his|her|our|their|a) (?:\w+ )?(?:drawer|box|bowl|table|cupboard|cabinet|wardrobe|car|garage|shed|kitchen|hall|shelf|bag|pocket|room|bedroom|attic|loft|basement|fridge|freezer|jar|tin|tray|sock|shoe|coat|jacket|desk|safe|glovebox|boot|trunk|porch|garden|closet|suitcase|pot|vase)\b|` +
		`\p{Han}(?:路|街|巷|区|县|镇|村|站|公园|医院|学校|广场|大厦|商场|酒店|宾馆|民宿|机场|公墓|小区|体育馆|文化馆|图书馆|报告厅|礼堂|寺|庙|湖|桥|码头|市场)|在.{1,8}(?:里|上|下面|底下|旁边|门口|对面|后面)`)
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
	{kindTime, reAsksTime, func(s, asked string) bool {
		// "几点去打针？" asks the clock: "明天疫苗打完…" tells only the day.
		return len(clocks(s)) > 0 || !asksClockOnly(asked) && reDay.MatchString(s)
	}},
	{kindNumber, reAsksNumber, func(s, _ string) bool { return reNumber.MatchString(s) }},
	{kindName, reAsksName, func(s, asked string) bool {
		return reHasNameZh.MatchString(s) || len(zhNames(s)) > 0 || len(englishNames(s, asked)) > 0
	}},
	{kindColour, reAsksColour, func(s, _ string) bool { return reHasColour.MatchString(s) }},
	{kindSpeech, reAsksSpeech, func(s, _ string) bool { return reHasSpeech.MatchString(s) }},
	{kindPlace, reAsksPlace, func(s, _ string) bool { return reHasPlace.MatchString(s) }},
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
	// reAsksDay asks when in words a day answers as well as a clock.
	reAsksDay = regexp.MustCompile(`\bwhen(?:'s)?\b|\bwhat day\b|\bwhich day\b|\bwhat date\b|什么时候|啥时候|哪天|几号|星期几|礼拜几|周几|几时`)
	// A bare 一点 is "a bit" ("心情会好一点", "早一点") unless a day or a
	// part of it comes before it or 钟 after it: "下午一点", "明天一点",
	// "一点钟".
	reDayPart = regexp.MustCompile(`(?:上午|下午|中午|凌晨|晚上|夜里|半夜|早上|早晨|今晚|明早|今天|明天|后天|昨天|[周号日]|星期.|礼拜.)$`)
	reName    = regexp.MustCompile(`\p{Lu}[\p{L}'-]+`)
)

// clocks are the times of day told in s (reClock), less the 一点 that
// means "a bit".
func clocks(s string) []string {
	var out []string
	for _, loc := range reClock.FindAllStringIndex(s, -1) {
		if m := s[loc[0]:loc[1]]; m != "一点" || reDayPart.MatchString(s[:loc[0]]) || strings.HasPrefix(s[loc[1]:], "钟") {
			out = append(out, m)
		}
	}
	return out
}

// asksClockOnly reports a question for the time of day and not for the
// day ("明天几点去打针？", not "哪天几点？").
func asksClockOnly(asked string) bool {
	la := strings.ToLower(asked)
	return reAsksClock.MatchString(la) && !reAsksDay.MatchString(la)
}

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
		clock := clockDigits(clocks(s))
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
