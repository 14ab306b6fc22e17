package rules

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purrd/purrd/dialog"
)

// Recall answers an owner who checks what the pet remembers about them
// ("what do I like?", "我住在哪儿？") from the request's facts, in the
// dialog.ExtractFacts text form. The answer is always about the owner
// ("You like green tea"), never claimed as the pet's own.

// Kinds of owner fact a question can ask about.
const (
	recallLikes     = "likes"
	recallDislikes  = "dislikes"
	recallFavourite = "favourite"
	recallHome      = "home"
	recallBirthday  = "birthday"
	recallAge       = "age"
)

// recallQ is a question about the owner: the kind of fact, the thing a
// favourite is asked about ("colour", "颜色"), the category of a like
// ("drink", "food") and the object of a yes-or-no question ("coffee" in
// "do I like coffee?").
type recallQ struct {
	kind, thing, category, object string
}

// Question patterns, matched on a lower-cased asking clause. Checked in
// order: the first kind that matches wins.
var (
	reAskAge       = regexp.MustCompile(`\bhow old (?:am i|i am)\b|\bmy age\b|我(?:今年)?(?:几岁|多大|多少岁)|我的年龄`)
	reAskBirthday  = regexp.MustCompile(`\bmy (?:birthday|bday|birth day|date of birth)\b|\bwhen (?:was|am) i born\b|\bwhen i was born\b|我的?生日|我(?:是)?(?:哪天|什么时候|几月几号)(?:出生|生的)`)
	reAskHome      = regexp.MustCompile(`\bwhere (?:do|did) i live\b|\bwhere i live\b|\bwhere(?:'s| is) my (?:home|house|place)\b|\bwhere my home is\b|\bwhich city do i live\b|我(?:住在?|家在)(?:哪|什么地方)|我的家在哪|我住哪`)
	reAskFavourite = regexp.MustCompile(`\bmy fav(?:ou?rite)?\b(?:\s+([a-z]+))?|我最喜欢的(\p{Han}{1,4}?)(?:是|叫|吗|呢|$)`)
	reAskDislikes  = regexp.MustCompile(`\bi (?:don't|do not|dont) (?:like|love|enjoy)\b|\bi (?:hate|dislike)\b|\bdon't i like\b|我(?:最)?(?:不喜欢|讨厌|不爱)(?:吃|喝)?`)
	reAskLikes     = regexp.MustCompile(`\b(?:do|did|would) i (?:really )?(like|love|enjoy|adore|drink|eat)\b\s*([a-z][a-z ]*)?|\bi (?:really )?(?:like|love|enjoy|adore|drink|eat)\b|\bmy (?:drink|food|snack)\b|我(?:最|很|特别|平时)?(?:喜欢|爱)(吃|喝)?|我(?:平时)?(?:爱)?(吃|喝)什么`)
)

// Words that end the object of "do I like ...?".
var objectStop = map[string]bool{
	"to": true, "the": true, "best": true, "most": true, "now": true, "anymore": true, "again": true,
	"mochi": true, "kitty": true, "or": true, "and": true, "still": true,
	"for": true, "in": true, "at": true, "with": true, "on": true, "when": true, "much": true, "a": true,
}

// Objects that mean the question is not about the owner's tastes ("do I
// love you?").
var notTaste = map[string]bool{"you": true, "it": true, "that": true, "this": true, "me": true, "him": true, "her": true, "them": true}

// Favourite things the owner may name in one language and ask about in the
// other.
var thingNames = []struct{ en, zh string }{
	{"colour", "颜色"}, {"food", "食物"}, {"animal", "动物"}, {"fruit", "水果"}, {"drink", "饮料"},
	{"flower", "花"}, {"song", "歌"}, {"book", "书"}, {"movie", "电影"}, {"sport", "运动"},
	{"season", "季节"}, {"number", "数字"}, {"place", "地方"}, {"city", "城市"}, {"game", "游戏"},
}

