package dialog

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The cat adapter's Chinese falls into one garbled frame above all: "我帮
// 你看着你" ("I help you watch you"), "我帮你趴你腿上", "你一定很爱你" ("you
// must love you"). On the fresh talks' rated sheets, replies with it
// rated 0.43 against 0.88 for the model's Chinese (docs/models.md,
// *Misquoted figures and names*). The guard refuses it like a repeat.
var reGarbledZH = regexp.MustCompile(`帮你[^，。！？、,.!?～~…]{0,4}你|你[^，。！？、,.!?～~…]{0,3}爱你`)

// Garbles reports a Chinese sentence in the frame the model garbles. The
// second 你 before 的 or a family word is someone's ("我帮你看着你的包",
// "你一定很爱你妈妈"), and 我 between the two makes two clauses ("你知道我
// 爱你吗"): those are good Chinese.
func (g *ReplyGuard) Garbles(sentence string) bool {
	for _, loc := range reGarbledZH.FindAllStringIndex(sentence, -1) {
		match, after := sentence[loc[0]:loc[1]], sentence[loc[1]:]
		if strings.Contains(strings.TrimPrefix(match, "帮你"), "我") || strings.HasPrefix(match, "你") && strings.Contains(match[len("你"):], "我") {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(after); strings.ContainsRune(yoursFollows, r) {
			continue
		}
		return true
	}
	return false
}

// yoursFollows are the characters after 你 that make it someone's: 你的,
// 你妈, 你家, 你们.
const yoursFollows = "的妈爸家们哥姐弟妹爷奶外老"
