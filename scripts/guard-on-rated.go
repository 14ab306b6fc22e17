//go:build ignore

// Command guard-on-rated puts the reply guard's figure, name and garble
// checks (dialog.ReplyGuard.Misquotes, MixesUpWho, Garbles) to every reply of rated
// whole-conversation sheets (`eval-rating.py talks`: sheet.md beside
// rater*.json), each asked as the owner heard it, after the owner's and
// the cat's words before it in its version, and prints the replies each
// check refuses with the raters' mean, then the count and mean of each.
// A reply said alike to the same owner line in several versions or
// sheets counts once, with all its ratings. Run from the module root:
//
//	go run scripts/guard-on-rated.go docs/eval/fresh-talk*/*talks-*
//
// docs/models.md (*Misquoted figures and names*) counts its output.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/purrd/purrd/dialog"
)

var (
	reVersion = regexp.MustCompile(`^### Version ([A-H])`)
	reConv    = regexp.MustCompile(`^## Conversation `)
	reOwner   = regexp.MustCompile(`^- Owner: (.*)`)
	reCat     = regexp.MustCompile(`^\s+- \[(\d+)\] Cat: (.*)`)
)

type rated struct {
	req    dialog.Request
	reply  string
	scores []float64
}

func main() {
	byReply := map[string]*rated{} // owner line + reply
	var order []string
	for _, dir := range os.Args[1:] {
		raters, _ := filepath.Glob(filepath.Join(dir, "rater*.json"))
		if len(raters) == 0 {
			continue
		}
		var ratings []map[string]map[string][]any
		for _, f := range raters {
			b, err := os.ReadFile(f)
			if err != nil {
				fail(err)
			}
			var r map[string]map[string][]any
			if err := json.Unmarshal(b, &r); err != nil {
				fail(fmt.Errorf("%s: %w", f, err))
			}
			ratings = append(ratings, r)
		}
		f, err := os.Open(filepath.Join(dir, "sheet.md"))
		if err != nil {
			fail(err)
		}
		var hist []dialog.Turn
		version, owner := "", ""
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			switch m := reVersion.FindStringSubmatch(line); {
			case reConv.MatchString(line):
				hist, version, owner = nil, "", ""
			case m != nil:
				hist, version = nil, m[1]
			case reOwner.MatchString(line):
				owner = reOwner.FindStringSubmatch(line)[1]
			case reCat.MatchString(line) && version != "":
				c := reCat.FindStringSubmatch(line)
				n, reply := c[1], c[2]
				lang := dialog.DetectLangOr(owner, "en")
				pet := "Mochi"
				if lang == "zh" {
					pet = "麻糬"
				}
				key := owner + "\x00" + reply
				r, ok := byReply[key]
				if !ok {
					r = &rated{req: dialog.Request{Lang: lang, Text: owner, PetName: pet, History: append([]dialog.Turn(nil), hist...)}, reply: reply}
					byReply[key] = r
					order = append(order, key)
				}
				for _, rt := range ratings {
					if s, ok := rt[n][version]; ok && len(s) > 0 {
						if v, ok := s[0].(float64); ok {
							r.scores = append(r.scores, v)
						}
					}
				}
				hist = append(hist, dialog.Turn{Role: "owner", Text: owner}, dialog.Turn{Role: "pet", Text: reply})
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			fail(fmt.Errorf("%s: %w", filepath.Join(dir, "sheet.md"), err))
		}
	}
	checks := []struct {
		name  string
		check func(*dialog.ReplyGuard, string) bool
	}{
		{"misquotes", (*dialog.ReplyGuard).Misquotes},
		{"mixes up who", (*dialog.ReplyGuard).MixesUpWho},
		{"garbles", (*dialog.ReplyGuard).Garbles},
	}
	sort.Strings(order)
	var summary []string
	total := 0
	for _, c := range checks {
		n, sum := 0, 0.0
		for _, key := range order {
			r := byReply[key]
			if len(r.scores) == 0 {
				continue
			}
			g := dialog.NewReplyGuard(r.req)
			hit := false
			for _, s := range dialog.SplitSentences(r.reply) {
				hit = hit || c.check(g, s)
			}
			if !hit {
				continue
			}
			m := mean(r.scores)
			n++
			sum += m
			fmt.Printf("%s %.2f | %s | %s\n", c.name, m, r.req.Text, r.reply)
		}
		summary = append(summary, fmt.Sprintf("%s: %d replies, rated %.2f", c.name, n, sum/float64(max(n, 1))))
	}
	for _, key := range order {
		if len(byReply[key].scores) > 0 {
			total++
		}
	}
	fmt.Printf("%s; of %d rated replies\n", strings.Join(summary, "; "), total)
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "guard-on-rated:", err)
	os.Exit(2)
}
