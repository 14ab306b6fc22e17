package rules

import (
	"regexp"

	"github.com/purrd/purrd/dialog"
)

// Two more kinds of question the "asked" lines answered as a riddle
// ("Good question! What do you think?"):
//
//   - why the cat does what cats do ("Why do you always sit on my
//     laptop?", "你为什么老是趴在我键盘上？"): "why_cat", a cat's reasons,
//     which it keeps to itself;
//   - what a cat cannot know about the world outside: the weather to
//     come, the date, the news, prices, sums and facts ("Will it rain
//     this afternoon?", "今天星期几来着？", "菜是不是又涨价了？"):
//     "asked_world", a cat that does not know, says so, and stays close.
//
// Both are read before the keywords, which took "Why do you sleep so
// much?" for bedtime and "Who won the game last night?" for play.
var (
	whyEN = []string{"why do you", "why are you", "why did you", "why does your", "why do your", "why'd you", "how come you", "what makes you", "why on earth do you", "why must you"}
	// whyThat asks why of something said before: only a why of the cat's
	// when an earlier sentence speaks to it ("Every night you sing at the
	// door. Why is that?").
	whyThat = []string{"why is that", "why's that", "这是为什么", "为什么啊", "为什么呀", "为啥呀", "为啥啊", "到底为什么"}
	whyZH   = []string{"你为什么", "你为啥", "你怎么老", "你怎么总", "你怎么一", "你怎么天天", "你怎么又", "为什么你", "为啥你"}
	// reWhyZH: 干嘛 as "why" ("你干嘛半夜跑来跑去？"), not "what are you up to"
	// ("你干嘛呢？"); what the cat's doing means ("你尾巴甩来甩去是什么意思？").
	reWhyZH = regexp.MustCompile(`你干[嘛吗][^呢？?]|你.{1,12}是什么意思`)
	// Not the cat's doing: "What makes you think I'm sad?"
	whyNot = []string{"what makes you think", "what makes you say"}

	// The weather to come, not the rain today ("Did you get wet in the
	// rain?" asks about the cat, and so is no question of the world).
	worldEN = []string{"will it rain", "going to rain", "gonna rain", "rain later", "rain tonight", "rain tomorrow", "will it snow", "going to snow", "snow tonight", "snow tomorrow", "the weather",
		"weather like", "forecast", "umbrella", "storm coming", "frost tonight", "cold enough", "warm enough", "what day", "what date", "the date", "what's the date", "is it monday", "is it tuesday",
		"is it wednesday", "is it thursday", "is it friday", "is it saturday", "is it sunday", "what time does", "what time is", "the news", "election", "who won", "the score", "how much do", "how much does",
		"how much is", "price of", "prices", "capital of", "how far", "how many", "what year", "stock market", "stocks", "interest rate", "the bus", "open on", "is it legal", "daylight saving"}
	worldZH = []string{"会不会下雨", "会下雨", "要下雨", "会不会下雪", "会下雪", "要下雪", "会不会降温", "要降温", "降温吗", "天气预报", "明天天气", "天气怎么样", "天气会", "台风", "带伞", "星期几", "礼拜几", "几号",
		"几月几", "农历", "初几", "新闻", "谁赢", "比分", "多少钱", "涨价", "降价", "价格", "房价", "油价", "股票", "首都", "多远", "多少度", "等于多少", "等于几", "灭绝", "几点开门", "开门吗", "几点关门", "哪里办",
		"在哪办", "利息", "公交", "末班车"}
)

// askedWhyOrWorld is "why_cat" for a question why the cat does something,
// "asked_world" for one about the world a cat cannot know, or "".
func askedWhyOrWorld(text string) string {
	for _, sentence := range questionSentences(text) {
		s := normalize(sentence)
		switch {
		case holdsAny(s, sentence, whyNot):
		case holdsAny(s, sentence, whyEN) || holdsAny(s, sentence, whyZH) || reWhyZH.MatchString(sentence):
			return "why_cat"
		case holdsAny(s, sentence, whyThat):
			if spokenToBefore(text) {
				return "why_cat"
			}
		case asksAboutTheWorld(s, sentence):
			return "asked_world"
		}
	}
	return ""
}

// spokenToBefore reports a clause of text before the first "why is
// that" (whyThat) which speaks to the cat (addressed): "我一回家你就打滚，
// 这是为什么呀？", "Every night you sing at the door. Why is that?".
func spokenToBefore(text string) bool {
	for _, c := range dialog.Clauses(withoutOpinion(text)) {
		n := normalize(c)
		if holdsAny(n, c, whyThat) {
			return false
		}
		if addressed(n, c) {
			return true
		}
	}
	return false
}

// asksAboutTheWorld reports world words in a question that does not
// speak to the cat (its opinion words gone: questionSentences): "下雨了，
// 你冷不冷？" asks about the cat, "天气这么好，你想不想去阳台晒晒太阳？" is an
// invitation on a fine day, "Would you like the sunny spot on the sofa?"
// an offer.
func asksAboutTheWorld(n, sentence string) bool {
	return (holdsAny(n, sentence, worldEN) || holdsAny(n, sentence, worldZH)) && !addressed(n, sentence) && !offered(n, sentence)
}
