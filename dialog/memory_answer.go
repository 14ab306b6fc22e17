package dialog

import (
	"regexp"
	"strings"
	"unicode"
)

// The owner's life kept in their own words ("My daughter Susan rings
// every Tuesday", see Said) answers questions no recall pattern knows
// ("Who rings me on Tuesdays?"). AnswerInMemory finds the fact such a
// question asks about; the fallback brain answers with it, and a model's
// reply that names none of it is refused (MemoryAnswer.SaidBy): a small
// model asked "who rings me?" says the first name in its memory, the
// owner's own, more often than the right one.

// MemoryAnswer is the remembered fact a question asks about, and the
// words of it the question does not already hold: an answer names one.
// When the question asks what someone or something is called, and the
// fact holds a name the question does not, Names are those, and the answer
// must say one: "Your neighbour's dog!" does not answer "what is the dog
// next door called?". "Who phones me?" is answered by "Your grandson!" as
// well as by his name.
type MemoryAnswer struct {
	Fact  string
	Keys  []string
	Names []string
	// Wants are, for each kind of thing the question asks for and the
	// fact holds (a time, a number, a name, a colour: told_kinds.go),
	// the fact's words of that kind; an answer says one of each group:
	// "Anjali, your sister!" does not answer "what time's Anjali turning
	// up?" from "My sister Anjali is coming round at half four".
	Wants [][]string
	// Parts are the answers to each thing of a question that asks for
	// two (AnswerFromTalk): a reply must say each. Fact, Keys, Names and
	// Wants are theirs joined.
	Parts []MemoryAnswer
}

// AnswerInMemory finds the fact kept in the owner's words that a question
// in text asks about: the one sharing the most content words (Han pairs in
// Chinese) with the asking clauses, newest first on a tie. ok is false for
// no question, a question that asks for no thing told ("Do you like my
// dog?"), or one that shares no word with any such fact.
func AnswerInMemory(text string, facts []string) (a MemoryAnswer, ok bool) {
	// "Who rings me, do you remember?" is one question in two clauses.
	asks, named, qw := false, false, map[string]bool{}
	for _, q := range QuestionClauses(text) {
		asks = asks || reAskWhat.MatchString(strings.ToLower(q))
		named = named || reAskName.MatchString(strings.ToLower(q))
		for w := range contentWords(q) {
			qw[w] = true
		}
	}
	if !asks || len(qw) == 0 {
		return a, false
	}
	best := 0
	for i := len(facts) - 1; i >= 0; i-- {
		f := facts[i]
		if strings.HasPrefix(f, "owner") {
			continue // a patterned fact: the fallback's Recall answers those
		}
		n := 0
		var keys []string
		for w := range contentWords(f) {
			if qw[w] {
				n++
			} else {
				keys = append(keys, w)
			}
		}
		if n > best {
			best, a = n, MemoryAnswer{Fact: f, Keys: keys}
		}
	}
	if named && best > 0 {
		for w := range names(a.Fact) {
			if !qw[w] {
				a.Names = append(a.Names, w)
			}
		}
	}
	return a, best > 0
}

// reAskName is a question for a name.
var reAskName = regexp.MustCompile(`\b(?:name|named|called)\b|叫什么|名字`)

// names are the content words of a fact written capitalised after its
// first word ("My daughter Susan rings", "lives in Leeds"), as
// contentWords spells them. Chinese has no such mark: none are found.
func names(fact string) map[string]bool {
	out := map[string]bool{}
	for i, w := range strings.Fields(fact) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if i == 0 || w == "" || w == "I" || !unicode.IsUpper([]rune(w)[0]) {
			continue
		}
		for k := range contentWords(w) {
			out[k] = true
		}
	}
	return out
}

// SaidBy reports whether reply names the fact: one of its words that the
// question did not hold ("Perth" or "lives" for "where does my son live?"),
// or for a question after a name, one of its Names ("Biscuit", not only
// "neighbour", for "what's the dog next door called?"); and where the
// question asks for kinds of thing, one of its Wants of each as well
// ("815。我只记得是第0715。" holds the want 0715 of "T0715" but none of
// the fact's words). A fact whose every word was in the question says
// nothing new, and any reply that says its Wants passes.
func (a MemoryAnswer) SaidBy(reply string) bool {
	if len(a.Parts) > 0 {
		for _, p := range a.Parts {
			if !p.SaidBy(reply) {
				return false
			}
		}
		return true
	}
	lr := strings.ToLower(reply)
	for _, group := range a.Wants {
		met := false
		for _, w := range group {
			met = met || strings.Contains(lr, w)
		}
		if !met {
			return false
		}
	}
	if len(a.Keys) == 0 {
		return true
	}
	rw := contentWords(reply)
	if len(a.Names) > 0 {
		for _, k := range a.Names {
			if rw[k] {
				return true
			}
		}
		return false
	}
	for _, k := range a.Keys {
		if rw[k] {
			return true
		}
	}
	return false
}

