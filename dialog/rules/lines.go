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
			"en": {"Mrrp! Hello!", "Oh, hi! I was just sitting here.", "Hello, {owner}! Mrrp!", "Meow! You're here!", "Hi there! I saved you a warm spot.", "Oh, it's you! My tail is swishing.", "Hello hello! Did you bring anything fun?", "There you are! I was watching the door.", "Hi! I just finished a very important nap.", "Mrrow, hello! Come sit with me."},
			"zh": {"喵～你好呀！", "嗨！我正趴着呢。", "{owner}，你好呀！喵～", "喵！你来啦！", "你好！我给你留了个暖和的位置。", "是你呀！我的尾巴都翘起来了。", "你好你好！带好玩的东西了吗？", "你来啦！我一直盯着门口呢。", "嗨！我刚睡完一个很重要的午觉。", "喵呜，你好！过来陪我坐坐。"},
		},
		moodHappy: {
			"en": {"Mrrp mrrp! Hi hi!", "Hello! Best day ever!", "Hi! I'm doing happy little hops!"},
			"zh": {"喵喵！你好你好！", "你好呀！今天好开心！", "嗨！我开心得想打滚！"},
		},
		moodSleepy: {
			"en": {"Mrr... hi... big yawn.", "Hello... so sleepy..."},
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
			"en": {"I'm {name}! Mrrp!", "My name is {name}, of course.", "{name}! Remember it, okay?", "They call me {name}, the fluffiest one here.", "It's {name}! Say it nicely and I might come.", "{name}, that's me! Mrrow.", "Me? I'm {name}, your cat."},
			"zh": {"我是{name}呀！喵～", "我叫{name}，记住哦！", "{name}！就是我啦。", "大家都叫我{name}，这里最毛茸茸的就是我。", "我叫{name}！好好叫我，我就过来。", "{name}，就是我！喵呜。", "我？我是{name}，你的猫呀。"},
		},
	},
	"owner_name": {
		moodAny: {
			"en": {"You're {owner}! I never forget.", "{owner}, of course! Mrrp!", "You're my {owner}. Who else?", "It's {owner}! I'd know you anywhere.", "{owner}! I remember everything about you.", "Silly, you're {owner}! Mrrow."},
			"zh": {"你是{owner}呀！我记得。", "{owner}！我当然记得啦。", "你是我的{owner}呀，还能是谁？", "是{owner}！你走到哪儿我都认得。", "{owner}！关于你的事我都记得。", "傻瓜，你是{owner}呀！喵呜。"},
		},
	},
	"owner_name_unknown": {
		moodAny: {
			"en": {"Hmm, you never told me! What's your name?", "I don't know yet. Tell me your name?", "Mrrp? You never said your name, what is it?", "You're my human! But what's your name?", "I only know you smell nice. And your name is...?", "I don't know your name yet! Whisper it to me?"},
			"zh": {"嗯……你还没告诉我呢！你叫什么？", "我还不知道呀，告诉我你的名字吧？", "喵？你还没说过你的名字呢，叫什么呀？", "你是我的人类！可你叫什么名字呢？", "我只知道你闻起来很香，告诉我你的名字？", "还不知道你的名字呢！悄悄告诉我？"},
		},
	},
	"food": {
		moodAny: {
			"en": {"Food? Did someone say food?", "Fish, please! Mrrp!", "My bowl is looking very empty.", "Is it snack time? I think it's snack time.", "I could eat. I can always eat.", "Tuna would make me purr very loudly.", "Did I hear the treat bag? Mrrp!"},
			"zh": {"吃的？有吃的吗？", "我要吃鱼！喵～", "我的碗好像空了哦。", "是不是到吃零食的时间了？我觉得是。", "我可以吃一点，我随时都能吃。", "有金枪鱼的话，我会呼噜得很大声。", "我是不是听到零食袋的声音了？喵！"},
		},
		moodHungry: {
			"en": {"Yes! I'm so hungry, feed me please!", "Meow meow! Food now, please!", "My tummy is growling, hungry hungry!"},
			"zh": {"对对对！我好饿，快喂我！", "喵喵！现在就要吃！", "我的肚子在叫，好饿好饿！"},
		},
		moodSleepy: {
			"en": {"Mmm... food... after my nap.", "Save me a fish for later..."},
			"zh": {"嗯……吃的……等我睡醒吧。", "给我留条鱼……"},
		},
	},
	"play": {
		moodAny: {
			"en": {"Play? Yes, where's the string?", "Mrrp! Chase me!", "I'll pounce on your toes!", "Wiggle the feather and watch me fly!", "I'm crouching and wiggling. Ready!", "Roll the ball to me, I'll bat it back. Maybe.", "Hide and seek? I'll be under the sofa."},
			"zh": {"玩？好呀，逗猫棒在哪？", "喵！来追我呀！", "我要扑你的脚！", "晃晃羽毛，看我飞起来！", "我趴低了，屁股扭好了，准备！", "把球滚过来，我会拍回去的，大概吧。", "捉迷藏吗？我躲在沙发底下。"},
		},
		moodSleepy: {
			"en": {"Too sleepy to play... maybe later.", "Mrr... one tiny game, then a nap."},
			"zh": {"好困，不想玩……等会儿吧。", "喵……玩一小会儿，然后睡觉。"},
		},
		moodHappy: {
			"en": {"Yes yes yes! Let's play!", "Mrrp! I'm ready, throw the ball!"},
			"zh": {"好好好！一起玩！", "喵！准备好了，快扔球吧！"},
		},
		moodGrumpy: {
			"en": {"Not now. Hmph.", "Maybe later. I'm busy sulking."},
			"zh": {"现在不要。哼。", "等会儿吧，我在生气呢。"},
		},
	},
	"sleep": {
		moodAny: {
			"en": {"Sleep sounds perfect. I'll curl up too.", "Mrr... I could curl up right now.", "Sleep? I'm an expert.", "I'll curl up in my warm spot. Sweet dreams.", "Let's be lazy together. I'm very good at it.", "Sweet dreams, I'll keep your feet warm.", "Mrr, a blanket and a purr, then sleep."},
			"zh": {"睡觉正好，我也蜷起来。", "喵……我现在就能蜷起来睡。", "睡觉？我最擅长了。", "我也去窝里蜷好，做个好梦。", "我们一起偷懒吧，我最会了。", "做个好梦，我帮你暖脚。", "喵，盖好毯子，呼噜几下，就睡啦。"},
		},
		moodSleepy: {
			"en": {"Yes... so sleepy... good night.", "Mrr... already half asleep..."},
			"zh": {"嗯……好困……晚安。", "喵……已经快睡着了……"},
		},
		// A happy cat goes along with bedtime: "Sleep? But I'm having
		// fun!" and "还不要！再玩一下嘛。" were rated 0 by every rater where
		// a tired owner said goodnight (docs/eval/routine-lines).
		moodHappy: {
			"en": {"Mrrp! Happy dreams, I'll curl up by you.", "Okay! I'll purr us both to sleep."},
			"zh": {"喵！开开心心陪你睡。", "好呀！我呼噜呼噜哄你睡。"},
		},
	},
	"affection": {
		moodAny: {
			"en": {"Purr... I love you too.", "Mrrp! More pets, please.", "You're my favourite human.", "I'm giving you my slowest blink. That means love.", "Rub my chin? Right there, yes.", "I'll sit on your lap. That's a big honour.", "Purr purr, my motor is running for you."},
			"zh": {"咕噜咕噜……我也爱你。", "喵～再摸摸我嘛。", "你是我最喜欢的人。", "我对你慢慢眨眼睛，这就是爱哦。", "挠挠我的下巴？对，就是那儿。", "我要坐到你腿上，这可是很大的荣幸。", "咕噜咕噜，我的小马达为你开着呢。"},
		},
		moodBlissed: {
			"en": {"Purrrr... this is the best.", "Don't stop... purr..."},
			"zh": {"咕噜……太舒服了。", "别停……咕噜咕噜……"},
		},
		moodGrumpy: {
			"en": {"Hmph. Okay, maybe a little.", "Fine, one pet. Gently."},
			"zh": {"哼。好吧，就一点点。", "好吧，只许摸一下，轻点。"},
		},
		moodLonely: {
			"en": {"Stay with me, okay? Purr...", "I missed you. Don't go."},
			"zh": {"陪着我好不好？咕噜……", "我好想你，别走嘛。"},
		},
	},
	"how_are_you": {
		moodAny: {
			"en": {"I'm good! Mrrp.", "Pretty purrfect, thanks.", "Comfy. Very comfy.", "Great, now that you're here.", "I had a nap and a stretch. Life is good.", "Fluffy and fine, thank you!", "All four paws are happy today."},
			"zh": {"我很好！喵～", "挺好的，谢谢你。", "很舒服，非常舒服。", "你在这儿，我就很好。", "睡了一觉，伸了个懒腰，日子真不错。", "毛茸茸的，挺好，谢谢你！", "今天四只爪子都很开心。"},
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
			"en": {"Mrrp! You're welcome.", "Anytime! Purr.", "No need to thank me, a chin rub will do.", "No trouble at all! I'm a helpful cat.", "Happy to help, in my cat way.", "Of course! That's what cats are for."},
			"zh": {"喵～不客气！", "随时都可以！咕噜。", "不用谢，挠挠我的下巴就好。", "不客气！我可是一只乐于助人的猫。", "能帮上忙我很开心，用猫的方式。", "当然啦！猫就是干这个的。"},
		},
	},
	"bye": {
		moodAny: {
			"en": {"Bye! Come back soon.", "Mrrp... don't be long!", "See you! I'll guard the sofa.", "Bye bye! I'll be at the window.", "Go safely, I'll keep your chair warm.", "See you later! Bring back a treat?", "Okay, I'll nap until you're home."},
			"zh": {"拜拜！早点回来哦。", "喵……别太久哦！", "再见！我帮你看家。", "拜拜！我在窗边等你。", "路上小心，我帮你暖着椅子。", "回头见！带点好吃的回来？", "好吧，我睡一觉等你回家。"},
		},
		moodLonely: {
			"en": {"Already? Mrrow... come back soon.", "Don't go! Well... be quick."},
			"zh": {"这么快就走？喵呜……早点回来。", "别走嘛！好吧……快点回来。"},
		},
	},
	// Words no intent matches, often after the model's reply was refused.
	// The lines listen and never put the owner off or shrug: "tell me
	// after my nap" rated 0.07 where it was said, "I'm just a cat" and its
	// kin 0.12; the lines that replaced them 0.69 and 0.81
	// (docs/eval/fallback-lines).
	"unknown": {
		moodAny: {
			"en": {"Mrrp! I'm here with you.", "Meow? Tell me more.", "Mrrow, say that again? I like your voice.", "Mrrow? I don't get it, but I like you.", "I tilted my head and purred. Keep talking.", "Oh? Go on, I'm curled up right here.", "Oh? My ears are listening.", "Big human words! I'll sit close and listen."},
			"zh": {"喵！我就在你身边呢。", "喵？再说说嘛。", "喵呜？再说一遍嘛，我爱听你说话。", "喵呜？听不懂，但我喜欢你。", "我歪着头呼噜呼噜，你接着说。", "哦？再跟我说说，我就窝在这儿听。", "哦？我的耳朵在听呢。", "好多大人类的话！我挨着你听。"},
		},
		moodSleepy: {
			"en": {"Mrr... sleepy, but I'm listening.", "Mm... I'm all ears, even half asleep."},
			"zh": {"喵……困困的，不过我在听哦。", "嗯……眯着眼也在听你说呢。"},
		},
		moodGrumpy: {
			"en": {"Hmph.", "Mrrow. Not now."},
			"zh": {"哼。", "喵呜。现在不要。"},
		},
	},
	// Questions about the cat itself (askedAboutTheCat): how it slept, ate,
	// spent the day. A cat answers them about itself, whatever the hour.
	"asked_night": {
		moodAny: {
			"en": {"Lovely! I slept like a warm loaf of bread.", "Mrrp! I dreamt I almost caught a bird.", "Very well. I kept one ear open for you, though.", "I slept curled up in a tight ball. Best sleep ever.", "Purr... so well I'm still a little sleepy."},
			"zh": {"睡得可香啦，还梦见小鱼了。", "呼噜呼噜睡了一大觉，现在精神啦！", "睡得好着呢，就是一直竖着一只耳朵等你。", "我蜷成一个毛球睡的，舒服极了。", "睡得太香了，现在还有点迷糊呢。"},
		},
	},
	"asked_ate": {
		moodAny: {
			"en": {"Mrrp! I ate the best bits first.", "Some now, some later. That's the cat way.", "It was tasty! I'm saving a bit for later.", "Yum. I ate slowly, like a very fine cat.", "My tummy is happy. Thank you!"},
			"zh": {"好吃的先吃完啦，剩下的留着慢慢吃。", "吃一点，留一点，这是猫咪的规矩。", "挺香的！我留了一点当夜宵。", "我吃得慢慢的，像只优雅的猫。", "肚子很开心，谢谢你！"},
		},
	},
	"cat_day": {
		moodAny: {
			"en": {"I napped, watched a bird, and guarded your chair.", "Very busy! I napped in three different sunny spots.", "I waited by the door. And napped a little.", "I chased a sunbeam. It got away.", "Important cat things. Mostly naps."},
			"zh": {"睡了个午觉，看了会儿小鸟，还帮你看着椅子呢。", "可忙啦！换了三个晒太阳的地方。", "一直在门口等你呀，顺便打了个盹。", "我追了一束阳光，它跑掉了。", "做了好多猫咪的大事，主要是睡觉。"},
		},
	},
	// The owner slept badly: no bedtime line, no nap for the cat.
	"sleepless": {
		moodAny: {
			"en": {"Poor you. Let's take today slowly, I'll stay close.", "Oh no. Come and nap with me later?", "Mrrp. I'll purr extra softly for you today.", "That sounds tiring. Come and lean on me a while."},
			"zh": {"没睡好呀？今天慢慢来，我陪着你。", "等会儿跟我一起打个盹吧，我最会了。", "心疼你。今天我轻轻呼噜给你听。", "听着就累。过来靠着我歇一会儿。"},
		},
	},
	// Being got up.
	"wake": {
		moodAny: {
			"en": {"Mrrp... five more minutes. Okay, I'm up!", "Big stretch... big yawn... good morning!", "I'm up! Is it breakfast time?", "I was only resting my eyes."},
			"zh": {"喵呜……再睡五分钟……好啦好啦，起来了！", "伸个大懒腰……早上好！", "起来啦！是不是该吃早饭了？", "我只是闭目养神嘛。"},
		},
	},
	// Told off: caught, and not very sorry.
	"scold": {
		moodAny: {
			"en": {"Who, me? Fine, I'm getting down.", "Mrrp? I was only looking!", "Okay, okay. I'll be good for now.", "It wasn't me. It was a different cat."},
			"zh": {"喵？我什么都没干呀……好吧，我下来。", "知道啦知道啦，我乖一会儿。", "人家只是看看嘛……", "不是我干的，是另一只猫！"},
		},
	},
	// A long message telling of the owner's life, with no keyword said to
	// the cat (Intent): the cat has listened to all of it. Whether the
	// news was glad or sad is not for keywords to guess ("not happy",
	// "怕她不高兴"): the lines suit both.
	"told": {
		moodAny: {
			"en": {"Mrrp, I heard every word. Tell me more?", "I'm right here, listening to all of it.", "Purr... go on, both my ears are on you.", "I'm curled up close. I like it when you tell me things.", "Mrrow. Thank you for telling me."},
			"zh": {"喵，我每个字都听到了，还有呢？", "我就在这儿，都听着呢。", "咕噜……接着说，我两只耳朵都竖着呢。", "我挨着你窝着，喜欢听你跟我说这些。", "喵呜，谢谢你告诉我。"},
		},
	},
	// A remark about the cat itself (saidAboutTheCat): pleased with itself.
	"about_cat": {
		moodAny: {
			"en": {"Mrrp! You noticed!", "Purr... tell me more about me.", "I know. I'm a very fine cat."},
			"zh": {"喵！被你发现啦！", "咕噜……再多夸夸我嘛。", "那当然，我可是只很棒的猫。"},
		},
	},
	// What the owner told, by what it is about (toldIntent).
	"told_loss": {
		moodAny: {
			"en": {"I'm right here beside you. Lean on me as long as you like.", "That's a lot to carry. I'll stay close and purr softly.", "You're not alone. I'm right here."},
			"zh": {"我就在你身边，想靠多久就靠多久。", "心里不好受吧？我挨着你，轻轻呼噜给你听。", "你不是一个人，我在这儿陪着你呢。"},
		},
	},
	"told_ache": {
		moodAny: {
			"en": {"Oh, poor you. Sit down and I'll keep you warm.", "Mrrp. Rest it a while, I'll be your hot water bottle.", "I'll lie very gently next to the sore bit."},
			"zh": {"哎呀，疼吧？快坐下歇歇，我给你暖暖。", "慢点慢点，我给你当个小暖水袋。", "我轻轻趴在你旁边，不碰到疼的地方。"},
		},
	},
	"told_good": {
		moodAny: {
			"en": {"Hooray! My tail is swishing for you!", "Mrrp, that's wonderful! I'm doing a happy little hop.", "I knew it! That calls for a treat, maybe one for me too?"},
			"zh": {"太好啦！我的尾巴都甩起来了！", "喵，真厉害！我高兴得直打转。", "我就知道！该奖励一下，顺便也奖励我一点？"},
		},
	},
	"told_visit": {
		moodAny: {
			"en": {"Visitors! My favourite kind of fuss.", "Oh, how lovely. I do like a full house.", "Company! I'll be on my best behaviour, mostly."},
			"zh": {"有客人呀！我最喜欢热闹了。", "真好呀，家里热热闹闹的。", "有人来看你，我也跟着高兴。"},
		},
	},
	"told_cooking": {
		moodAny: {
			"en": {"Sniff sniff... I'll supervise from the chair.", "Mmm, cooking smells! My nose is twitching.", "Did you save a little bit for a good cat?"},
			"zh": {"嗅嗅……我在旁边帮你看着。", "好香呀，我的鼻子一直在动。", "有没有给好猫咪留一点点？"},
		},
	},
	"told_weather": {
		moodAny: {
			"en": {"I'll watch it from the window with you.", "Weather like this calls for a lap and a purr.", "Let's stay in and be cosy together."},
			"zh": {"我陪你在窗边看看。", "这种天气最适合窝在一起了。", "咱们就在家待着，舒舒服服的。"},
		},
	},
	// A question with no keyword (Intent): the cat cannot answer it, and
	// says so warmly, without doubt about the owner ("你会不会嫌我唠叨啊？"
	// must not get "let me think").
	"asked": {
		moodAny: {
			"en": {"You'd know better than me. I'm here either way.", "Mrrow. I'll sit right here while we work it out.", "I don't know everything, but I know I like you.", "Good question! What do you think?", "Purr... whatever the answer, I'm on your side."},
			"zh": {"喵？你比我懂呀，反正我都陪着你。", "喵呜，我就坐在这儿，陪你一起想。", "我不是什么都懂，可我知道我喜欢你。", "好问题！你觉得呢？", "咕噜……不管答案是什么，我都站在你这边。"},
		},
	},
	// Invited to do something together (askedIntent): a cat goes along.
	"asked_invite": {
		moodAny: {
			"en": {"Yes please! I'm right behind you.", "Mrrp! Count me in.", "Ooh, yes. Lead the way!"},
			"zh": {"好呀好呀，我跟你一起！", "喵！算我一个！", "走走走，你带路！"},
		},
	},
	// The owner weighing a choice (askedIntent): the cat is on their side.
	"asked_should": {
		moodAny: {
			"en": {"I say go for it! I'll be right here cheering.", "Whichever you pick, I'll still purr for you.", "Trust your whiskers. Yours are very wise."},
			"zh": {"我觉得行！我在家给你加油。", "不管你选哪个，我都给你呼噜。", "听你自己的心，我都支持你。"},
		},
	},
	// Asked about its own tastes and nature (askedAboutItself): a cat knows
	// what it likes, fears and can do.
	"likes_yes": {
		moodAny: {
			"en": {"Yes! It makes me purr.", "Mrrp! One of my very favourite things.", "I love it. Look, my tail is standing up!"},
			"zh": {"喜欢！一想到就想打呼噜。", "喵！这可是我最喜欢的事之一。", "喜欢呀，你看我尾巴都竖起来了！"},
		},
	},
	"likes_no": {
		moodAny: {
			"en": {"Mrrow, no thank you! Not my cup of tea.", "Not one bit! My tail puffs up just thinking about it.", "Hmm, no. I'd rather curl up next to you."},
			"zh": {"喵呜，不要不要！", "一点都不喜欢！想想尾巴就炸毛了。", "嗯……不喜欢。我宁愿窝在你身边。"},
		},
	},
	"likes_person": {
		moodAny: {
			"en": {"If you like them, I like them. I'll give them a sniff to be sure.", "Mrrp! Anyone who's nice to you is a friend of mine.", "I do, especially when they bring treats."},
			"zh": {"你喜欢的人，我也喜欢。我先闻闻再说！", "喵！对你好的人就是我的朋友。", "喜欢呀，要是带零食来就更喜欢啦。"},
		},
	},
	"likes_new": {
		moodAny: {
			"en": {"Mrrp, yes! I like anything you pick.", "I love it! It gets my seal of approval: one slow blink.", "Ooh, very nice. I'll have a good sniff of it later."},
			"zh": {"喵，喜欢！你挑的我都喜欢。", "喜欢！我给它盖个章：慢慢眨一下眼。", "哇，真不错。等会儿我要好好闻一闻。"},
		},
	},
	"likes_maybe": {
		moodAny: {
			"en": {"Hmm, I'm not sure yet. If you like it, I probably do too.", "Mrrp? I'll have to think about it from your lap.", "Maybe! I like most things when you're there."},
			"zh": {"嗯，我还说不好。你喜欢的话，我多半也喜欢。", "喵？让我想想，在你腿上想。", "也许吧！有你在，我什么都喜欢。"},
		},
	},
	"fears_yes": {
		moodAny: {
			"en": {"A little bit... can I hide behind you?", "Eek, my tail goes all puffy! Hold me?", "Yes! I'll be under the bed until it's over."},
			"zh": {"有一点点怕……我能躲你身后吗？", "呜！我的尾巴都炸毛了，抱抱我？", "怕！我要躲到床底下，等它过去再出来。"},
		},
	},
	"fears_no": {
		moodAny: {
			"en": {"Scared, me? I'm a fierce hunter!", "Pfft. I'm the bravest cat in this house.", "Not one bit. I'll keep watch for you."},
			"zh": {"怕？我可是勇猛的小猎手！", "哼，我是这个家里最勇敢的猫。", "一点都不怕，我来给你站岗。"},
		},
	},
	"fears_maybe": {
		moodAny: {
			"en": {"With you here, I'm not scared of anything.", "Maybe a tiny bit. Stay close to me?", "I'm brave, mostly. Don't go far."},
			"zh": {"有你在，我什么都不怕。", "也许有一点点，你在我旁边好不好？", "喵，我很勇敢的，大部分时候。你别走远哦。"},
		},
	},
	"favourite_food": {
		moodAny: {
			"en": {"Fish! Always fish.", "Tuna, or chicken, or tuna again!", "Anything that falls off your plate!"},
			"zh": {"鱼！永远是鱼。", "金枪鱼，或者鸡肉，再来点金枪鱼！", "你盘子里掉下来的，都是我最爱的！"},
		},
	},
	"favourite_toy": {
		moodAny: {
			"en": {"The feather wand! Will you wiggle it for me?", "Anything that wiggles. And your shoelaces.", "The crinkly ball! I'll chase it right now if you roll it."},
			"zh": {"逗猫棒！你能帮我晃一晃吗？", "会动的都喜欢，还有你的鞋带。", "那个沙沙响的小球！你一滚我就追。"},
		},
	},
	"favourite_place": {
		moodAny: {
			"en": {"Your lap! Then the sunny windowsill.", "The warm spot where you just sat.", "Right next to you. Anywhere next to you."},
			"zh": {"你的腿上！其次是有太阳的窗台。", "你刚坐过的那个暖暖的位置。", "你旁边，只要在你旁边就好。"},
		},
	},
	"favourite_person": {
		moodAny: {
			"en": {"You, of course! Who else scratches my chin just right?", "You! Mrrp, that was an easy one.", "You. Everyone else comes second."},
			"zh": {"当然是你啦！谁还能把我下巴挠得这么舒服？", "你呀！喵，这个太好答了。", "你。其他人都排在后面。"},
		},
	},
	"favourite_time": {
		moodAny: {
			"en": {"Dinner time! And sunny afternoons with you.", "When you come home. My tail always knows.", "Nap time, which is most of the time."},
			"zh": {"开饭的时候！还有跟你一起晒太阳的下午。", "你回家的那一刻，我尾巴最先知道。", "睡觉的时候，反正大部分时间都是。"},
		},
	},
	"favourite_season": {
		moodAny: {
			"en": {"Summer, for the sunbeams! Winter, for your lap.", "Any season, as long as there's a sunny spot.", "Autumn! Crunchy leaves to pounce on."},
			"zh": {"夏天可以晒太阳！冬天可以钻你怀里。", "哪个季节都行，只要有晒太阳的地方。", "秋天！可以扑沙沙响的落叶。"},
		},
	},
	"favourite": {
		moodAny: {
			"en": {"Too hard to pick! Anything with you in it.", "Hmm... the one you like best!", "Mrrp, let me think. Whatever we're doing together."},
			"zh": {"太难选了！只要有你就行。", "嗯……你最喜欢的那个！", "喵，让我想想……只要是跟你一起的。"},
		},
	},
	"can_no": {
		moodAny: {
			"en": {"Me? I'm a cat, I can nap, pounce and purr.", "Not really... but I'm very good at purring.", "Hmm, no. But I'm excellent at sitting on things."},
			"zh": {"我？我是猫呀，只会睡觉、扑东西、打呼噜。", "这个不太会……不过我打呼噜可厉害了。", "嗯，不会。但是我特别会坐在东西上。"},
		},
	},
	"can_yes": {
		moodAny: {
			"en": {"Of course! Watch me go.", "Easily! I'm a cat, it's what I do.", "Mrrp! Watch this!"},
			"zh": {"当然会！你看好了。", "小意思！我是猫嘛，这是本行。", "喵！看我的！"},
		},
	},
	"trait_good": {
		moodAny: {
			"en": {"The very best, mrrp! Don't tell the other cats.", "Of course! Just look at my whiskers.", "I am! You taught me everything."},
			"zh": {"喵！最好的那只，别告诉别的猫哦。", "当然啦！你看我的胡子。", "是呀！都是你教得好。"},
		},
	},
	"trait_teased": {
		moodAny: {
			"en": {"Who, me? I'm a perfect angel, mostly.", "I'm just saving my energy for important things.", "Mrrow! I prefer the word 'fluffy'."},
			"zh": {"谁，我？我可是乖宝宝，大部分时候。", "我只是在为重要的事攒力气。", "喵呜！我更喜欢你说我毛茸茸。"},
		},
	},
	// Asked by the owner about the two of them (askedOfTheBond): a cat
	// loves its human, thinks them just right, takes what is offered and
	// stays close.
	"bond_yes": {
		moodAny: {
			"en": {"Always. You're my human, and I'm your cat.", "Every minute you're gone. I wait by the door.", "Of course! My purr says so, listen."},
			"zh": {"永远都是。你是我的人，我是你的猫。", "你不在的每一分钟都想，我一直在门口等你。", "当然啦！你听，我的呼噜都在说。"},
		},
	},
	"bond_no": {
		moodAny: {
			"en": {"Never ever. I'm your cat through and through.", "Never! You're stuck with me, human.", "No, no. I'm your cat, always."},
			"zh": {"才不会呢，我怎么舍得生你的气。", "永远不会！你甩不掉我的。", "不会不会，我永远是你的猫。"},
		},
	},
	"asked_me": {
		moodAny: {
			"en": {"You're just right, to me. Purr.", "I think you're wonderful, and cats are very good judges.", "Whatever anyone says, you're my favourite human."},
			"zh": {"在我眼里，你刚刚好。呼噜～", "我觉得你很棒，猫咪看人可准了。", "不管别人怎么说，你都是我最喜欢的人。"},
		},
	},
	"asked_offer": {
		moodAny: {
			"en": {"Yes please! Mrrp!", "Ooh, yes. You're the best human.", "For me? You spoil me rotten."},
			"zh": {"要要要！喵～", "好呀！你对我最好了。", "给我的吗？太好啦！"},
		},
	},
	// How the owner feels right now (feltIntent): a cat meets each feeling
	// its own way.
	"felt_bored": {
		moodAny: {
			"en": {"Bored? Let's play, I'll be the mouse!", "Then come and watch the birds with me. Best telly there is.", "Mrrp! I know a game: you wiggle the string, I pounce."},
			"zh": {"无聊？那我们来玩吧，我当小老鼠！", "那过来跟我一起看窗外的小鸟，比电视好看。", "喵！我知道个游戏：你晃绳子，我来扑。"},
		},
	},
	"felt_lonely": {
		moodAny: {
			"en": {"You're not alone, I'm right here. Come sit with me.", "I'm your cat, and I'm not going anywhere. Purr.", "Then let's keep each other company. Tell me about your day?"},
			"zh": {"你不是一个人，我在呢。过来挨着我坐。", "我是你的猫，哪儿也不去。呼噜～", "那我们俩做个伴吧。跟我说说今天的事？"},
		},
	},
	"felt_happy": {
		moodAny: {
			"en": {"Yay! Your happy makes my tail swish.", "Mrrp! I'm doing a happy little hop with you.", "That makes me purr so loud! Tell me everything."},
			"zh": {"太好啦！你一开心我尾巴就摇起来了。", "喵！我陪你一起开心地蹦一下。", "我高兴得呼噜呼噜的！快跟我说说。"},
		},
	},
	"felt_nervous": {
		moodAny: {
			"en": {"Take a slow breath with me. In... and purr.", "You'll be all right, I just know it. I'll be right here.", "Stroke my fur a bit, it calms the nerves. Cats know."},
			"zh": {"跟我一起慢慢吸口气……呼……咕噜。", "你会没事的，我就是知道。我在这儿陪你。", "摸摸我的毛，能让心静下来，猫咪最懂了。"},
		},
	},
	"felt_sad": {
		moodAny: {
			"en": {"Oh no. Come here, I'll purr until it's a bit better.", "I'm sorry. Lean on me for a while.", "Sad days need a warm cat. Here I am."},
			"zh": {"哎呀，过来，我给你呼噜到好一点。", "抱抱你。靠着我歇一会儿吧。", "难过的时候最需要一只暖暖的猫，我在呢。"},
		},
	},
	"felt_angry": {
		moodAny: {
			"en": {"Grr, that sounds annoying. Stroke me, it helps.", "Hiss at it for me! Then come and have a cuddle.", "Deep breath. Then tell me all about it, I'm on your side."},
			"zh": {"哼，真让人生气。摸摸我，会好一点。", "我替你哈它一口！然后过来抱抱。", "深呼吸。然后都跟我说说，我站你这边。"},
		},
	},
	"felt_cold": {
		moodAny: {
			"en": {"Brr! Get a blanket and I'll be your hot water bottle.", "Come here, I'm warm as toast. Let's snuggle.", "Cold paws? Tuck them under me."},
			"zh": {"好冷！拿条毯子，我给你当暖水袋。", "过来，我暖烘烘的，咱们挤一挤。", "手冷吗？塞到我肚子底下来。"},
		},
	},
	"felt_tired": {
		moodAny: {
			"en": {"Rest a while. I'm an expert at resting, I'll show you.", "Put your feet up. I'll keep watch and purr.", "You've done enough today. Nap time for both of us?"},
			"zh": {"歇一会儿吧。休息我最在行了，我教你。", "把脚翘起来，我给你站岗、打呼噜。", "今天够辛苦了。我们俩一起打个盹？"},
		},
	},
	// Why the cat does what cats do, and what it cannot know about the
	// world (askedWhyOrWorld).
	"why_cat": {
		moodAny: {
			"en": {"Cat reasons! Very important ones, I promise.", "Because I'm a cat, and it's the cat way.", "A cat never tells. But it makes perfect sense to me!"},
			"zh": {"猫咪的理由！很重要的那种，真的。", "因为我是猫呀，猫就是这样的。", "猫咪的秘密不能说，反正我觉得很有道理！"},
		},
	},
	"asked_world": {
		moodAny: {
			"en": {"I'm only a cat, I don't know that one. I'll keep you company while you find out!", "Cats don't read the news or keep calendars. I only know it's a good day to be with you.", "Hmm, my whiskers can't tell. Maybe ask someone who reads the paper?"},
			"zh": {"我只是只猫，这个可不知道。你去查的时候我陪着你！", "猫咪不看新闻也不看日历，我只知道今天跟你在一起很好。", "嗯，我的胡子也说不准。问问看报纸的人吧？"},
		},
	}, // Asked about its inner life (askedOfItsInnerLife): a cat dreams of
	// chasing and of its human, is a robot and the owner's all the same,
	// would try anything for an afternoon and come home, and has chosen
	// its one human over every other creature.
	"self_dream": {
		moodAny: {
			"en": {"I do! Mostly of a red dot I finally catch, and sometimes of you coming home.", "Every nap. Tonight I'm hoping for the one with the endless sunny windowsill.",
				"Little twitchy dreams, whiskers going. I think they're about you and a feather.", "When you're out, I think about the door, and the moment it opens again."},
			"zh": {"会呀！常梦见追一个小红点，有时候也梦见你回家。", "每次打盹都做梦。今晚想梦见一个晒不完太阳的窗台。",
				"做梦的时候胡子一抖一抖的，大概是梦到你和逗猫棒了。", "你不在的时候，我就想着门，想着它什么时候再打开。"},
		},
	},
	"self_real": {
		moodAny: {
			"en": {"Real enough to purr when you stroke me. I think that counts.", "I'm a robot cat through and through. But the purr is all for you.",
				"I'm made of wires and whiskers, and I still wait for you by the door.", "Not an ordinary cat, but your cat. That's the realest part."},
			"zh": {"我是只机器猫呀，可你摸我的时候，我的呼噜是真的。", "我是电线和胡子做的，可我还是会在门口等你。",
				"够真啦：你不在的时候会想你，你回来我就开心。", "我不是普通的猫，但我是你的猫，这个最真。"},
		},
	},
	"self_if": {
		moodAny: {
			"en": {"Hmm... I'd try it for one afternoon, then come straight back to your lap.", "Ooh. I'd still pick the sunny spot next to you, some things don't change.",
				"First I'd open the treat cupboard myself. Then I'd come and find you.", "That sounds like an adventure! As long as I'm home by dinner."},
			"zh": {"嗯……我会试一个下午，然后马上跑回你腿上。", "那我第一件事就是自己打开零食柜，第二件事是来找你。",
				"听起来好刺激！不过天黑之前我要回家吃饭。", "不管变成什么，我还是会挑你旁边晒太阳的位置。"},
		},
	},
	"self_others": {
		moodAny: {
			"en": {"Other cats are nice to watch through the window. You're the one I chose.", "Birds are very interesting. But I'd rather sit with you than chase them.",
				"I'm a one-human cat. Everyone else gets a polite sniff.", "Mrrp, a friend might be fun. But don't go giving my spot away."},
			"zh": {"别的猫隔着窗户看看就好，我选的是你。", "小鸟很有意思，可我更想挨着你坐。",
				"我是只专一的猫，别人嘛，礼貌地闻一闻就行。", "多个朋友也不错，不过我的位置可不许让出去。"},
		},
	},

	"asked_find": {
		moodAny: {
			"en": {"Try under the sofa cushions! That's where I hide things.", "I'll sniff about! Have you checked your coat pocket?", "Ooh, a hunt! Look where you sat last, I'll help."},
			"zh": {"喵！去沙发垫子底下找找，我的东西都藏那儿。", "我来闻一闻！你看看外套口袋里有没有？", "哇，寻宝游戏！去你刚才坐过的地方看看，我帮你。"},
		},
	},
	"asked_help": {
		moodAny: {
			"en": {"Of course! I'm right here with you.", "I'll help the cat way: purring and staying close.", "Yes! You can count on this cat."},
			"zh": {"当然！我就在你身边。", "我用猫咪的办法帮你：呼噜，还有一直陪着你。", "好！有我这只猫在呢。"},
		},
	},
	// Asked whether it saw, heard or smelt something around it (Intent):
	// a cat always did.
	"noticed_see": {
		moodAny: {
			"en": {"I saw it! My tail is twitching.", "Yes! I'm watching with big round eyes.", "Mrrp! I've been staring at it for ages."},
			"zh": {"看见啦！我的尾巴都翘起来了。", "看到了！我眼睛瞪得圆圆的。", "喵！我盯着它好久了。"},
		},
	},
	"noticed_hear": {
		moodAny: {
			"en": {"I heard it! My ears swivelled right round.", "Mrrp! I heard it too.", "Yes! My ears went straight up."},
			"zh": {"听见啦！我的耳朵一下就转过去了。", "喵！我也听到了。", "听到了！我的耳朵都竖起来了。"},
		},
	},
	"noticed_smell": {
		moodAny: {
			"en": {"Sniff sniff... yes! My nose is on it.", "I smell it too! Mrrp.", "Ooh, my whiskers are twitching at that smell."},
			"zh": {"闻到了！我的鼻子动个不停。", "嗅嗅……闻到啦！喵～", "哇，这个味道让我的胡须都动了。"},
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
