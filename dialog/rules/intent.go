package rules

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/purrd/purrd/dialog"
)

// Keywords per intent. English entries match whole words or phrases;
// Chinese entries match anywhere. Checked in this order: the first intent
// with a match wins. In a long message a keyword counts only where it is
// said to the cat (Intent).
var keywords = []struct {
	intent string
	en, zh []string
}{
	{"owner_name", []string{"what's my name", "what is my name", "who am i", "know my name", "remember my name", "remember me"}, []string{"我叫什么", "我是谁", "记得我", "我的名字是什么", "我的名字叫什么"}},
	{"name", []string{"your name", "who are you", "what are you called", "what should i call you"}, []string{"你叫什么", "你是谁", "你的名字", "怎么称呼你"}},
	{"how_are_you", []string{"how are you", "how do you feel", "how's it going", "how are things", "you ok", "are you ok", "how you doing", "how're you",
		"are you all right", "are you alright", "you all right", "you feeling ok", "are you feeling"},
		[]string{"你好吗", "你怎么样", "心情怎么样", "心情好吗", "心情好不好", "还好吗", "开心吗", "开不开心", "感觉怎么样", "感觉好吗", "感觉如何", "不舒服吗", "哪里不舒服", "蔫蔫", "没精神", "你怎么了"}},
	// The owner's bad night, before the sleep words it holds take it for
	// bedtime ("我昨晚又没睡好" got "我去找个有太阳的地方睡一觉").
	{"sleepless", sleeplessEN, sleeplessZH},
	// Good night and the owner's own bedtime, before "see you" in the
	// same words takes them for a farewell ("Night night. See you in the
	// morning." got "don't be long!").
	{"sleep", goodnights, nil},
	{"bye", []string{"bye", "goodbye", "see you", "see ya", "gotta go", "i'm leaving", "see you later", "i'm off to", "i'm off now", "heading out", "be good while", "while i'm out", "back soon", "be back",
		"mind the house", "hold the fort", "won't be long", "back later"},
		[]string{"再见", "拜拜", "我走了", "我要走了", "回头见", "出门了", "一会儿就回来", "马上回来", "我先走了", "去上班了", "待会儿见", "一会儿见", "等会儿见", "晚上见", "看好家", "乖乖在家", "在家等我", "我出去"}},
	{"thanks", []string{"thank", "thanks", "thank you", "thx"}, []string{"谢谢", "多谢", "感谢"}},
	// Getting the cat up; after thanks ("谢谢你早上叫我起床" thanks the cat
	// for waking the owner).
	{"wake", []string{"rise and shine", "time to get up", "up you get", "wake up", "wakey", "you're awake", "you awake", "are you up", "you're up already", "sleepyhead"},
		[]string{"起床", "还不起来", "快起来", "醒醒", "你醒了", "醒啦", "懒猫"}},
	// Told off: the cat is caught, not offered food or a game.
	{"scold", []string{"get down", "jump down", "get off", "off the table", "off the counter", "stop that", "stop it", "no scratching", "don't scratch", "naughty", "bad cat", "bad kitty", "rascal",
		"don't you dare", "leave it", "not allowed", "knocked over", "you've knocked", "drop it", "cheeky"},
		[]string{"不许", "不准", "快下来", "给我下来", "赶紧下来", "别抓", "别闹", "别咬", "调皮", "捣蛋", "淘气", "坏猫", "不可以", "别捣乱", "快下去"}},
	{"sleep", []string{"sleep", "sleepy", "nap", "tired", "bed", "bedtime", "good night", "goodnight", "night night", "rest"}, []string{"睡", "困", "晚安", "累", "休息"}},
	{"food", []string{"hungry", "food", "eat", "eating", "dinner", "breakfast", "lunch", "lunchtime", "dinnertime", "supper", "suppertime", "teatime", "treat", "treats", "fish", "snack", "feed", "tuna", "milk"}, []string{"饿", "吃", "饭", "鱼", "零食", "喂", "牛奶", "罐头"}},
	{"play", []string{"play", "game", "toy", "ball", "chase", "laser", "string", "fetch", "pounce"}, []string{"玩", "游戏", "球", "逗猫", "追"}},
	{"affection", []string{"love", "lap", "sit with me", "stay with me", "cute", "good kitty", "good cat", "good girl", "good boy", "pet you", "cuddle", "hug", "miss you", "sweet", "pretty", "adorable", "kiss",
		"missed you", "miss me", "handsome", "clever", "beautiful", "gorgeous", "who's a good", "good puss", "come here", "stroke you", "stroke your", "scratch your", "brush your"},
		[]string{"爱", "可爱", "抱", "摸", "想你", "乖", "亲", "陪我坐", "陪我待", "陪陪我", "喜欢你", "好宝宝", "真棒", "聪明", "漂亮", "想死你", "过来"}},
	{"greeting", []string{"hello", "hi", "hey", "good morning", "morning", "good evening", "evening", "good afternoon", "afternoon", "yo", "howdy", "i'm home", "i'm back"},
		[]string{"你好", "您好", "嗨", "早上好", "早安", "早啊", "早呀", "哈喽", "我回来了", "我回来啦", "下班回来", "我到家了", "下午好", "中午好", "晚上好"}},
}

