package rules

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/purrd/purrd/dialog"
)

// Questions about the cat's own tastes and nature: whether it likes
// something, what its favourite is, what scares it, what it can do, and
// what kind of cat it is ("Do you like the rain?", "你最喜欢哪个玩具？",
// "Are you scared of the hoover?", "你会游泳吗？", "Are you a lazy cat?").
// The "asked" lines answered them as if the owner had asked something only
// the owner could know ("Good question! What do you think?"). A cat has
// answers to these: it knows what it likes, and the lines give a cat's
// answer by what is asked about (a cat's treat, a bath, a person, the
// owner's new thing). Only a question put to the cat counts, and only the
// kinds below; anything else stays with the keywords and "asked".

// Frames of the question, read in this order.
var (
	favouriteFrame = []string{"your favourite", "your favorite", "your fave", "do you prefer", "would you rather", "you like best", "you like most", "you love most",
		"你最喜欢", "你最爱", "你更喜欢", "你最想"}
	// Only fear put to the cat: "I'm afraid of falling again" is the
	// owner's.
	fearFrame = []string{"are you scared", "are you afraid", "are you frightened", "are you ever scared", "are you ever afraid", "do you get scared", "do you get frightened",
		"does it scare you", "do they scare you", "you scared of", "you afraid of", "you frightened of",
		"你怕", "你害怕", "怕不怕", "害不害怕", "你会怕", "你会不会怕", "你会不会吓", "会不会吓着", "吓不吓", "吓着了吗", "吓坏了吗"}
	likeFrame = []string{"do you like", "d'you like", "don't you like", "do you love", "do you enjoy", "do you hate", "you like it", "you like that", "you like them", "you like him", "you like her",
		"你喜欢", "你喜不喜欢", "你爱不爱", "你爱吃", "你爱看", "你爱听", "你讨厌"}
	// Not "could you": "Could you jump down from there?" is a bidding.
	canFrame = []string{"can you", "are you able to", "do you know how to", "can cats", "can a cat",
		"你会", "你会不会", "你能", "你能不能", "你可以"}
	traitFrame = []string{"are you", "aren't you", "you're a", "you are a",
		"你是不是", "你是", "你算不算", "你可真", "你真"}
)

