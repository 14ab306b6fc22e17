package dialog

import (
	"regexp"
	"strings"
	"unicode"
)

// PhrasesToAvoid are the pet's last replies (RecentPetReplies) as a brain
// that avoids saying their phrases again should see them: with the
// owner's own words cut out. Asked "what was my dog's name again?", the
// cat must say "Biscuit" as it did before, and "周老师" after the owner
// said it. The owner's words are their message, their turns in the
// history and the facts they told; a Latin word counts when the owner
// wrote it with a capital or a digit (a name, a day, a number), a Han
// stretch when it is two or more characters the owner wrote too. The
// pet's own names (req.PetName and petNames, in every language) count
// too: asked its name, it says it again. Each is
// replaced by "·", so no phrase runs across it.
func PhrasesToAvoid(req Request, petNames ...string) []string {
	said := RecentPetReplies(req)
	if len(said) == 0 {
		return nil
	}
	owner := append([]string{req.Text}, req.Facts...)
	for _, t := range req.History {
		if t.Role == "owner" {
			owner = append(owner, t.Text)
		}
	}
	named := map[string]bool{}
	var han []string
	for _, name := range append([]string{req.PetName}, petNames...) {
		han = append(han, reHanRun.FindAllString(name, -1)...)
		for _, w := range reLatinWord.FindAllString(name, -1) {
			named[wordBase(w)] = true
		}
	}
	for _, o := range owner {
		for _, loc := range reLatinWord.FindAllStringIndex(o, -1) {
			w := o[loc[0]:loc[1]]
			capital := unicode.IsUpper([]rune(w)[0]) && !sentenceStart(o[:loc[0]]) && wordBase(w) != "i"
			if capital || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
				named[wordBase(w)] = true
			}
		}
		for _, run := range reHanRun.FindAllString(o, -1) {
			if len([]rune(run)) >= 2 {
				han = append(han, run)
			}
		}
	}
	out := make([]string, 0, len(said))
	for _, s := range said {
		s = reLatinWord.ReplaceAllStringFunc(s, func(w string) string {
			if !named[wordBase(w)] {
				return w
			}
			if i := strings.IndexAny(w, "'’"); i >= 0 {
				return "·" + w[i:] // "Owen's" -> "·'s"
			}
			return "·"
		})
		s = reHanRun.ReplaceAllStringFunc(s, func(run string) string { return maskShared(run, han) })
		out = append(out, s)
	}
	return out
}

var (
	reLatinWord = regexp.MustCompile(`[\p{Latin}\p{N}][\p{Latin}\p{N}'’]*`)
	reHanRun    = regexp.MustCompile(`\p{Han}+`)
	reEndsSent  = regexp.MustCompile(`(?:^|[.!?。！？…]["'”’)]*)\s*$`)
)

// wordBase is a word lower-cased without what follows an apostrophe:
// "Owen's" is Owen's name.
func wordBase(w string) string {
	w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	base, _, _ := strings.Cut(w, "'")
	return base
}

// sentenceStart reports whether a word after before starts a sentence,
// where any word has a capital.
func sentenceStart(before string) bool { return reEndsSent.MatchString(before) }

// maskShared replaces each longest stretch of two or more characters of
// run that one of others also holds with "·".
func maskShared(run string, others []string) string {
	r := []rune(run)
	var b strings.Builder
	for i := 0; i < len(r); {
		best := 0
		for j := len(r); j >= i+2; j-- {
			piece := string(r[i:j])
			for _, o := range others {
				if strings.Contains(o, piece) {
					best = j - i
					break
				}
			}
			if best > 0 {
				break
			}
		}
		if best > 0 {
			b.WriteString("·")
			i += best
			continue
		}
		b.WriteRune(r[i])
		i++
	}
	return b.String()
}
