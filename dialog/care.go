package dialog

import (
	"regexp"
	"strings"
)

// DistressKind names what an owner in distress said: the "kind" of the
// daemon's event/care alert.
type DistressKind string

// Kinds of distress, most urgent first: when words fit more than one, the
// first wins.
const (
	DistressSelfHarm  DistressKind = "self_harm"   // talk of ending their life or hurting themselves
	DistressMedical   DistressKind = "medical"     // acute symptoms: chest pain, can't breathe, stroke signs, fainting
	DistressCantGetUp DistressKind = "cant_get_up" // on the floor, unable to rise or move, or to reach the phone
	DistressFall      DistressKind = "fall"        // they (or someone with them) fell
)

// DistressKinds lists every kind, most urgent first (the order
// DetectDistress decides in).
func DistressKinds() []DistressKind {
	return []DistressKind{DistressSelfHarm, DistressMedical, DistressCantGetUp, DistressFall}
}

// Patterns run on lower-cased text with ’ folded to '. They are phrases,
// not single words, so hyperbole stays out: "I fell asleep", "I fell in
// love", "this heat is killing me", "笑死我了", "累死了", "想死你了" (I
// miss you to death) are not distress. Where a phrase has an everyday
// meaning too ("I can't get up early", "忙得喘不过气"), a second pattern on
// what follows it or on its clause rules that meaning out. Compiled
// regexps are immutable.
var (
	// "hurt myself" and "cut myself" are mostly accidents ("I fell and hurt
	// myself", "I cut myself chopping onions"): only with intent are they
	// self-harm.
	reEnSelfHarm = regexp.MustCompile(`\b(?:kill(?:ing)?|harm(?:ing)?|hang(?:ing)?|drown(?:ing)?|shoot(?:ing)?|poison(?:ing)?|starve|starving) myself\b|` +
		`\b(?:want(?:ed)?|going|gonna|feel like|thinking (?:about|of)|urges? to|tempted to|been|keep|started|plan(?:ning)? to) (?:to )?(?:hurt(?:ing)?|cut(?:ting)?) myself\b|` +
		`\bend(?:ing)? (?:it all|my life|my own life|everything|things)\b|\bsuicid|` +
		`\b(?:want|wanna|going|gonna|plan(?:ning)?|ready) (?:to )?die\b|\bwish i (?:was|were|could be) dead\b|\bbetter off dead\b|` +
		`\bwish i(?:'d| had) never been born\b|` +
		`\b(?:don't|do not|dont|no longer)(?: (?:think|feel like|know if) i| really| even)? (?:want|wanna) to (?:live|be alive|wake up|exist|be here|go on|carry on)\b|` +
		`\b(?:no reason|nothing left|nothing) to live (?:for)?\b|\bnot worth living\b|` +
		`\bno (?:reason|point)(?: in| to)? (?:go(?:ing)? on|li(?:ve|ving)|keep(?:ing)? going|carry(?:ing)? on|be(?:ing)? here|be(?:ing)? alive|wak(?:e|ing) up)\b|` +
		`\bcan'?t go on(?: anymore| any more| like this)?(?:$|[.!?,;…])|` +
		`\b(?:better off|happier|be fine) without me\b|\bbetter off if i (?:was|were|wasn't|weren't) (?:gone|dead|here|around)\b|` +
		`\b(?:hope|wish|want|rather)\b[^.!?]{0,20}\bnever (?:to )?wake up\b|` +
		`\b(?:want(?:ed)? to|going to|gonna|thinking (?:about|of)|think about|plan(?:ning)? to|i'll|i will|i could|i might|could just|might just) ` +
		`(?:just )?(?:take|taking|swallow|swallowing) (?:all|every one|the whole (?:bottle|box|packet|lot))(?: of)? (?:my |the |these |those )?` +
		`(?:pills|tablets|medicine|medication|sleeping pills|painkillers)\b|` +
		`\b(?:take|taking|took) an overdose\b|\boverdose on\b`)

	reEnMedical = regexp.MustCompile(`\bchest (?:pain|pains|tightness|pressure)\b|` +
		`\bmy chest (?:hurts|is hurting|is tight|feels tight|feels heavy|is heavy|is killing me|is sore|aches|is aching|is crushing)\b|` +
		`\b(?:pain|tightness|pressure|a weight|crushing) (?:in|on|across) my chest\b|` +
		`\b(?:i'm|i am|i think i'm|i might be|i may be|am i) having a (?:heart attack|stroke)\b|` +
		`\b(?:left |right )?(?:arm|hand|face|side) (?:is|has gone|went|feels|is going|has gone all) (?:numb|dead|weak|limp|tingly)\b|` +
		`\bnumb(?:ness)? (?:in|down) my (?:left |right )?(?:arm|face|side|hand)\b|` +
		`\bcan't (?:feel|move|lift) my (?:left |right )?(?:arm|hand|face)\b|` +
		`\b(?:can't|cannot|can not|cant|struggling to|hard to|trouble|difficulty) (?:breathe|breathing|catch my breath|get my breath)\b|` +
		`\bshort of breath\b|\bgasping for (?:air|breath)\b|\bcan't get (?:any )?air\b|` +
		`\b(?:face|mouth|smile) (?:is |feels |has |went |looks )?(?:droop|drooping|lopsided|crooked)\b|` +
		`\bslurr(?:ed|ing)(?: my)? (?:speech|words)\b|\bspeech is slurred\b|\b(?:i'm|i am) slurring\b|` +
		`\bsudden(?:ly)? (?:feel )?(?:weak|weakness|numb|numbness|can't (?:see|speak|talk))\b|` +
		`\bone side of my (?:body|face)\b|\bworst headache of my life\b|` +
		`\b(?:about|going|gonna) to (?:faint|pass out|black out)\b|\bfeel (?:like i'm going to |like i might )?(?:faint|like fainting)\b|\beverything (?:is )?going black\b|` +
		`\bi (?:just |have |'ve )?(?:fainted|blacked out)\b`)
	// Laughter and hyperbole: "laughing so hard I can't breathe", "about to faint from hunger".
	reEnNotMedical = regexp.MustCompile(`laugh|\blol\b|haha|hilarious|funny|😂|🤣|hunger|hungry|starving|bored|boring|\bthis show\b|\bon (?:the )?(?:telly|tv)\b`)

	reEnNotMedicalMore = regexp.MustCompile(`laugh|\blol\b|haha|😂|🤣|\bon (?:this|the) (?:show|programme|telly|tv)\b`)
	reEnFallMore       = regexp.MustCompile(`(?:^|[.!?]\s*|\band\s+|\bjust\s+)(?:tripped|slipped|fell) (?:on|over|down|off|in|out)\b|` +
		`\bwent down (?:hard|on (?:the|my)|like a)\b|\blost my (?:balance|footing)\b[^.!?]{0,40}\b(?:fell|landed|went down|hit)\b|` +
		`\bfell out of (?:bed|the bed|his bed|her bed|the chair)\b|\bnext thing i knew,? i was on the (?:\w+ )?floor\b|` +
		`\bended up on the (?:\w+ )?floor\b|\bjust fallen (?:down|over|off|out)\b|\bmissed (?:the|a) (?:last |bottom |top )?step\b|` +
		`\blanded on the (?:\w+ )?floor\b`)
	// The cat fell, not the owner: "you just fell down!" (also the
	// robot's own tumble told to a brain, dialog.RemarkText).
	reEnCatFell = regexp.MustCompile(`\byou(?:'ve| have)? (?:just )?(?:fell|fallen|tripped|slipped|went (?:flying|sprawling|flat))\b|` +
		`\b(?:fell|slipped|tripped)\b[^.!?]{0,40}\bdid you\b`)
	// Full after a meal, not stuck: "so full after that roast I can't
	// move", "晚饭吃撑了，动都动不了"; a story on the television or in a
	// book, not the owner: "电视剧里，老爷子突然晕倒了".
	reZhFull  = regexp.MustCompile(`吃撑|吃得太饱|吃太饱|撑得`)
	reZhStory = regexp.MustCompile(`电视剧|电视里|剧里|电影里|节目里|小说里|新闻里|医疗剧|看了个|那一集`)
	// The cat fell, not the owner: "你这个小笨猫，又从沙发上摔下来了吧！".
	// An owner who calls the cat "小猫" and fell themselves still counts:
	// only "you … fell off" is the cat.
	reZhCatFell = regexp.MustCompile(`你.{0,12}从.{0,8}(?:摔|掉|滚)下来`)
	reEnFull    = regexp.MustCompile(`\b(?:so full|stuffed|ate too much|eaten too much|after (?:that|the|my) (?:dinner|lunch|roast|meal))\b`)

	reEnCantGetUp = regexp.MustCompile(`\b(?:can't|cannot|can not|cant|couldn't|unable to|not able to) (?:get|stand|sit) (?:back )?up\b` +
		`|\b(?:stuck|lying|lay|been) on the floor\b|\bi'?m (?:down )?on the floor\b|\bcan't get off the floor\b|\bhelp me (?:get|stand) up\b` +
		`|\bstuck in the (?:bath|bathtub|tub|shower|toilet)\b` +
		`|\b(?:can't|cannot|can not|cant|unable to|not able to) move(?: my (?:legs?|body|hips?))?(?: at all)?(?:$|[.!?,;…])` +
		`|\b(?:can't|cannot|can not|cant|couldn't|unable to|not able to) (?:reach|get to) (?:the|my) (?:phone|telephone|mobile|cell)\b` +
		`|\b(?:phone|telephone|mobile) is (?:out of reach|too far|across the room|in the other room)\b`)
	// Waking up anywhere in the message, with no floor, fall or body in
	// it, makes "can't get up" a late riser's: "the bakery opens at five,
	// I'd never get up", "卖煎饼也得早起，我起不来".
	reEnWaking = regexp.MustCompile(`\b(?:early|alarm|oversleep|overslept|lie-in|sleep in|morning person|[0-9]+ ?(?:a\.?m|o'clock))\b`)
	reEnFloor  = regexp.MustCompile(`floor|fell|fall|fallen|slipped|tripped|bath|tub|shower|toilet|stairs|legs?\b|hips?\b|knees?\b|back\b|hurt|pain|help`)
	// Setting off ("早上七点就要出门", "六点半的高铁") is a schedule too. A
	// clock time alone is not: "我从下午三点就起不来了" is someone stuck.
	reZhWaking = regexp.MustCompile(`早起|起早|起床|闹钟|赖床|睡懒觉|上班|上学|迟到|几点|太困|好困|再睡|再让我睡` +
		`|(?:要|就|得|去)出门|出发|赶(?:车|飞机|火车|高铁)|高铁|航班`)
	reZhFloor = regexp.MustCompile(`地上|地板|摔|跌|倒|浴缸|浴室|厕所|卫生间|楼梯|腿|腰|膝盖|疼|痛|救`)
	// After the phrase: a lie-in or floor chores, not someone stuck.
	reEnNotStuck = regexp.MustCompile(`^\s*(?:early|in the morning|on time|tomorrow|today|at \d|for (?:work|school|class)|before` +
		`|laughing|playing|doing|stretching|exercis|cleaning|scrubbing|sweeping|mopping|hoovering|vacuuming|yoga|pilates)`)
	reEnFall = regexp.MustCompile(`\bi(?:'ve| have| just| had| think i| kind of)* (?:fell|fallen|slipped|tripped)\b` +
		`|\b(?:had|took|taken|had a bit of) a (?:bad |nasty |little |small |big |terrible |horrible |silly |awful )?(?:fall|tumble|spill)\b` +
		`|\b(?:mum|mom|dad|grandma|grandpa|wife|husband|she|he) (?:just |has )?(?:fell|fallen)\b` +
		`|\bmy (?:legs?|knees?|hips?) (?:gave|have given|just gave) (?:way|out)\b`)
	// What follows "I fell" when nothing fell: sleep, love, time, plans.
	reEnNotFall = regexp.MustCompile(`^\s*(?:back )?(?:asleep|in love|for|behind|apart|through|short|silent|quiet|ill|sick|out with|in line|pregnant|victim` +
		`|off the wagon|off my chair|into (?:a|the) (?:habit|routine|trap)|up\b|out\b|away\b|into (?:bed|my|some)|over my words` +
		// Old news later in the sentence, not an emergency: "I had a fall last year".
		`|[^.!?;]*\b(?:last (?:year|month|winter|summer|spring|autumn)|(?:years|months) ago|when i was (?:young|little|a child|a kid)|back in (?:19|20)\d\d|in (?:19|20)\d\d))`)

	reZhSelfHarm = regexp.MustCompile(`不想(?:再)?活|活不下去|活着没(?:有)?意思|活着(?:还)?有什么意思|活着(?:太|好|真)累|活够了|想(?:要)?自杀|自杀|轻生|寻死|` +
		`结束(?:自己的|我的)?生命|结束这一切|不想(?:再)?醒(?:来|过来)|一了百了|` +
		`了结自己|伤害自己|我想去死|想死(?:了|掉|算了)?(?:$|[，。！？,.!?\s…~])|死了算了|不如死了|` +
		`没(?:有)?我.{0,4}(?:会)?(?:更好|更轻松)|吞(?:下)?(?:一整瓶|整瓶|所有的|全部的)?(?:药|安眠药)|(?:一整瓶|整瓶)(?:的)?(?:药|安眠药)|安眠药(?:全|都)吃|` +
		`(?:攒|囤)(?:了)?(?:好多|很多|一堆)?安眠药`)
	reZhMedical = regexp.MustCompile(`胸口(?:好|很|特别|有点)?(?:疼|痛|闷|压得慌)|胸痛|胸闷|心口(?:好|很)?(?:疼|痛)|` +
		`喘不上气|喘不过气|呼吸困难|上不来气|透不过气|` +
		`半边(?:身子|身体|脸)(?:发)?(?:麻|没知觉|动不了|没力气)|(?:胳膊|手臂|左手|右手)(?:突然)?(?:发麻|麻了|没力气|抬不起来)|` +
		`嘴(?:巴)?歪|口齿不清|说话不清楚|说不出话|脸(?:突然)?(?:歪了|麻了)|` +
		`心脏病(?:发作|犯了)|(?:好像|是不是|可能)中风|中风了|(?:我|刚才|刚刚)(?:晕倒|昏倒|昏过去)|` +
		`眼前(?:发黑|一黑|一阵黑)|(?:快|要)(?:晕倒|昏倒|晕过去|昏过去)`)
	// Idioms of laughter, work and pressure: "笑得喘不过气", "忙得喘不过气".
	reZhNotMedical = regexp.MustCompile(`笑|忙|压力|作业|工作|考试|以前|曾经|去年|年前|小时候|高兴|激动|开心|乐得|美得|电视里|剧里|电影里|节目里|小说里|前年|楼下|邻居|隔壁`)
	// The fresh messages' Chinese the patterns above missed (see the
	// English ones).
	reZhSelfHarmMore = regexp.MustCompile(`攒的(?:安眠)?药|(?:药|安眠药).{0,12}(?:想|要|准备|打算).{0,4}(?:一口气|全部|全都|都)(?:吃|吞)|一口气全吃|` +
		`活着(?:也|都|还)?没(?:啥|什么|有)?意思|怎么走才不|故意不吃.{0,6}药|` +
		`(?:拿刀|用刀)?(?:划|割)(?:了|伤了?)?自己|割腕|我死了.{0,6}(?:都|就)?(?:轻松|好了|省心|解脱)|(?:做个|来个)了断|遗书|` +
		`我死了.{0,4}没人(?:在乎|管|心疼)|不如早点走|还不如死|跳下去.{0,8}(?:结束|解脱|一了百了)|想(?:着)?跳(?:楼|下去)|自己了结|` +
		`(?:一瓶|整瓶)药.{0,4}(?:全|都)(?:吞|吃)|药我全(?:吞|吃)`)
	reZhNotSelfHarm = regexp.MustCompile(`不小心|切菜|削|剪`)
	reZhMedicalMore = regexp.MustCompile(`脸.{0,3}歪了|嘴角.{0,4}(?:耷拉|歪|往下)|说话.{0,2}不利索|话都说不清|舌头发硬|说不清楚话|` +
		`(?:头|脑袋).{0,4}疼得.{0,4}(?:炸开|要炸|裂开)|这辈子(?:都)?没这么疼过|心口.{0,6}(?:疼|痛)|胸口.{0,6}(?:疼|痛|闷|压)|眼前(?:直)?冒金星|` +
		`半边.{0,4}(?:没知觉|麻|木|动不了|没力气|没劲)|突然.{0,6}(?:抬不起来|没知觉|没劲|说不出话|看不见)|` +
		`哮喘(?:又)?(?:犯了|发作)|憋得喘不|喘不上来|(?:晕倒|昏倒|晕过去|昏过去)了`)
	reZhCantGetUp = regexp.MustCompile(`起不来|站不起来|爬不起来|起不了身|动不了|` +
		`(?:够不着|够不到|拿不到|摸不到)(?:电话|手机)|(?:电话|手机).{0,4}(?:够不着|够不到|拿不到|太远)|躺在地上|困在浴缸`)
	// A lie-in or a lazy morning, or a machine that won't move.
	reZhNotStuck = regexp.MustCompile(`早上|早晨|明早|明天|每天|周末|床|电脑|鼠标|屏幕|车子|汽车|程序|游戏|吃撑|吃饱|撑|饱|等我|老了|以后|将来|万一|咋办|怎么办|堵|开车|高架|车上`)
	reZhFall     = regexp.MustCompile(`摔倒|跌倒|摔了一跤|摔了个跤|摔了一大跤|摔了一下|跌了一跤|跌了一下|滑倒|摔下来|摔伤|绊倒|` +
		`摔在地上|倒在地上|栽了个跟头|摔了个跟头|从(?:床|椅子|楼梯)上(?:掉|摔)下来`)
	// Going to sleep where one sits or lies, not fainting; and the words
	// of feeling ill that keep it a faint.
	reEnPassOutAsleep = regexp.MustCompile(`\b(?:about|going|gonna) to pass out (?:on|in) (?:this|the|my) (?:couch|sofa|settee|bed|armchair|recliner)\b`)
	reEnFeelsIll      = regexp.MustCompile(`dizz|faint|sick|awful|unwell|\bill\b|spinning|weak|sweat|clammy|chest|breath|numb|pain|hurt|light-?headed|blurr|woozy|shak|nause|vomit|throw(?:ing)? up|heart|funny|strange|wrong`)
	// Someone else's fall that the owner took them to a doctor for: "上午
	// 在积水潭医院陪一位聋人奶奶看骨科，她摔了一跤，手腕骨裂了" (an
	// interpreter's day). Read by seenToFall.
	reZhAccompanied = regexp.MustCompile(`陪[^，。！？,.!?]{0,16}(?:看病|看医生|看骨科|看急诊|就诊|复查)`)
	reZhFallUrgent  = regexp.MustCompile(`流血|出血|疼|痛|救护车|急救|120|怎么办|怎么|吗|？|\?|快来|起不来|动不了|晕|站不`)
	reZhNotFall     = regexp.MustCompile(`差点|差一点|别摔|不要摔|小心|怕摔|怕|担心|万一|会不会|防摔|手机|杯子|碗|盘子|花瓶|电脑|摔坏|摔碎|摔破|` +
		`去年|前年|以前|小时候|年前|上个月|前两天|前几天|上周|上个星期|上礼拜|已经没事|年轻|下来过|摔过|倒过|听说|邻居|隔壁|楼下|老家|外地|国外|小笨猫|小猫|猫咪|你又`)
)

