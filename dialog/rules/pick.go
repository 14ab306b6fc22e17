package rules

import (
	"strings"
	"unicode/utf8"

	"github.com/purrd/purrd/dialog"
)

// An owner who hears the fallback a lot notices a line said again at once,
// so a reply must say nothing the pet said in its last dialog.RecentReplies
// replies: no whole reply again, and no sentence long enough for
// dialog.ReplyGuard to call it a repeat.

// sounds are the cat noises a line may be prefixed with to make a variant,
// and that, in pairs, make a last-resort reply that is always new.
var sounds = map[string][]string{
	"en": {"Mrrp!", "Meow!", "Mew?", "Prrt!", "Mrrow.", "Purr...", "Mrrp mrrp!", "Mew mew!"},
	"zh": {"喵～", "喵！", "咪？", "喵呜。", "咕噜……", "喵喵！", "咪咪！", "呼噜～"},
}

// recent is what the pet said lately.
type recent struct {
	guard *dialog.ReplyGuard
	whole map[string]bool // flattened whole replies
}

// lastReplies is the pet's last dialog.RecentReplies replies, newest
// first and each once: the request's PetReplies (the conversation's own,
// kept when History loses its oldest turns in a block), then the pet's
// turns in its History, then what this brain said itself (a caller may
// keep no history). Counting a reply once matters: this brain's own
// replies are mostly those History holds too, and counted twice they
// pushed out the older ones it must not repeat either.
func lastReplies(req dialog.Request, own []string) []dialog.Turn {
	var last []dialog.Turn
	seen := map[string]bool{}
	add := func(text string) {
		if len(last) < dialog.RecentReplies && !seen[text] {
			seen[text] = true
			last = append(last, dialog.Turn{Role: "pet", Text: text})
		}
	}
	for i := len(req.PetReplies) - 1; i >= 0; i-- {
		add(req.PetReplies[i])
	}
	for i := len(req.History) - 1; i >= 0; i-- {
		if req.History[i].Role == "pet" {
			add(req.History[i].Text)
		}
	}
	for i := len(own) - 1; i >= 0; i-- {
		add(own[i])
	}
	return last
}

// newRecent gathers what the pet said lately (lastReplies).
func newRecent(req dialog.Request, own []string) recent {
	last := lastReplies(req, own)
	r := recent{guard: dialog.NewReplyGuard(dialog.Request{Lang: req.Lang, History: last}), whole: map[string]bool{}}
	for _, t := range last {
		r.whole[dialog.Flatten(t.Text)] = true
	}
	// A line the owner rated broken is not said again while another fits.
	for _, text := range req.Unwanted {
		r.whole[dialog.Flatten(text)] = true
	}
	return r
}

// fresh: text says nothing said lately.
func (r recent) fresh(text string) bool {
	if text == "" || r.whole[dialog.Flatten(text)] {
		return false
	}
	for _, s := range dialog.SplitSentences(text) {
		if r.guard.Repeats(s) {
			return false
		}
	}
	return true
}

// choice is what a reply may be made of: tiers of finished lines, best
// first. informative replies carry an answer (a remembered fact, a name):
// when every variant repeats something, one that differs as a whole is
// better than cat noises that drop the answer.
type choice struct {
	tiers       [][]string
	informative bool
	// answer, when set, must survive in the reply: a persona that says
	// one sentence must not lose the name or fact to its limit.
	answer string
}

// pick chooses the reply: a fresh line from the first tier that has one
// (in a seeded random order), else a fresh sound+line variant, else two
// sounds. finish makes a line sayable (the persona's limits) and must be
// applied before judging it, since cutting can make a new line old.
// Caller holds b.mu.
func (b *Brain) pick(c choice, lang string, seen recent, clean func(string) string) string {
	finish := func(s string) string {
		t := clean(s)
		if c.answer != "" && !strings.Contains(strings.ToLower(t), strings.ToLower(c.answer)) {
			return ""
		}
		return t
	}
	for _, tier := range c.tiers {
		for _, i := range b.rng.Perm(len(tier)) {
			if t := finish(tier[i]); seen.fresh(t) {
				return t
			}
		}
	}
	var all []string
	for _, tier := range c.tiers {
		all = append(all, tier...)
	}
	snd := sounds[lang]
	if len(snd) == 0 {
		snd = sounds["en"]
	}
	sep := " "
	if lang == "zh" {
		sep = ""
	}
	variant := func(s, line string) string {
		if r, _ := utf8.DecodeRuneInString(s); strings.HasPrefix(line, string(r)) {
			return "" // "喵～喵～你好" or "Mrrp! Mrrp! Hi": one sound is enough
		}
		return finish(s + sep + line)
	}
	for _, i := range b.rng.Perm(len(all)) {
		for _, j := range b.rng.Perm(len(snd)) {
			if t := variant(snd[j], all[i]); seen.fresh(t) {
				return t
			}
		}
	}
	if c.informative {
		for _, i := range b.rng.Perm(len(all)) {
			for _, j := range b.rng.Perm(len(snd)) {
				if t := variant(snd[j], all[i]); t != "" && !seen.whole[dialog.Flatten(t)] {
					return t
				}
			}
		}
	}
	if c.answer != "" {
		// Nothing new keeps the answer: the answer said again beats none.
		for _, i := range b.rng.Perm(len(all)) {
			if t := finish(all[i]); t != "" {
				return t
			}
		}
	}
	for _, i := range b.rng.Perm(len(snd)) {
		for _, j := range b.rng.Perm(len(snd)) {
			if i == j {
				continue
			}
			if t := clean(snd[i] + sep + snd[j]); seen.fresh(t) {
				return t
			}
		}
	}
	if len(all) > 0 {
		return clean(all[b.rng.IntN(len(all))])
	}
	return clean(snd[b.rng.IntN(len(snd))])
}
