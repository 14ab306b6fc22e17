package rules

import (
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purrd/purrd/dialog"
)

// The owner weighing two things ("The grey coat or the navy one?", "你说我
// 穿裙子还是穿裤子？") heard "Whichever you pick, I'll still purr for you.",
// kind but no help; raters gave the model's "喵，卫衣！" a 2 where it picked
// one. A cat has opinions: asked_pick names one of the two (eitherOr) and
// stands by it. Which one follows from the words, so the same question
// gets the same pick.

// eitherOr are the two options a question offers the owner, as they would
// be said back: "the grey coat" and "the navy one" of "Should I wear the
// grey coat or the navy one?", 穿裙子 and 穿裤子 of "你说我穿裙子还是穿裤
// 子？"; ok is false where there are not two short ones.
func eitherOr(question string) (a, b string, ok bool) {
	// Every sentence, statements too ("Help me pick: A or B."), the last
	// first.
	sentences := dialog.SplitSentences(question)
	slices.Reverse(sentences)
	for _, sentence := range sentences {
		if hasHan(sentence) {
			a, b, ok = eitherOrZH(sentence)
		} else {
			a, b, ok = eitherOrEN(sentence)
		}
		if ok {
			return a, b, true
		}
	}
	return "", "", false
}

// maxOptionWords and maxOptionRunes bound an option said back.
const (
	maxOptionWords = 6
	maxOptionRunes = 10
)

var (
	// reOrEN splits "A or B"; reLeadEN is what comes before A: the
	// question's frame up to its verb ("should I wear", "between").
	reOrEN   = regexp.MustCompile(`(?i),?\s+or\s+`)
	reLeadEN = regexp.MustCompile(`(?i)^.*(?:[,:;]|\b(?:between|either|need|want|prefer|grab|wear|get|have|buy|order|pick|choose|take|go with|go for|do|watch|read|paint|make|cook|eat|drink|try|use|book|bring|keep|visit|plant|play|put|start|send|call|text|go to|it be|is it|be)\b)\s*`)
	// reTailEN ends B: the question's frame after it.
	reTailEN = regexp.MustCompile(`(?i)\s*(?:,.*|\b(?:what do you|which do you|do you think|you reckon|what would you|for|this weekend|next week)\b.*)$`)
	// reBetweenEN: "I can't decide between A and B".
	reBetweenEN = regexp.MustCompile(`(?i)\bbetween (.+?) and (.+)$`)
	// reNotChoiceEN: "or not", "or something", a question about the pet
	// or asked of the past ("Did I leave it on or off?").
	reNotChoiceEN = regexp.MustCompile(`(?i)\bor (?:not|something|anything|what|so|whatever|else)\b|^(?:did|was|were|have|has|had|are|am)\s+(?:i|you|we|it|he|she|they)\b|^(?:is it|is that|is this|will it)\b`)
	// reClauseEN opens an option that is a clause, not a thing: "or is
	// that too old-fashioned?", "or do I wait?".
	reClauseEN = regexp.MustCompile(`(?i)^(?:is|are|was|were|am|do|does|did|can|could|will|would|should|shall|have|has|it|it's|that|that's|this|there|there's)\b`)
	// rePersonEN: an option that holds a person is no thing to pick
	// ("Are you hungry or just bored?"); "my" becomes the owner's "your".
	rePersonEN = regexp.MustCompile(`(?i)\b(?:you|your|yourself|i|me|i'm|we|us|him|her|them)\b`)
	// reFactEN: an option that is a day, a date, an hour or a figure is a
	// question of fact or memory ("Tuesday or Wednesday?"), no pick.
	reFactEN = regexp.MustCompile(`(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|yesterday|\d+(?:st|nd|rd|th)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) o'clock)\b`)
	reMyEN   = regexp.MustCompile(`\b(?:[Mm]y)\b`)
	// reChoiceEN marks the owner's choice: should I, which, pick, decide…
	reChoiceEN = regexp.MustCompile(`(?i)\b(?:should i|shall i|which|pick|choose|decide|reckon|think|better|rather|help me)\b`)
	reWordsEN  = regexp.MustCompile(`[\p{L}\p{N}'’-]+`)
	reDropEN   = regexp.MustCompile(`(?i)^(?:just|maybe|perhaps|probably|go with|go for)\s+|\s+(?:instead|tonight|today|tomorrow|this (?:morning|afternoon|evening|weekend)|then)$`)
)