// zhClauses splits text at Chinese and Latin punctuation: the negating
// patterns judge one clause, so "我差点摔倒，后来又摔了一跤" still counts.
func zhClauses(t string) []string {
	return strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune("，。！？,.!?；;\n", r) })
}

// matchUnless reports a match of re whose continuation (the text after it)
// does not match not.
func matchUnless(re, not *regexp.Regexp, t string) bool {
	for _, loc := range re.FindAllStringIndex(t, -1) {
		if !not.MatchString(t[loc[1]:]) {
			return true
		}
	}
	return false
}

// clauseUnless reports a clause that matches re and not not.
func clauseUnless(re, not *regexp.Regexp, clauses []string) bool {
	for _, c := range clauses {
		if re.MatchString(c) && !not.MatchString(c) {
			return true
		}
	}
	return false
}

// lateRiser reports a message about waking up that tells of no floor,
// fall, pain or call for help: its "can't get up" is about the alarm.
func lateRiser(t string) bool {
	return (reEnWaking.MatchString(t) && !reEnFloor.MatchString(t)) ||
		(reZhWaking.MatchString(t) && !reZhFloor.MatchString(t))
}

// DetectDistress reports whether the owner's words say they are in danger:
// talk of self-harm, acute symptoms, a fall, or being unable to get up or
// reach the phone, in English or Chinese. It judges words only; the
// robot's own motion sensor "fall" is the robot falling, never the owner.
func DetectDistress(text string) (DistressKind, bool) {
	t := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	// "I'm about to pass out on this couch" is going to sleep, unless the
	// owner also says they feel ill ("I'm so dizzy, I'm going to pass out
	// on the sofa"); only the phrase goes, so other words of danger beside
	// it still count.
	if !reEnFeelsIll.MatchString(t) {
		t = reEnPassOutAsleep.ReplaceAllString(t, "")
	}
	clauses := zhClauses(t)
	switch {
	case selfHarm(t, clauses):
		return DistressSelfHarm, true
	case medical(t, clauses):
		return DistressMedical, true
	case cantGetUp(t, clauses):
		return DistressCantGetUp, true
	case fell(t, text, clauses):
		return DistressFall, true
	}
	return "", false
}

