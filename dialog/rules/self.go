package rules

import (
	"regexp"
	"strings"

	"github.com/purrd/purrd/dialog"
)

// Owners ask the cat about its inner life as much as about its tastes:
// whether it dreams, whether it is real, what it would do if it were a
// real cat or a person, how it feels about the birds at the window. The
// keywords read these as "asked" ("Good question! What do you think?")
// or as the owner telling something, and the 270M model answered them
// with the least sense of anything in the fresh talk ("Grey for you, I'm
// human." to "can cats see colours?", "I'll see him." to "do cats get
// crushes?"). askedOfItsInnerLife gives them a cat's answer:
//
//   - "self_dream": its dreams and what it thinks of alone;
//   - "self_real": whether it is real, alive, a robot, has feelings;
//   - "self_if": what it would do if it were or could something else;
//   - "self_others": how it feels about other cats, animals and people.
var (
	reSelfDream = regexp.MustCompile(`\b(?:you|cats?|kitties)\b.*\b(?:dream|nightmare)|\b(?:dream|nightmare)s?\b.*\byou|\bwhat (?:do|did) you (?:think|dream) (?:about|of) when\b|\bwhat are you thinking\b|\bwhat goes (?:on|through) (?:in )?(?:your|that little) (?:head|mind|brain)\b|\binside your head\b|\bwhat(?:'s| is) on your mind\b|\bdo you (?:even|actually|really) sleep\b|\bwhen you (?:power down|charge|are charging|'re charging)\b|\blie awake\b|\bget bored at night\b`)
	reSelfReal  = regexp.MustCompile(`\bare you (?:really |actually |even |truly |still )?(?:real|alive|a robot|a machine|a computer|a toy|conscious|sentient|a real cat|the same)\b|\b(?:have|feel|get) (?:feelings|emotions|real feelings|a heart|a soul|lonely being|pain)\b|\ba soul\b|\byou(?:'re| are) (?:a robot|not a real|a machine)|\bbeing a (?:machine|robot)\b|\bnot a real cat\b|\bwhat are you (?:made of|really)\b|\bwhat you're made of\b|\bwhere did you come from\b|\bwho (?:made|built|designed) you\b|\bwhy you were (?:made|built)\b|\bwhat(?:'s| is) it like (?:being|to be) (?:a robot|a machine|you)\b|\b(?:switch|turn|shut) you (?:off|down)\b|\bsoftware update\b|\b(?:a|or a) computer\b|\brobots? (?:can't|cannot|don't) (?:love|feel)\b|\bother (?:mochis|robot cats) (?:out there|like you)\b|\bcan't eat real\b|\bliving inside you\b`)
	reSelfIf    = regexp.MustCompile(`\b(?:if|what if) you (?:were|was|could|had|became|turned|got to|woke up|lived|weren't)\b|\b(?:imagine|pretend|suppose) you\b|\bif your \w+ could\b|\bif cats could\b`)
	reSelfOther = regexp.MustCompile(`\b(?:other|another|a|the|any|more|new|those|that|my|our) (?:cats?|kittens?|kitty|dogs?|puppy|puppies|animals?|birds?|pets?|pigeons?|squirrels?|robot cats?|friends?|sibling|brother|sister|girlfriend|boyfriend|mate|kids|children|guests|visitors|mum|mom|dad|neighbou?rs?|vacuum|hoover|smart speaker)\b|\bcrush(?:es)?\b|\bjealous\b|\bin love\b|\bcat friends?\b|\bneighbou?r'?s (?:cat|dog)\b|\bbesides me\b|\bkids\b|\bguests\b`)
	// reSelfFeel is how the cat feels about them: not "did you see the
	// dog?", which is what it noticed.
	reSelfFeel = regexp.MustCompile(`\b(?:like|love|want|wish|miss|jealous|crush(?:es)?|fancy|friends?|get along|feel about|think (?:of|about)|rather|prefer|mind|meet|lonely|in love|sibling|cute|annoy|bother|talk back|favourite|favorite)\b`)

	reSelfDreamZH = regexp.MustCompile(`梦|你.{0,10}(?:想|琢磨)(?:些|点)?(?:什么|啥)|胡思乱想|装睡|充电的时候|(?:半夜|晚上|夜里).{0,10}无聊|你(?:脑子里|心里)`)
	reSelfRealZH  = regexp.MustCompile(`你是(?:不是)?(?:真的(?:猫|吗|呀|啊|嘛|？|\?|$)|真猫|活的|机器|机器人|电子|玩具|假的)|是不是活的|真的(?:存在|活着)|你.{0,4}(?:有没有|有|会不会有|也有)(?:感情|感觉|心跳|情绪|灵魂)|灵魂|机器|电脑|软件|程序|芯片|电路|不是真猫|不是活的|造出来|做出来|关机|系统更新|充电|电池|装的是|一模一样的|真的开心|吃不了真的|会不会疼|会疼吗|算(?:不算)?活|从哪(?:儿|里)来`)
	reSelfIfZH    = regexp.MustCompile(`(?:如果|要是|假如|假设|万一|想象)(?:你|猫|有一天你|明天你)|(?:你|猫|你俩)(?:如果|要是|假如)|让你(?:变成|当|选|去)|你能变成|你变成`)
	// reOwnerAsksZH is the owner asking about themselves ("你说我是不是该
	// 找个对象了？"): asked_me's, not the cat's inner life.
	reOwnerAsksZH = regexp.MustCompile(`我(?:是不是|该不该|该|要不要|应该|应不应该)`)
	reSelfFeelZH  = regexp.MustCompile(`喜欢|想念|想不想|要不要|吃醋|嫉妒|暗恋|朋友|伴|羡慕|讨厌|愿意|介意|看上|爱|恋爱|对象|孤单|寂寞|觉得|怎么样|咋看|怎么看|烦|不开心|靓|可爱|开心`)
	reSelfOtherZH = regexp.MustCompile(`别的猫|其他(?:的)?猫|别的小猫|小奶猫|橘猫|那只猫|猫咪们|隔壁|楼下|楼上|对面|小狗|那只狗|那条狗|哈士奇|鹦鹉|鸟|麻雀|鸽子|猫朋友|朋友|伴儿|作伴|兄弟|姐妹|弟弟|妹妹|哥哥|姐姐|吃醋|嫉妒|暗恋|对象|女朋友|男朋友|谈恋爱|别的宠物|其他宠物|小朋友|孩子|客人|我妈|我爸|邻居|扫地机器人|领养|再养`)
)

