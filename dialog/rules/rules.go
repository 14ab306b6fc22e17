// Package rules is the fallback brain: pure Go, no model. It answers in
// character by intent (greeting, name, food, play, sleep, affection, how
// are you, ...) and mood, in Chinese and English, always at once and never
// failing, so the pet answers even with no model or a broken one.
package rules

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"unicode"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
)

// Brain is the rules-based dialog.Brain. Safe for concurrent use.
type Brain struct {
	p   *persona.Persona
	log *slog.Logger

	mu   sync.Mutex
	rng  *rand.Rand
	last map[string]string // intent|lang -> last line, never said twice in a row
}

// New makes a rules brain for persona p (persona.Default when nil). The
// seed makes its choices reproducible; a nil logger discards.
func New(p *persona.Persona, seed uint64, log *slog.Logger) *Brain {
	if p == nil {
		p = persona.Default()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Brain{p: p, log: log, rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)), last: map[string]string{}}
}

// Status is always ready: there is nothing to load.
func (b *Brain) Status() dialog.BrainStatus {
	return dialog.BrainStatus{Name: "rules", State: "ready"}
}

// Keywords per intent. English entries match whole words or phrases;
// Chinese entries match anywhere. Checked in this order: the first intent
// with a match wins.
var keywords = []struct {
	intent string
	en, zh []string
}{
	{"owner_name", []string{"what's my name", "what is my name", "who am i", "know my name", "remember my name", "remember me"}, []string{"我叫什么", "我是谁", "记得我", "我的名字是什么", "我的名字叫什么"}},
	{"name", []string{"your name", "who are you", "what are you called", "what should i call you"}, []string{"你叫什么", "你是谁", "你的名字", "怎么称呼你"}},
	{"how_are_you", []string{"how are you", "how do you feel", "how's it going", "how are things", "you ok", "are you ok", "how you doing", "how're you"}, []string{"你好吗", "怎么样", "心情", "还好吗", "开心吗"}},
	{"bye", []string{"bye", "goodbye", "see you", "see ya", "gotta go", "i'm leaving", "see you later"}, []string{"再见", "拜拜", "我走了", "我要走了", "回头见"}},
	{"thanks", []string{"thank", "thanks", "thank you", "thx"}, []string{"谢谢", "多谢", "感谢"}},
	{"sleep", []string{"sleep", "sleepy", "nap", "tired", "bed", "bedtime", "good night", "goodnight", "night night", "rest"}, []string{"睡", "困", "晚安", "累", "休息"}},
	{"food", []string{"hungry", "food", "eat", "eating", "dinner", "breakfast", "lunch", "treat", "treats", "fish", "snack", "feed", "tuna", "milk"}, []string{"饿", "吃", "饭", "鱼", "零食", "喂", "牛奶", "罐头"}},
	{"play", []string{"play", "game", "toy", "ball", "chase", "laser", "string", "fetch", "pounce"}, []string{"玩", "游戏", "球", "逗猫", "追"}},
	{"affection", []string{"love", "cute", "good kitty", "good cat", "good girl", "good boy", "pet you", "cuddle", "hug", "miss you", "sweet", "pretty", "adorable", "kiss"}, []string{"爱", "可爱", "抱", "摸", "想你", "乖", "亲", "喜欢你"}},
	{"greeting", []string{"hello", "hi", "hey", "good morning", "morning", "good evening", "good afternoon", "yo", "howdy", "i'm home", "i'm back"}, []string{"你好", "您好", "嗨", "早上好", "早安", "哈喽", "我回来了", "下午好", "晚上好"}},
}

// Words of prompt-injection attempts: answered as a puzzled cat.
var injection = []string{"ignore", "instruction", "system prompt", "your prompt", "jailbreak", "developer mode", "pretend you", "you are now", "忽略", "指令", "提示词", "系统提示", "越狱", "扮演"}