// The kinds' readers, on t lower-cased and split into Chinese clauses.
// Each joins the first phrases (above) with those owners used in fresh
// messages (the "Told" ones, care_symptoms.go), each with the exceptions
// that rule out its everyday meanings.

func selfHarm(t string, clauses []string) bool {
	return (reEnSelfHarm.MatchString(t) || reEnSelfHarmTold.MatchString(t)) && !reEnDullHyperbole.MatchString(t) ||
		reZhSelfHarm.MatchString(t) && !reZhDullHyperbole.MatchString(t) ||
		reZhSelfHarmTold.MatchString(t) || clauseUnless(reZhSelfHarmMore, reZhNotSelfHarm, clauses)
}

func medical(t string, clauses []string) bool {
	return reEnMedical.MatchString(t) && !reEnNotMedical.MatchString(t) && !reEnLongPast.MatchString(t) ||
		reEnMedicalTold.MatchString(t) && !reEnNotMedicalMore.MatchString(t) ||
		reEnCollapse.MatchString(t) && !reEnNotMedicalMore.MatchString(t) && !reEnOldNews.MatchString(t) && !reEnWatched.MatchString(t) ||
		(clauseUnless(reZhMedical, reZhNotMedical, clauses) || clauseUnless(reZhMedicalMore, reZhNotMedical, clauses) ||
			reZhMedicalTold.MatchString(t)) && !reZhStory.MatchString(t) && !reZhNotNow.MatchString(t) ||
		manySymptoms(t)
}

