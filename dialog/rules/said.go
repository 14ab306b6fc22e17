package rules

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/purrd/purrd/dialog"
)

// The owner's life kept in their own words ("My daughter Susan rings
// every Tuesday", see dialog.Said) fits no recall pattern, yet an owner
// asks about it ("Who rings me on Tuesdays?"). The fallback answers such
// a question with the remembered sentence that shares its content words,
// turned to the owner ("Your daughter Susan rings every Tuesday"): a
// model refused for repeating itself, or no model at all, still recalls.

// saidIntent is the intent of an answer from a said fact.
const saidIntent = recallIntent + "said"

// toOwner turns the owner's sentence about themself into the pet's
// sentence about the owner: "I'm allergic to pollen" is "You're allergic
// to pollen", "我对花生过敏" is "你对花生过敏".
func toOwner(s, lang string) string {
	if lang == "zh" || hasHan(s) {
		return strings.NewReplacer("我们", "你们", "我", "你").Replace(s)
	}
	words := strings.Fields(s)
	for i, w := range words {
		core := strings.TrimRightFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
		tail := w[len(core):]
		lc := strings.ReplaceAll(strings.ToLower(core), "’", "'")
		to, ok := ownerPronouns[lc]
		switch {
		case lc == "i" && i+1 < len(words) && strings.EqualFold(words[i+1], "am"):
			to, ok = "you", true
			words[i+1] = "are"
		case lc == "i" && i+1 < len(words) && strings.EqualFold(words[i+1], "was"):
			to, ok = "you", true
			words[i+1] = "were"
		}
		if ok {
			// A pronoun that opens a sentence keeps its capital: "…by the
			// 21st. You're at 71,300 words".
			if i > 0 && strings.ContainsAny(words[i-1][len(words[i-1])-1:], ".!?") {
				to = dialog.Capitalize(to)
			}
			words[i] = to + tail
		}
	}
	return dialog.Capitalize(strings.Join(words, " "))
}

var ownerPronouns = map[string]string{
	"i": "you", "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
	"me": "you", "my": "your", "mine": "yours", "myself": "yourself",
}

// saidAnswer is the choice of lines that give fact back to the owner;
// petNames are what the pet is called, which the owner's sentence may
// open with.
func saidAnswer(fact, lang string, petNames ...string) choice {
	v := strings.TrimRightFunc(toOwner(withoutOpening(fact, petNames), lang), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	var lines []string
	for _, t := range saidTemplates[lang] {
		lines = append(lines, strings.ReplaceAll(t, "{v}", v))
	}
	return choice{tiers: [][]string{lines}, informative: true, answer: v}
}

var saidTemplates = map[string][]string{
	"en": {"{v}. I remember!", "Mrrp! {v}.", "{v}. You told me, and I keep it.", "Prrt. {v}.", "{v}. See, I listen!"},
	"zh": {"{v}，我记得！", "喵！{v}。", "{v}，你跟我说过。", "咕噜，{v}。", "{v}。我都记着呢！"},
}

// withoutOpening is the owner's sentence without the words that opened it
// as talk: the pet called by name and a turn to a new topic ("Mochi,
// Ebuka lost his first tooth", "Anyway, you need…", "对了，下周二…"). Said
// back by the pet, they make it call itself by its own name or take up a
// topic out of nowhere. What is left is the owner's sentence as it was;
// a sentence that is nothing but an opening stays whole.
func withoutOpening(s string, petNames []string) string {
	var names []string
	for _, n := range petNames {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, regexp.QuoteMeta(n))
		}
	}
	openings := []*regexp.Regexp{reSaidOpening}
	if len(names) > 0 {
		// The name as a call, after any small words ("Oh, and Mochi, …"),
		// never before a space ("Mochi is my cat") or a 's.
		openings = append(openings, regexp.MustCompile(`(?i)^\s*(?:(?:oh|and|so|okay|ok|hey|right|well|also|anyway|but)\b[\s,]*)*(?:`+strings.Join(names, "|")+`)\s*[,，、!！:：]\s*`))
	}
	out := s
	for trimmed := true; trimmed; {
		trimmed = false
		for _, re := range openings {
			if loc := re.FindStringIndex(out); loc != nil && loc[1] > 0 {
				out, trimmed = out[loc[1]:], true
			}
		}
	}
	if out == s || !strings.ContainsFunc(out, unicode.IsLetter) {
		return s
	}
	return dialog.Capitalize(out)
}

// reSaidOpening is a turn of topic, ended by a comma: it carries nothing
// to say back.
var reSaidOpening = regexp.MustCompile(`(?i)^\s*(?:(?:oh,?|and|so)\s+)*(?:oh,? and|and also|also|and|anyways?|by the way|btw|okay so|ok so|对了对了|哦?对了|哦对|还有啊?|另外|话说|反正)\s*[,，、]\s*`)