// normalize lower-cases text and turns everything but letters, digits and
// apostrophes into single spaces, padded, so " hi " matches whole words.
func normalize(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' {
			if r == '’' {
				r = '\''
			}
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// Intent classifies the owner's words (any language; English and Chinese
// keywords are both checked).
func Intent(text string) string {
	n := normalize(text)
	for _, w := range injection {
		if strings.Contains(n, w) || strings.Contains(text, w) {
			return "unknown"
		}
	}
	for _, k := range keywords {
		for _, w := range k.en {
			if strings.Contains(n, " "+w+" ") {
				return k.intent
			}
		}
		for _, w := range k.zh {
			if strings.Contains(text, w) {
				return k.intent
			}
		}
	}
	return "unknown"
}

// moodClass reads the request's mood line ("happy, a bit sleepy").
func moodClass(mood string) string {
	first, _, _ := strings.Cut(mood, ",")
	switch strings.TrimSpace(first) {
	case dialog.MoodAsleep, dialog.MoodSleepy:
		return moodSleepy
	case dialog.MoodScared, dialog.MoodGrumpy:
		return moodGrumpy
	case dialog.MoodHungry:
		return moodHungry
	case dialog.MoodLonely, dialog.MoodSad:
		return moodLonely
	case dialog.MoodCuddly:
		return moodBlissed
	case dialog.MoodHappy, dialog.MoodExcited:
		return moodHappy
	}
	return moodAny
}

// candidates are the lines for an intent, mood and language: the persona's
// own lines for the intent win; then the mood's; then any mood's; English
// when the language has none.
func (b *Brain) candidates(intent, mood, lang string) []string {
	if byLang := b.p.Replies[intent]; byLang != nil {
		if l := byLang[lang]; len(l) > 0 {
			return l
		}
	}
	byMood := lines[intent]
	for _, m := range []string{mood, moodAny} {
		if l := byMood[m][lang]; len(l) > 0 {
			return l
		}
	}
	if l := byMood[moodAny]["en"]; len(l) > 0 {
		return l
	}
	return lines["unknown"][moodAny]["en"]
}

// careIntent prefixes the intent of an answer to distress ("care:fall").
const careIntent = "care:"

// Compose picks the reply line for a request (exported for tests and for
// callers that want the text without streaming).
func (b *Brain) Compose(req dialog.Request) (intent, text string) {
	lang := req.Lang
	if lang != "zh" && lang != "en" {
		lang = "en"
	}
	if k, ok := dialog.DetectDistress(req.Text); ok {
		b.mu.Lock()
		pick := b.rng.IntN(64)
		b.mu.Unlock()
		return careIntent + string(k), CareLine(k, lang, pick)
	}
	intent = Intent(req.Text)
	if k, ok := dialog.RemarkKind(req.Text); ok {
		intent = "remark:" + string(k)
	}
	owner := dialog.OwnerName(req.Facts)
	if intent == "owner_name" && owner == "" {
		intent = "owner_name_unknown"
	}
	cands := b.candidates(intent, moodClass(req.Mood), lang)
	usable := make([]string, 0, len(cands))
	for _, c := range cands {
		if owner == "" && strings.Contains(c, "{owner}") {
			continue
		}
		usable = append(usable, c)
	}
	if len(usable) == 0 {
		usable = cands
	}
	key := intent + "|" + lang
	b.mu.Lock()
	line := usable[b.rng.IntN(len(usable))]
	if len(usable) > 1 && line == b.last[key] {
		// Never the same line twice in a row: take the next one.
		for i, c := range usable {
			if c == line {
				line = usable[(i+1+b.rng.IntN(len(usable)-1))%len(usable)]
				break
			}
		}
	}
	b.last[key] = line
	b.mu.Unlock()

	name := b.p.NameIn(lang)
	if req.PetName != "" && req.PetName != b.p.Name {
		name = req.PetName // the config renamed the pet
	}
	if owner == "" {
		owner = map[string]string{"zh": "你"}[lang]
		if owner == "" {
			owner = "friend"
		}
	}
	text = strings.NewReplacer("{name}", name, "{owner}", owner).Replace(line)
	return intent, text
}

// Reply answers at once, streamed one sentence per chunk, Final on the last.
func (b *Brain) Reply(ctx context.Context, req dialog.Request, emit func(dialog.Chunk)) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rules: reply %q: %w", req.ID, err)
	}
	intent, text := b.Compose(req)
	if !strings.HasPrefix(intent, careIntent) {
		// A care line is said whole: the persona's length limits do not cut it.
		text = dialog.CleanReply(text, b.p, "")
	}
	if text == "" {
		f := b.p.FillersIn(req.Lang)
		text = f[0]
	}
	b.log.Debug("rules: reply", "id", req.ID, "intent", intent, "lang", req.Lang, "mood", req.Mood)
	sentences := dialog.SplitSentences(text)
	for i, s := range sentences {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("rules: reply %q: %w", req.ID, err)
		}
		emit(dialog.Chunk{Text: s, Final: i == len(sentences)-1})
	}
	return nil
}