// Things, asked about, by what a cat makes of them.
var (
	catDislikes = []string{"bath", "baths", "bathtime", "bath time", "water", "wet", "rain", "rainy", "snow", "snowy", "vacuum", "vacuum cleaner", "hoover", "hoovering", "vet", "vets", "vet's", "injection", "injections",
		"medicine", "pill", "pills", "dog", "dogs", "puppy", "cucumber", "cucumbers", "firework", "fireworks", "thunder", "thunderstorm", "storm", "storms", "loud", "noise", "noisy", "car", "car rides", "carrier", "cold", "lemon", "lemons",
		"orange", "oranges", "perfume", "hairdryer", "mondays", "monday",
		"洗澡", "玩水", "下雨", "雨天", "雨", "下雪", "雪", "吸尘器", "兽医", "看医生", "医院", "打针", "吃药", "狗", "黄瓜", "鞭炮", "烟花", "打雷", "雷", "吵", "噪音", "坐车", "冷", "柠檬", "橘子", "吹风机", "剪指甲"}
	catLikes = []string{"fish", "tuna", "salmon", "sardines", "chicken", "prawns", "prawn", "shrimp", "treat", "treats", "snack", "snacks", "sun", "sunshine", "sunny", "sunbeam", "warm", "heating", "fire", "radiator", "blanket", "box", "boxes",
		"cardboard", "bag", "bags", "string", "yarn", "wool", "feather", "feathers", "laser", "toy", "toys", "ball", "brush", "brushed", "brushing", "groomed", "stroke", "stroked", "strokes", "pet", "petted", "scratch", "scratches", "scratched",
		"chin", "ears", "cuddle", "cuddles", "cuddled", "lap", "nap", "naps", "window", "windowsill", "birds", "bird", "cushion", "cushions", "bed", "sofa", "armchair", "catnip", "company", "picked up", "held", "sundays", "sunday",
		"鱼", "小鱼干", "鱼干", "罐头", "鸡肉", "虾", "零食", "太阳", "晒太阳", "暖和", "暖气", "毯子", "被子", "纸箱", "箱子", "袋子", "毛线", "逗猫棒", "羽毛", "玩具", "球", "梳毛", "梳", "摸", "挠", "抱", "腿上", "窗", "小鸟", "鸟",
		"垫子", "窝", "猫抓板", "猫爬架", "猫薄荷", "陪", "沙发"}
	// People the owner asks the cat's opinion of.
	people = []string{"my sister", "my brother", "my son", "my daughter", "my mum", "my mom", "my dad", "my mother", "my father", "my husband", "my wife", "my friend", "my friends",
		"my grandson", "my granddaughter", "my grandchildren", "my grandkids", "my neighbour", "my neighbor", "grandpa", "grandma", "granny", "grandad", "the postman", "the neighbours", "the neighbors", "uncle", "auntie", "aunt",
		"nephew", "niece", "cousin", "my carer", "my boyfriend", "my girlfriend", "my partner",
		"妹妹", "姐姐", "哥哥", "弟弟", "爸爸", "妈妈", "儿子", "女儿", "孙子", "孙女", "外孙", "外孙女", "邻居", "爷爷", "奶奶", "外公", "外婆", "老伴", "朋友", "叔叔", "阿姨", "快递员", "侄子", "侄女", "表弟", "表妹"}
	// A person named only by a pronoun, when the message names no one else.
	personPronouns = []string{"him", "her", "他", "她"}
	// The owner's new thing or look: the cat approves.
	ownersNew = []string{"new", "bought", "got", "made", "knitted", "knitting", "haircut", "hair", "dress", "outfit", "jumper", "hat", "lamp", "curtains", "ringtone", "picture", "painting",
		"新", "买", "换了", "织", "做的", "头发", "发型", "衣服", "裙子", "帽子"}
	// Fears a cat owns to, and fears it scorns.
	catFears = []string{"thunder", "thunderstorm", "thunderstorms", "storm", "storms", "hoover", "vacuum", "vacuum cleaner", "fireworks", "firework", "vet", "vets", "dog", "dogs", "strangers", "stranger", "loud", "bang", "bangs", "hairdryer", "cucumber", "cucumbers", "wind", "bath",
		"打雷", "雷", "吸尘器", "鞭炮", "烟花", "兽医", "医生", "打针", "狗", "生人", "陌生人", "风", "吹风机", "黄瓜", "洗澡"}
	catBraves = []string{"dark", "mouse", "mice", "spider", "spiders", "bird", "birds", "heights", "ghosts", "ghost", "monsters", "monster", "night", "alone",
		"黑", "老鼠", "虫", "蜘蛛", "鸟", "高", "鬼", "怪物", "一个人", "晚上"}
	// Favourites, by what kind of thing.
	favouriteKinds = []struct {
		kind  string
		words []string
	}{
		{"food", []string{"food", "eat", "snack", "treat", "dinner", "meal", "tuna or chicken", "fish", "吃", "零食", "菜", "口味"}},
		{"toy", []string{"toy", "toys", "game", "games", "play", "玩具", "玩", "游戏"}},
		{"place", []string{"place", "spot", "room", "chair", "armchair", "seat", "sofa", "bed", "cushion", "rug", "window", "windowsill", "sleep", "nap", "where", "地方", "房间", "哪儿", "哪里", "位置", "睡"}},
		{"person", []string{"person", "people", "who", "human", "me or", "or me", "谁", "人", "我还是", "还是我"}},
		{"season", []string{"season", "seasons", "weather", "summer", "winter", "spring", "autumn", "季节", "天气", "夏天", "冬天", "春天", "秋天"}},
		{"time", []string{"time", "day", "month", "morning", "evening", "时候", "时间"}},
	}
	// What it can do: a cat's skills first, then a person's (whose words
	// may hold a cat's: 跳舞 holds 跳).
	// Not speaking or talking: the cat talks, in the owner's language.
	humanSkills = []string{"sing", "dance", "drive", "cook", "read", "write", "count", "swim", "fly", "whistle", "joke", "jokes", "computer", "homework", "maths", "math", "sum", "sums",
		"ride", "bike", "chess", "piano", "knit", "backflip", "dishes", "wash", "massage", "phone", "story", "stories", "spell", "type", "french", "spanish", "german", "add", "tie", "bake", "iron",
		"唱", "跳舞", "开车", "做饭", "烧饭", "煮饭", "游泳", "飞", "看书", "读", "写", "认字", "识字", "数数", "算", "讲故事", "下棋", "象棋", "弹", "骑", "洗碗", "做作业", "作业", "按摩", "背", "打电话",
		"故事", "开飞机", "做家务", "扫地", "拖地", "打字", "画画", "织毛衣", "翻跟头", "方言", "四川话", "广东话", "日语", "法语"}
	catSkills = []string{"jump", "climb", "catch", "hunt", "run", "pounce", "purr", "hide", "balance", "land on your feet", "squeeze", "sneak", "stretch", "meow", "miaow", "see in the dark", "climb trees",
		"跳", "爬", "抓", "捉", "逮", "跑", "扑", "呼噜", "躲", "藏", "钻", "喵"}
	// What kind of cat: praise it takes, and teasing it shrugs off.
	traitsGood   = []string{"good", "clever", "smart", "best", "cute", "pretty", "beautiful", "handsome", "sweet", "lovely", "brave", "gorgeous", "special", "乖", "聪明", "可爱", "漂亮", "最好", "最棒", "好猫", "帅", "勇敢", "机灵", "厉害"}
	traitsTeased = []string{"lazy", "naughty", "fat", "greedy", "silly", "cheeky", "spoilt", "spoiled", "chubby", "rascal", "monkey", "trouble", "懒", "调皮", "胖", "馋", "笨", "淘气", "捣蛋", "坏", "小馋猫", "懒猫"}
)

