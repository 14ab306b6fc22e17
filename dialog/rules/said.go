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

// askSaid finds the said fact a question in text is about: the one that
// shares the most content words (Han bigrams in Chinese) with a question
// clause, newest first on a tie; ok is false when none shares any.
func askSaid(text string, facts []string) (fact string, ok bool) {
	// "Who rings me, do you remember?" is one question in two clauses.
	asks, qw := false, map[string]bool{}
	for _, q := range dialog.QuestionClauses(text) {
		// "Do you like my dog?" is not a test of memory; "Who ...?",
		// "What's the name of ...?" and "remind me" are.
		asks = asks || reAskWhat.MatchString(strings.ToLower(q))
		for w := range contentWords(q) {
			qw[w] = true
		}
	}
	if !asks || len(qw) == 0 {
		return "", false
	}
	best := 0
	for i := len(facts) - 1; i >= 0; i-- {
		f := facts[i]
		if strings.HasPrefix(f, "owner") {
			continue // a patterned fact: Recall answers those
		}
		n := 0
		for w := range contentWords(f) {
			if qw[w] {
				n++
			}
		}
		if n > best {
			best, fact = n, f
		}
	}
	return fact, best > 0
}

// reAskWhat opens a question that asks for a thing the owner told.
var reAskWhat = regexp.MustCompile(`\b(?:who|whose|what|what's|where|which|when|how many|how long|remember|remind)\b|谁|什么|啥|哪|几|记得|记不记得`)

// function words, and question words that every question shares.
var notContent = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "or": true, "but": true, "of": true, "to": true, "in": true,
	"on": true, "at": true, "for": true, "with": true, "from": true, "by": true, "is": true, "are": true, "was": true,
	"were": true, "be": true, "am": true, "do": true, "does": true, "did": true, "have": true, "has": true, "had": true,
	"i": true, "me": true, "my": true, "mine": true, "you": true, "your": true, "we": true, "our": true, "it": true,
	"he": true, "she": true, "they": true, "his": true, "her": true, "their": true, "him": true, "them": true,
	"what": true, "who": true, "whose": true, "where": true, "when": true, "which": true, "why": true, "how": true,
	"that": true, "this": true, "there": true, "again": true, "remember": true, "know": true, "tell": true,
	"name": true, "called": true, "every": true, "some": true, "any": true, "can": true, "could": true, "would": true,
	"will": true, "not": true, "so": true, "just": true, "still": true, "then": true, "now": true,
	"i'm": true, "i've": true, "don't": true, "remind": true, "say": true, "said": true,
}

// contentWords are the words of s an answer must share with a question:
// English words without function words, a crude stem ("rings" is "ring"),
// and Chinese as character pairs without 我, 你 and question words.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	var han []rune
	flush := func() {
		for i := 0; i+1 < len(han); i++ {
			out[string(han[i:i+2])] = true
		}
		han = han[:0]
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		var latin []rune
		for _, r := range w {
			if unicode.Is(unicode.Han, r) {
				if strings.ContainsRune("我你的是了吗呢吧啊谁什么哪几来着还记得", r) {
					flush()
					continue
				}
				han = append(han, r)
				continue
			}
			flush()
			latin = append(latin, r)
		}
		flush()
		if lw := strings.TrimSuffix(string(latin), "'s"); len(lw) > 2 && !notContent[lw] {
			out[stem(lw)] = true
		}
	}
	return out
}

// stem cuts a plural or third-person s: "rings" and "ring", "dogs" and
// "dog" meet.
func stem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

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
			words[i] = to + tail
		}
	}
	out := strings.Join(words, " ")
	if out == "" {
		return out
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

var ownerPronouns = map[string]string{
	"i": "you", "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
	"me": "you", "my": "your", "mine": "yours", "myself": "yourself",
}

// saidAnswer is the choice of lines that give fact back to the owner.
func saidAnswer(fact, lang string) choice {
	v := strings.TrimRightFunc(toOwner(fact, lang), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
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

func saidAsked(text string, facts []string) bool {
	_, ok := askSaid(text, facts)
	return ok
}
