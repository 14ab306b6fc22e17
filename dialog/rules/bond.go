package rules

import (
	"regexp"
	"strings"

	"github.com/purrd/purrd/dialog"
)

// Questions the owner puts to the cat about the two of them: how the cat
// feels about them ("Do you miss me when I'm at work?", "你还生我气吗？"),
// about themselves, mostly for reassurance ("Am I getting old?", "我是不是
// 又胖了？"), an offer ("Want a bit of my sandwich?", "要不要给你垫个小毯
// 子？"), and a plea for help or company ("Will you cheer me up?", "陪我说
// 说话好吗？"). The "asked" lines answered them as a riddle ("Good
// question! What do you think?"), and the keywords as something else
// ("Do you ever get tired of me?" as bedtime). A cat has an answer to
// each: it loves its human, thinks them just right, says yes please, and
// stays close.

var (
	// bondNo asks whether the cat holds something against the owner or
	// would leave them: "no" is the loving answer.
	// reBondNo: whether the cat holds something against the owner or would
	// leave them, the cat itself the one who does ("Are you still cross
	// with me?", "你会不会有一天不理我了？", "你会不会哪天跑到隔壁去，不回来了？"):
	// "no" is the loving answer. Not "Does my daughter hate me?", "你说他
	// 会不会怪我？" (the opinion words are gone by then: questionSentences),
	// nor "Do you mind if I open the window?" or "Could you leave me alone
	// for five minutes?", requests.
	reBondNo = regexp.MustCompile(`(?i)\byou\b(?:\s+[\w']+){0,3}?\s+(?:cross with me|angry with me|mad at me|still cross|still mad|still angry|tired of me|sick of me|fed up with me|forget me|forget about me|ever leave me|leave me one day|leave me forever|run away from me|hold it against me|hate me|blame me|regret)\b` +
		`|你.{0,10}(?:(?:怪|讨厌|嫌|不理|烦|忘了|忘记|离开|不要)我|生.{0,3}气)|你.{0,12}(?:不回来|跑掉|跑丢)|你.{0,4}后悔|记仇`)
	// bondYes asks whether the cat loves, misses or keeps the owner.
	bondYes = []string{"miss me", "missed me", "still love me", "love me", "always be my", "always be with me", "stay with me forever", "best friends", "best friend", "trust me", "glad you", "happy with me",
		"you happy here", "remember me", "wait for me", "good team", "choose me", "chose me", "you mean to me", "my cat forever", "were you happy", "did you wonder", "only friend", "only real friend",
		"想我", "还爱我", "爱不爱我", "爱我吗", "一直陪着我", "永远陪着我", "记得我", "等我回来", "最好的朋友", "相依为命", "信不信我", "你开心吗", "你是我的猫", "上辈子"}
	// aboutOwnerOpens, aboutOwnerAnywhere, aboutOwnerZH: the owner asking
	// about themselves, their looks, age, worth, a thing they did ("did I
	// do the right thing?"); not a question of memory or of the day ("did
	// I lock the door?", "Have I taken my pills?", "Is my phone charged?").
	// "I'm …?" is what is left of "Do you think I'm funny?" (questionSentences).
	aboutOwnerOpens = []string{"am i", "was i", "i'm", "i am", "i was", "i've been", "do i look", "do i seem", "do i sound", "do i smell", "did i do", "did i make", "did i say", "did i give", "did i mess", "did i ruin",
		"have i put on", "have i gained", "have i gotten", "have i become", "have i changed", "have i let", "is my hair", "is my singing", "is my cooking", "is my voice", "are my"}
	aboutOwnerAnywhere = []string{"make me look", "makes me look", "do you think i'm", "do you think i am", "do you think i was", "do you think i've", "do you reckon i", "is it silly that i", "is it silly of me",
		"was it wrong", "was it silly", "was i right", "was i wrong"}
	aboutOwnerZH = []string{"我是不是", "是不是我", "我这", "我这记性", "我长得", "我好看", "我漂亮", "我胖", "我老了", "我这么", "我这辈子", "我画得", "我做得", "我唱得", "我穿", "你看我", "你觉得我", "你说我是", "我算不算", "我这样", "我这人",
		"我脸上", "我头发", "我肚子", "我是个", "我会不会后悔", "我做错", "我错了吗", "我错了没", "是不是显得", "是不是挺可怜", "我可怜"}
	// offerEN, offerZH hold something out to the cat: food, warmth, a
	// place, a game.
	offerEN = []string{"want some", "want a bit", "want a", "want it", "want the", "want one", "want me to", "want my", "fancy a", "fancy some", "would you like a", "would you like some", "would you like the",
		"would you like it", "would you like that", "would you like my", "do you want some", "do you want my", "do you want a", "do you want the", "do you want me to", "can i share", "shall i share",
		"shall i give you", "shall i get you", "shall i put", "shall i open", "shall i leave", "shall i turn", "shall i warm", "shall i brush", "shall i make you"}
	offerZH = []string{"要不要给你", "给你留了", "给你撕", "给你剥", "给你做了", "给你舔", "分你", "要不要尝", "尝一口", "尝尝", "要吃吗", "吃不吃", "要喝吗", "喝不喝", "要不要喝", "要不要吃", "要不要帮你",
		"要不要我", "要不要把", "你要不要", "给你玩", "给你垫", "给你开", "要不要开", "要不要试试", "你试试"}
	// helpEN, helpZH: asked for help, company or courage.
	helpEN = []string{"help me", "wish me luck", "cheer me up", "keep me company", "stay with me", "sit with me", "stay close", "stay by me", "talk to me", "remind me", "keep watch", "keep an eye", "keep an ear",
		"lie on my", "tell me i'll", "tell me it'll", "be brave with me", "give me a nudge", "give me one good reason", "hold my", "come with me to"}
	helpZH = []string{"陪我", "帮我", "帮帮我", "给我加油", "给我打气", "加加油", "打打气", "哄哄我", "保佑", "别走", "挨着我", "提醒我", "帮我盯着", "盯着点", "守着", "给我壮胆", "替我", "在我旁边", "在我身边", "我旁边", "呼噜给我听"}
	// lostEN, lostZH: asked to help find something, the cat says where
	// cats hide things instead of promising what it cannot do.
	lostEN = []string{"find my", "seen my", "where i put", "where i left", "where did i put", "where did i leave", "lost my", "can't find"}
	lostZH = []string{"找找", "找不到", "放哪儿", "放哪了", "放哪里", "丢哪", "哪儿去了", "不见了", "找一下", "帮我找"}
)