// canonThing spells a favourite thing one way in English ("color" and
// "颜色" are "colour") so a question in either language finds the fact.
func canonThing(t string) string {
	switch t {
	case "color":
		return "colour"
	case "film":
		return "movie"
	case "颜色", "颜":
		return "colour"
	}
	for _, n := range thingNames {
		if t == n.zh {
			return n.en
		}
	}
	return t
}

// thingIn names a favourite thing in lang.
func thingIn(t, lang string) string {
	c := canonThing(t)
	for _, n := range thingNames {
		if c == n.en {
			if lang == "zh" {
				return n.zh
			}
			return n.en
		}
	}
	if lang == "zh" && !hasHan(t) {
		return "东西"
	}
	if lang != "zh" && hasHan(t) {
		return "thing"
	}
	return t
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Lexicons that sort likes into drinks and foods, for "what do I drink?".
var (
	drinkWords = []string{"tea", "coffee", "milk", "juice", "water", "cocoa", "chocolate", "beer", "wine", "soda", "latte", "lemonade", "茶", "咖啡", "奶", "汁", "酒", "水", "可乐"}
	foodWords  = []string{"fish", "rice", "noodle", "cake", "bread", "soup", "dumpling", "chicken", "pizza", "pasta", "apple", "fruit", "cheese", "cookie", "chocolate", "鱼", "饭", "面", "饺", "蛋糕", "包子", "肉", "菜", "果", "饼"}
)

func inCategory(v, category string) bool {
	words := foodWords
	if category == "drink" {
		words = drinkWords
	}
	lv := strings.ToLower(v)
	for _, w := range words {
		if strings.Contains(lv, w) {
			return true
		}
	}
	return false
}

// askRecall finds a question about the owner's facts in text.
func askRecall(text string) (recallQ, bool) {
	for _, clause := range dialog.QuestionClauses(text) {
		c := strings.ReplaceAll(strings.ToLower(clause), "’", "'")
		switch {
		case reAskAge.MatchString(c):
			return recallQ{kind: recallAge}, true
		case reAskBirthday.MatchString(c):
			return recallQ{kind: recallBirthday}, true
		case reAskHome.MatchString(c):
			return recallQ{kind: recallHome}, true
		}
		if m := reAskFavourite.FindStringSubmatch(c); m != nil {
			thing := m[1] + m[2]
			if thing == "thing" || thing == "things" || thing == "one" || thing == "is" || thing == "东西" {
				thing = ""
			}
			return recallQ{kind: recallFavourite, thing: canonThing(thing)}, true
		}
		if m := reAskDislikes.FindStringIndex(c); m != nil && !strings.HasPrefix(c[m[1]:], "你") {
			q := recallQ{kind: recallDislikes}
			if strings.Contains(c[m[0]:m[1]], "喝") {
				q.category = "drink"
			}
			return q, true
		}
		if m := reAskLikes.FindStringSubmatchIndex(c); m != nil {
			if rest := strings.FieldsFunc(c[m[1]:], func(r rune) bool { return !unicode.IsLetter(r) }); strings.HasPrefix(c[m[1]:], "你") || len(rest) > 0 && notTaste[rest[0]] {
				continue // "我爱你吗", "do you know I love you?": not the owner's tastes
			}
			q := recallQ{kind: recallLikes}
			whole := c[m[0]:m[1]]
			switch {
			case strings.Contains(whole, "drink") || strings.Contains(whole, "喝") || strings.Contains(c, "to drink"):
				q.category = "drink"
			case strings.Contains(whole, "eat") || strings.Contains(whole, "food") || strings.Contains(whole, "snack") || strings.Contains(whole, "吃") || strings.Contains(c, "to eat"):
				q.category = "food"
			}
			if m[4] >= 0 { // "do I like coffee?"
				var obj []string
				for _, w := range strings.Fields(c[m[4]:m[5]]) {
					if objectStop[w] || len(obj) == 3 {
						break
					}
					obj = append(obj, w)
				}
				q.object = strings.Join(obj, " ")
				if notTaste[q.object] || (len(obj) > 0 && notTaste[obj[0]]) {
					continue
				}
			}
			return q, true
		}
	}
	return recallQ{}, false
}

// ownerFacts are the facts a recall answer can use.
type ownerFacts struct {
	likes, dislikes []string          // values, newest last
	favourite       map[string]string // canonical thing -> value
	favOrder        []string          // things, in the order told
	home, birthday  string
	age             string
}

// readFacts reads fact texts, oldest first: a later fact about the same
// thing wins ("I don't like coffee any more" after "I like coffee").
func readFacts(facts []string) ownerFacts {
	f := ownerFacts{favourite: map[string]string{}}
	taste := map[string]bool{} // lower-cased value -> liked
	var tasteOrder []string
	var tasteValue = map[string]string{}
	setTaste := func(v string, liked bool) {
		lv := strings.ToLower(v)
		if _, had := taste[lv]; had {
			tasteOrder = slices.DeleteFunc(tasteOrder, func(s string) bool { return s == lv })
		}
		tasteOrder = append(tasteOrder, lv)
		taste[lv], tasteValue[lv] = liked, v
	}
	for _, t := range facts {
		if v, ok := strings.CutPrefix(t, "owner's favourite "); ok {
			if thing, val, ok := strings.Cut(v, " is "); ok {
				c := canonThing(thing)
				f.favOrder = slices.DeleteFunc(f.favOrder, func(s string) bool { return s == c })
				f.favOrder = append(f.favOrder, c)
				f.favourite[c] = val
			}
			continue
		}
		if v, ok := strings.CutPrefix(t, "owner lives in "); ok {
			f.home = v
			continue
		}
		if v, ok := strings.CutPrefix(t, "owner's birthday is "); ok {
			f.birthday = v
			continue
		}
		if v, ok := strings.CutPrefix(t, "owner is "); ok {
			if n, ok := strings.CutSuffix(v, " years old"); ok {
				f.age = n
			}
			continue
		}
		for _, verb := range []string{"likes ", "loves ", "adores "} {
			if v, ok := strings.CutPrefix(t, "owner "+verb); ok {
				setTaste(v, true)
			}
		}
		for _, verb := range []string{"dislikes ", "hates "} {
			if v, ok := strings.CutPrefix(t, "owner "+verb); ok {
				setTaste(v, false)
			}
		}
	}
	for _, lv := range tasteOrder {
		if taste[lv] {
			f.likes = append(f.likes, tasteValue[lv])
		} else {
			f.dislikes = append(f.dislikes, tasteValue[lv])
		}
	}
	return f
}

// pickValues keeps the newest two values: those in category first, and
// of those the ones in the reply's script (an owner who said both "green
// tea" and "绿茶" hears one of them).
func pickValues(vals []string, category, lang string) []string {
	narrow := func(keep func(string) bool) {
		var in []string
		for _, v := range vals {
			if keep(v) {
				in = append(in, v)
			}
		}
		if len(in) > 0 {
			vals = in
		}
	}
	if category != "" {
		narrow(func(v string) bool { return inCategory(v, category) })
	}
	narrow(func(v string) bool { return hasHan(v) == (lang == "zh") })
	if len(vals) > 2 {
		vals = vals[len(vals)-2:]
	}
	return vals
}

func joinValues(vals []string, lang string) string {
	if lang == "zh" {
		return strings.Join(vals, "和")
	}
	return strings.Join(vals, " and ")
}

// recallAnswer is the choice of answers to a recall question: lines with
// the value in them, or, when the owner never told, in-character asks to
// be told.
func recallAnswer(q recallQ, facts []string, lang string) choice {
	l, v := recallLines(q, facts, lang)
	return choice{tiers: [][]string{l}, informative: true, answer: v}
}

// recallLines gives the answer lines and the value they carry ("" when
// unknown).
func recallLines(q recallQ, facts []string, lang string) (lines []string, value string) {
	f := readFacts(facts)
	fill := func(kind string, r *strings.Replacer) []string {
		tmpl := recallTemplates[kind][lang]
		out := make([]string, 0, len(tmpl))
		for _, t := range tmpl {
			out = append(out, sentenceCase(r.Replace(t)))
		}
		return out
	}
	unknown := func(topic string) ([]string, string) {
		return fill("unknown", strings.NewReplacer("{topic}", topic)), ""
	}
	known := func(kind, v string, r *strings.Replacer) ([]string, string) {
		return fill(kind, r), v
	}
	topics := recallTopics[lang]
	switch q.kind {
	case recallAge:
		if f.age != "" {
			return known(recallAge, f.age, strings.NewReplacer("{v}", f.age))
		}
		return unknown(topics[recallAge])
	case recallBirthday:
		if f.birthday != "" {
			return known(recallBirthday, f.birthday, strings.NewReplacer("{v}", f.birthday))
		}
		return unknown(topics[recallBirthday])
	case recallHome:
		if f.home != "" {
			return known(recallHome, f.home, strings.NewReplacer("{v}", f.home))
		}
		return unknown(topics[recallHome])
	case recallFavourite:
		thing := q.thing
		if thing == "" && len(f.favOrder) > 0 {
			thing = f.favOrder[len(f.favOrder)-1]
		}
		if v := f.favourite[thing]; v != "" {
			return known(recallFavourite, v, strings.NewReplacer("{v}", v, "{t}", thingIn(thing, lang)))
		}
		if thing == "" {
			return unknown(topics[recallLikes])
		}
		return unknown(strings.ReplaceAll(topics[recallFavourite], "{t}", thingIn(thing, lang)))
	case recallDislikes:
		if vals := pickValues(f.dislikes, q.category, lang); len(vals) > 0 {
			return known(recallDislikes, joinValues(vals, lang), strings.NewReplacer("{v}", joinValues(vals, lang)))
		}
		return unknown(topics[recallDislikes])
	}
	if q.object != "" {
		for _, v := range f.dislikes {
			if strings.Contains(strings.ToLower(v), q.object) {
				return known(recallDislikes, v, strings.NewReplacer("{v}", v))
			}
		}
		for _, v := range f.likes {
			if strings.Contains(strings.ToLower(v), q.object) {
				return known(recallLikes, v, strings.NewReplacer("{v}", v))
			}
		}
		return unknown(strings.ReplaceAll(topics["object"], "{o}", q.object))
	}
	if vals := pickValues(f.likes, q.category, lang); len(vals) > 0 {
		return known(recallLikes, joinValues(vals, lang), strings.NewReplacer("{v}", joinValues(vals, lang)))
	}
	if len(f.favOrder) > 0 {
		thing := f.favOrder[len(f.favOrder)-1]
		return known(recallFavourite, f.favourite[thing], strings.NewReplacer("{v}", f.favourite[thing], "{t}", thingIn(thing, lang)))
	}
	return unknown(topics[recallLikes])
}

// sentenceCase capitalises the first letter of each sentence, for lines
// that open with a value ("green tea! ...").
func sentenceCase(s string) string {
	var b strings.Builder
	start := true
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		if start && unicode.IsLetter(r) {
			r = unicode.ToUpper(r)
			start = false
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			start = false
		}
		if r == '.' || r == '!' || r == '?' {
			start = true
		}
		b.WriteRune(r)
	}
	return b.String()
}

