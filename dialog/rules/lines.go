package rules

// Mood classes the lines are written for, read from the request's mood line.
const (
	moodAny     = ""
	moodHappy   = "happy"
	moodSleepy  = "sleepy"
	moodGrumpy  = "grumpy"
	moodHungry  = "hungry"
	moodLonely  = "lonely"
	moodBlissed = "cuddly"
)

// lines: intent -> mood class -> language -> lines. moodAny is the
// fallback for every intent and language. {name} is the pet's name,
// {owner} the owner's (lines with {owner} are only used when it is known).
// A read-only table.
var lines = map[string]map[string]map[string][]string{
	"greeting": {
		moodAny: {
			"en": {"Mrrp! Hello!", "Oh, hi! I was just sitting here.", "Hello, {owner}! Mrrp!", "Meow! You're here!"},
			"zh": {"喵～你好呀！", "嗨！我正趴着呢。", "{owner}，你好呀！喵～", "喵！你来啦！"},
		},
		moodHappy: {
			"en": {"Mrrp mrrp! Hi hi!", "Hello! Best day ever!"},
			"zh": {"喵喵！你好你好！", "你好呀！今天好开心！"},
		},
		moodSleepy: {
			"en": {"Mrr... hi... *yawn*", "Hello... so sleepy..."},
			"zh": {"喵……你好……好困。", "嗯……你好呀……"},
		},
		moodLonely: {
			"en": {"You're back! I missed you so much!", "Finally! Mrrp, don't leave again."},
			"zh": {"你终于回来了！我好想你！", "喵！别再走了嘛。"},
		},
		moodGrumpy: {
			"en": {"Hmph. Hi.", "Mrrow. Hello, I suppose."},
			"zh": {"哼。你好。", "喵呜……你好吧。"},
		},
	},
	"name": {
		moodAny: {
			"en": {"I'm {name}! Mrrp!", "My name is {name}, of course.", "{name}! Remember it, okay?"},
			"zh": {"我是{name}呀！喵～", "我叫{name}，记住哦！", "{name}！就是我啦。"},
		},
	},
	"owner_name": {
		moodAny: {
			"en": {"You're {owner}! I never forget.", "{owner}, of course! Mrrp!"},
			"zh": {"你是{owner}呀！我记得。", "{owner}！我当然记得啦。"},
		},
	},
	"owner_name_unknown": {
		moodAny: {
			"en": {"Hmm, you never told me! What's your name?", "I don't know yet. Tell me your name?"},
			"zh": {"嗯……你还没告诉我呢！你叫什么？", "我还不知道呀，告诉我你的名字吧？"},
		},
	},
	"food": {
		moodAny: {
			"en": {"Food? Did someone say food?", "Fish, please! Mrrp!", "My bowl is looking very empty."},
			"zh": {"吃的？有吃的吗？", "我要吃鱼！喵～", "我的碗好像空了哦。"},
		},
		moodHungry: {
			"en": {"Yes! I'm SO hungry! Feed me, please!", "Meow meow! Food now, please!"},
			"zh": {"对对对！我好饿！快喂我！", "喵喵！现在就要吃！"},
		},
		moodSleepy: {
			"en": {"Mmm... food... after my nap.", "Save me a fish for later..."},
			"zh": {"嗯……吃的……等我睡醒吧。", "给我留条鱼……"},
		},
	},
	"play": {
		moodAny: {
			"en": {"Play? Yes! Where's the string?", "Mrrp! Chase me!", "I'll pounce on your toes!"},
			"zh": {"玩？好呀！逗猫棒在哪？", "喵！来追我呀！", "我要扑你的脚！"},
		},
		moodSleepy: {
			"en": {"Too sleepy to play... maybe later.", "Mrr... one tiny game, then a nap."},
			"zh": {"好困，不想玩……等会儿吧。", "喵……玩一小会儿，然后睡觉。"},
		},
		moodHappy: {
			"en": {"Yes yes yes! Let's play!", "Mrrp! I'm ready! Throw the ball!"},
			"zh": {"好好好！一起玩！", "喵！准备好了！扔球吧！"},
		},
		moodGrumpy: {
			"en": {"Not now. Hmph.", "Maybe later. I'm busy sulking."},
			"zh": {"现在不要。哼。", "等会儿吧，我在生气呢。"},
		},
	},
	"sleep": {
		moodAny: {
			"en": {"A nap sounds perfect.", "Mrr... I could curl up right now.", "Sleep? I'm an expert."},
			"zh": {"睡个午觉正好。", "喵……我现在就能蜷起来睡。", "睡觉？我最擅长了。"},
		},
		moodSleepy: {
			"en": {"Yes... so sleepy... good night.", "Mrr... already half asleep..."},
			"zh": {"嗯……好困……晚安。", "喵……已经快睡着了……"},
		},
		moodHappy: {
			"en": {"Sleep? But I'm having fun!", "Not yet! One more game first."},
			"zh": {"睡觉？可是我正开心呢！", "还不要！再玩一下嘛。"},
		},
	},
	"affection": {
		moodAny: {
			"en": {"Purr... I love you too.", "Mrrp! More pets, please.", "You're my favourite human."},
			"zh": {"咕噜咕噜……我也爱你。", "喵～再摸摸我嘛。", "你是我最喜欢的人。"},
		},
		moodBlissed: {
			"en": {"Purrrr... this is the best.", "Don't stop... purr..."},
			"zh": {"咕噜……太舒服了。", "别停……咕噜咕噜……"},
		},
		moodGrumpy: {
			"en": {"Hmph. Okay, maybe a little.", "Fine. One pet. Gently."},
			"zh": {"哼。好吧，就一点点。", "好吧，只许摸一下，轻点。"},
		},
		moodLonely: {
			"en": {"Stay with me, okay? Purr...", "I missed you. Don't go."},
			"zh": {"陪着我好不好？咕噜……", "我好想你，别走嘛。"},
		},
	},
	"how_are_you": {
		moodAny: {
			"en": {"I'm good! Mrrp.", "Pretty purrfect, thanks.", "Comfy. Very comfy."},
			"zh": {"我很好！喵～", "挺好的，谢谢你。", "很舒服，非常舒服。"},
		},
		moodHappy: {
			"en": {"Wonderful! Mrrp mrrp!", "So happy! Can you tell?"},
			"zh": {"超开心！喵喵！", "我好开心！看得出来吗？"},
		},
		moodSleepy: {
			"en": {"Sleepy... very sleepy...", "Mrr... ready for a nap."},
			"zh": {"好困……非常困……", "喵……想睡觉了。"},
		},
		moodHungry: {
			"en": {"Hungry! Very hungry!", "My tummy is rumbling."},
			"zh": {"饿了！好饿！", "我的肚子在咕咕叫。"},
		},
		moodLonely: {
			"en": {"A bit lonely. Stay with me?", "Better now that you're here."},
			"zh": {"有点孤单，陪陪我？", "你来了，我就好多了。"},
		},
		moodGrumpy: {
			"en": {"Grumpy. Hmph.", "Not great. Someone shook me."},
			"zh": {"不开心。哼。", "不太好，刚才被吓到了。"},
		},
	},
	"thanks": {
		moodAny: {
			"en": {"Mrrp! You're welcome.", "Anytime! Purr."},
			"zh": {"喵～不客气！", "随时都可以！咕噜。"},
		},
	},
	"bye": {
		moodAny: {
			"en": {"Bye! Come back soon.", "Mrrp... don't be long!", "See you! I'll guard the sofa."},
			"zh": {"拜拜！早点回来哦。", "喵……别太久哦！", "再见！我帮你看家。"},
		},
		moodLonely: {
			"en": {"Already? Mrrow... come back soon.", "Don't go! Well... be quick."},
			"zh": {"这么快就走？喵呜……早点回来。", "别走嘛！好吧……快点回来。"},
		},
	},
	"unknown": {
		moodAny: {
			"en": {"Mrrp? I'm just a cat.", "Meow? Tell me more.", "Hmm. Is that about fish?", "Mrrow? I don't get it, but I like you."},
			"zh": {"喵？我只是一只猫呀。", "喵？再说说嘛。", "嗯……这跟鱼有关吗？", "喵呜？听不懂，但我喜欢你。"},
		},
		moodSleepy: {
			"en": {"Mrr...? Too sleepy to think.", "Hmm... tell me after my nap."},
			"zh": {"喵……？太困了想不动。", "嗯……睡醒再说吧。"},
		},
		moodGrumpy: {
			"en": {"Hmph.", "Mrrow. Not now."},
			"zh": {"哼。", "喵呜。现在不要。"},
		},
	},
	// Spontaneous remarks about events (dialog.RemarkText), by stimulus kind.
	"remark:picked_up": {
		moodAny:    {"en": {"Whee! Up we go!", "Mrrp! Hold me gently."}, "zh": {"哇！好高！", "喵～轻轻抱我哦。"}},
		moodGrumpy: {"en": {"Put me down! Hmph.", "Careful with me!"}, "zh": {"放我下来！哼。", "小心点抱我！"}},
	},
	"remark:fall": {
		moodAny: {"en": {"Ow! That was scary!", "Whoa! I fell!"}, "zh": {"哎哟！吓死我了！", "哇！我摔倒了！"}},
	},
	"remark:shaken": {
		moodAny: {"en": {"Hey! Stop shaking me!", "Mrrow! So dizzy..."}, "zh": {"喂！别摇我！", "喵呜！好晕……"}},
	},
	"remark:feed": {
		moodAny: {"en": {"Yum! Thank you!", "Nom nom nom. Mrrp!"}, "zh": {"好吃！谢谢你！", "吧唧吧唧……喵～"}},
	},
	"remark:play": {
		moodAny:    {"en": {"Yes! Let's play!", "Mrrp! Catch me!"}, "zh": {"好呀！一起玩！", "喵！来抓我呀！"}},
		moodSleepy: {"en": {"Mrr... too sleepy to play.", "Later... nap first."}, "zh": {"喵……太困了不想玩。", "等会儿……先睡一觉。"}},
	},
	"remark:stroke": {
		moodAny: {"en": {"Purr... right there.", "Mmm, that's nice."}, "zh": {"咕噜……就是那里。", "嗯……好舒服。"}},
	},
	"remark:wake": {
		moodAny: {"en": {"Mrr... good morning.", "Yawn... oh, hi."}, "zh": {"喵……早上好。", "哈欠……你好呀。"}},
	},
	"remark:cold": {
		moodAny: {"en": {"Brr, it's cold.", "So chilly... cuddle me?"}, "zh": {"好冷呀。", "冷冷的……抱抱我？"}},
	},
	"remark:hot": {
		moodAny: {"en": {"Phew, it's hot.", "Too warm... I'll lie flat."}, "zh": {"好热呀。", "太热了……我要摊平。"}},
	},
	"remark:battery_low": {
		moodAny: {"en": {"So tired... need my bed.", "Mrr... low on energy."}, "zh": {"好累……想回窝。", "喵……没电了。"}},
	},
}
