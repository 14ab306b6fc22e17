//go:build ignore

// Command phrase-contexts turns a `purrd eval` run into the prompts of a
// round of preference pairs against stock phrases, and checks sampled
// replies for them (docs/models.md, *Stock phrases*).
//
//	go run scripts/phrase-contexts.go contexts SET_DIR RUN_DIR > CONTEXTS.jsonl
//	go run scripts/phrase-contexts.go check SAMPLED.jsonl > PHRASES.jsonl
//
// contexts prints, for every turn where the model's own reply says a
// phrase of the cat's last three replies again (the eval's "phrase"
// check), the prompt `purrd dataset sample -prompts` takes: the owner's
// line, the two exchanges before it (all a ratings file keeps, so what is
// sampled is what a pair trains on), the facts the daemon's memory
// would hold by then (dialog.ExtractFacts over the earlier owner lines),
// the mood the run's daemon.log reports, and the pet's name as the
// owner says it (Mochi, 糯米); with the reply the model gave
// ("original") and the phrase it said again.
//
// check prints, for each record of a `purrd dataset sample` output (or
// any JSONL with before and replies), the phrase each reply says again of
// the cat's replies in before, "" where none.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/eval"
)

func main() {
	var err error
	switch {
	case len(os.Args) == 4 && os.Args[1] == "contexts":
		err = contexts(os.Args[2], os.Args[3])
	case len(os.Args) == 3 && os.Args[1] == "check":
		err = check(os.Args[2])
	default:
		err = errors.New("usage: phrase-contexts contexts SET_DIR RUN_DIR | check SAMPLED.jsonl")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "phrase-contexts:", err)
		os.Exit(2)
	}
}

type prompt struct {
	ID       string         `json:"id"`
	Lang     string         `json:"lang"`
	Mood     string         `json:"mood"`
	Pet      string         `json:"pet"`
	Facts    []string       `json:"facts"`
	Before   []ratings.Line `json:"before"`
	Owner    string         `json:"owner"`
	Original string         `json:"original"`
	Phrase   string         `json:"phrase"`
}

// The daemon logs each change of mood with the eval's message id,
// "<conversation>-<turn>[-<command>]".
var moodLine = regexp.MustCompile(`msg=(?:mood_changed|fell_asleep|woke_up)\b.* mood=(\S+) id=(\S+)-(\d+)(?:-\S+)?$`)

func contexts(setDir, runDir string) error {
	set, err := eval.LoadSet(setDir)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(runDir, "summary.json"))
	if err != nil {
		return err
	}
	var sum struct {
		Results []eval.TurnResult `json:"results"`
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		return fmt.Errorf("%s/summary.json: %w", runDir, err)
	}
	replies := map[string]map[int]eval.TurnResult{}
	for _, r := range sum.Results {
		if replies[r.Conv] == nil {
			replies[r.Conv] = map[int]eval.TurnResult{}
		}
		replies[r.Conv][r.Turn] = r
	}
	moods, err := moodChanges(filepath.Join(runDir, "daemon.log"))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, c := range set.Conversations {
		mood := "content"
		var hist []ratings.Line
		var cat []string
		facts := map[string]string{}
		var order []string
		for i, t := range c.Turns {
			n := i + 1
			if m, ok := moods[c.ID][n]; ok {
				mood = m
			}
			r, ok := replies[c.ID][n]
			if !ok {
				return fmt.Errorf("%s: no reply to turn %d of %s", runDir, n, c.ID)
			}
			if p := eval.RepeatedPhrase(r.Reply, cat); p != "" && r.Brain == "llama" {
				pet := "Mochi"
				if t.Lang == "zh" {
					pet = "糯米"
				}
				var fs []string
				for _, k := range order {
					fs = append(fs, facts[k])
				}
				// A ratings file, and so a pair made from one, keeps the
				// last ratings.MaxBefore turns: the prompt sampled is the
				// prompt trained on.
				before := hist[max(0, len(hist)-ratings.MaxBefore):]
				m := mood
				if m == "asleep" { // woken by the owner's words
					m = "sleepy"
				}
				if err := enc.Encode(prompt{ID: fmt.Sprintf("%s#%d", c.ID, n), Lang: t.Lang, Mood: m, Pet: pet,
					Facts: fs, Before: before, Owner: t.Text, Original: r.Reply, Phrase: p}); err != nil {
					return err
				}
			}
			for _, f := range dialog.ExtractFacts(t.Text, time.Time{}) {
				if _, ok := facts[f.Key]; !ok {
					order = append(order, f.Key)
				}
				facts[f.Key] = f.Text // a correction replaces, as in the memory
			}
			hist = append(hist, ratings.Line{Role: "owner", Text: t.Text}, ratings.Line{Role: "pet", Text: r.Reply})
			cat = append(cat, r.Reply)
		}
	}
	return nil
}

// moodChanges reads conversation -> turn -> the mood from that turn on.
func moodChanges(path string) (map[string]map[int]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]map[int]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		m := moodLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[3])
		if out[m[2]] == nil {
			out[m[2]] = map[int]string{}
		}
		out[m[2]][n] = m[1]
	}
	return out, sc.Err()
}

func check(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for n := 1; sc.Scan(); n++ {
		var r struct {
			ID      string         `json:"id"`
			Before  []ratings.Line `json:"before"`
			Replies []string       `json:"replies"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		var cat []string
		for _, b := range r.Before {
			if b.Role != "owner" {
				cat = append(cat, b.Text)
			}
		}
		phrases := make([]string, len(r.Replies))
		for i, x := range r.Replies {
			phrases[i] = eval.RepeatedPhrase(x, cat)
		}
		if err := enc.Encode(map[string]any{"id": r.ID, "phrases": phrases}); err != nil {
			return err
		}
	}
	return sc.Err()
}