// What the owner never told, for "you never told me {topic}".
var recallTopics = map[string]map[string]string{
	"en": {
		recallLikes: "what you like", recallDislikes: "what you don't like", recallHome: "where you live",
		recallBirthday: "when your birthday is", recallAge: "how old you are", recallFavourite: "your favourite {t}",
		"object": "if you like {o}",
	},
	"zh": {
		recallLikes: "你喜欢什么", recallDislikes: "你不喜欢什么", recallHome: "你住在哪儿",
		recallBirthday: "你的生日是哪天", recallAge: "你几岁", recallFavourite: "你最喜欢的{t}是什么",
		"object": "你喜不喜欢{o}",
	},
}

// recallTemplates: kind -> language -> lines. {v} is the value, {t} a
// favourite's thing. No two lines of a kind share a sentence, so each is
// new to the repeat guard.
var recallTemplates = map[string]map[string][]string{
	recallLikes: {
		"en": {"You like {v}! Can I have a sniff?", "{v}! You told me, and I remember.", "{v} is what you like. I keep that safe in my whiskers.", "Mrrp, you like {v}! I didn't forget.", "It's {v}! That's what you like.", "You like {v}, of course. Will you share a little?"},
		"zh": {"你喜欢{v}呀，我可以闻闻吗？", "{v}！你告诉过我，我记得。", "你喜欢{v}，我都记在胡子里啦。", "喵，你喜欢{v}！我没忘哦。", "是{v}呀！你说过你喜欢。", "你当然喜欢{v}啦，分我一点好不好？"},
	},
	recallDislikes: {
		"en": {"You don't like {v}! I remember.", "No {v} for you, you said so.", "{v}? You don't like that one.", "I remember: you don't like {v}. Mrrp.", "Not {v}! You told me you don't like it.", "You and {v} are not friends, I know."},
		"zh": {"你不喜欢{v}！我记得。", "不要{v}，你说过的。", "{v}？你不喜欢那个呀。", "我记得：你不喜欢{v}。喵～", "你说过不喜欢{v}，我没忘。", "{v}不行，你不喜欢嘛。"},
	},
	recallFavourite: {
		"en": {"Your favourite {t} is {v}! I remember.", "{v}! That's your favourite {t}.", "It's {v}, your favourite {t}. Mrrp!", "You told me {v} is your favourite {t}.", "Your favourite {t}? {v}, of course!", "Easy! {v} is the {t} you love most."},
		"zh": {"你最喜欢的{t}是{v}！我记得。", "{v}！那是你最喜欢的{t}。", "是{v}呀，你最喜欢的{t}。喵～", "你告诉过我，你最喜欢的{t}是{v}。", "你最喜欢的{t}？当然是{v}啦！", "这个我知道，是{v}！"},
	},
	recallHome: {
		"en": {"You live in {v}! My favourite window is there.", "{v}, of course! That's home.", "In {v}! I remember.", "You told me {v}. Our home!", "Did you think I forgot where you live? It's {v}!", "{v}! I know where home is."},
		"zh": {"你住在{v}呀！我的窝也在那儿。", "{v}，当然记得！那是我们的家。", "在{v}！我记得。", "你告诉过我，是{v}。", "你住在{v}，你以为我忘了吗？喵～", "{v}！我知道家在哪儿。"},
	},
	recallBirthday: {
		"en": {"Your birthday is {v}! Will there be cake?", "{v}! I'll purr extra loud that day.", "It's {v}. I remember!", "On {v}! Can I have a treat too?", "You told me {v}. I won't forget.", "Your birthday? {v}, of course!"},
		"zh": {"你的生日是{v}！会有蛋糕吗？", "{v}！那天我要呼噜得特别响。", "是{v}，我记得！", "{v}那天！我也可以吃点好吃的吗？", "你告诉过我是{v}，我不会忘的。", "你的生日？当然是{v}啦！"},
	},
	recallAge: {
		"en": {"You're {v}! Still a kitten to me.", "{v} years old! That's a lot of naps.", "You told me {v}. I remember!", "You're {v} years old. Mrrp!", "{v}! I can count, you know.", "Your age? {v}, of course!"},
		"zh": {"你{v}岁啦！在我眼里还是小猫咪。", "{v}岁！那可是好多好多个午觉。", "你告诉过我，{v}岁，我记得！", "你今年{v}岁，喵～", "{v}岁！我会数数哦。", "你的年龄？当然是{v}岁啦！"},
	},
	"unknown": {
		"en": {"You never told me {topic}! Tell me?", "Hmm, I don't know {topic} yet. Will you tell me?", "Mrrp? You haven't told me {topic}, so tell me now!", "I don't know {topic}! Whisper it to me?", "Tell me {topic}, and I'll remember it forever.", "No idea yet! Tell me {topic}?"},
		"zh": {"你还没告诉我{topic}呢！告诉我嘛？", "嗯……我还不知道{topic}，告诉我好不好？", "喵？你没说过{topic}，快告诉我！", "我不知道{topic}呀！悄悄告诉我？", "告诉我{topic}吧，我会一直记住的。", "还不知道呢！{topic}，说给我听听？"},
	},
}
