//go:build ignore

// Command phrase-repeats prints, for each `purrd eval` summary.json given,
// how many of the cat's replies say again a phrase (three words, or four
// Han characters) of one of its last three replies in the conversation:
// the eval's "phrase" check (dialog/eval.RepeatedPhrase), for runs made
// before the check existed, and the phrases said again most often.
//
//	go run scripts/phrase-repeats.go SUMMARY.json ...
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/purrd/purrd/dialog/eval"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "phrase-repeats:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("want one or more summary.json files")
	}
	for _, path := range args {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var s struct {
			Results []eval.TurnResult `json:"results"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		previous := map[string][]string{}
		count := map[string]int{}
		all, again, model, modelAgain := 0, 0, 0, 0
		for _, r := range s.Results {
			p := eval.RepeatedPhrase(r.Reply, previous[r.Conv])
			previous[r.Conv] = append(previous[r.Conv], r.Reply)
			all++
			if r.Brain == "llama" {
				model++
			}
			if p == "" {
				continue
			}
			again++
			count[p]++
			if r.Brain == "llama" {
				modelAgain++
			}
		}
		top := make([]string, 0, len(count))
		for p := range count {
			top = append(top, p)
		}
		sort.Slice(top, func(i, j int) bool {
			return count[top[i]] > count[top[j]] || count[top[i]] == count[top[j]] && top[i] < top[j]
		})
		if len(top) > 5 {
			top = top[:5]
		}
		most := ""
		for _, p := range top {
			most += fmt.Sprintf(" %q×%d", p, count[p])
		}
		fmt.Printf("%s: %d of %d replies (%.1f %%) say a phrase again; the model's own %d of %d (%.1f %%);%s\n",
			path, again, all, pct(again, all), modelAgain, model, pct(modelAgain, model), most)
	}
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
