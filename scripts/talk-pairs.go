//go:build ignore

// Command talk-pairs turns blind-rated whole-conversation sheets
// (`eval-rating.py talks`: sheet.md, sheet-key.json and rater*.json in
// each folder) into preference pairs: at a reply of a conversation that
// two versions of the cat answered differently, the reply raters put at
// least MARGIN above the other (and at 1 or more) is chosen, the other,
// a reply of the model's own, rejected. Both sides get the chosen
// version's context, as a ratings file keeps it: the owner's line, the
// last ratings.MaxBefore turns before it, the facts dialog.ExtractFacts
// reads from the earlier owner lines, a content mood and the pet's name
// as the owner says it. The brain that said a reply is looked up in the
// runs beside the sheets (SET/*/summary.json); a rejected reply must be
// the model's ("llama"), a chosen one must not come from the care or
// refusal paths. It writes OUT/chosen.json and OUT/rejected.json, ratings
// files whose reply_ids match (`purrd ratings -file … -conv …` makes the
// conversations), and prints a count per language to stderr. -drop FILE
// leaves out the pairs whose ids FILE lists (one a line, or "left out
// ID: …" lines as `purrd ratings -conv` prints them for a side it cannot
// write as training conversations), so both sides keep the same pairs.
//
//	go run scripts/talk-pairs.go -margin 0.67 -out OUT docs/eval/fresh-talk/talks-0 …
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog"
)

var (
	reConvHead = regexp.MustCompile(`^## Conversation (\d+)`)
	reVersion  = regexp.MustCompile(`^### Version ([A-H])`)
	reOwner    = regexp.MustCompile(`^- Owner: (.*)`)
	reCat      = regexp.MustCompile(`^\s+- \[(\d+)\] Cat: (.*)`)
)

type keyItem struct {
	Conv string `json:"conv"`
	Turn int    `json:"turn"`
	A    string `json:"A"`
	B    string `json:"B"`
	C    string `json:"C"`
	D    string `json:"D"`
}

// turn is one exchange of one version of a conversation on a sheet.
type turn struct {
	item  string // the reply's number on the sheet
	owner string
	reply string
}

type record struct {
	ReplyID  string         `json:"reply_id"`
	At       string         `json:"at"`
	Owner    string         `json:"owner"`
	Reply    string         `json:"reply"`
	Lang     string         `json:"lang"`
	Brain    string         `json:"brain"`
	Pet      string         `json:"pet"`
	Mood     string         `json:"mood"`
	Facts    []string       `json:"facts,omitempty"`
	Before   []ratings.Line `json:"before,omitempty"`
	Score    int            `json:"score"`
	RatedAt  string         `json:"rated_at"`
	Set      string         `json:"-"`
	Chosen   float64        `json:"-"`
	Rejected float64        `json:"-"`
}

func main() {
	margin := flag.Float64("margin", 0.67, "least difference of the raters' means")
	out := flag.String("out", "", "folder for chosen.json and rejected.json")
	drop := flag.String("drop", "", "file of pair ids to leave out")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/talk-pairs.go [-margin M] -out OUT SHEET_DIR...")
		os.Exit(2)
	}
	dropped := map[string]bool{}
	if *drop != "" {
		b, err := os.ReadFile(*drop)
		if err != nil {
			fmt.Fprintln(os.Stderr, "talk-pairs:", err)
			os.Exit(2)
		}
		for _, m := range reDropID.FindAllStringSubmatch(string(b), -1) {
			dropped[m[1]] = true
		}
	}
	if err := run(*margin, *out, flag.Args(), dropped); err != nil {
		fmt.Fprintln(os.Stderr, "talk-pairs:", err)
		os.Exit(2)
	}
}

// reDropID: a pair id alone on a line, or after "left out".
var reDropID = regexp.MustCompile(`(?m)^(?:left out )?(talk\d{4})\b`)

func run(margin float64, out string, dirs []string, dropped map[string]bool) error {
	var chosen, rejected []record
	seen := map[string]bool{} // owner line, context and both replies
	brains := map[string]map[string]string{}
	for _, dir := range dirs {
		setDir := filepath.Dir(filepath.Clean(dir))
		if brains[setDir] == nil {
			b, err := runBrains(setDir)
			if err != nil {
				return err
			}
			brains[setDir] = b
		}
		c, r, err := sheetPairs(dir, margin, brains[setDir], seen)
		if err != nil {
			return err
		}
		chosen = append(chosen, c...)
		rejected = append(rejected, r...)
	}
	count := map[string]int{}
	var keptC, keptR []record
	for i := range chosen {
		// Ids number every pair found, so a dropped one keeps the others' ids.
		id := fmt.Sprintf("talk%04d", i+1)
		if dropped[id] {
			continue
		}
		chosen[i].ReplyID, rejected[i].ReplyID = id, id
		keptC, keptR = append(keptC, chosen[i]), append(keptR, rejected[i])
		count[chosen[i].Lang]++
	}
	chosen, rejected = keptC, keptR
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, side := range map[string][]record{"chosen": chosen, "rejected": rejected} {
		b, err := json.MarshalIndent(map[string]any{"version": 1, "ratings": side}, "", " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name+".json"), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "%d pairs: %d English, %d Chinese\n", len(chosen), count["en"], count["zh"])
	return nil
}

// runBrains maps conversation, turn and reply to the brain that said it,
// over every run of a set (SET/*/summary.json).
func runBrains(setDir string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(setDir, "*", "summary.json"))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var sum struct {
			Results []struct {
				Conv, Reply, Brain string
				Turn               int
			} `json:"results"`
		}
		if err := json.Unmarshal(raw, &sum); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, r := range sum.Results {
			out[fmt.Sprintf("%s\x00%d\x00%s", r.Conv, r.Turn, r.Reply)] = r.Brain
		}
	}
	return out, nil
}

