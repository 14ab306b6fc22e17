package rules

import (
	"regexp"
	"strings"

	"github.com/purrd/purrd/dialog"
)

// Questions whether the cat saw, heard or smelt something around it
// ("Did you hear that thunder?", "你看见窗台上那只麻雀没有？") are answered
// as a cat that noticed: "noticed_see", "noticed_hear", "noticed_smell".
// The "asked" lines, which answer nothing, were rated 0 there
// (docs/eval/asked-lines). News and the owner's own looks are not
// things around the cat, and nor is sad news (notNoticed): "Did you
// hear that the Hendersons are moving?", "你听说…", "Did you see how thin
// I've got?", "Did you hear Bob died?".
var (
	notice = []struct {
		sense string
		words []string
	}{
		{"see", []string{"did you see", "do you see", "can you see", "have you seen", "did you spot", "you see that", "you see it",
			"你看见", "你看到", "看见没", "看到没", "看见了吗", "看到了吗", "看见了没"}},
		{"hear", []string{"did you hear", "do you hear", "can you hear", "have you heard", "you hear that", "you hear it",
			"你听见", "你听到", "听见没", "听到没", "听见了吗", "听到了吗"}},
		{"smell", []string{"did you smell", "do you smell", "can you smell", "you smell that", "you smell it",
			"你闻到", "闻到没", "闻到了吗", "你闻闻"}},
	}
	notNoticed = []string{"hear that the", "heard that the", "hear about", "heard about", "see the news", "seen the news", "see how", "seen how", "see me", "see my", "seen my", "看见我的", "看到我的",
		"died", "dead", "passed away", "hospital", "ill", "sick", "funeral", "听说", "新闻", "看见我", "看到我", "我是不是", "去世", "住院", "生病", "病了", "走了"}
)

// Questions the cat can answer without knowing the answer: an invitation
// to do something together ("Fancy some music?", "你想不想出去晒太阳？"),
// which a cat accepts, and the owner weighing a choice ("Should I call my
// sister?", "the blue scarf or the grey one?", "你说我报不报名呢？"), where a
// cat is on their side whichever way. The "asked" lines answered both
// with "Good question! What do you think?".
var (
	inviteWords = []string{"shall we", "do you want to", "d'you want to", "want to come", "fancy", "would you like to", "how about we", "how about a", "what about a", "maybe a", "coming with me", "are you coming", "join me",
		"要不要一起", "想不想", "一起去", "一起看", "一起听", "跟我一起", "陪我去", "咱们去", "我们去"}
	shouldWords = []string{"should i", "do you think i should", "what do you reckon", "which one", "which should", "or not", "what should i",
		"你说我要不要", "要不要去", "该不该", "是不是该", "还是", "报不报", "去不去", "买不买", "穿哪"}
	// reEitherOr: "the boots or the trainers?", "X or Y?".
	reEitherOr = regexp.MustCompile(`(?i)\bthe\s+[\w' -]+\s+or\s+the\s+`)
	// Not the owner's choice but the cat's own liking ("Do you prefer the
	// rug or the cushion?", "你最喜欢…还是…"), and not an invitation but a
	// question what to do ("What shall we do today?"): "asked".
	catsLiking = []string{"you prefer", "do you like", "would you rather", "you like better", "你喜欢", "你最喜欢", "你更喜欢", "你爱"}
	whatToDo   = []string{"what shall we", "where shall we", "what do you want to", "what would you like to", "what should we", "干什么", "做什么", "干嘛", "去哪"}
)

// askedIntent is the intent of a question with no keyword: what the cat
// noticed, an invitation, a choice, or "asked".
func askedIntent(question string) string {
	n := normalize(question)
	if holdsAny(n, question, notNoticed) {
		// Not what the cat noticed, but perhaps the owner asking about
		// themselves ("我是不是又胖了？").
		if in := askedOfTheBond(question, false); in != "" {
			return in
		}
		return "asked"
	}
	for _, k := range notice {
		if holdsAny(n, question, k.words) {
			return "noticed_" + k.sense
		}
	}
	if holdsAny(n, question, inviteWords) && !holdsAny(n, question, whatToDo) {
		return "asked_invite"
	}
	if in := askedOfTheBond(question, false); in != "" {
		return in
	}
	if holdsAny(n, question, catsLiking) {
		return "asked"
	}
	if _, _, ok := eitherOr(question); ok {
		return "asked_pick" // either.go: the cat picks one
	}
	// A Chinese choice is the owner's when they are in it ("你说我去不去？");
	// "你觉得是春天好还是秋天好？" asks the cat's taste.
	if holdsAny(n, question, shouldWords) && (!hasHan(question) || strings.Contains(question, "我")) || reEitherOr.MatchString(question) {
		return "asked_should"
	}
	return "asked"
}

// Questions about the cat's own night, meal or day ("Did you sleep
// well?", "你早饭吃完没有？", "What did you get up to while I was out?")
// hold the words of bedtime and feeding, which answered them as an offer
// ("Sweet dreams" in the morning, "Is it snack time?"); a cat answers
// them about itself. They are read before reNotKeyword, which drops 睡醒
// from "午觉睡醒了没？".
var aboutTheCat = []struct {
	intent string
	words  []string
}{
	{"asked_night", []string{"did you sleep", "you sleep well", "you sleep ok", "you sleep alright", "how did you sleep", "how'd you sleep", "how was your night", "your nap",
		"you have a nice nap", "you have a good nap", "you have a lovely nap", "your dreams", "did you dream", "you have a bad night", "you have a rough night",
		"你睡得", "你睡好", "你睡醒", "你睡饱", "睡醒了没", "睡醒没", "睡醒了吗", "睡得好不好", "睡得怎么样", "睡得香不香", "睡得好吗", "睡好了吗", "睡饱了吗", "睡够了吗", "睡得舒服吗"}},
	{"asked_ate", []string{"did you eat", "you eat all", "you finish your", "did you like your", "did you enjoy your", "you have a good dinner", "you have a good breakfast", "you have a good lunch",
		"you have your breakfast", "you have your dinner", "was your dinner", "was your breakfast", "was your lunch", "you eaten", "you full",
		"你吃饱", "吃饱了吗", "吃饱了没", "吃饱没", "你吃完", "吃完没", "吃完了吗", "吃完了没", "吃得香", "好吃吗", "好不好吃", "合胃口", "你吃了吗", "你吃了没", "吃过了吗", "饭吃了吗"}},
	{"cat_day", []string{"what did you get up to", "what have you been up to", "what did you do today", "what have you been doing", "what did you do while", "what were you doing",
		"how was your day", "how was your morning", "how was your afternoon", "did you have a good day", "did you have a nice day",
		"你都干嘛了", "你干嘛了", "你干什么了", "你都干什么了", "你都做了什么", "你做了什么", "你今天干", "你今天都", "你在家干", "都干嘛了", "干啥了", "你一天过得", "今天过得怎么样", "今天过得好吗"}},
}

// askedAboutTheCat is the intent of a message with a sentence that asks
// about the cat's night, meal or day (aboutTheCat), or "": the first
// such question, wherever it stands ("你早饭吃完没有？还是又剩了一半？").
func askedAboutTheCat(text string) string {
	for _, sentence := range dialog.SplitSentences(text) {
		if !asks(sentence) {
			continue
		}
		n := normalize(sentence)
		for _, k := range aboutTheCat {
			if holdsAny(n, sentence, k.words) {
				return k.intent
			}
		}
	}
	return ""
}