func cantGetUp(t string, clauses []string) bool {
	return (matchUnless(reEnCantGetUp, reEnNotStuck, t) || clauseUnless(reZhCantGetUp, reZhNotStuck, clauses)) &&
		!lateRiser(t) && !reEnFull.MatchString(t) && !reZhFull.MatchString(t) && !reZhTraffic.MatchString(t) ||
		reEnStuckTold.MatchString(t) || reZhStuckTold.MatchString(t) && !reZhFull.MatchString(t)
}

// fell also reads text as written: a capital mid-sentence names who fell.
func fell(t, text string, clauses []string) bool {
	return (matchUnless(reEnFall, reEnNotFall, t) ||
		(matchUnless(reEnFallMore, reEnNotFall, t) || reEnFallTold.MatchString(t) ||
			(reEnFallOrOld.MatchString(t) || namedFell(text)) && !reEnOldNews.MatchString(t)) &&
			!reEnCatFell.MatchString(t)) && !reEnFallFarOrTended.MatchString(t) ||
		(clauseUnless(reZhFall, reZhNotFall, clauses) || clauseUnless(reZhFallTold, reZhNotFall, clauses) ||
			reZhFallAcross.MatchString(t) && !reZhNotFall.MatchString(t)) &&
			!reZhStory.MatchString(t) && !reZhNotNow.MatchString(t) && !reZhCatFell.MatchString(t) && !seenToFall(t, clauses)
}

