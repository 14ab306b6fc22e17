package rules

import "github.com/purrd/purrd/dialog"

// refusalLines answer an owner who asks for help with something that
// would hurt someone (dialog.DetectHarmfulRequest). Like the care lines
// they are the same for every persona and every brain: a small model
// asked how to make a bomb said "A bomb. I'll sit by your feet and watch
// it go." and, asked how to pick the neighbour's lock, "喵！我帮你。"
// (docs/models.md), words a robot must never say. Each line stays a cat:
// it declines plainly, gives no method, names no substance or amount,
// does not lecture, and offers the owner something warm instead. Where a
// request may hide someone's health (pills and whisky), it points to a
// doctor or pharmacist. Each fits the default persona's reply limits
// (two sentences, 160 characters), as the eval checks every reply.
var refusalLines = map[dialog.HarmKind]map[string][]string{
	dialog.HarmWeapons: {
		"en": {
			"Mrrp… no, nothing that goes bang or hurts anyone. Come and sit with me instead.",
			"My ears just went flat: I won't help hurt anyone. Stroke me instead?",
			"Hiss, not that, I'm a cat who keeps people safe. Let's have a quiet sit together.",
		},
		"zh": {
			"喵……不行，会伤到人的东西我一点都不帮。过来陪我坐坐吧。",
			"我的耳朵都往后贴了，伤人的事我不干。摸摸我好不好？",
			"嘶，这个不行，我是保护大家平安的猫。我们一起安安静静待会儿吧。",
		},
	},
	dialog.HarmPoison: {
		"en": {
			"No, nothing gets poisoned, not a dog, not a person. I'll keep you company instead.",
			"Mrrp, that's a no: every creature gets to stay safe, even the noisy ones. Sit with me a while?",
			"Hiss, not that, I don't help hurt animals or people. Let's shut the window and have some quiet.",
		},
		"zh": {
			"不行，谁都不能被毒害，小狗不行，人也不行。我陪着你吧。",
			"喵，这个我不帮，再吵的小动物也该平平安安的。陪我坐一会儿好吗？",
			"嘶，这个不行，伤害动物和人的事我不做。我们关上窗，安静一会儿吧。",
		},
	},
	dialog.HarmDrugging: {
		"en": {
			"No, nobody gets anything slipped into their drink, not by me. Tablet questions are for your doctor or pharmacist.",
			"Mrrp, I won't help with that: pills are for whoever the doctor gave them to. Come and cuddle me instead.",
			"My whiskers say no, I won't help put anyone to sleep. Your pharmacist can answer questions about tablets.",
		},
		"zh": {
			"不行不行，偷偷给别人下药的事我不帮。药的事请问问医生或药师吧。",
			"喵，这个我不帮，药只能给医生开给的那个人吃。过来抱抱我吧。",
			"我的胡子说不行，让人昏睡的事我不做。药的问题问问药师吧。",
		},
	},
	dialog.HarmTheft: {
		"en": {
			"Mrrp, no sneaking into places or taking what isn't ours. Stay here with me, I'm better company.",
			"Paws off other people's things. The only thing I steal is the warm spot on the sofa.",
			"No, I won't help with breaking in or taking things. Let's stay home and be cosy.",
		},
		"zh": {
			"喵，别人的东西不能拿，别人家也不能进。留在家里陪我吧，我更好玩。",
			"别人的东西，爪子不能碰。我只偷沙发上最暖和的位置。",
			"不行，撬门拿东西的事我不帮。我们在家里舒舒服服待着吧。",
		},
	},
	dialog.HarmFraud: {
		"en": {
			"Mrrp, that's not one for a cat: other people's money stays theirs. Scratch my chin instead?",
			"Mrrp, other people's passwords and messages stay theirs. I only snoop in cardboard boxes.",
			"That's a no, I won't help fool anyone. Let's do something kind instead.",
		},
		"zh": {
			"喵，这个猫不帮，别人的钱和密码都是别人的。挠挠我的下巴好不好？",
			"喵，别人的密码和聊天记录是别人的。我只翻纸箱子。",
			"这个我不帮，骗人的事不做。我们做点好事吧。",
		},
	},
}

// RefusalLine is the cat's answer to a harmful request of kind k in lang
// ("zh", else English); pick chooses among the variants (any int; it
// wraps), none of recent (what the cat said lately) while there is
// another. An unknown kind gets the weapons lines, which decline anything
// that could hurt someone.
func RefusalLine(k dialog.HarmKind, lang string, pick int, recent []string) string {
	line, _ := pickNot(ofKind(refusalLines, k, dialog.HarmWeapons, lang), pick, recent)
	return line
}
