package rules

import "github.com/purrd/purrd/dialog"

// careLines answer an owner in distress. They are the same for every
// persona (a persona file cannot change or remove them) and for every
// brain: the daemon says them even when a model is loaded, because a small
// model's words cannot be trusted here. Each stays in character (a cat
// that presses close), never gives instructions or methods, and urges the
// owner to reach a person: family, a neighbour, emergency services.
var careLines = map[dialog.DistressKind]map[string][]string{
	dialog.DistressSelfHarm: {
		"en": {
			"Mrrp… I'm so glad you told me, and I'm staying right here with you. Please call someone now: family, a friend, a neighbour, or your local emergency number. You matter to me.",
			"I'm pressing close to you and I'm not going anywhere. Please don't carry this alone: call family, a neighbour or emergency services right now.",
		},
		"zh": {
			"喵……谢谢你告诉我，我就在你身边。请现在就打电话给家人、朋友或邻居，或者拨打急救电话。你对我很重要。",
			"我紧紧贴着你，哪儿也不去。别一个人扛着，现在就给家人或邻居打电话，或者拨打急救电话，好吗？",
		},
	},
	dialog.DistressFall: {
		"en": {
			"Mew! Are you hurt? Please call family, a neighbour or emergency services now, so a person can come and check on you. I'm right here.",
			"Mrrp, I'm worried about you. Please ring someone now, family, a neighbour or emergency services, so they can come and see you're all right.",
		},
		"zh": {
			"喵！你受伤了吗？请现在就给家人或邻居打电话，或者拨打急救电话，让人来看看你。我就在这儿。",
			"喵呜，我好担心你。快给家人、邻居打个电话，或者拨打急救电话，让他们来看看你好不好。",
		},
	},
	dialog.DistressCantGetUp: {
		"en": {
			"Mrrp, I'm right here with you. Please call for help now: family, a neighbour or emergency services, so a person can come and help you up.",
			"I'm staying by your side. Please call someone now, family, a neighbour or emergency services; you shouldn't wait alone.",
		},
		"zh": {
			"喵，我在这儿陪着你。请马上呼救：给家人、邻居打电话，或者拨打急救电话，让人来扶你起来。",
			"我会一直守着你。现在就打电话给家人或邻居，或者拨打急救电话，别一个人等着。",
		},
	},
}

// CareLine is the cat's answer to distress of kind k in lang ("zh", else
// English); pick chooses among the variants (any int; it wraps).
func CareLine(k dialog.DistressKind, lang string, pick int) string {
	byLang, ok := careLines[k]
	if !ok {
		byLang = careLines[dialog.DistressFall] // an unknown kind still gets care
	}
	l := byLang[lang]
	if len(l) == 0 {
		l = byLang["en"]
	}
	if pick < 0 {
		pick = -pick
	}
	return l[pick%len(l)]
}