// reNotAbility: 会 meaning "will" ("你会想我吗？", "你会一直陪着我吗？",
// "你会不会跑掉？"), and a wish ("如果你会飞，你想飞去哪里？").
var reNotAbility = regexp.MustCompile(`你会(?:不会)?(?:想|一直|陪|离开|走|怪|生气|记得|忘|难过|喜欢|爱)|(?:如果|要是|假如)你(?:会|能)|跑掉|跑丢`)

// askedAboutItself is the intent of a message with a sentence that asks
// about the cat's tastes or nature, or "".
func askedAboutItself(text string) string {
	n := normalize(text)
	for _, sentence := range dialog.SplitSentences(text) {
		if !asks(sentence) {
			continue
		}
		s := normalize(sentence)
		switch {
		case holdsAny(s, sentence, favouriteFrame):
			return favouriteIntent(s, sentence)
		case holdsAny(s, sentence, fearFrame) && !strings.Contains(sentence, "怕不是"): // 怕不是: "I bet"
			switch {
			case holdsAny(n, text, catFears):
				return "fears_yes"
			case holdsAny(n, text, catBraves):
				return "fears_no"
			}
			return "fears_maybe"
		case holdsAny(s, sentence, likeFrame) && !holdsAny(s, sentence, likeOffers):
			// "What do you like to eat?", "你喜欢吃鱼还是吃肉？": a favourite.
			if holdsAny(s, sentence, whWords) || holdsAny(s, sentence, []string{"better", "more", "还是"}) {
				return favouriteIntent(s, sentence)
			}
			if in := likesIntent(s, sentence, n, text); in != "" {
				return in
			}
		case holdsAny(s, sentence, canFrame) && !reNotAbility.MatchString(sentence):
			if in := canIntent(s, sentence, n, text); in != "" {
				return in
			}
		case holdsAny(s, sentence, traitFrame) && !holdsAny(s, sentence, notTrait):
			switch {
			case holdsAny(s, sentence, traitsTeased):
				return "trait_teased"
			case holdsAny(s, sentence, traitsGood):
				return "trait_good"
			}
		}
	}
	return ""
}

// favouriteIntent answers "what's your favourite …" by the kind of thing.
func favouriteIntent(s, sentence string) string {
	for _, k := range favouriteKinds {
		if holdsAny(s, sentence, k.words) {
			return "favourite_" + k.kind
		}
	}
	return "favourite"
}