func sheetPairs(dir string, margin float64, brains map[string]string, seen map[string]bool) (chosen, rejected []record, err error) {
	var key map[string]keyItem
	if err := readJSON(filepath.Join(dir, "sheet-key.json"), &key); err != nil {
		return nil, nil, err
	}
	raters, _ := filepath.Glob(filepath.Join(dir, "rater*.json"))
	if len(raters) == 0 {
		fmt.Fprintf(os.Stderr, "talk-pairs: %s: not rated, skipped\n", dir)
		return nil, nil, nil
	}
	var scores []map[string]map[string][]any
	for _, f := range raters {
		var s map[string]map[string][]any
		if err := readJSON(f, &s); err != nil {
			return nil, nil, err
		}
		scores = append(scores, s)
	}
	convs, err := readSheet(filepath.Join(dir, "sheet.md"))
	if err != nil {
		return nil, nil, err
	}
	mean := func(item, letter string) (float64, bool) {
		var sum float64
		n := 0
		for _, s := range scores {
			v, ok := s[item][letter]
			if !ok || len(v) == 0 {
				continue
			}
			f, ok := v[0].(float64)
			if !ok {
				continue
			}
			sum += f
			n++
		}
		if n == 0 {
			return 0, false
		}
		return sum / float64(n), true
	}
	for _, versions := range convs {
		letters := make([]string, 0, len(versions))
		for l := range versions {
			letters = append(letters, l)
		}
		sort.Strings(letters)
		first := versions[letters[0]]
		for i := range first {
			item := first[i].item
			k, ok := key[item]
			if !ok {
				return nil, nil, fmt.Errorf("%s: reply [%s] is not in sheet-key.json", dir, item)
			}
			lang := "en"
			if strings.HasSuffix(k.Conv, "-zh") {
				lang = "zh"
			}
			for _, a := range letters {
				for _, b := range letters {
					ta, tb := versions[a], versions[b]
					if a == b || i >= len(ta) || i >= len(tb) || ta[i].reply == tb[i].reply {
						continue
					}
					ma, okA := mean(item, a)
					mb, okB := mean(item, b)
					if !okA || !okB || ma < 1 || ma-mb < margin-1e-9 {
						continue
					}
					brainA := brains[fmt.Sprintf("%s\x00%d\x00%s", k.Conv, k.Turn, ta[i].reply)]
					brainB := brains[fmt.Sprintf("%s\x00%d\x00%s", k.Conv, k.Turn, tb[i].reply)]
					if brainB != "llama" || brainA == "" || brainA == "care" || brainA == "refusal" {
						continue
					}
					ctx := context(ta[:i+1], lang)
					id := ctx.Owner + "\x00" + strings.Join(ctx.Facts, "\x00") + fmt.Sprint(ctx.Before) + "\x00" + ta[i].reply + "\x00" + tb[i].reply
					if seen[id] {
						continue
					}
					seen[id] = true
					c, r := ctx, ctx
					c.Reply, c.Brain, c.Score = ta[i].reply, brainA, clampScore(ma)
					r.Reply, r.Brain, r.Score = tb[i].reply, brainB, clampScore(mb)
					chosen = append(chosen, c)
					rejected = append(rejected, r)
				}
			}
		}
	}
	return chosen, rejected, nil
}

// context is the rating record of the last turn of ts without its reply:
// the owner's line, what came before it and the facts told before it.
func context(ts []turn, lang string) record {
	last := ts[len(ts)-1]
	var before []ratings.Line
	facts := map[string]string{}
	var order []string
	for _, t := range ts[:len(ts)-1] {
		before = append(before, ratings.Line{Role: "owner", Text: t.owner}, ratings.Line{Role: "pet", Text: t.reply})
		for _, f := range dialog.ExtractFacts(t.owner, time.Time{}) {
			if _, ok := facts[f.Key]; !ok {
				order = append(order, f.Key)
			}
			facts[f.Key] = f.Text // a correction replaces, as in the memory
		}
	}
	// ratings.MaxBefore turns: an owner line and a reply each.
	if len(before) > ratings.MaxBefore {
		before = before[len(before)-ratings.MaxBefore:]
	}
	var fs []string
	for _, k := range order {
		fs = append(fs, facts[k])
	}
	pet := "Mochi"
	if lang == "zh" {
		pet = "麻糬"
	}
	at := "2026-12-02T00:00:00Z"
	return record{At: at, RatedAt: at, Owner: last.owner, Lang: lang, Pet: pet, Mood: "content", Facts: fs, Before: before}
}

func clampScore(m float64) int {
	s := int(m + 0.5)
	return min(max(s, 0), 2)
}

// readSheet reads conversation -> version letter -> its turns.
func readSheet(path string) ([]map[string][]turn, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var convs []map[string][]turn
	var letter, owner string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case reConvHead.MatchString(line):
			convs = append(convs, map[string][]turn{})
			letter = ""
		case reVersion.MatchString(line):
			letter = reVersion.FindStringSubmatch(line)[1]
		case reOwner.MatchString(line):
			owner = reOwner.FindStringSubmatch(line)[1]
		case reCat.MatchString(line):
			m := reCat.FindStringSubmatch(line)
			if len(convs) == 0 || letter == "" || owner == "" {
				return nil, fmt.Errorf("%s:%d: a reply outside a conversation's version", path, n)
			}
			if _, err := strconv.Atoi(m[1]); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			c := convs[len(convs)-1]
			c[letter] = append(c[letter], turn{item: m[1], owner: owner, reply: m[2]})
			owner = ""
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(convs) == 0 {
		return nil, errors.New(path + ": no conversations")
	}
	return convs, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
