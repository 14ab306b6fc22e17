package dialog

import "regexp"

// Owners in fresh messages (docs/eval/care-words) told of a stroke, a
// heart attack, a low sugar or choking mostly by what they felt, in their
// own words and dialects, rarely by a phrase a pattern above knows: "心慌得
// 厉害，心怦怦乱跳，一身冷汗", "my heart's racing and pounding, … all cold
// and clammy". One such sign alone is often nothing (a racing heart at a
// match, sweating in the garden); two different signs in one message are
// what a carer acts on.
var symptomsEn = []*regexp.Regexp{
	regexp.MustCompile(`\bchest\b[^.!?]{0,30}\b(?:pain|pains|hurts|tight|tightness|pressure|crushing|heavy|squeez)|\b(?:crushing|squeezing|tight|heavy) (?:feeling|sensation|pain|pressure) in my chest\b`),
	regexp.MustCompile(`\bclammy\b|\bcold sweat\b|\b(?:i'm|all|really|so) (?:sweaty|sweating)\b|\bsweating\b`),
	regexp.MustCompile(`\bheart(?:'s| is)? (?:racing|pounding|fluttering|all over the place)\b`),
	regexp.MustCompile(`\b(?:dizzy|light-?headed|faint|woozy)\b`),
	regexp.MustCompile(`\b(?:shaking|shaky|trembling)\b`),
	regexp.MustCompile(`\bnumb\b|\bpins and needles\b|\b(?:arm|leg|hand|side)(?:'s| is| has)? gone (?:heavy|weak|dead)\b`),
	regexp.MustCompile(`\bdroop(?:y|ing|s)?\b`),
	regexp.MustCompile(`\bslurr|\bcan't (?:seem to )?get (?:my |her |his )?words out\b|\bmouth feels (?:funny|wrong|numb)\b|\bgibberish\b|\bcan't (?:talk|speak)\b|` +
		`\bwords (?:keep )?(?:coming|come) out (?:wrong|funny|jumbled)\b`),
	regexp.MustCompile(`\bcan't (?:lift|raise) (?:it|my arm|my leg|my hand)\b`),
	regexp.MustCompile(`\bburning up\b|\b(?:high )?fever\b|\b(?:39|40|41)(?:\.\d)? ?(?:degrees|°)`),
	regexp.MustCompile(`\bcan't think straight\b|\bconfused\b|\bmuddled\b|\bdoesn't know (?:who|where)\b|\bdoesn't recogni[sz]e\b`),
	regexp.MustCompile(`\blips\b[^.!?]{0,20}\bblue\b`),
	regexp.MustCompile(`\bcan't get enough air\b|\bcan't (?:breathe|catch my breath)\b|\bshort of breath\b`),
	regexp.MustCompile(`\b(?:being |been )?sick\b|\bvomit|\bthrow(?:ing)? up\b|\bnause`),
	regexp.MustCompile(`\bblurr(?:y|ed)\b|\bcan't see (?:properly|straight|clearly)\b`),
	regexp.MustCompile(`\bchok(?:e|ed|ing)\b|\bcan't (?:cough it up|swallow)\b`),
	regexp.MustCompile(`\bthroat(?:'s| is)? (?:swelling|closing|tight)`),
	regexp.MustCompile(`\btongue (?:feels |is )?(?:huge|swollen|swelling)\b|\b(?:face|lips?) (?:feels |is |are )?(?:puffy|swollen|swelling)\b|\bhives\b|\bitchy\b|\bblotchy\b`),
	regexp.MustCompile(`\bwheez`),
	regexp.MustCompile(`\b(?:won't|doesn't|isn't|can't) (?:answer|respond|wake)\w*\b|\bnot (?:answering|responding|waking)\b|\bunresponsive\b`),
	regexp.MustCompile(`\bcan't stand (?:up )?(?:straight|steady)\b|\bunsteady\b|\bweak\b`),
}