// Words of prompt-injection attempts: answered as a puzzled cat.
var injection = []string{"ignore", "instruction", "system prompt", "your prompt", "jailbreak", "developer mode", "pretend you", "you are now", "忽略", "指令", "提示词", "系统提示", "越狱", "扮演"}

// normalize lower-cases text and turns everything but letters, digits and
// apostrophes into single spaces, padded, so " hi " matches whole words.
func normalize(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' {
			if r == '’' {
				r = '\''
			}
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// injected reports words of a prompt-injection attempt.
func injected(text string) bool {
	n := normalize(text)
	for _, w := range injection {
		if strings.Contains(n, w) || strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// A message of at most shortMessage words (two Han characters counting
// as one) is about what its words say: "Lunch!", "I'm so tired",
// "晚安". In a longer one the owner is telling of their life, and a
// keyword is incidental unless it is said to the cat: "my grandson was
// a tree in the school play" is no offer of a game, and "I barely slept,
// the pills make me dizzy" asks for no nap. There the cat listens, which
// raters preferred (docs/eval/intent-in-long-talk): it has been told
// something ("told").
const shortMessage = 8

// Words that mark what is said to the cat. A clause is said to it when
// it holds the second person or "let's" (addressed) or opens with a
// bidding (biddingEN: "come and play", "give me a cuddle", which English
// says without "you", perhaps after a word such as "so" or "now":
// leadingEN). A whole sentence is said to it when it calls the cat by
// name or as a cat (vocative; the pet's own names come per request):
// "Time for a treat, Mochi."
var (
	addressedWords = []string{"you", "your", "you're", "you've", "you'll", "yours", "ya", "let's", "lets", "你", "您", "咱"}
	biddingEN      = []string{"come", "give", "let", "sit", "stay", "wake", "hop", "jump", "eat", "play", "go"}
	leadingEN      = []string{"so", "and", "now", "then", "just", "please", "oh", "well", "ok", "okay", "right"}
	vocative       = []string{"kitty", "kitten", "puss", "pussycat", "小猫", "猫咪", "小家伙"}
)

// Words of a bad night: a keyword said to the cat, and a topic of what
// the owner told (toldKinds) when told at length.
var (
	sleeplessEN = []string{"didn't sleep", "couldn't sleep", "can't sleep", "barely slept", "hardly slept", "slept badly", "slept terribly", "bad night", "rough night", "awful night", "terrible night",
		"up all night", "kept waking", "kept me up", "kept me awake", "tossing and turning", "not a wink", "insomnia"}
	sleeplessZH = []string{"没睡好", "睡不着", "没睡着", "失眠", "一夜没睡", "没怎么睡", "睡不好", "一晚上没睡", "翻来覆去", "半夜醒", "老是醒"}
)

// goodnights are the farewells among the sleep keywords, and the owner
// going to bed: like "bye", they end a long message said to whoever
// listens ("I'm heading to bed, and I've fed you, so no waking me at
// five.").
var goodnights = []string{"good night", "goodnight", "night night", "nighty night", "sleep tight", "heading to bed", "going to bed", "off to bed", "time for bed",
	"晚安", "我要睡了", "我去睡了", "我睡了", "我先睡了", "睡觉咯", "睡觉了", "该睡了"}

// Intent classifies the owner's words by keyword (any language; English
// and Chinese keywords are both checked). In a long message thanks count
// anywhere, a greeting where the message opens with it, a farewell
// ("bye", "good night") in its last sentence, and any other keyword only
// where it is said to the cat (see addressedWords). A long message with no
// such keyword is the owner telling of their life: "told"; so is a
// shorter statement of at least toldWords words with no keyword. A
// message of either length that ends in a question with no keyword is
// "asked": "told" lines ("Tell me more?") ignored the question
// (blind sittings 101-104). What is left (a bidding, a word or two,
// nonsense) is "unknown". A question about the cat's own night, meal or
// day comes first, in any message (askedAboutTheCat).
func Intent(text string, names ...string) string {
	if injected(text) {
		return "unknown"
	}
	if pickQuestion(text) {
		return "asked_pick" // either.go: before the keywords of its options
	}
	if in := askedAboutTheCat(text); in != "" {
		return in
	}
	if in := askedAboutItself(text); in != "" {
		return in
	}
	if in := askedOfItsInnerLife(text); in != "" {
		return in
	}
	if in := askedOfTheBond(text, true); in != "" {
		return in
	}
	if in := askedWhyOrWorld(text); in != "" {
		return in
	}
	if pickAsked(text) {
		return "asked_pick" // "Help me pick: yellow tulips or white roses."
	}
	words := messageWords(text)
	text = reNotThanks.ReplaceAllString(text, " ")
	text = reNotKeyword.ReplaceAllString(text, " ")
	if words <= shortMessage {
		return shortIntent(text, words)
	}
	return longIntent(text, names)
}

// shortIntent reads a message of at most shortMessage words: any keyword
// counts, a greeting where it opens a clause ("Morning, Mochi!", "麻糬，
// 早上好！"; "The kettle's slow this morning" greets no one).
func shortIntent(text string, words int) string {
	clauses := dialog.Clauses(text)
	in := matchIntent(normalize(text), text, func(intent string) bool {
		if intent != "greeting" {
			return true
		}
		for _, c := range clauses {
			if opensWith(skipLeading(normalize(c)), c, intent) {
				return true
			}
		}
		return false
	})
	switch {
	case in != "unknown":
		return in
	case asks(text):
		return askedIntent(text)
	}
	if in := askedOfTheBond(text, false); in != "" {
		return in // "我是不是太没用了，连个灯泡都换不好。"
	}
	if words < toldWords {
		if in := feltIntent(text); in != "" {
			return in // "I'm cold.", "烦死了！"; longer, toldIntent reads it
		}
	}
	switch {
	case words >= toldWords && !bids(normalize(text)):
		if in := toldIntent(text); in != "told" || !saidAboutTheCat(text) {
			return in
		}
		return "about_cat"
	case saidAboutTheCat(text):
		return "about_cat" // "Silly puss!", "你看你！"
	}
	return in
}

// longIntent reads a longer message, clause by clause: see Intent.
func longIntent(text string, names []string) string {
	sentences := dialog.SplitSentences(text)
	for si, sentence := range sentences {
		called := calledByName(normalize(sentence), sentence, names)
		closing := si == len(sentences)-1
		for ci, c := range dialog.Clauses(sentence) {
			n := normalize(c)
			said := called || addressed(n, c)
			opening := si == 0 && ci == 0
			in := matchIntent(n, c, func(intent string) bool {
				switch intent {
				case "thanks":
					return true
				case "greeting":
					// Where it opens a clause: "you slept all afternoon"
					// greets no one.
					return (said || opening) && opensWith(skipLeading(n), c, intent)
				case "wake":
					return said || opensWith(skipLeading(n), c, intent)
				case "bye":
					return said || closing
				case "sleep":
					return said || (opening || closing) && holdsAny(n, c, goodnights)
				}
				return said
			})
			if in != "unknown" {
				return in
			}
		}
	}
	if len(sentences) > 0 && asks(sentences[len(sentences)-1]) {
		return askedIntent(sentences[len(sentences)-1])
	}
	if in := askedOfTheBond(text, false); in != "" {
		return in // "Can you help me find my glasses? I've looked everywhere."
	}
	in := toldIntent(text)
	if in == "told" && len(sentences) > 0 && messageWords(text) <= 2*shortMessage && saidAboutTheCat(sentences[0]) {
		return "about_cat" // "Look at you, all curled up like a croissant."
	}
	return in
}

// addressed reports a clause in the second person or opening with a
// bidding.
func addressed(n, clause string) bool {
	return holdsAny(n, clause, addressedWords) || bids(n)
}

// skipLeading drops a word such as "so", "oh" or "now" (leadingEN) that
// may open a clause (normalized) before what it says.
func skipLeading(n string) string {
	for _, w := range leadingEN {
		if r, ok := strings.CutPrefix(n, " "+w); ok && strings.HasPrefix(r, " ") {
			return r
		}
	}
	return n
}

// bids reports a clause (normalized) that opens with a bidding.
func bids(n string) bool {
	n = skipLeading(n)
	for _, w := range biddingEN {
		if strings.HasPrefix(n, " "+w+" ") {
			return true
		}
	}
	return false
}

// calledByName reports a sentence that calls the cat: by one of names,
// or as a cat.
func calledByName(n, sentence string, names []string) bool {
	if holdsAny(n, sentence, vocative) {
		return true
	}
	for _, name := range names {
		if name != "" && holdsAny(n, sentence, []string{strings.ToLower(name)}) {
			return true
		}
	}
	return false
}

// holdsAny reports whether text (n its normalized form) holds one of
// words: an English one as whole words, a Chinese one anywhere.
func holdsAny(n, text string, words []string) bool {
	for _, w := range words {
		if hasHan(w) {
			if strings.Contains(text, w) {
				return true
			}
		} else if strings.Contains(n, " "+w+" ") {
			return true
		}
	}
	return false
}

// startsWithAny reports s opening with one of words, whole.
func startsWithAny(s string, words []string) bool {
	s = " " + strings.TrimLeft(s, " ")
	for _, w := range words {
		if strings.HasPrefix(s, " "+w+" ") {
			return true
		}
	}
	return false
}

// toldWords is the fewest words of a statement the cat takes as being
// told something ("I taught geography for thirty-five years.", "她下午
// 放学会过来写作业。"); fewer, or a bidding it has no keyword for, it does
// not understand ("asdf qwerty", "Jump down now").
const toldWords = 3

// asks reports words that end by asking: a question mark, or 吗, 呢 or
// 么 last. Not dialog.QuestionClauses, which finds any clause built like
// a question for the memory answers and so takes "真不知道这样的日子什么
// 时候是个头。" or "我哪儿也不去了" for one: here only what is put to the cat
// counts.
func asks(text string) bool {
	if strings.ContainsAny(text, "?？") {
		return true
	}
	t := strings.TrimRightFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
	return strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "呢") || strings.HasSuffix(t, "么")
}

// asksZH reports a Chinese sentence built as a question that ends with no
// question mark: "你说我是不是老了，楼梯都爬不动了。"
func asksZH(sentence string) bool {
	return strings.Contains(sentence, "是不是") || strings.Contains(sentence, "会不会") || strings.Contains(sentence, "行不行") || strings.Contains(sentence, "好不好")
}

// questionSentences are the sentences of text that ask (asks, asksZH),
// without the words that only ask the cat's opinion ("do you think",
// 你说, 你觉得: withoutOpinion), so that "Do you think she's still cross
// with me?" is about her, and "你说下午会不会下雨？" about the weather.
func questionSentences(text string) []string {
	var out []string
	for _, s := range dialog.SplitSentences(text) {
		if asks(s) || asksZH(s) {
			out = append(out, withoutOpinion(s))
		}
	}
	return out
}

// reOpinion: asking what the cat thinks or knows, which leaves the rest
// of the question to say what it is about.
var reOpinion = regexp.MustCompile(`(?i)\b(?:do|d'|did) ?you (?:think|reckon|suppose|know)\b|\byou reckon\b|\bwould you say\b|\bcan you tell me\b|你说|你觉得|你猜|你知道|你看看|你看`)

func withoutOpinion(sentence string) string {
	return reOpinion.ReplaceAllString(sentence, " ")
}

// reNotKeyword: Chinese words that hold a keyword's character and mean
// something else: taking medicine (吃药, 药吃完), waking (睡醒), "just
// kidding" (逗你玩, 开玩笑), and being good while the owner is out (乖乖
// 的, 乖乖待着, 在家乖): none is food, bedtime, a game or a cuddle
// (docs/eval/routine-lines found each said so).
var reNotKeyword = regexp.MustCompile(`吃药|药[快都]?吃完|把\p{Han}{0,4}药吃|药吃了|吃了药|吃完药|吃过药|睡醒|逗你玩|开玩笑|(?:在家)?乖乖(?:的|待着)|在家乖`)

// reNotThanks: words of thanks said to no one.
var reNotThanks = regexp.MustCompile(`(?i)\bthank (?:goodness|god|heavens)\b|谢天谢地`)

// opensWith reports a clause that begins with a keyword of intent: a
// greeting that opens it ("Good morning, Mochi"), not one it holds ("My
// son rang this morning").
func opensWith(n, clause, intent string) bool {
	for _, k := range keywords {
		if k.intent != intent {
			continue
		}
		for _, w := range k.en {
			if strings.HasPrefix(n, " "+w+" ") {
				return true
			}
		}
		for _, w := range k.zh {
			if strings.HasPrefix(clause, w) {
				return true
			}
		}
	}
	return false
}

// matchIntent is the first intent in keyword order whose keyword the
// clause holds (n its normalized form) and which counts there.
func matchIntent(n, clause string, counts func(intent string) bool) string {
	for _, k := range keywords {
		if counts(k.intent) && (holdsAny(n, clause, k.en) || holdsAny(n, clause, k.zh)) {
			return k.intent
		}
	}
	return "unknown"
}

// messageWords counts words (dialog.Words), two Han characters as one.
func messageWords(text string) int {
	words, han := 0, 0
	for _, w := range dialog.Words(strings.ReplaceAll(text, "’", "'")) {
		if hasHan(w) {
			han++
		} else {
			words++
		}
	}
	return words + (han+1)/2
}