// askedOfTheBond is the intent of a message with a sentence that asks
// about the cat's feelings for the owner, the owner themselves, an offer,
// a lost thing or help ("bond_no", "bond_yes", "asked_me", "asked_offer",
// "asked_find", "asked_help"), or "". The cat's feelings come first: "Do you think I'm
// a nuisance, are you tired of me?" is about the bond. Early (before the
// keywords, which read "Do you ever get tired of me?" as bedtime) only
// whether the cat holds something against the owner counts; the rest
// comes after them, where "Want some fish?" is already food and "Did you
// miss me?" affection.
func askedOfTheBond(text string, early bool) string {
	for _, sentence := range questionSentences(text) {
		s := normalize(sentence)
		switch {
		case reBondNo.MatchString(sentence):
			return "bond_no"
		case early: // before the keywords, only the above
		case holdsAny(s, sentence, bondYes):
			return "bond_yes"
		case offered(s, sentence):
			return "asked_offer"
		case holdsAny(s, sentence, lostEN) || holdsAny(s, sentence, lostZH):
			return "asked_find"
		case opensAboutOwner(s, sentence) && !holdsAny(s, sentence, shouldWords):
			// "我是不是该去看医生？" weighs a choice: asked_should.
			return "asked_me"
		case (holdsAny(s, sentence, helpEN) || holdsAny(s, sentence, helpZH)) && !reNotHelp.MatchString(s):
			return "asked_help"
		}
	}
	return ""
}

// reNotHelp: an either-or put to the cat ("帮我看看，蓝色好还是橙色好？",
// "help me pick, red or blue?") asks its choice, and company that was
// kept ("生病那阵子…就你陪我说话") is thanks: neither is a plea for help.
var reNotHelp = regexp.MustCompile(`还是|\bor\b|那阵子|那时候|那段时间|以前`)

// offered reports an offer to the cat. "Shall I …" offers only with the
// cat in it ("Shall I put the heater on for you?"); "Shall I ring my son
// tonight?" is the owner's own plan.
func offered(s, sentence string) bool {
	if holdsAny(s, sentence, offerZH) {
		return true
	}
	// Nor someone else's wish: "Does the doctor want me to come back?"
	return holdsAny(s, sentence, offerEN) && (!strings.Contains(s, " shall i ") || holdsAny(s, sentence, addressedWords)) && !strings.Contains(s, " does ")
}

// reMineHere: "跟我这个是同一个吗" (the same as this one of mine), "我这边",
// "我这儿" are about a thing or a place, not the owner ("我这" is).
var reMineHere = regexp.MustCompile(`我这(?:个|边|儿|里|头)`)

// opensAboutOwner reports a question about the owner: in English a
// clause that opens with "am I", "do I", "is my" and the like (after a
// word such as "so" or "well": skipLeading), or holds "do you think I'm",
// "make me look"; in Chinese the owner asking about themselves
// (aboutOwnerZH).
func opensAboutOwner(s, sentence string) bool {
	if hasHan(sentence) {
		own := reMineHere.ReplaceAllString(sentence, " ")
		return holdsAny(normalize(own), own, aboutOwnerZH)
	}
	if holdsAny(s, sentence, aboutOwnerAnywhere) {
		return true
	}
	for _, c := range dialog.Clauses(sentence) {
		if startsWithAny(skipLeading(normalize(c)), aboutOwnerOpens) {
			return true
		}
	}
	return false
}
