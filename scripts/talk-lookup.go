//go:build ignore

// Command talk-lookup prints what dialog.AnswerFromTalk finds for every
// turn of the given eval sets (each owner line asked after the owner lines
// before it), with the Wants an answer must say; with -run SUMMARY.json
// (a `purrd eval` run of the one set given) also each reply there and
// whether it says the answer. Run from the module root:
//
//	go run scripts/talk-lookup.go docs/eval/fresh-talk-4/set
//	go run scripts/talk-lookup.go -run docs/eval/fresh-talk-5/fix/summary.json docs/eval/fresh-talk-5/set
//
// docs/models.md (*Answers from the talk*) counts its output on the dev
// sets at two commits.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/eval"
)

func main() {
	run := flag.String("run", "", "summary.json of a run of the (single) set")
	flag.Parse()
	replies := map[string]string{}
	if *run != "" {
		b, err := os.ReadFile(*run)
		if err != nil {
			fmt.Fprintln(os.Stderr, "talk-lookup:", err)
			os.Exit(2)
		}
		var s struct {
			Results []struct {
				Conv  string
				Turn  int
				Reply string
				Brain string
			}
		}
		if err := json.Unmarshal(b, &s); err != nil {
			fmt.Fprintln(os.Stderr, "talk-lookup:", *run, err)
			os.Exit(2)
		}
		for _, r := range s.Results {
			replies[fmt.Sprintf("%s#%d", r.Conv, r.Turn)] = r.Brain + " | " + r.Reply
		}
	}
	for _, dir := range flag.Args() {
		set, err := eval.LoadSet(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "talk-lookup:", err)
			os.Exit(2)
		}
		for _, c := range set.Conversations {
			var h []dialog.Turn
			for i, t := range c.Turns {
				if a, ok := dialog.AnswerFromTalk(t.Text, h); ok {
					fmt.Printf("%s t%d  %s\n    => %s  wants %q\n", c.ID, i+1, t.Text, a.Fact, a.Wants)
					if r, ok := replies[fmt.Sprintf("%s#%d", c.ID, i+1)]; ok {
						_, reply, _ := strings.Cut(r, " | ")
						fmt.Printf("    reply %s  said=%v\n", r, a.SaidBy(reply))
					}
				}
				h = append(h, dialog.Turn{Role: "owner", Text: t.Text}, dialog.Turn{Role: "pet", Text: "Mrrp."})
			}
		}
	}
}
