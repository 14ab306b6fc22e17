package dialog

import "regexp"

// The cat adapter's Chinese falls into one garbled frame above all: "我帮
// 你看着你" ("I help you watch you"), "我帮你趴你腿上", "你一定很爱你" ("you
// must love you"). On the fresh talks' rated sheets, replies with it
// rated 0.45 against 0.88 for the model's Chinese (docs/models.md,
// *Misquoted figures and names*). The guard refuses it like a repeat.
var reGarbledZH = regexp.MustCompile(`帮你[^，。！？、,.!?～~…]{0,4}你|你[^，。！？、,.!?～~…]{0,3}爱你`)

// Garbles reports a Chinese sentence in the frame the model garbles.
func (g *ReplyGuard) Garbles(sentence string) bool {
	return reGarbledZH.MatchString(sentence)
}
