package dataset

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/purrd/purrd/dialog"
)

// Reply limits: a tiny model learns the length it sees, and the robot
// speaks every reply aloud.
const (
	MaxReplyWordsEn = 20 // words in an English reply
	MaxReplyCharsZh = 30 // characters (not punctuation) in a Chinese reply
)

// HasHan reports whether s contains a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// ReplyLength is the measure the limits apply to: words for text without
// Chinese, letters and digits for text with Chinese.
func ReplyLength(s string) int {
	if !HasHan(s) {
		return len(strings.Fields(s))
	}
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// checkFact checks the form of one expanded fact line.
func checkFact(c *convTemplate, f tline, text string) error {
	if !strings.HasPrefix(text, "owner") && !ownerWords(text) && !keptAsSaid(text) {
		return errAt(c.file, f.line, "fact %q is neither in \"owner ...\" form nor the owner's own words (\"I ...\", \"I've ...\", \"My ...\", \"我...\", or a statement dialog keeps as said)", text)
	}
	return nil
}

// validate checks one expanded conversation; k names the expansion in errors.
func validate(c *convTemplate, k int, conv Conversation) error {
	if conv.Mood == "" {
		return errAt(c.file, c.mood.line, "empty mood in expansion #%d", k)
	}
	if !ValidMood(conv.Mood) {
		return errAt(c.file, c.mood.line, "mood %q is not a mood line (a mood name, then up to two of %s)", conv.Mood, strings.Join(moodQualifiers(), ", "))
	}
	if conv.PetName == "" {
		return errAt(c.file, c.line, "empty pet name in expansion #%d", k)
	}
	sawHan, sawLatin := false, false
	ownerHan := false
	// Facts the owner states during the talk count too: "I love tea" in
	// turn one makes "I love tea too" in turn two a claim.
	facts := slices.Clone(conv.Facts)
	for i, t := range conv.Turns {
		line := c.turns[i].line
		if t.Text == "" {
			return errAt(c.file, line, "empty %s line in expansion #%d", t.Role, k)
		}
		if t.Role == "owner" {
			for _, f := range dialog.ExtractFacts(t.Text, time.Time{}) {
				facts = append(facts, f.Text)
			}
			ownerHan = HasHan(t.Text)
			if ownerHan {
				sawHan = true
			} else if hasLatinWord(t.Text) {
				sawLatin = true
			}
			continue
		}
		han := HasHan(t.Text)
		switch want := c.lang; {
		case want == "en" && han:
			return errAt(c.file, line, "Chinese in a reply of an en conversation: %q", t.Text)
		case want == "zh" && !han:
			return errAt(c.file, line, "zh reply without Chinese: %q", t.Text)
		case want == "mix" && han != ownerHan:
			return errAt(c.file, line, "reply not in the owner's language: %q", t.Text)
		}
		// The daemon's cleaning strips *actions*, markdown and brackets
		// from what a model says: a reply that teaches them teaches
		// words the owner never hears.
		if i := strings.IndexAny(t.Text, "*#[]<>`_"); i >= 0 {
			return errAt(c.file, line, "reply has %q, which reply cleaning strips (write the sound instead): %q", t.Text[i:i+1], t.Text)
		}
		limit, unit := MaxReplyWordsEn, "words"
		if han {
			limit, unit = MaxReplyCharsZh, "characters"
		}
		if n := ReplyLength(t.Text); n > limit {
			return errAt(c.file, line, "reply too long (%d %s, at most %d) in expansion #%d: %q", n, unit, limit, k, t.Text)
		}
		if claim := ClaimedFact(t.Text, facts); claim != "" {
			return errAt(c.file, line, "reply claims the owner's fact %q as the cat's own: %q", claim, t.Text)
		}
	}
	if c.lang == "mix" && !(sawHan && sawLatin) {
		return errAt(c.file, c.line, "mix conversation where the owner never switches language")
	}
	return nil
}

// moodQualifiers are the additions dialog's mood line may carry after the
// mood name ("happy, a bit sleepy", "content, a bit hungry and wants to play").
func moodQualifiers() []string {
	return []string{"very sleepy", "a bit sleepy", "very hungry", "a bit hungry", "lonely", "a bit lonely", "wants to play"}
}

// ValidMood reports whether s has the shape of dialog's mood line: a mood
// name, optionally followed by ", q" or ", q1 and q2".
func ValidMood(s string) bool {
	name, rest, _ := strings.Cut(s, ", ")
	if !slices.Contains(dialog.MoodNames(), name) {
		return false
	}
	if rest == "" {
		return !strings.Contains(s, ",")
	}
	q1, q2, two := strings.Cut(rest, " and ")
	if !slices.Contains(moodQualifiers(), q1) {
		return false
	}
	return !two || slices.Contains(moodQualifiers(), q2) && q1 != q2
}

func hasLatinWord(s string) bool {
	n := 0
	for _, r := range s {
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			n++
			if n >= 2 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

// ClaimedFact returns the fact a reply claims as the cat's own ("I drink
// tea" when the owner likes tea), or "" when it claims none.
func ClaimedFact(reply string, facts []string) string {
	low := strings.ToLower(reply)
	for _, f := range facts {
		for _, claim := range claimsOf(f) {
			if strings.Contains(low, strings.ToLower(claim)) {
				return f
			}
		}
	}
	return ""
}

// claimsOf lists first-person phrasings that would take fact f over.
func claimsOf(f string) []string {
	if v, ok := strings.CutPrefix(f, "owner's name is "); ok {
		return []string{"my name is " + v, "i'm " + v + ".", "i am " + v, "我叫" + v, "我的名字是" + v, "我是" + v}
	}
	if rest, ok := strings.CutPrefix(f, "owner's favourite "); ok {
		if thing, v, ok := strings.Cut(rest, " is "); ok {
			return []string{"my favourite " + thing + " is " + v, "my favorite " + thing + " is " + v, "我最喜欢的" + thing + "是" + v, "我最喜欢" + v}
		}
	}
	if v, ok := strings.CutPrefix(f, "owner lives in "); ok {
		return []string{"i live in " + v, "我住在" + v}
	}
	for _, verb := range []string{"likes", "loves", "drinks", "plays", "reads", "eats"} {
		if v, ok := strings.CutPrefix(f, "owner "+verb+" "); ok {
			stem := strings.TrimSuffix(verb, "s")
			return []string{"i " + stem + " " + v, "i also " + stem + " " + v, "i love " + v, "i like " + v,
				"i drink " + v, "i eat " + v, "i enjoy " + v, "i'm into " + v,
				"我" + v, "我也" + v, "我喜欢" + v, "我也喜欢" + v, "我爱" + v, "我也爱" + v, "我最喜欢" + v}
		}
	}
	return nil
}

// keptAsSaid reports whether dialog, hearing the fact from the owner,
// would keep it word for word ("Maya lives in Bristol."): the memory a
// run-time prompt would show.
func keptAsSaid(f string) bool {
	kept := dialog.ExtractFacts(f, time.Time{})
	want := strings.TrimRightFunc(strings.ReplaceAll(f, "’", "'"), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	return len(kept) == 1 && dialog.Said(kept[0]) && kept[0].Text == want
}

// ownerWords reports whether a fact is written as the owner said it, the
// form dialog keeps statements that fit no fact pattern in ("My son Leo
// phones on Sundays.", "我对花生过敏。"), "I'm" and "I've" as much as "I".
func ownerWords(f string) bool {
	for _, p := range []string{"I ", "I'm ", "I’m ", "I've ", "I’ve ", "My ", "我"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}