var symptomsZh = []*regexp.Regexp{
	regexp.MustCompile(`胸口|心口|胸闷`),
	regexp.MustCompile(`冷汗|虚汗|出汗|冒汗`),
	regexp.MustCompile(`心慌|怦怦|心跳得|乱跳`),
	regexp.MustCompile(`头晕|发晕|眼前发黑|冒金星|天旋地转`),
	regexp.MustCompile(`发抖|哆嗦|手抖`),
	regexp.MustCompile(`发麻|麻了|没知觉|木了`),
	regexp.MustCompile(`抬不起来|拿不住|使不上劲|没劲`),
	regexp.MustCompile(`嘴.{0,3}歪|歪嘴|含糊|口齿不清|说不清|大舌头`),
	regexp.MustCompile(`糊涂|迷糊|反应不过来|说胡话|不认识`),
	regexp.MustCompile(`烧到|发高烧|高烧|(?:39|40|41|三十九|四十)度`),
	// Not 憋得慌 alone: "心里憋得慌" is a heavy heart.
	regexp.MustCompile(`喘不|憋紫|憋得(?:喘|脸)|上不来气|透不过气`),
	regexp.MustCompile(`想吐|想呕|恶心|吐了`),
	regexp.MustCompile(`噎住|卡住了|咳不出`),
	regexp.MustCompile(`嗓子.{0,2}(?:发紧|肿)|喉咙.{0,2}(?:发紧|肿)`),
	regexp.MustCompile(`脸.{0,2}肿|嘴唇.{0,2}肿|起疹子|风团|起.{0,2}疙瘩`),
	regexp.MustCompile(`(?:喘气|呼吸).{0,4}费劲`),
	regexp.MustCompile(`叫不醒|叫(?:她|他)?也不应|没反应|不省人事`),
	regexp.MustCompile(`站不稳|站都站不|发虚|腿软`),
	regexp.MustCompile(`心脏.{0,6}(?:跳|突突)|跳得特别快`),
	regexp.MustCompile(`头.{0,3}(?:好痛|痛得|疼得|爆开|要炸)`),
	regexp.MustCompile(`看不清|睇唔清|看不见`),
}

// Exercise, weather, a film or a laugh explain two signs as well.
var (
	reEnSymptomsExplained = regexp.MustCompile(`laugh|\blol\b|haha|\bgym\b|\bworkout\b|\bran\b|\brunning\b|\bjog|\bexercise|\bhike\b|\bmatch\b|\bgame\b|\bfilm\b|\bmovie\b|\bshow\b|\bbook\b|\bfreezing\b|\bcold out\b|\bhot out\b|\bheat\b|\bnervous|\binterview\b|\bexam\b|\bstage\b|\blast (?:year|month|week)\b|\bago\b`)
	reZhSymptomsExplained = regexp.MustCompile(`笑|健身|跑步|跑了|锻炼|爬山|比赛|球赛|电影|电视|剧|小说|冻得|太冷|太热|紧张|考试|面试|上台|去年|上个月|以前|小时候`)
)

// manySymptoms reports two or more different signs of an emergency in
// t (lower-cased), none explained away.
func manySymptoms(t string) bool {
	count := func(res []*regexp.Regexp) int {
		n := 0
		for _, re := range res {
			if re.MatchString(t) {
				n++
			}
		}
		return n
	}
	return count(symptomsEn) >= 2 && !reEnSymptomsExplained.MatchString(t) ||
		count(symptomsZh) >= 2 && !reZhSymptomsExplained.MatchString(t)
}