func eitherOrEN(s string) (string, string, bool) {
	if m := reBetweenEN.FindStringSubmatch(s); m != nil && !reOrEN.MatchString(s) {
		a, b := optionEN(m[1]), optionEN(reTailEN.ReplaceAllString(m[2], ""))
		return a, b, a != "" && b != "" && !strings.EqualFold(a, b)
	}
	if !reOrEN.MatchString(s) || reNotChoiceEN.MatchString(s) {
		return "", "", false
	}
	parts := reOrEN.Split(s, 2)
	left := reLeadEN.ReplaceAllString(parts[0], "")
	right := reTailEN.ReplaceAllString(parts[1], "")
	words := len(reWordsEN.FindAllString(s, -1))
	// A bare "Tea or coffee this morning?" chooses too; a longer question
	// must say it asks for a choice.
	if words > 2*maxOptionWords && !reChoiceEN.MatchString(s) {
		return "", "", false
	}
	a, b := optionEN(left), optionEN(right)
	if reFactEN.MatchString(a) || reFactEN.MatchString(b) {
		return "", "", false
	}
	return a, b, a != "" && b != "" && !strings.EqualFold(a, b)
}

func optionEN(s string) string {
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	for range 2 {
		// The sentence's own mark first: "the trainers today?".
		s = strings.TrimFunc(reDropEN.ReplaceAllString(strings.TrimFunc(s, notWord), ""), notWord)
	}
	if n := len(reWordsEN.FindAllString(s, -1)); n == 0 || n > maxOptionWords || rePersonEN.MatchString(s) || reClauseEN.MatchString(s) {
		return ""
	}
	return reMyEN.ReplaceAllString(s, "your")
}

var (
	// reLeadZH is what comes before a Chinese option: who asks and when.
	reLeadZH = regexp.MustCompile(`^(?:.*[，,、：:])?(?:麻糬|你说|你觉得|你看|你猜|你要|你想要|你想|帮我看看|帮我选选|帮我选|到底|咱们|我们|咱|我|今晚|今天|明天|周末|这周末|下周末|下周|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|晚上|中午|早上|待会儿|是|要|该|应该|就|穿|选|(?:那|这)一?(?:条|件|个|双|顶|家|本|只|种|款|盒|杯|碗|张|部|辆|份|套)?)*`)
	// reNotChoiceZH: a question of fact or memory with two answers
	// ("今天是周一还是周二？", "妈妈说的是周六还是周日来着？", "明天下雨还是晴
	// 天？"): no pick.
	reNotChoiceZH = regexp.MustCompile(`来着|说的|说过|记得`)
	// reFactZH: an option that is a day, an hour or the weather.
	reFactZH = regexp.MustCompile(`^(?:周[一二三四五六日天]|星期|礼拜|[一二三四五六七八九十两\d]+点|[一二三四五六七八九十\d]+[号日月]|今天|明天|昨天)|下雨|晴天|下雪|阴天`)
	// reWhichZH: "A和B选哪个", "A跟B哪个好".
	reWhichZH = regexp.MustCompile(`([^，,。？?！!：:]+?)(?:和|跟|与|或者|或)([^，,。？?！!：:]+?)[，,]?(?:我|到底|该|应该|要)*(?:选|挑|买|要|去)?哪(?:个|一个|样|家|本|件)`)
	// reTailZH ends the second: 好, 呢, 比较好, 合适…
	reTailZH = regexp.MustCompile(`(?:比较好|更好|好呢|好啊|好呀|合适|好|呢|吧|啊|呀|嘛|哇)+$`)
)

