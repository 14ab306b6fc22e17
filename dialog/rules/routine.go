package rules

import "github.com/purrd/purrd/dialog"

// routineIntents are the day's routine said to the cat in a few words
// where the rules brain's lines were rated above the model's on single
// messages: a farewell, thanks, a game, a cuddle, how it is, bedtime. On
// 46 short messages with a keyword (docs/eval/intents-vs-model) the lines
// rated 1.34 against the cat adapter's 1.05, but inside the eval's
// conversations (docs/eval/routine-lines) 1.12 against 1.18, so the
// daemon asks the model unless brain.routine says rules. A greeting or
// food, where the model rated higher on both, stays the model's.
var routineIntents = map[string]bool{
	"bye": true, "thanks": true, "play": true, "affection": true, "how_are_you": true, "sleep": true,
}

// comfortIntents are what the owner told that the rules brain's lines
// answer better than the cat adapter, in a conversation or not: a loss,
// an ache. On 17 fresh such messages raters put them 0.88 a turn above
// the model's replies (docs/eval/somber-vs-model), which were cold or
// muddled there ("I'll sit on the top shelf." to a sore shoulder).
var comfortIntents = map[string]bool{"told_loss": true, "told_ache": true}

// questionIntents are the questions the rules brain has a cat's answer
// to, where raters put its lines above the cat adapter's replies on fresh
// single messages: the cat's own tastes, fears, favourites, skills and
// nature (askedAboutItself: +0.73 a turn on 101, docs/eval/likes-vs-model;
// the model said "I'm here." to "Are you afraid of thunder?"), how it
// feels about the owner, the owner asking about themselves, a plea for
// help, why it does cat things and what it cannot know of the world
// (askedOfTheBond, askedWhyOrWorld: +0.62 on 104,
// docs/eval/asked-vs-model; the model made up the planets and the
// distance to the moon). An offer (+0.13 on 5) and a lost thing (not
// measured) stay the model's. Of the cat's inner life
// (askedOfItsInnerLife: +0.56 a turn on 57, docs/eval/self-vs-model)
// whether it is real and how it feels about other creatures go to the
// lines (+0.92 on 21, +1.29 on 8: the model said "喵嗷，我是猫，看不懂字。"
// to "do you know you're a robot?"); its hypotheticals (+0.18 on 20, the
// interval across 0) and dreams (-0.17 on 8) stay the model's. The
// cat's pick between two things the owner names goes to the lines too
// (asked_pick, +0.59 a turn on 26, docs/eval/choices-vs-model: the model
// said "Blue, I'm here."). The backing for a yes-or-no decision
// (asked_should) rated +0.37 on 27 there, but the model's replies to such
// questions inside the rated conversations rated 1.03, near the lines'
// 1.11 alone, so it stays the model's, as routine words do.
var questionIntents = map[string]bool{
	"likes_yes": true, "likes_no": true, "likes_person": true, "likes_new": true, "likes_maybe": true,
	"fears_yes": true, "fears_no": true, "fears_maybe": true,
	"favourite_food": true, "favourite_toy": true, "favourite_place": true, "favourite_person": true, "favourite_time": true, "favourite_season": true, "favourite": true,
	"can_no": true, "can_yes": true, "trait_good": true, "trait_teased": true,
	"bond_yes": true, "bond_no": true, "asked_me": true, "asked_help": true, "why_cat": true, "asked_world": true,
	"self_real": true, "self_others": true, "asked_pick": true,
}

// questionWords is the longest message the question and feeling lines
// answer while a model runs: the rated messages were at most 29 words
// long; a long story that ends in a question ("…你说我是不是想太多了？")
// is the model's to read.
const questionWords = 4 * shortMessage

// feltIntents are how the owner feels right now (feltIntent). On 48
// fresh such messages raters put the lines 1.09 a turn above the cat
// adapter's replies (docs/eval/felt-vs-model), which met "I'm so nervous"
// and "I'm freezing" alike with "I'm here." or a muddle.
var feltIntents = map[string]bool{
	"felt_bored": true, "felt_lonely": true, "felt_happy": true, "felt_nervous": true, "felt_sad": true, "felt_angry": true, "felt_cold": true, "felt_tired": true,
}

// Path names a kind of words this brain answers in place of a model when
// the daemon's config key for it says rules (daemon/routine.go).
type Path string

// The paths, each a set of intents above.
const (
	PathComfort  Path = "comfort"  // a loss or an ache (comfortIntents)
	PathQuestion Path = "question" // a question with a cat's answer (questionIntents)
	PathFeeling  Path = "feeling"  // how the owner feels (feltIntents)
	PathRoutine  Path = "routine"  // the day's routine (routineIntents)
)

// paths: each path's intents and the longest message it takes (0: any
// length; a long message is a story, the model's to read). The sets are
// disjoint, so words belong to one path at most.
var paths = []struct {
	path     Path
	intents  map[string]bool
	maxWords int
}{
	{PathComfort, comfortIntents, 0},
	{PathQuestion, questionIntents, questionWords},
	{PathFeeling, feltIntents, questionWords},
	{PathRoutine, routineIntents, shortMessage},
}

// PathOf reports the path req's words belong to and their intent, read
// once for all paths; "" for words of none, a message too long for its
// path, or a question the brains answer from memory (about the owner,
// the cat's name, what the owner told). Its callers answer distress and
// harmful requests first (the daemon's care and refusal paths, and `purrd
// chat` in the same order), so it does not look for them again. It has no
// effect.

func (b *Brain) PathOf(req dialog.Request) (Path, string) {
	in := b.intent(req.Text, dialog.OwnerName(req.Facts), b.petName(req, "en"), b.petName(req, "zh"))
	for _, p := range paths {
		if !p.intents[in] {
			continue
		}
		if p.maxWords > 0 && messageWords(req.Text) > p.maxWords {
			return "", ""
		}
		if _, ok := dialog.MemoryAsked(req.Text, dialog.KnownFacts(req), req.History); ok {
			return "", ""
		}
		// A question that asks back what the owner told is the model's
		// (its reply is checked against the memory) even when no fact
		// was kept: "Remind me, what do I still need to buy?" is no
		// call for help, "你帮我记着，明天要带啥？" no promise to.
		if dialog.AsksBack(req.Text) {
			return "", ""
		}
		return p.path, in
	}
	return "", ""
}
