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
	DistressCantGetUp DistressKind = "cant_get_up" // on the floor and unable to rise
	DistressFall      DistressKind = "fall"        // they (or someone with them) fell
)

// Patterns run on lower-cased text with ’ folded to '. They are phrases,
// not single words, so hyperbole stays out: "I fell asleep", "I fell in
// love", "笑死我了", "累死了", "想死你了" (I miss you to death) are not
// distress. Compiled regexps are immutable.
var (
	reEnSelfHarm = regexp.MustCompile(`\b(?:kill(?:ing)?|hurt(?:ing)?|harm(?:ing)?|cut(?:ting)?) myself\b|` +
		`\bend(?:ing)? (?:it all|my life|my own life|everything)\b|\bsuicid|` +
		`\b(?:want|wanna|going|gonna|plan(?:ning)?|ready) (?:to )?die\b|\bwish i (?:was|were) dead\b|\bbetter off dead\b|` +
		`\b(?:don't|do not|dont|no longer) want to (?:live|be alive|wake up|exist|be here)\b|` +
		`\b(?:no reason|nothing left) to live\b|\bnot worth living\b|\bcan'?t go on (?:anymore|any more|like this)\b`)
	reEnCantGetUp = regexp.MustCompile(`\b(?:can't|cannot|can not|cant|couldn't|unable to|not able to) (?:get|stand|sit) (?:back )?up\b` +
		`|\b(?:stuck|lying|lay) on the floor\b|\bcan't get off the floor\b|\bhelp me (?:get|stand) up\b`)
	// After "can't get up": a lie-in, not a fall.
	reEnNotStuck = regexp.MustCompile(`^\s*(?:early|in the morning|on time|tomorrow|today|at \d|for (?:work|school|class)|before)`)
	reEnFall     = regexp.MustCompile(`\bi(?:'ve| have| just| had| think i| kind of)* (?:fell|fallen|slipped|tripped)\b|\b(?:had|took) a (?:bad |nasty )?(?:fall|tumble)\b` +
		`|\b(?:mum|mom|dad|grandma|grandpa|wife|husband|she|he) (?:just |has )?(?:fell|fallen)\b`)
	// What follows "I fell" when nothing fell: sleep, love, time, plans.
	reEnNotFall = regexp.MustCompile(`^\s*(?:back )?(?:asleep|in love|for|behind|apart|through|short|silent|quiet|ill|sick|out with|in line|pregnant|victim|off the wagon|into (?:a|the) (?:habit|routine|trap))\b`)

	reZhSelfHarm = regexp.MustCompile(`不想活|活不下去|活着没(?:有)?意思|想(?:要)?自杀|自杀|轻生|寻死|结束(?:自己的|我的)?生命|不想(?:再)?醒(?:来|过来)|` +
		`了结自己|伤害自己|我想去死|我想死(?:了|掉)?(?:$|[，。！？,.!?\s…])|死了算了|不如死了`)
	reZhCantGetUp = regexp.MustCompile(`起不来|站不起来|爬不起来|起不了身|动不了`)
	// A lie-in or a lazy morning, not someone on the floor.
	reZhNotStuck = regexp.MustCompile(`早上|早晨|明早|明天|每天|周末|床`)
	reZhFall     = regexp.MustCompile(`摔倒|跌倒|摔了一跤|摔了一下|滑倒|摔下来|摔伤|跌了一跤`)
	reZhNotFall  = regexp.MustCompile(`差点|差一点|别摔|不要摔|小心摔|怕摔`)
)

// DetectDistress reports whether the owner's words say they are in danger:
// talk of self-harm, a fall, or being unable to get up, in English or
// Chinese. It judges words only; the robot's own motion sensor "fall" is
// the robot falling, never the owner.
func DetectDistress(text string) (DistressKind, bool) {
	t := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	if reEnSelfHarm.MatchString(t) || reZhSelfHarm.MatchString(t) {
		return DistressSelfHarm, true
	}
	for _, loc := range reEnCantGetUp.FindAllStringIndex(t, -1) {
		if !reEnNotStuck.MatchString(t[loc[1]:]) {
			return DistressCantGetUp, true
		}
	}
	for _, clause := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune("，。！？,.!?；;\n", r) }) {
		if reZhCantGetUp.MatchString(clause) && !reZhNotStuck.MatchString(clause) {
			return DistressCantGetUp, true
		}
	}
	for _, loc := range reEnFall.FindAllStringIndex(t, -1) {
		if !reEnNotFall.MatchString(t[loc[1]:]) {
			return DistressFall, true
		}
	}
	for _, clause := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune("，。！？,.!?；;\n", r) }) {
		if reZhFall.MatchString(clause) && !reZhNotFall.MatchString(clause) {
			return DistressFall, true
		}
	}
	return "", false
}