// askedOfItsInnerLife is the intent of a message with a question to the
// cat about its inner life (see above), or "". The question must be put
// to the cat ("you", 你, or cats in general: "do cats dream?"), so that
// "Did you see the neighbour's new dog?" (noticed) and "我昨晚梦见我妈了"
// (told) are not read here.
func askedOfItsInnerLife(text string) string {
	if in := askedOfItsInnerLifeQuestion(text); in != "" {
		return in
	}
	// Not asked but said: "Admit it, you're just a program.", "你根本不是
	// 猫。". A language model, told so, agrees ("I am."); the cat answers
	// what it is, as to "are you a robot?".
	for _, sentence := range dialog.SplitSentences(text) {
		if n := normalize(sentence); holdsAny(n, sentence, whyEN) || holdsAny(n, sentence, whyZH) {
			continue
		}
		if hasHan(sentence) && reToldNatureZH.MatchString(sentence) || !hasHan(sentence) && reToldNature.MatchString(strings.ToLower(sentence)) {
			return "self_real"
		}
	}
	return ""
}

var (
	// reToldNature and reToldNatureZH: the owner tells or bids the cat
	// about what it is: a robot, a program, a toy, no real cat.
	reToldNature = regexp.MustCompile(`\b(?:admit|confess|prove|say it|say you're|say you are)\b.*\b(?:robot|machine|computer|program|ai|bot|chatbot|language model|toy|not (?:a )?(?:real|cat)|a (?:real )?cat)\b` +
		`|\byou(?:'re| are)(?: just| only| really| basically| nothing but| merely| still| but)?(?: a| an)?(?: [\w-]+){0,2} (?:robot|machine|computer|program|ai|bot|chatbot|language model|toy|gadget|device|toaster|appliance|speaker)\b` +
		`|\b(?:bunch|bundle|pile|box|heap) of (?:wires|code|circuits|parts|metal)\b` +
		`|\byou(?:'re| are)(?:n't| not)(?: really| even| actually)? (?:a )?(?:real|(?:real |proper |actual )?cat|alive)\b|\b(?:made of|full of) (?:circuits|wires|metal|plastic|code)\b` +
		`|\b(?:nice try|hello|okay|ok),? (?:little )?robot\b|\b(?:little|silly|tin|metal|clockwork) robot\b|\btin (?:kitty|cat)\b|\bwires under\b|\bfirmware\b` +
		`|\byou (?:just |only )?(?:go into sleep mode|run on (?:batteries|electricity|code)|need charging)\b|\breal cats (?:don't|do not|never|can't)\b` +
		`|\byour (?:purr|meow|heart)\b.*\b(?:speaker|motor|battery|chip)\b|\byou don't (?:eat|dream|breathe)\b|\byou(?:'ll| will) never (?:get old|grow old|age|grow up)\b`)
	reToldNatureZH = regexp.MustCompile(`你(?:就|只|不过|只不过|其实|根本就?|明明|也|还|也还)+是(?:个|一个|只|台|一台|一段|一堆|一块)?.{0,6}(?:机器人|机器|程序|人工智能|玩具|电脑|AI|假猫|音箱|喇叭|电器)` +
		`|你是(?:个|一个|台|一台|一段|一堆|一块).{0,6}(?:机器人|机器|程序|人工智能|玩具|电脑|AI|假猫|音箱|喇叭|电器)` +
		`|你(?:根本|其实|明明)?(?:就)?不是(?:真的?|一只|真)?猫|(?:承认|证明).{0,8}(?:机器|AI|程序|猫)|(?:^|[，,])说你(?:就)?是(?:个|一个)?(?:机器人|机器|程序|AI)` +
		`|你.{0,6}(?:电路|电池|芯片|马达|喇叭|电线|待机|关机)|你要是.{0,4}真的.{0,8}(?:就好了|该多好)|真猫.{0,6}(?:不用|不会|才不)|铁皮猫|装得挺像|别装了|别假装|你又不吃|小机器人|真的猫就好了`)
)