// KnownFacts are the facts a reply may use: what the owner said in the
// recent history, then the request's stored facts, which win where they
// differ (the conversation keeps them corrected).
func KnownFacts(req Request) []string {
	var out []string
	for _, t := range req.History {
		if t.Role != "owner" {
			continue
		}
		for _, f := range ExtractFacts(t.Text, t.Time) {
			out = append(out, f.Text)
		}
	}
	return append(out, req.Facts...)
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

// hanAsking are the Chinese characters of asking and of the two speakers
// (我, 你, question words, 来着, 还记得): a question and its answer share
// them whatever they are about.
const hanAsking = "我你的是了吗呢吧啊谁什么哪几来着还记得"

// sameThing are words an owner uses for one person or thing, told one way
// and asked back another ("Dr Pritchard" for "which doctor?", "New
// manager." for "what's my new boss called?").
var sameThing = map[string]string{"dr": "doctor", "doc": "doctor", "gp": "doctor", "manager": "boss",
	"mum": "mom", "mother": "mom", "mam": "mom", "mummy": "mom", "mommy": "mom",
	"father": "dad", "daddy": "dad", "papa": "dad",
	"granny": "grandma", "gran": "grandma", "nan": "grandma", "nana": "grandma", "grandmother": "grandma",
	"grandad": "grandpa", "granddad": "grandpa", "grandfather": "grandpa",
	"kids": "kid", "child": "kid", "children": "kid",
	// Irregular pasts, asked back in the present ("what did I lose?").
	"lost": "lose", "ate": "eat", "bought": "buy", "brought": "bring", "made": "make", "went": "go", "took": "take",
	"got": "get", "gave": "give", "paid": "pay", "met": "meet", "won": "win", "ran": "run", "sent": "send",
	"sold": "sell", "wore": "wear", "wrote": "write", "drove": "drive", "flew": "fly", "found": "find", "broke": "break",
	"caught": "catch", "taught": "teach", "forgot": "forget", "spent": "spend", "kept": "keep",
	"drank": "drink", "sang": "sing", "swam": "swim", "grew": "grow", "threw": "throw", "chose": "choose"}

// sameWord is w as sameThing spells it.
func sameWord(w string) string {
	if same, ok := sameThing[w]; ok {
		return same
	}
	return w
}

// contentWords are the words of s an answer must share with a question:
// English words without function words, a crude stem ("rings" is "ring",
// "ordered" "order"; a capitalised word, a name, keeps its -ed: "Jared"),
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
	for _, word := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w := strings.ToLower(word)
		named := unicode.IsUpper([]rune(word)[0])
		var latin []rune
		for _, r := range w {
			if unicode.Is(unicode.Han, r) {
				if strings.ContainsRune(hanAsking, r) {
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
		if lw := sameWord(strings.TrimSuffix(string(latin), "'s")); len(lw) > 2 && !notContent[lw] {
			if named {
				out[pluralStem(lw)] = true
			} else {
				out[stem(lw)] = true
			}
		}
	}
	return out
}

// stem cuts a plural or third-person s ("rings" and "ring", "dogs" and
// "dog" meet) and a past tense's -ed ("ordered" and "order", "tipped"
// and "tip"), so that "what did I order?" meets "I ordered the lamb".
// A silent e stays ("baked" is "bak", "bake" "bake"): cutting it made
// plane a plan and care a car. Irregular pasts are sameThing's ("lost"
// is "lose").
func stem(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ed") && w[len(w)-3] == w[len(w)-4] && !strings.ContainsRune("aeioulsfz", rune(w[len(w)-3])):
		// "tipped" is "tip", "planned" "plan"; "called", "passed" keep
		// their double letter.
		return w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		return w[:len(w)-2]
	}
	return pluralStem(w)
}

// pluralStem cuts a plural or third-person s alone.
func pluralStem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}
