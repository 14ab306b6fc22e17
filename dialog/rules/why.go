package rules

import (
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
	whyEN = []string{"why do you", "why are you", "why did you", "why does your", "why do your", "why'd you", "how come you", "what makes you", "why is that", "why's that", "why on earth do you", "why must you"}
	whyZH = []string{"你为什么", "你为啥", "你干嘛", "你干吗", "你怎么老", "你怎么总", "你怎么一", "你怎么天天", "你怎么又", "这是为什么", "为什么啊", "为什么呀", "为啥呀", "为啥啊", "到底为什么", "是什么意思", "为什么你", "为啥你"}

	worldEN = []string{"rain", "snow", "weather", "forecast", "umbrella", "storm", "sunny", "frost", "what day", "what date", "the date", "what's the date", "is it monday", "is it tuesday", "is it wednesday",
		"is it thursday", "is it friday", "is it saturday", "is it sunday", "what time does", "what time is", "news", "election", "who won", "the score", "how much do", "how much does", "how much is", "price of", "prices",
		"cost", "capital of", "how far", "how many", "what year", "times", "plus", "minus", "stock market", "stocks", "interest rate", "the bus", "open on", "is it legal", "daylight saving", "cold enough", "warm enough"}
	worldZH = []string{"下雨", "下雪", "降温", "升温", "天气", "台风", "刮风", "带伞", "晴天", "星期几", "礼拜几", "几号", "几月几", "农历", "初几", "新闻", "谁赢", "比分", "多少钱", "涨价", "降价", "价格",
		"房价", "油价", "股票", "首都", "多远", "多少度", "等于多少", "等于几", "乘", "加几", "灭绝", "几点开门", "开门吗", "几点关门", "哪里办", "在哪办", "利息", "公交", "末班车"}
)

// askedWhyOrWorld is "why_cat" for a question why the cat does something,
// "asked_world" for one about the world a cat cannot know, or "".
func askedWhyOrWorld(text string) string {
	for _, sentence := range dialog.SplitSentences(text) {
		if !asks(sentence) && !asksZH(sentence) {
			continue
		}
		s := normalize(sentence)
		switch {
		case holdsAny(s, sentence, whyEN) || holdsAny(s, sentence, whyZH):
			// "Why is that?" after the cat's doing: the message says "you".
			if holdsAny(normalize(text), text, []string{"you", "your", "你"}) {
				return "why_cat"
			}
		case asksAboutTheWorld(sentence):
			return "asked_world"
		}
	}
	return ""
}

// asksAboutTheWorld reports world words in a question that is no
// invitation or offer: "天气这么好，你想不想去阳台晒晒太阳？" is one on a fine
// day, "Would you like the sunny spot on the sofa?" an offer.
func asksAboutTheWorld(sentence string) bool {
	n := normalize(sentence)
	return (holdsAny(n, sentence, worldEN) || holdsAny(n, sentence, worldZH)) &&
		!holdsAny(n, sentence, inviteWords) && !holdsAny(n, sentence, offerEN) && !holdsAny(n, sentence, offerZH)
}