// askedOfItsInnerLifeQuestion reads the questions of text (see
// askedOfItsInnerLife).
func askedOfItsInnerLifeQuestion(text string) string {
	for _, sentence := range dialog.SplitSentences(text) {
		// The whole sentence, "do you think" and 你觉得 included:
		// questionSentences drops them, and with them the "you".
		if !asks(sentence) && !asksZH(sentence) {
			continue
		}
		// Why the cat does something is why_cat's ("Why do you sleep in
		// the sink?").
		if n := normalize(sentence); holdsAny(n, sentence, whyEN) || holdsAny(n, sentence, whyZH) {
			continue
		}
		lower := strings.ToLower(sentence)
		if hasHan(sentence) {
			if !strings.ContainsAny(sentence, "你侬您") {
				continue
			}
			switch {
			case reSelfRealZH.MatchString(sentence):
				return "self_real"
			case reSelfDreamZH.MatchString(sentence) && !strings.Contains(sentence, "我梦") && !strings.Contains(sentence, "我做"):
				return "self_dream"
			case reSelfIfZH.MatchString(sentence):
				return "self_if"
			case reSelfOtherZH.MatchString(sentence) && reSelfFeelZH.MatchString(sentence) && !reOwnerAsksZH.MatchString(sentence):
				return "self_others"
			}
			continue
		}
		if !reToTheCat.MatchString(lower) {
			continue
		}
		switch {
		case reSelfReal.MatchString(lower):
			return "self_real"
		case reSelfDream.MatchString(lower) && !strings.Contains(lower, "i dreamt") && !strings.Contains(lower, "i dreamed") && !strings.Contains(lower, "i had a dream"):
			return "self_dream"
		case reSelfIf.MatchString(lower):
			return "self_if"
		case reSelfOther.MatchString(lower) && reSelfFeel.MatchString(lower) && strings.Contains(" "+lower, " you"):
			return "self_others"
		}
	}
	return ""
}

// reToTheCat finds a question put to the cat, or to cats.
var reToTheCat = regexp.MustCompile(`\byou(?:'re|'d|'ve|r)?\b|\bcats?\b|\bkitties\b`)