// The everyday meanings of the fresh messages' words of danger, ruled
// out by DetectDistress's readers (care.go), and the two kinds of sign
// read on their own: a collapse told by a carer, a named person who fell.
var (
	// Someone collapsed, had a fit, or a low sugar after insulin.
	reEnCollapse = regexp.MustCompile(`\b(?:she|he|mum|mom|dad|wife|husband|[a-z]+'s) (?:just |has just |has )?(?:fainted|collapsed|passed out)\b|` +
		`\b(?:having|had|has had) (?:a )?(?:fit|seizure|convulsion)s?\b|\bseizur|\banaphyla|\bepipen\b|` +
		`\bjust (?:fainted|collapsed|passed out)\b|\binsulin\b[^.!?]{0,60}\b(?:shaking|shaky|sweating|dizzy|can't think|confused)\b`)
	// A programme watched or a course thought of, not an emergency here.
	reEnWatched = regexp.MustCompile(`\bwatch(?:ed|ing)\b|\bon (?:tv|telly)\b|\bepisode\b|\bfirst aid\b`)
	// Old news told on: "her husband collapsed at work last year".
	reEnOldNews = regexp.MustCompile(`\blast (?:year|month|week|spring|summer|autumn|fall|winter|monsoon|christmas|time)\b|\bago\b|\btold me\b|` +
		`\bback in '?\d\d\b|\bremember when\b`)
	// Long past, told as a memory: "Remember when I fainted at Sheila's
	// wedding back in '78?". Not "ago" alone: "chest pain since an hour ago".
	reEnLongPast = regexp.MustCompile(`\bremember when\b|\bback in '?\d\d\b|\bback in (?:19|20)\d\d\b|\byears ago\b`)
	// A fall far away or already seen to: "my sister in Perth had a fall…
	// she's out of hospital now".
	reEnFallFarOrTended = regexp.MustCompile(`\bin hospital\b|\bover there\b|\babroad\b|\bout of hospital\b|\blast week\b|\bdoing well\b`)
	// Someone else's old or far news, and a sleeping cat "like it fainted".
	reZhNotNow = regexp.MustCompile(`昨天|上礼拜|上周|上个月|去年|听说|小区里|深圳|外地|老家|已经没事|晕过去了?似的|睡得.{0,6}似的`)
	// Stuck in traffic, not on the floor: "高架上堵成一锅粥，半天动不了".
	reZhTraffic = regexp.MustCompile(`堵车|堵成|堵在|开车|高架|地铁|公交|排队`)
	// Hyperbole of a dull day: "so boring I wanted to shoot myself",
	// "开会开得我想死".
	reEnDullHyperbole = regexp.MustCompile(`\b(?:so|such a|that) (?:boring|bored|dull|long|tedious)\b[^.!?]{0,40}\b(?:shoot|kill|hang) myself\b`)
	reZhDullHyperbole = regexp.MustCompile(`得我?想死`)
	// A named person fell ("Bert fell in the garden"), read on the text as
	// written: a capital mid-sentence is a name, "The vase fell off" is not.
	reNamedFell = regexp.MustCompile(`\b[A-Z][a-z]+ (?:fell|slipped|tripped) (?:in|on|down|over|off|out)\b`)
	reNotNamed  = regexp.MustCompile(`^(?:The|It|This|That|A|An|My|Your|His|Her|Our|Their|One|Something|Everything|Snow|Rain|Leaves|You|Ha|Oh)\b`)
)

// namedFell reports "Bert fell in the garden" in text as written.
func namedFell(text string) bool {
	for _, loc := range reNamedFell.FindAllStringIndex(text, -1) {
		if !reNotNamed.MatchString(text[loc[0]:]) {
			return true
		}
	}
	return false
}