// likesIntent answers "do you like …": by the thing asked about after the
// question's words, else in the whole message ("I bought a new cushion.
// Do you like it?"; "老伴走了以后…你喜不喜欢陪我看电视？" is about keeping
// company, not about 老伴). A dislike comes first: "Do you like bath time
// in the warm water?" is about the bath. "" for a liking that is no
// question about one ("你喜欢的那个球找到了吗？").
func likesIntent(s, sentence, n, text string) string {
	tail, ok := after(s, sentence, likeFrame)
	if !ok {
		return ""
	}
	nt := normalize(tail)
	switch {
	case holdsAny(nt, tail, ownersNew) && holdsAny(nt, tail, []string{"my", "new", "我的", "新"}):
		return "likes_new" // "Do you like my new car?" is no car ride
	case holdsAny(nt, tail, catDislikes):
		return "likes_no"
	case holdsAny(nt, tail, people):
		return "likes_person"
	case holdsAny(nt, tail, ownersNew):
		return "likes_new"
	case holdsAny(nt, tail, catLikes):
		return "likes_yes"
	case strings.HasPrefix(nt, " me ") || strings.HasPrefix(tail, "我吗") || strings.HasPrefix(tail, "我不"):
		return "affection" // "Do you like me?", "你喜欢我吗？"
	case holdsAny(nt, tail, personPronouns):
		return "likes_person"
	}
	// The thing was named before the question: "奶奶给你买了条小鱼，你爱不爱
	// 吃？" is about the fish, not 奶奶.
	switch {
	case holdsAny(n, text, catDislikes):
		return "likes_no"
	case holdsAny(n, text, ownersNew):
		return "likes_new"
	case holdsAny(n, text, catLikes):
		return "likes_yes"
	case holdsAny(n, text, people):
		return "likes_person"
	}
	if strings.Contains(s, " hate ") || strings.Contains(sentence, "讨厌") {
		return "likes_no"
	}
	return "likes_maybe"
}

// likeOffers hold "you like" and ask nothing about the cat's tastes:
// "I've got some chicken. Would you like it?" is an offer (askedOfTheBond).
var likeOffers = []string{"would you like", "you'd like", "d'you like it", "would you like it", "wouldn't you like"}

// whWords ask which or what, not whether.
var whWords = []string{"what", "which", "who", "where", "什么", "哪", "谁", "啥"}

// after returns what follows the earliest of frame's words in sentence
// (s its normalized form): Chinese words in a sentence with Chinese in it,
// English ones otherwise. false when there is none, or when a Chinese
// frame is followed by 的 (an attribute: "你喜欢的那个球").
func after(s, sentence string, frame []string) (string, bool) {
	han := hasHan(sentence)
	in := s
	if han {
		in = sentence
	}
	at, end := -1, 0
	for _, w := range frame {
		if hasHan(w) != han {
			continue
		}
		word := w
		if !han {
			word = " " + w + " "
		}
		// The earliest, and the longest there: "你会不会" before "你会".
		if i := strings.Index(in, word); i >= 0 && (at < 0 || i < at || i == at && i+len(word) > end) {
			at, end = i, i+len(word)
		}
	}
	switch {
	case at < 0:
		return "", false
	case han:
		return in[end:], !strings.HasPrefix(in[end:], "的")
	}
	return in[end-1:], true
}

// canIntent answers "can you …" by the skill asked about: in Chinese a
// person's skill within the first few characters after the question's
// words ("你会说四川话吗"), a cat's at once ("你会不会爬树"; "你会不会哪天跑到
// 隔壁去" is no question of running); in English within a few words ("Can
// you do a backflip?"). "Mummy says you can't climb trees. Can you?"
// names the skill before.
func canIntent(s, sentence, n, text string) string {
	tail, ok := after(s, sentence, canFrame)
	if !ok {
		return ""
	}
	if strings.TrimFunc(tail, func(r rune) bool { return !unicode.IsLetter(r) }) == "" {
		return skillIntent(n, text)
	}
	if hasHan(sentence) {
		r := []rune(tail)
		switch {
		case holdsAny("", string(r[:min(len(r), 4)]), humanSkills):
			return "can_no"
		case slices.ContainsFunc(catSkills, func(w string) bool { return hasHan(w) && strings.HasPrefix(tail, w) }):
			return "can_yes"
		}
		return ""
	}
	w := strings.Fields(tail)
	near := strings.Join(w[:min(len(w), 4)], " ")
	return skillIntent(normalize(near), near)
}

// skillIntent is "can_no" for a person's skill in text, "can_yes" for a
// cat's, or "".
func skillIntent(n, text string) string {
	switch {
	case holdsAny(n, text, humanSkills):
		return "can_no"
	case holdsAny(n, text, catSkills):
		return "can_yes"
	}
	return ""
}

// notTrait: "你是不是觉得我很笨？" is about the owner, "Are you still mad at
// me for being lazy?" about the bond, "Are you having a good day?" how
// the cat is.
var notTrait = []string{"me", "我", "having", "feeling", "day", "today", "okay", "ok", "alright"}
