//go:build ignore

// Command rules-replies prints the rules brain's intent and line for each
// owner message of a JSON list ([{"lang": "en", "text": "..."}, ...]),
// as [[intent, line], ...]: one fresh brain per message, seeded with its
// place in the list, the default persona, no history and a content mood.
// Run from the module root at two commits, it gives the two sides of a
// rating of a change to the rules brain (scripts/eval-rating.py versus):
//
//	go run scripts/rules-replies.go MESSAGES.json > REPLIES.json
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/rules"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rules-replies:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: go run scripts/rules-replies.go MESSAGES.json")
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var msgs []struct{ Lang, Text string }
	if err := json.Unmarshal(b, &msgs); err != nil {
		return fmt.Errorf("read %s: %w", args[0], err)
	}
	out := make([][2]string, 0, len(msgs))
	for i, m := range msgs {
		if m.Lang != "en" && m.Lang != "zh" {
			return fmt.Errorf("%s: message %d: lang %q, want en or zh", args[0], i, m.Lang)
		}
		brain := rules.New(nil, uint64(i+1), nil)
		intent, text := brain.Compose(dialog.Request{ID: fmt.Sprint(i), Text: m.Text, Lang: m.Lang, PetName: "Mochi", Mood: "content"})
		out = append(out, [2]string{intent, text})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}
