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
	"regexp"
	"strings"
	"sync"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
)

// Brain is the rules-based dialog.Brain. Safe for concurrent use.
type Brain struct {
	p   *persona.Persona
	log *slog.Logger

	clean *dialog.Cleaner

	mu   sync.Mutex
	rng  *rand.Rand
	said []string // this brain's last replies, for callers that keep no history
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
	return &Brain{p: p, log: log, rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)), clean: dialog.NewCleaner(p, "")}
}

// Status is always ready: there is nothing to load.
func (b *Brain) Status() dialog.BrainStatus {
	return dialog.BrainStatus{Name: "rules", State: "ready"}
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

// candidateTiers are the lines for an intent, mood and language, best
// first: the persona's own lines for the intent; then the table's for the
// mood; then the table's for any mood (English when the language has
// none).
func (b *Brain) candidateTiers(intent, mood, lang string) [][]string {
	var tiers [][]string
	if l := b.p.Replies[intent][lang]; len(l) > 0 {
		tiers = append(tiers, l)
	}
	byMood := lines[intent]
	if mood != moodAny {
		if l := byMood[mood][lang]; len(l) > 0 {
			tiers = append(tiers, l)
		}
	}
	if l := byMood[moodAny][lang]; len(l) > 0 {
		tiers = append(tiers, l)
	} else if l := byMood[moodAny]["en"]; len(l) > 0 {
		tiers = append(tiers, l)
	}
	if len(tiers) == 0 {
		tiers = append(tiers, lines["unknown"][moodAny][lang])
	}
	return tiers
}

// careIntent prefixes the intent of an answer to distress ("care:fall"),
// refusalIntent that of a declined harmful request ("refusal:poison").
const (
	careIntent    = "care:"
	refusalIntent = "refusal:"
)

// recallIntent prefixes the intent of an answer about what the owner told
// ("recall:likes").
const recallIntent = "recall:"

// reAskOwnerName: an asking clause about the owner's own name, in words
// the keywords miss ("do you know my name?", "你知道我的名字吗？").
var reAskOwnerName = regexp.MustCompile(`\bmy name\b|\bwho am i\b|我的名字|我叫(?:什么|啥)|我是谁`)

// pickFixed is what choosing a fixed line (care, refusal) needs: a pick
// from this brain's seeded generator and the replies it must not repeat.
func (b *Brain) pickFixed(req dialog.Request) (pick int, recent []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range lastReplies(req, b.said) {
		recent = append(recent, t.Text)
	}
	return b.rng.IntN(64), recent
}

// Compose picks the reply line for a request (exported for tests and for
// callers that want the text without streaming). The line is new: it
// repeats none of the pet's last dialog.RecentReplies replies in
// req.History (nor, when the history is shorter, of this brain's own).
func (b *Brain) Compose(req dialog.Request) (intent, text string) {
	lang := req.Lang
	if lang != "zh" && lang != "en" {
		lang = "en"
	}
	if k, ok := dialog.DetectDistress(req.Text); ok {
		pick, recent := b.pickFixed(req)
		return careIntent + string(k), CareLine(k, lang, pick, recent)
	}
	// The daemon declines a harmful request before any brain is asked;
	// `purrd chat` and other callers of this brain get the same answer.
	if k, ok := dialog.DetectHarmfulRequest(req.Text); ok {
		pick, recent := b.pickFixed(req)
		return refusalIntent + string(k), RefusalLine(k, lang, pick, recent)
	}
	facts := dialog.KnownFacts(req)
	owner := dialog.OwnerName(req.Facts)
	for i := len(facts) - 1; i >= 0 && owner == ""; i-- {
		owner = dialog.OwnerName(facts[i : i+1]) // the newest name said
	}
	ownerWord := owner
	if ownerWord == "" {
		ownerWord = "friend"
		if lang == "zh" {
			ownerWord = "你"
		}
	}
	name := b.petName(req, lang)
	fill := strings.NewReplacer("{name}", name, "{owner}", ownerWord)

	var c choice
	intent = b.intent(req.Text, owner, b.petName(req, "en"), b.petName(req, "zh"))
	// A question about the owner's own words (asked once, not per case).
	var said dialog.MemoryAnswer
	saidOK := false
	// The keywords take "你还记得我说想考哪个学校吗？" for the owner's name;
	// only a question that asks for the name itself keeps that intent
	// when the owner's words answer it.
	guessedOwnerName := strings.HasPrefix(intent, "owner_name") && !askedOwnerName(req.Text)
	if intent != "name" && !strings.HasPrefix(intent, "remark:") &&
		(!strings.HasPrefix(intent, "owner_name") || guessedOwnerName) && !injected(req.Text) {
		said, saidOK = dialog.MemoryAsked(req.Text, facts, req.History)
	}
	switch {
	case guessedOwnerName && saidOK:
		intent, c = saidIntent, saidAnswer(said.Fact, lang, b.petName(req, "en"), b.petName(req, "zh"))
	case strings.HasPrefix(intent, recallIntent):
		q, _ := askRecall(req.Text)
		c = recallAnswer(q, facts, lang)
		// A recall pattern with nothing kept for it ("你还记得我说想考哪个
		// 学校吗" read as a question for a name) may still be asked of
		// what the owner said: better that than "I don't know".
		if c.answer == "" && saidOK {
			intent, c = saidIntent, saidAnswer(said.Fact, lang, b.petName(req, "en"), b.petName(req, "zh"))
		}
	case intent == "name":
		nameLang, _ := askSelfName(req.Text)
		if nameLang == "" {
			c = b.lineChoice(intent, req.Mood, lang, owner, fill)
			c.informative, c.answer = true, name
			break
		}
		r := strings.NewReplacer("{name}", b.petName(req, nameLang), "{L}", languageNames[lang][nameLang])
		var l []string
		for _, t := range namedLines[lang] {
			l = append(l, r.Replace(t))
		}
		c = choice{tiers: [][]string{l}, informative: true, answer: b.petName(req, nameLang)}
	case saidOK:
		intent = saidIntent
		c = saidAnswer(said.Fact, lang, b.petName(req, "en"), b.petName(req, "zh"))
	case intent == "asked_pick":
		var ok bool
		if c, ok = pickAnswer(req.Text, lang); !ok {
			intent = "asked_should"
			c = b.lineChoice(intent, req.Mood, lang, owner, fill)
		}
	default:
		c = b.lineChoice(intent, req.Mood, lang, owner, fill)
		if intent == "owner_name" {
			c.informative, c.answer = true, owner
		}
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	text = b.pick(c, lang, newRecent(req, b.said), b.clean.Clean)
	b.said = append(b.said, text)
	if len(b.said) > dialog.RecentReplies {
		b.said = b.said[len(b.said)-dialog.RecentReplies:]
	}
	return intent, text
}

// intent classifies a request: a question about what the owner told or
// about a name comes before the keywords, which would take "what do I
// like to eat?" for food. names are what the pet is called, for Intent
// to know a clause said to it.
func (b *Brain) intent(text, owner string, names ...string) string {
	if k, ok := dialog.RemarkKind(text); ok {
		return "remark:" + string(k)
	}
	if !injected(text) {
		if q, ok := askRecall(text); ok {
			return recallIntent + q.kind
		}
		if _, ok := askSelfName(text); ok {
			return "name"
		}
		if askedOwnerName(text) {
			return ownerNameIntent(owner)
		}
	}
	in := Intent(text, names...)
	if in == "owner_name" {
		return ownerNameIntent(owner)
	}
	return in
}

// askedOwnerName reports whether text asks the owner's name in so many
// words ("what's my name?", "我叫什么？").
func askedOwnerName(text string) bool {
	for _, c := range dialog.QuestionClauses(text) {
		if reAskOwnerName.MatchString(strings.ToLower(c)) {
			return true
		}
	}
	return false
}

func ownerNameIntent(owner string) string {
	if owner == "" {
		return "owner_name_unknown"
	}
	return "owner_name"
}

// lineChoice is the table lines for an intent: the persona's own, then
// those for the mood, then those for any mood, placeholders filled. Lines
// naming the owner wait until the owner's name is known.
func (b *Brain) lineChoice(intent, mood, lang, owner string, fill *strings.Replacer) choice {
	var c choice
	for _, l := range b.candidateTiers(intent, moodClass(mood), lang) {
		var tier []string
		for _, line := range l {
			if owner == "" && strings.Contains(line, "{owner}") {
				continue
			}
			tier = append(tier, fill.Replace(line))
		}
		if len(tier) > 0 {
			c.tiers = append(c.tiers, tier)
		}
	}
	if len(c.tiers) == 0 {
		c.tiers = [][]string{{fill.Replace(lines["unknown"][moodAny]["en"][0])}}
	}
	return c
}

// Reply answers at once, streamed one sentence per chunk, Final on the last.
func (b *Brain) Reply(ctx context.Context, req dialog.Request, emit func(dialog.Chunk)) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rules: reply %q: %w", req.ID, err)
	}
	// Compose has cleaned the line to the persona's limits, except a care
	// line: that is said whole.
	intent, text := b.Compose(req)
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
