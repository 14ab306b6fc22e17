package rules

import (
	"regexp"
	"strings"

	"github.com/purrd/purrd/dialog"
)

// The pet has a name per language (persona.NameIn: Mochi, 麻糬). An owner
// may ask for one in particular ("what's your Chinese name?", "你英文叫什么？"),
// which the plain keywords miss.
var (
	// reAskSelfName matches an asking clause about the pet's name.
	reAskSelfName = regexp.MustCompile(`\byour (?:[a-z]+ )?name\b|\bname in [a-z]+\b|\b(?:what|how) (?:do|does|did|should|shall|can|could|would|will) (?:[a-z]+ ){0,2}call you\b|\bwhat are you called\b|\bwho are you\b|` +
		`你(?:的)?(?:中文|英文|英语|汉语|真|大)?名字?|你(?:中文|英文|英语)?叫(?:什么|啥)|你是谁|怎么称呼你|你(?:中文|英文|英语)名`)
	reAskInChinese = regexp.MustCompile(`\bchinese\b|\bmandarin\b|中文|汉语|华语`)
	reAskInEnglish = regexp.MustCompile(`\benglish\b|英文|英语`)
)

// askSelfName reports a question about the pet's name and the language of
// the name asked for ("" when none in particular).
func askSelfName(text string) (nameLang string, ok bool) {
	for _, clause := range dialog.QuestionClauses(text) {
		c := strings.ToLower(clause)
		if !reAskSelfName.MatchString(c) {
			continue
		}
		switch {
		case reAskInChinese.MatchString(c):
			return "zh", true
		case reAskInEnglish.MatchString(c):
			return "en", true
		}
		return "", true
	}
	return "", false
}

// languageNames name a language in each reply language.
var languageNames = map[string]map[string]string{
	"en": {"en": "English", "zh": "Chinese"},
	"zh": {"en": "英文", "zh": "中文"},
}

// namedLines answer "what's your {L} name?"; {L} is the language, {name}
// the name in it.
var namedLines = map[string][]string{
	"en": {"My {L} name is {name}! Mrrp!", "In {L}, I'm {name}. Pretty, right?", "{name}! That's me in {L}.", "They call me {name} in {L}. Meow!", "It's {name} in {L}. Say it softly!", "My name in {L}? {name}, of course!"},
	"zh": {"我的{L}名字叫{name}！喵～", "用{L}说，我叫{name}。好听吧？", "{name}！这就是{L}的我。", "说{L}的时候，大家叫我{name}。喵！", "{L}名字是{name}，轻轻叫我哦！", "我的{L}名字？当然是{name}啦！"},
}

// petName is what the pet is called in lang: the persona's name in that
// language, unless the config renamed the pet (then that name everywhere,
// since the persona's other names belong to the old one).
func (b *Brain) petName(req dialog.Request, lang string) string {
	if req.PetName != "" && req.PetName != b.p.Name {
		return req.PetName
	}
	return b.p.NameIn(lang)
}
