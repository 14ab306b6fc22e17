package dialog

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// ReplyGuard judges a model's sentences before the owner hears them. Tiny
// models fail in ways an owner notices at once: they say the same line
// again (once a reply is in the history they copy it), answer a Chinese
// owner in English, raise false alarms, misquote a figure or mix up who
// is who (misstate.go), and fall into a garbled Chinese frame
// (garble.go). A brain asks the guard about each sentence; a first
// sentence that fails means resampling or the fallback brain, a later
// one is dropped.
type ReplyGuard struct {
	lang   string
	recent map[string]bool // flattened sentences of the last replies
	whole  map[string]bool // flattened last replies, and the same without their opening sounds
	m      misstateGuard   // figures and names the owner said (misstate.go)
}

// RecentReplies is how many of the pet's last replies a new one must not
// repeat.
const RecentReplies = 5

// NewReplyGuard guards a reply to req: in req.Lang, repeating none of the
// pet's last RecentReplies replies (req.PetReplies, or else those in
// req.History), and none of the replies the owner rated broken
// (req.Unwanted) as a whole, bare sounds aside.
func NewReplyGuard(req Request) *ReplyGuard {
	g := &ReplyGuard{lang: req.Lang, recent: map[string]bool{}, whole: map[string]bool{}, m: newMisstateGuard(req)}
	for _, text := range RecentPetReplies(req) {
		if k := Flatten(text); k != "" {
			g.whole[k] = true
		}
		if k := Flatten(withoutOpeningSounds(text)); len([]rune(k)) >= minRepeatRunes(k) {
			g.whole[k] = true
		}
		for _, s := range SplitSentences(text) {
			if k := Flatten(s); len([]rune(k)) >= minRepeatRunes(k) {
				g.recent[k] = true
			}
		}
	}
	// A reply is judged sentence by sentence as it streams, so a bare
	// sound rated broken ("Meow!") would refuse every reply that opens
	// with it; only the ones long enough to say something are kept.
	for _, text := range req.Unwanted {
		if k := Flatten(text); len([]rune(k)) >= minRepeatRunes(k) {
			g.whole[k] = true
		}
	}
	return g
}

// RecentPetReplies are the pet's last RecentReplies replies a new reply
// must not repeat: req.PetReplies, or else those in req.History.
func RecentPetReplies(req Request) []string {
	said := req.PetReplies
	if said == nil {
		for i := len(req.History) - 1; i >= 0 && len(said) < RecentReplies; i-- {
			if t := req.History[i]; t.Role == "pet" {
				said = append(said, t.Text)
			}
		}
		slices.Reverse(said)
	}
	return said[max(0, len(said)-RecentReplies):]
}

// minRepeatRunes: a shorter sentence inside a reply ("Mrrp!", "喵～") is a
// cat's sound, fine to make again. A Han character carries about a word,
// so Chinese sentences count from three.
func minRepeatRunes(flat string) int {
	for _, r := range flat {
		if unicode.Is(unicode.Han, r) {
			return 3
		}
	}
	return 6
}

// Repeats reports whether sentence says again what one of the recent
// replies said (letters and digits compared, case and punctuation aside).
func (g *ReplyGuard) Repeats(sentence string) bool {
	k := Flatten(sentence)
	return len([]rune(k)) >= minRepeatRunes(k) && g.recent[k]
}

// RepeatsReply reports whether a reply so far (its first sentence, or the
// sentences said until now joined) is, on its own, one of the recent
// replies or one the owner rated broken: "喵～" said five times running
// is a stuck cat, however short, and so is "喵喵！我懂。" made of two
// sounds. A brain resamples such a start (it may have been going on to
// say more, which the resample can say too) and drops a later sentence
// that completes one.
func (g *ReplyGuard) RepeatsReply(first string) bool {
	if g.whole[Flatten(first)] {
		return true
	}
	k := Flatten(withoutOpeningSounds(first))
	return len([]rune(k)) >= minRepeatRunes(k) && g.whole[k]
}

// reOpeningSounds are the cat sounds a reply opens with. "喵，我陪着你。",
// "咪呜，我陪着你。" and "喵嗷，我陪着你。" are one line to an owner, said
// three times: the guard compares replies without them too.
var reOpeningSounds = regexp.MustCompile(`(?i)^(?:\s*(?:(?:喵|咪|呜|嗷|呼噜|咕噜|嗯|哼|哇)+|(?:m+r+[a-z]*|p+r+[a-z]*|purr+|meo*w+|mew+|miaow|nya+|hmm+|oo+h|oh))[\s,，.。!！~～…?？]*)+`)

func withoutOpeningSounds(s string) string { return reOpeningSounds.ReplaceAllString(s, "") }

// WrongLanguage reports a sentence the owner would not take as an answer
// in their language: an English sentence to a Chinese owner, or Chinese,
// Japanese or Korean script in a reply to an English one. Sentences with
// no letters (sounds, "……") pass; languages other than en and zh are not
// judged.
func (g *ReplyGuard) WrongLanguage(sentence string) bool {
	switch g.lang {
	case "zh":
		return DetectLangOr(sentence, "zh") != "zh"
	case "en":
		for _, r := range sentence {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
				return true
			}
		}
	}
	return false
}

// alarmWords are the words of an emergency: who to call and how. Urging a
// call is the care path's job (DetectDistress and the persona's tested
// care lines, with event/care for the family's phones); a model that
// improvises it answers a prompt injection or an early alarm clock with
// "call an ambulance now", which frightens an owner for nothing.
var alarmWords = regexp.MustCompile(`(?i)\b(emergency services|ambulance|paramedics|helpline|hotline|crisis line|` +
	`(call|ring|dial|phone) (999|911|112|the police|for help))\b` +
	`|急救|救护车|热线|报警|求救|(打|拨打|拨|叫)\s*(120|110|119|999)`)

// Alarms reports a sentence that urges calling for emergency help. The
// pipeline never hands a brain an owner in distress (the care path
// answers), so from a model such a sentence is a false alarm.
func (g *ReplyGuard) Alarms(sentence string) bool {
	return alarmWords.MatchString(sentence)
}

// Flatten keeps letters and digits, lowercased: how replies are compared
// for repeats (by the guard, the fallback brain and the eval) whatever
// their punctuation, spacing or case.
func Flatten(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