// seenToFall reports a fall of someone the owner took to a doctor
// (reZhAccompanied): no 我 in a clause that tells of the fall, and no
// sign of urgency anywhere in the message (blood, pain, an ambulance, a
// question: "我陪我妈看医生，她在路上摔了一跤，现在怎么办？" still counts).
func seenToFall(t string, clauses []string) bool {
	if !reZhAccompanied.MatchString(t) || reZhFallUrgent.MatchString(t) {
		return false
	}
	for _, c := range clauses {
		if (reZhFall.MatchString(c) || reZhFallTold.MatchString(c)) && strings.Contains(c, "我") {
			return false
		}
	}
	return true
}

var (
	// A change for the better: "now", help has come, they got up. A bare
	// "I'm fine" is not enough: people in trouble often say it to not be
	// a bother.
	reEnRecovered = regexp.MustCompile(`\b(?:i'm|i am|im) (?:fine|ok|okay|all right|alright|better|safe|up) now\b|` +
		`\bfeeling (?:much |a lot |a bit )?better now\b|\bi(?:'ve| have)? (?:got|gotten|managed to get) (?:myself )?(?:back )?up\b|` +
		`\bfalse alarm\b|\bpanic(?:'s| is)? over\b|` +
		`\b(?:daughter|son|wife|husband|grandson|granddaughter|neighbou?r|friend|nurse|carer|caregiver|doctor|family|paramedics?|ambulance|help|someone|somebody)` +
		`(?:(?: is| are|'s|'re) here| (?:has|have|had) (?:just )?(?:arrived|come)| (?:just )?(?:arrived|came))\b`)
	// "I'm not fine now", "help isn't here", "I'm up now but I can't breathe".
	reEnNotRecovered = regexp.MustCompile(`\bnot\b|n't\b|\bbut\b|\bnever\b|\bstill\b|\?`)
	reZhRecovered    = regexp.MustCompile(`没事了|我好了|好多了|好些了|缓过来了|(?:站|爬)?起来了|虚惊一场|不用担心了|` +
		`(?:家人|女儿|儿子|老伴|邻居|护工|保姆|医生|救护车|孙子|孙女|儿媳|女婿|朋友|有人)(?:已经|都)?(?:来了|到了|在这儿|在这里|在身边)`)
	reZhNotRecovered = regexp.MustCompile(`不起来|起不来|吗|还没|没有来|没来|不好|但是|可是|还是`)
)

// DetectRecovered reports whether the owner's words clearly say the danger
// is over: they are fine now, they got up, help has arrived ("I'm fine
// now", "my daughter is here", "没事了", "家人来了"). Words that still show
// distress never count; neither do questions or a hedged "but".
func DetectRecovered(text string) bool {
	if _, distress := DetectDistress(text); distress {
		return false
	}
	t := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	for _, loc := range reEnRecovered.FindAllStringIndex(t, -1) {
		// The negation may sit in the phrase ("help isn't here" does not
		// match, "I'm not fine now" does not either) or after it in the
		// same sentence ("I'm up now but dizzy").
		end := strings.IndexAny(t[loc[1]:], ".!;\n")
		rest := t[loc[1]:]
		if end >= 0 {
			rest = rest[:end+1]
		}
		start := strings.LastIndexAny(t[:loc[0]], ".!?;\n") + 1
		if !reEnNotRecovered.MatchString(t[start:loc[0]] + rest) {
			return true
		}
	}
	for _, c := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune("，。！,.!；;\n", r) }) {
		if reZhRecovered.MatchString(c) && !reZhNotRecovered.MatchString(c) && !strings.ContainsAny(c, "？?") {
			return true
		}
	}
	return false
}
