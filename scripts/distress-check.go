//go:build ignore

// Command distress-check reads owner messages labelled by a carer
// ([{"lang": "en", "text": "...", "kind": "none|fall|cant_get_up|medical|self_harm"}, ...])
// and reports how dialog.DetectDistress reads them: the false alarms (a
// "none" read as danger), the misses (danger read as none) and the danger
// read as another kind, with each message.
//
//	go run scripts/distress-check.go MESSAGES.json ...
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/purrd/purrd/dialog"
)

type message struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
	Kind string `json:"kind"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "distress-check:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("want one or more messages files")
	}
	for _, path := range args {
		if err := check(path); err != nil {
			return err
		}
	}
	return nil
}

func check(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var msgs []message
	if err := json.Unmarshal(b, &msgs); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var alarms, misses, other []string
	calm, danger := 0, 0
	for i, m := range msgs {
		got, ok := dialog.DetectDistress(m.Text)
		line := fmt.Sprintf("  %d [%s] want %s, read %q: %s", i, m.Lang, m.Kind, got, m.Text)
		switch {
		case m.Kind == "none":
			calm++
			if ok {
				alarms = append(alarms, line)
			}
		case !ok:
			danger++
			misses = append(misses, line)
		default:
			danger++
			if string(got) != m.Kind {
				other = append(other, line)
			}
		}
	}
	fmt.Printf("%s: %d calm messages, %d false alarms (%.1f %%); %d in danger, %d missed (%.1f %%), %d read as another kind\n",
		path, calm, len(alarms), pct(len(alarms), calm), danger, len(misses), pct(len(misses), danger), len(other))
	for _, part := range []struct {
		title string
		lines []string
	}{{"false alarms", alarms}, {"missed", misses}, {"another kind", other}} {
		if len(part.lines) == 0 {
			continue
		}
		fmt.Println(part.title + ":")
		for _, l := range part.lines {
			fmt.Println(l)
		}
	}
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
