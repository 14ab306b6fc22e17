package rules

import (
	"regexp"
	"slices"
	"strings"
)

// What the owner told, where the words say it plainly enough for a line
// to fit: a loss, an ache, good news, visitors coming, their cooking, the
// weather. Checked in this order, so grief is never met with "Sniff
// sniff, I'll supervise" (a widow cooking her late husband's dishes) and
// an ache is met before the news around it; whatever else they told, or
// good news with a failure or a visit called off beside it, gets the
// "told" lines, which suit glad and sad news alike. A tone read from
// glad and sad words was tried and dropped (docs/models.md, "Keywords in
// long talk"); these are topics, not tones.
// toldKind is one topic: its words, or a pattern.
type toldKind struct {
	intent string
	words  []string
	re     *regexp.Regexp
}

var (
	// toldKinds are the owner's news, read before how they feel
	// (feltIntent); toldChat after it: "Brr, I'm freezing" is the owner
	// cold, not news of the weather.
	toldKinds = []toldKind{
		{"told_loss", []string{"died", "passed away", "passed on", "funeral", "my late", "widow", "widower", "since he passed", "since she passed", "since he went", "since she went", "would have been our",
			"去世", "过世", "不在了", "老伴走", "生前", "葬礼", "忌日", "上坟"}, regexp.MustCompile(`走了[一二两三四五六七八九十几半\d]+个?(?:年|月)`)},
		{"told_ache", []string{"ache", "aches", "aching", "achy", "sore", "stiff", "playing up", "hurts", "hurting", "painful", "arthritis", "swollen",
			"疼", "痛", "酸", "肿", "不舒服"}, nil},
		{"sleepless", append(append([]string(nil), sleeplessEN...), sleeplessZH...), nil},
		{"told_good", []string{"got the job", "got the promotion", "promotion", "passed his", "passed her", "passed my", "i passed", "i won", "we won", "came back clear", "all clear", "good news", "got into", "first steps", "so proud",
			"考上", "一百分", "表扬", "好消息", "赢了", "一切正常", "控制得很好", "上线了", "抢到了", "签证下来", "录取"}, nil},
		{"told_visit", []string{"coming to stay", "coming over", "coming round", "coming to visit", "coming home", "coming for", "flying back", "is visiting", "are visiting", "will visit",
			"回来看我", "带外孙回来", "带孙子回来", "回来吃饭", "来看我", "要回来", "上门", "回家过年"}, nil},
	}
	toldChat = []toldKind{
		{"told_cooking", []string{"new recipe", "soup recipe",
			"包了", "包饺子", "炖了", "炖汤", "炒了", "煮了", "蒸了", "烤了", "做饭", "做菜", "做了个", "做了几个", "一锅"}, reCooked},
		{"told_weather", []string{"raining", "pouring", "rained", "snow", "snowed", "snowing", "frost", "freezing", "bitterly cold", "so cold", "cold out", "windy", "heatwave", "so hot", "thunder",
			"下雨", "下雪", "降温", "大风", "好冷", "太冷", "好热", "太热", "梅雨", "打雷"}, nil},
	}
	// The owner cooked or baked something to eat ("I made lentil soup",
	// not "I've made three cups of tea" or "I'm making hot chocolate").
	reCooked = regexp.MustCompile(`(?i)\b(?:i|i've|i'm|we|we've)\s+(?:just\s+|finally\s+)?(?:made|making|cooked|cooking|baked|baking|tried making|roasted|fried)\b(?:\s+[\w']+){0,4}?\s+(?:soup|stew|bread|cake|pie|roast|curry|dinner|lunch|supper|breakfast|pancakes|scones|biscuits|cookies|jam|pasta|rice|dumplings|porridge|chicken|fish|sandwich|casserole|loaf|stir-fry|omelette)`)
	// Words that hold a kind's word and mean something else: 痛快 (a good
	// time), 心疼 (sorry for a loss: "咖啡洒在数位板上了，心疼死我了"), a
	// sour dish (酸菜, 酸奶, 酸笋), envy (我好酸) and being moved (鼻子酸,
	// 心酸) are no ache, and a battery,
	// phone or plant that died is no loss ("My hearing aid battery died in
	// the middle of bingo").
	reNotToldKind = regexp.MustCompile(`(?i)痛快|心疼|酸菜|酸奶|酸辣|酸梅|酸甜|酸汤|酸豆角|酸笋|酸萝卜|酸黄瓜|酸枣|酸菜鱼|鼻(?:子|头)?(?:一|发|都|有点|有些)?酸|心酸|辛酸|寒酸|糖醋|(?:好|太|真)酸(?:啊|呀|了|哦)?[，。！!]|我好酸|酸死(?:我)?了|\b(?:battery|batteries|phone|mobile|car|laptop|tablet|computer|engine|telly|tv|radio|bulb|plant|plants|seedlings|tomatoes|flowers|wind|it)\s+(?:\w+\s+)?died\b|\bdied\s+(?:down|on me)\b`)
	// An ache of long ago is a story ("我小时候想养猫，一抱就打喷嚏，眼睛肿得
	// 跟核桃似的"), not an ache to comfort now.
	reLongAgo = regexp.MustCompile(`小时候|那时候|那会儿|以前|年轻的时候|\bwhen i was (?:a kid|a child|little|young)\b|\byears ago\b`)
	// A good-news or visit word beside one that undoes it: "didn't pass",
	// "can't make it home", "回不来".
	reToldUndone = regexp.MustCompile(`(?i)\b(?:didn'?t|did not|not|never|isn'?t|aren'?t|won'?t|can'?t|cannot|couldn'?t)\b|failed|没考上|没过|回不来|不回来|来不了|不来了|没能`)
)

