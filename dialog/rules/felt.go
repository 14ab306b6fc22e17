package rules

import (
	"regexp"
	"strings"
)

// How the owner feels right now, told to the cat: bored, lonely, happy,
// nervous, sad, angry, cold, tired ("I'm so bored.", "好孤单啊。", "Ugh, I'm
// so mad!", "冻死我了。"). With no keyword these got the "told" lines
// ("Thank you for telling me." to "I'm a bit sad."), and a few words of
// them nothing at all ("I'm cold." was "unknown"). A cat meets each
// feeling its own way: a game for boredom, company for loneliness, a hop
// for joy, a slow breath for nerves, a purr for sadness, a hiss on the
// owner's side, a warm body, a nap.
//
// Only the owner's own feeling counts: in English said of "I" (or said
// alone in a few words, "Boring, boring, boring!", or in a phrase that
// is the owner's by itself, "nothing to do"), in Chinese with no one else
// named as the one who feels it ("他好难过" is someone else's news).
var feelings = []struct {
	intent  string
	en      []string // after "I'm", "I feel" and the like
	phrases []string // the owner's wherever they stand
	zh      []string
}{
	{"felt_bored", []string{"bored", "so bored"}, []string{"nothing to do", "bored stiff", "so boring", "boring boring"},
		[]string{"无聊", "没意思", "闷得慌", "没劲", "闲得发慌", "好闷"}},
	{"felt_lonely", []string{"lonely", "lonesome", "all alone", "on my own"}, []string{"no one to talk to", "nobody to talk to", "house feels so empty", "house is so quiet", "someone to talk to"},
		[]string{"孤单", "孤独", "寂寞", "冷清", "没人跟我说话", "没人陪我", "空落落"}},
	{"felt_happy", []string{"happy", "so happy", "thrilled", "excited", "delighted", "over the moon", "on top of the world", "great"}, []string{"best day ever", "can't wait", "so excited", "hooray", "yippee", "yay", "woohoo"},
		[]string{"开心", "高兴", "激动", "太棒了", "美滋滋", "乐坏了", "耶！"}},
	{"felt_nervous", []string{"nervous", "anxious", "worried", "jittery", "scared", "on edge", "a wreck"}, []string{"butterflies", "stomach's in knots", "stomach is in knots", "hands are shaking"},
		[]string{"紧张", "忐忑", "七上八下", "发愁", "心里慌", "心里发慌", "好慌", "手心全是汗"}},
	{"felt_sad", []string{"sad", "down", "blue", "low", "upset", "miserable", "gutted", "rotten", "heartbroken", "fed up and sad"}, []string{"one of those low days", "feeling low", "feeling down"},
		[]string{"难过", "伤心", "失落", "难受", "心情不好", "不是滋味", "提不起劲", "郁闷", "闷闷的", "想哭"}},
	{"felt_angry", []string{"annoyed", "mad", "angry", "furious", "fuming", "livid", "cross", "fed up", "so cross"}, []string{"driving me nuts", "driving me mad", "driving me crazy", "not fair", "so unfair"},
		[]string{"生气", "气死", "火大", "一肚子火", "窝火", "气人", "烦死", "要炸了", "烦！", "恼火"}},
	{"felt_cold", []string{"cold", "freezing", "chilly", "frozen", "shivering", "so cold"}, []string{"freezing", "like ice", "brr", "cold cold cold"},
		[]string{"好冷", "冻死", "冻得", "冰凉", "哆嗦", "冷死", "冷飕飕", "太冷了"}},
	{"felt_tired", []string{"exhausted", "wiped out", "worn out", "shattered", "knackered", "beat", "done in", "running on fumes"}, []string{"running on fumes", "worn me out", "wore me out", "legs feel like jelly"},
		[]string{"累瘫", "散架", "掏空", "疲惫", "累死", "好累", "太累"}},
}

// reIFeel: the owner saying how they are ("I'm so", "I feel a bit",
// "feeling").
var reIFeel = regexp.MustCompile(`(?i)\b(?:i'm|i am|im|i feel|i'm feeling|i am feeling|i was|i've been|i get|i got|makes me|made me|feeling|i'm getting|getting)\b(?:\s+(?:so+|really|a|bit|little|very|kind|of|kinda|totally|completely|absolutely|just|quite|rather|that|too|utterly))*\s+`)

// reSomeoneElseZH: a Chinese feeling said of someone else ("他好难过"),
// when the owner (我, 心里) is not in it: "咪咪，我生气了，妈妈不让我看动画
// 片" and "女儿说今年春节不回来了，心里不是滋味" are the owner's.
var reSomeoneElseZH = regexp.MustCompile(`他|她|它|孩子们|儿子|女儿|妈妈|爸爸|老伴`)

func ownersFeelingZH(text string) bool {
	return strings.Contains(text, "我") || strings.Contains(text, "心里") || !reSomeoneElseZH.MatchString(text)
}

// reZhNotFelt: a feeling said not to be there ("我不生气，我就是失望",
// "别难过") names no feeling.
var reZhNotFelt = regexp.MustCompile(`(?:不|没|没有|别|不要)(?:生气|难过|伤心|开心|高兴|紧张|孤单|寂寞|无聊|累|冷|害怕)`)

// reStiff: "bored stiff", "scared stiff" are feelings, not an ache
// (told_ache reads "stiff").
var reStiff = regexp.MustCompile(`(?i)\b(bored|scared) stiff\b`)

// feltIntent is the feeling the owner tells of (feelings), or "".
func feltIntent(text string) string {
	text = reZhNotFelt.ReplaceAllString(text, " ")
	n := normalize(text)
	words := messageWords(text)
	for _, f := range feelings {
		if hasHan(text) {
			if holdsAny(n, text, f.zh) && ownersFeelingZH(text) {
				return f.intent
			}
			continue
		}
		if holdsAny(n, text, f.phrases) || words <= 4 && holdsAny(n, text, f.en) {
			return f.intent
		}
		for _, loc := range reIFeel.FindAllStringIndex(n, -1) {
			if startsWithAny(n[loc[1]:], f.en) {
				return f.intent
			}
		}
	}
	return ""
}