func eitherOrZH(s string) (string, string, bool) {
	if reNotChoiceZH.MatchString(s) {
		return "", "", false
	}
	i := strings.Index(s, "还是")
	if i < 0 {
		// "围巾和按摩仪选哪个？": two things joined, then which.
		m := reWhichZH.FindStringSubmatch(s)
		if m == nil {
			return "", "", false
		}
		a := reTailZH.ReplaceAllString(reLeadZH.ReplaceAllString(m[1], ""), "")
		b := reTailZH.ReplaceAllString(m[2], "")
		if !optionZH(a) || !optionZH(b) || a == b {
			return "", "", false
		}
		return a, b, true
	}
	// The owner's things are the owner's when said back: 我的白裙子 is
	// 你的白裙子.
	yours := strings.NewReplacer("我的", "你的")
	left, right := yours.Replace(strings.TrimRight(s[:i], "，,、 ")), yours.Replace(s[i+len("还是"):])
	if j := strings.IndexAny(right, "，,。？?！!、"); j >= 0 {
		right = right[:j]
	}
	a := reTailZH.ReplaceAllString(reLeadZH.ReplaceAllString(left, ""), "")
	b := reTailZH.ReplaceAllString(reLeadZH.ReplaceAllString(right, ""), "")
	// "下雨还是不下雨", "喜欢我还是不喜欢我" ask yes or no: no two things.
	if !optionZH(a) || !optionZH(b) || a == b || strings.TrimLeft(b, "不没") == a {
		return "", "", false
	}
	return a, b, true
}

func optionZH(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 1 && n <= maxOptionRunes && hasHan(s) && !strings.ContainsAny(strings.ReplaceAll(s, "你的", ""), "你我他她它") && !reFactZH.MatchString(s)
}

// reChooseCue says a statement asks for a pick: "Help me pick: A or B.",
// "I can't decide between A and B.", "帮我选一个".
var reChooseCue = regexp.MustCompile(`(?i)\b(?:help me (?:pick|choose|decide)|can't (?:decide|choose)|cannot (?:decide|choose)|torn between|deciding between)\b|帮我(?:选|挑)|选哪|挑哪|纠结`)

// pickAsked reports a message that asks the cat to pick between two
// things though no sentence of it is a question.
func pickAsked(text string) bool {
	if !reChooseCue.MatchString(text) {
		return false
	}
	_, _, ok := eitherOr(text)
	return ok
}

// pickQuestion reports a message with a question that offers two things
// to pick from, the cat's own ("Mochi, tuna treats or the crunchy
// ones?") as much as the owner's: the pick answers it better than the
// keyword it holds (food, a nap, the weather's umbrella) would.
func pickQuestion(text string) bool {
	for _, sentence := range dialog.SplitSentences(text) {
		if !asks(sentence) {
			continue
		}
		if _, _, ok := eitherOr(sentence); ok {
			return true
		}
	}
	return false
}

// pickOf is the option the cat picks for question: one of the two, the
// same each time the same words are asked.
func pickOf(question, a, b string) string {
	h := fnv.New32a()
	h.Write([]byte(question))
	if h.Sum32()%2 == 0 {
		return a
	}
	return b
}

// pickTemplates say the pick ({X} capitalised, {x} as said). The pick
// opens the English lines, so an option the owner said first in their
// sentence ("Left side of the bed or right side?") is never capitalised
// mid-line; "I've sniffed them both" was said of games and windows too
// and rated 0 there (docs/eval/choices-vs-model-3).
var pickTemplates = map[string][]string{
	"en": {"{X}! That's my pick.", "Mrrp! {X}. My tail says so.", "{X}, definitely. My whiskers have spoken.", "{X}! Trust a cat on this."},
	"zh": {"{x}！我选这个。", "我选{x}！猫咪的直觉准得很。", "喵！{x}，我尾巴都翘起来了。", "{x}吧！我的胡子说了算。"},
}

// pickAnswer is the choice of lines naming the cat's pick for question,
// and false where it offers no two options.
func pickAnswer(question, lang string) (choice, bool) {
	a, b, ok := eitherOr(question)
	if !ok {
		return choice{}, false
	}
	x := pickOf(question, a, b)
	fill := strings.NewReplacer("{X}", dialog.Capitalize(x), "{x}", x)
	var lines []string
	for _, t := range pickTemplates[lang] {
		lines = append(lines, fill.Replace(t))
	}
	if len(lines) == 0 {
		return choice{}, false
	}
	return choice{tiers: [][]string{lines}, informative: true, answer: x}, true
}