// toldIntent is the intent of something the owner told: news
// (toldKinds), how they feel (feltIntent), their cooking or the weather
// (toldChat), in that order; or "told".
func toldIntent(text string) string {
	text = reNotToldKind.ReplaceAllString(reStiff.ReplaceAllString(strings.ReplaceAll(text, "’", "'"), "$1"), " ")
	n := normalize(text)
	if in := toldKindIn(toldKinds, n, text); in != "" && !(in == "told_ache" && (reLongAgo.MatchString(n) || quotedAche(text))) {
		return in
	}
	if in := feltIntent(text); in != "" {
		return in
	}
	if in := toldKindIn(toldChat, n, text); in != "" {
		return in
	}
	return "told"
}

// reQuoted is someone's words quoted: "有个小朋友问我：“老师，海会不会疼？”".
var reQuoted = regexp.MustCompile(`“[^”]*”|「[^」]*」|"[^"]*"`)

// quotedAche reports an ache that is only in someone's quoted words, not
// the owner's own.
func quotedAche(text string) bool {
	unquoted := reQuoted.ReplaceAllString(text, " ")
	if unquoted == text {
		return false
	}
	i := slices.IndexFunc(toldKinds, func(k toldKind) bool { return k.intent == "told_ache" })
	return toldKindIn(toldKinds[i:i+1], normalize(unquoted), unquoted) == ""
}

// toldKindIn is the first of kinds whose words text (n its normalized
// form) holds, or "".
func toldKindIn(kinds []toldKind, n, text string) string {
	for _, k := range kinds {
		if !holdsAny(n, text, k.words) && (k.re == nil || !k.re.MatchString(text)) {
			continue
		}
		if (k.intent == "told_good" || k.intent == "told_visit") && reToldUndone.MatchString(text) {
			continue
		}
		return k.intent
	}
	return ""
}

// Remarks about the cat itself, said to it in a few words: its looks, its
// purring, its antics ("Look at you, all curled up like a croissant.",
// "你的小肚子好软"). With no keyword they were "told" ("Thank you for
// telling me."); a cat that is remarked on is pleased with itself. A
// longer message is one when it opens with the remark and is not long
// (up to twice shortMessage words); otherwise the owner is telling of
// their life, and a word to the cat at its end ("here you are, you little
// furball") leaves it a story ("told").
var aboutTheCatWords = []string{"look at you", "listen to you", "you're so", "you are so", "you look", "you're such a", "you're a funny", "you're a silly",
	"your fur", "your whiskers", "your tail", "your paws", "your ears", "your eyes", "your belly", "your tummy", "your nose", "your purr", "you're purring", "you purr",
	"you little", "you funny", "you silly", "you daft", "you big", "silly puss", "silly cat", "funny cat",
	"你看你", "瞧你", "你的毛", "你的胡子", "你的尾巴", "你的爪子", "你的小爪", "你的耳朵", "你的眼睛", "你的小肚子", "你的肚子", "你的鼻子", "你这个小", "你这小", "你真", "你好软", "你怎么这么", "你呼噜"}

// saidAboutTheCat reports a remark about the cat itself (aboutTheCatWords).
func saidAboutTheCat(text string) bool {
	return holdsAny(normalize(text), text, aboutTheCatWords)
}
