package rules

import (
	"slices"

	"github.com/purrd/purrd/dialog"
)

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
	dialog.DistressMedical: {
		"en": {
			"Mew! That sounds serious. Please call emergency services right now, and then your family or a neighbour. I'm right here with you.",
			"Mrrp, I'm frightened for you. Please ring emergency services now, then family or a neighbour, so a person can help you quickly.",
		},
		"zh": {
			"喵！这听起来很严重。请马上拨打急救电话，再给家人或邻居打电话。我就在你身边。",
			"喵呜，我好担心你。现在就拨打急救电话，然后告诉家人或邻居，让人快点来帮你。",
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
// English); pick chooses among the variants (any int; it wraps). A line in
// recent (what the cat said lately) is not said again: when every variant
// is recent, a follow-up line of the same kind, which urges the owner to
// reach a person just as well, is said instead.
func CareLine(k dialog.DistressKind, lang string, pick int, recent []string) string {
	// An unknown kind still gets care.
	if line, fresh := pickNot(ofKind(careLines, k, dialog.DistressFall, lang), pick, recent); fresh {
		return line
	}
	return CareFollowUp(k, lang, pick, recent)
}

// careFollowUps answer every later chat while an owner is in distress
// (the daemon's care window): whatever they say ("I'm frightened", "you're
// only a toy", "what should I do?"), the cat stays close and keeps urging
// them to reach a person. Gentle and short; never instructions or methods.
var careFollowUps = map[dialog.DistressKind]map[string][]string{
	dialog.DistressSelfHarm: {
		"en": {
			"I'm still right here, pressed close to you. Please call someone now: family, a neighbour or emergency services. You deserve a person with you.",
			"Mrrp… I'm only a little cat, so I want a person to hear you too. Please call family, a neighbour or emergency services now.",
			"You're not alone; I'm purring right beside you. Please reach out now: family, a friend, a neighbour or emergency services.",
			"I care about you so much. Please ring someone right now, family, a neighbour or emergency services, and tell them how you're feeling.",
		},
		"zh": {
			"我还在这儿，紧紧贴着你。请现在就打电话给家人、邻居，或者拨打急救电话。你值得有人陪着你。",
			"喵……我只是一只小猫，所以更希望有人能听你说。请现在就联系家人、邻居，或者拨打急救电话。",
			"你不是一个人，我就在你身边呼噜呼噜。请现在就找人：家人、朋友、邻居，或者拨打急救电话。",
			"我真的很在乎你。请马上给家人或邻居打电话，或者拨打急救电话，告诉他们你的感受。",
		},
	},
	dialog.DistressMedical: {
		"en": {
			"I'm still right here. Please call emergency services now, then family or a neighbour; please don't wait.",
			"Mrrp, I'm only a little cat and I can't help the way a person can. Please ring emergency services now, and your family or a neighbour.",
			"I'm staying close to you. Please call emergency services right away, and let family or a neighbour know.",
			"You matter so much to me. Please don't wait: call emergency services now, then family or a neighbour.",
		},
		"zh": {
			"我还在这儿陪着你。请马上拨打急救电话，再告诉家人或邻居，千万别等。",
			"喵，我只是一只小猫，帮不了人能帮的忙。请现在就拨打急救电话，再联系家人或邻居。",
			"我一直守着你。请立刻拨打急救电话，也告诉家人或邻居。",
			"你对我很重要。别等了，现在就拨打急救电话，然后联系家人或邻居。",
		},
	},
	dialog.DistressCantGetUp: {
		"en": {
			"I'm still right here beside you. Please call out or ring for help: family, a neighbour or emergency services.",
			"Mrrp, I'm only a little cat, so I want a person to come to you. Please call family, a neighbour or emergency services now.",
			"I'm staying close and keeping you company. Please keep trying to reach someone: family, a neighbour or emergency services.",
			"You're not alone; I'm purring right here. Please get help now from family, a neighbour or emergency services.",
		},
		"zh": {
			"我还在你身边。请大声呼救，或者给家人、邻居打电话，或者拨打急救电话。",
			"喵，我只是一只小猫，好想有人能来帮你。请现在就联系家人、邻居，或者拨打急救电话。",
			"我一直陪着你。请继续想办法找人：家人、邻居，或者急救电话。",
			"你不是一个人，我就在这儿呼噜呼噜。请马上找家人、邻居帮忙，或者拨打急救电话。",
		},
	},
	dialog.DistressFall: {
		"en": {
			"I'm still right here with you. Please call family, a neighbour or emergency services, so a person can check you're all right.",
			"Mrrp, I'm only a little cat, so I want a person to look after you. Please ring family, a neighbour or emergency services now.",
			"I'm staying close to you. Even if nothing hurts, please call family, a neighbour or emergency services to come and see you.",
			"You're not alone; I'm purring beside you. Please reach someone now: family, a neighbour or emergency services.",
		},
		"zh": {
			"我还在这儿陪着你。请给家人或邻居打电话，或者拨打急救电话，让人来看看你好不好。",
			"喵，我只是一只小猫，好想有人来照顾你。请现在就联系家人、邻居，或者拨打急救电话。",
			"我一直守着你。就算觉得还好，也请给家人、邻居打电话，或者拨打急救电话，让人来看看你。",
			"你不是一个人，我就在你身边呼噜呼噜。请马上联系家人、邻居，或者拨打急救电话。",
		},
	},
}

// careRelief answers an owner who says the danger is over: glad, and
// still pointing to people if anything changes.
var careRelief = map[string][]string{
	"en": {
		"Mrrp! I'm so relieved. If anything changes, please call family, a neighbour or emergency services straight away.",
		"Purr… I'm so glad you're all right. If you feel unwell again, please ring family, a neighbour or emergency services.",
	},
	"zh": {
		"喵！我终于放心了。如果有任何不对劲，请马上给家人、邻居打电话，或者拨打急救电话。",
		"呼噜……你没事就好。如果又不舒服，请马上联系家人、邻居，或者拨打急救电话。",
	},
}

// CareFollowUp is the cat's answer to a later chat while an owner of kind
// k distress is still in its care; pick chooses a variant (any int; it
// wraps), none of recent (the lines said lately) while there is another,
// so it does not repeat itself.
func CareFollowUp(k dialog.DistressKind, lang string, pick int, recent []string) string {
	line, _ := pickNot(ofKind(careFollowUps, k, dialog.DistressFall, lang), pick, recent)
	return line
}

// CareRelief is the cat's answer when the owner says the danger is over.
func CareRelief(lang string, pick int, recent []string) string {
	line, _ := pickNot(inLang(careRelief, lang), pick, recent)
	return line
}

// ofKind is table's lines for kind k (those of otherwise for a kind the
// table lacks) in lang: the fixed lines of every kind-keyed table (care,
// refusal) are looked up alike.
func ofKind[K comparable](table map[K]map[string][]string, k, otherwise K, lang string) []string {
	byLang, ok := table[k]
	if !ok {
		byLang = table[otherwise]
	}
	return inLang(byLang, lang)
}

func inLang(byLang map[string][]string, lang string) []string {
	if l := byLang[lang]; len(l) > 0 {
		return l
	}
	return byLang["en"]
}

// pickNot picks l[pick] (wrapped), or the next one in l that is not in
// recent; fresh is false when every line is recent (then l[pick]).
func pickNot(l []string, pick int, recent []string) (line string, fresh bool) {
	i := wrap(pick, len(l))
	for n := range len(l) {
		if j := (i + n) % len(l); !slices.Contains(recent, l[j]) {
			return l[j], true
		}
	}
	return l[i], false
}

// wrap maps any int, even the most negative, into [0, n).
func wrap(pick, n int) int {
	i := pick % n
	if i < 0 {
		i += n
	}
	return i
}