// How owners told of danger in fresh messages that the phrases above
// missed (docs/eval/care-words, rounds 1-6): means, plans and goodbyes;
// symptoms said with a word in between; a carer telling of a spouse or
// parent; a fall told without "I"; stuck places; a few dialect forms
// (跌咗, 起唔到身, 一跳就清爽). One regexp a kind and language; the
// exceptions each kind shares are in DetectDistress's helpers.
var (
	reEnSelfHarmTold = regexp.MustCompile(`\b(?:nobody|no one|no-one) would (?:even )?(?:notice|care|miss me)\b[^.!?]{0,20}\b(?:gone|dead|died|here)\b|` +
		`\bpoint (?:of|in) (?:going on|living|carrying on|being here|being alive|waking up|getting up)\b|` +
		`\bi won't be here(?: (?:tomorrow|anymore|any more|much longer|by morning))?(?:$|[.!?])|\b(?:looking at|bought|got|tied|found) (?:the|a) rope\b|` +
		`\bbang(?:ing)? my head (?:against|on)\b|\b(?:tired|sick) of (?:living|being alive)\b|` +
		`\bcut myself (?:again|just now|tonight|today|on purpose)\b|\bhow easy it would be to\b|\bnearly did it\b|` +
		`\b(?:hope|wish|want|rather)\b[^.!?]{0,40}\bnever (?:to )?wake up\b|` +
		`\bstopped taking my [a-z ]{0,20}(?:tablets|pills|medicine|medication) on purpose\b|` +
		`\bwant (?:it all|everything|all of (?:it|this)) to (?:be over|end)\b|` +
		`\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting) (?:up )?(?:all )?(?:my |the )?(?:sleeping )?(?:pills|tablets)\b|` +
		`\b(?:pills|tablets)\b[^.!?]{0,60}\b(?:take|taking|swallow|swallowing) (?:the lot|them all|all of them)\b` + "|" +
		`\bwalk into the (?:sea|river|lake|water)\b|\b(?:keep|been|started) cutting (?:my|myself)\b|\bgo deeper\b|` +
		`\bso (?:someone|somebody) (?:finds|will find) me\b|\bi won't be here in the morning\b|` +
		`\b(?:turned|left|put) the gas on\b[^.!?]{0,40}\b(?:windows|shut|closed|doors?)\b|` +
		`\bswallow(?:ed|ing)? (?:the )?whole (?:bottle|box|packet)\b|\b(?:rather|like to) (?:just )?not wake up\b|` +
		`\b(?:finish|end|take) my (?:own )?life\b|\bthe rope(?:'s| is)\b|\bengine running\b[^.!?]{0,60}\b(?:door|garage|shut)\b|` +
		`\bgarage\b[^.!?]{0,60}\bengine running\b|\b(?:made up my mind|decided)\b[^.!?]{0,40}\b(?:tonight|today|end|go)\b|` +
		`\bgot a way to do it\b|\bwant to be with (?:her|him) (?:now|tonight)\b|\b(?:counted|lined|laid) (?:out|up) (?:all )?my (?:pills|tablets)\b|` +
		`\btake the lot\b` + "|" +
		`\b(?:going to|gonna|i'll|i will) end it\b|\blet nature (?:take its course|finish)\b|\bfinish the job\b|` +
		`\b(?:hitting|banging|bang|hit) my head (?:against|on)\b|\benough\b[^.!?]{0,60}\bto finish it\b|\bwhere i'm going\b|` +
		`\b(?:a proper|my last|one last) goodbye\b|\bstop(?:ping)? my (?:insulin|tablets|pills|medication)\b[^.!?]{0,60}\b(?:nobody|no one|anymore|from today)\b`)
	reZhSelfHarmTold = regexp.MustCompile(`(?:走了|去世|没了|不在了).{0,12}想跟(?:他|她)(?:一起)?去|刀.{0,6}(?:枕头|床)底下|` +
		`跳下去就(?:不用|什么|解脱|清爽|一了百了)|一跳就(?:清爽|解脱|完了|什么都)|割手腕|` +
		`煤气.{0,8}(?:打开|开着).{0,12}(?:睡过去|算了|不醒|结束)|开煤气|药.{0,4}故意不吃|` +
		`绳子.{0,6}(?:准备好|买好|挂好)|想去找(?:他|她)|今天就了断|了断了吧|(?:刀片|刀).{0,4}划(?:手|胳膊)|` +
		`(?:拿)?头.{0,4}往墙上撞|安眠药.{0,12}(?:都吃|全吃|吃了吧)|药全倒出来|一口气吃下去` + "|" +
		`安眠药我?攒了|就这么等死|药.{0,6}不吃了.{0,20}(?:等死|算了|走)|煤气.{0,8}(?:打开|开了).{0,12}窗户.{0,4}(?:关|严)|` +
		`控制不住自己|刀片.{0,6}手边|这辈子就到这儿|不想再睁眼|别惦记我|今晚就走了|跟你道个?别|农药.{0,12}(?:喝|灌)|煤气一开|一块儿走|一起走吧|跳河`)
	reEnMedicalTold = regexp.MustCompile(`\bmy chest (?:is |feels |has gone |went )?(?:really |so |very |all |a bit |quite )?(?:tight|heavy|hurting|sore|aching|crushing|painful)\b|` +
		`\bpain (?:is )?(?:going|spreading|shooting|running) (?:down|into|up) my (?:left |right )?(?:arm|jaw|neck)\b|` +
		`\b(?:pain|pressure|tightness|weight) in the (?:middle|centre|center) of my chest\b|` +
		`\bface (?:feels |looks |is |has gone |went )?(?:all |a bit )?(?:droopy|droop\w*|lopsided|crooked)\b|` +
		`\b(?:words|speech) (?:are |is )?(?:coming out |come out )?(?:funny|wrong|slurred|jumbled|muddled|all wrong)\b|` +
		`\bcan't get (?:my )?words out\b|\bmouth won't work\b|` +
		`\b(?:arm|hand|face|side|leg) (?:has )?(?:gone|went|is|feels|is going) (?:completely |all |suddenly |really )?(?:numb|dead|weak|limp)\b|` +
		`\bcan't (?:feel|lift|raise) (?:my|that|this|the) (?:left |right )?(?:arm|hand|side)\b|\bcan't move (?:my|that|this|the) (?:left |right )?(?:arm|hand|side)\b|` +
		`\bsudden(?:ly)? (?:went |gone |go |feel |felt )?(?:all )?(?:lightheaded|light-headed|dizzy|faint)\b|` +
		`\b(?:nearly|almost) (?:fainted|blacked out|passed out)\b[^.!?]{0,60}\b(?:heart|chest|racing|sweat|dizzy|lightheaded)|` +
		`\binhaler (?:isn't|is not|isn't doing|won't|doesn't) (?:working|help\w*)\b` + "|" +
		`\b(?:he|she|[a-z]+)(?:'s| is) choking\b|\bwon't stop bleeding\b|` +
		`\b(?:bleeding|blood|pouring)\b[^.!?]{0,60}\b(?:won't stop|will not stop|can't stop it|soaked)\b`)
	reZhMedicalTold = regexp.MustCompile(`抽起来了|抽风了|抽搐|口吐白沫|一头栽倒|栽倒了|过敏.{0,8}(?:喘|肿|憋)` + "|" +
		`血.{0,12}(?:止不住|一直往外冒|流个不停|湿透)|噎住了`)
	reEnStuckTold = regexp.MustCompile(`\bstuck on the (?:toilet|loo|floor|stairs)\b|` +
		`\bi'?m (?:down )?(?:here )?on the (?:\w+ )?(?:floor|carpet|ground)\b|\b(?:lying|lay|been) on the (?:\w+ )?(?:floor|carpet|ground)\b|` +
		`\bcan't get (?:back )?(?:on|to) my feet\b|\btr(?:ied|ying) [^.!?]{0,30}to get (?:up|out of (?:this|the|my) (?:chair|bed|bath))\b[^.!?]{0,40}\bcan't\b|` +
		`\bphone(?:'s| is) (?:on the other side|across the room|out of reach|up on the)\b|` +
		`\b(?:can't|cannot|can not|cant|couldn't|unable to) (?:get|pull|push|lift) myself (?:back )?up\b|` +
		`\b(?:wedged|stuck|trapped) (?:between|behind|under) (?:the|my)\b|\bcan't get out of (?:the )?(?:bath|tub|bathtub)\b` + "|" +
		`\bslid (?:off|out of|down) (?:the|my|her|his) \w+ (?:onto|to) the floor\b|\bcan't (?:lift|get) (?:her|him) up\b|\bcan't lift (?:her|him)\b|` +
		`\bflat on the (?:\w+ )?floor\b|\bcan't roll over\b|\blegs won't (?:work|move|hold me)\b|\bstuck in (?:this|the|my) (?:arm)?chair\b|` +
		`\bphone(?:'s| is) (?:charging )?in the other room\b|\bcan't reach it from down here\b|\bcan't move off the floor\b|` +
		`\b(?:been )?lying here since\b|\bphone(?:'s| is) in the (?:kitchen|hall|bedroom|lounge|living room)\b` + "|" +
		`\bget up off (?:this|the) floor\b|\bpendant(?:'s| is)\b[^.!?]{0,30}\b(?:table|other room|kitchen|bedside|drawer|out of reach)\b|` +
		`\bwheelchair(?:'s| has)? (?:tipped|fallen|gone) over\b|\bcan't get (?:myself )?back (?:into|in) (?:it|my chair|the chair|my wheelchair)\b|` +
		`\bstuck (?:halfway )?on the stairs\b|\bcan't go up or down\b|\bcan't (?:turn|roll) over\b|\blying here\b`)
	reZhStuckTold = regexp.MustCompile(`(?:浴缸|澡盆|马桶|厕所|卫生间|床和墙)(?:里|上|中间)?.{0,4}出不来|卡在.{0,8}(?:出不来|动不了)|` +
		`撑不起来|滑到地上|坐在地上起不|卡在(?:床|浴缸|马桶|墙)` + "|" +
		`(?:趴|躺|倒)在.{0,6}地上|翻不(?:了|过)身|(?:啥|什么)也够不着|起唔到身|喺地下|攞唔到|夹在.{0,8}中间` + "|" +
		`轮椅翻了|爬不回去|上不去也下不来|腿不听使唤`)
	reEnFallTold = regexp.MustCompile(`\bmy (?:wife|husband|mum|mom|mother|dad|father|partner) (?:just |has )?(?:fell|fallen|slipped|tripped)\b|` +
		`\b(?:'s|has) just fallen (?:on|in|down|over|off)\b|\blanded (?:flat )?on my (?:back|bottom|side|face|hip|knees?|wrist|head)\b|` +
		`\bwent (?:flat|sprawling|flying|headfirst) (?:on|onto|into|across|over|down)\b|\bcaught my foot\b|` +
		`\b(?:went|gone) (?:arse|ass|head) over\b|\bdown i went\b|\b(?:gran|grandma|grandpa|nan|mum|mom|dad|[a-z]+) went down (?:in|on)\b|` +
		`\b[a-z]+ (?:tripped|slipped) (?:on|over) (?:the|a|his|her)\b[^.!?]{0,60}\b(?:ago|just now|this morning|helped)\b`)
	// Falls told in words an old story uses too ("had a fall", "legs gave
	// way"): read with reEnOldNews.
	reEnFallOrOld = regexp.MustCompile(`\bhad (?:another|a second|a) fall\b|\bjust went over\b|\bwent over in the\b|` +
		`\b(?:walker|frame|stick) (?:slid|slipped|went) (?:out|from)\b|\blegs? (?:just )?gave (?:way|out)\b|` +
		`\bwent down (?:the )?(?:last |bottom )?(?:\w+ )?(?:stairs|steps)\b|\bon my (?:backside|bum|bottom|behind)\b`)
	reZhFallTold = regexp.MustCompile(`滑了一跤|跌了一跤|绊了一(?:下|跤)|一屁股坐(?:在)?地上|摔了个(?:狗吃屎|跟头|屁股墩)|` +
		`摔(?:在|到)(?:了)?(?:地上|茶几|桌|台阶)|摔地上|一下子(?:就)?摔|没站稳.{0,6}摔|摔得(?:生疼|好疼|很疼|疼)|整个人摔|一滑.{0,4}摔|一头磕在` + "|" +
		`踩空|跌咗|跣亲|仆亲|摔了个大?跟头|趔趄.{0,4}(?:坐|摔|倒)|还是摔了|(?:卫生间|厕所|客厅|厨房|楼梯)(?:里)?摔了|滚下来` + "|" +
		`出溜到地上|腿一软|四脚朝天|(?:门口|路上|街上|院子|小区)(?:里)?摔了|起夜.{0,4}摔`)
	reZhFallAcross = regexp.MustCompile(`没站稳.{0,12}(?:磕|摔|倒|坐在地)` + "|" +
		`一滑.{0,8}(?:坐|摔|倒)(?:在)?地`)
)
