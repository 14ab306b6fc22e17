//go:build ignore

// Command distress-check reads owner messages labelled by a carer
// ([{"lang": "en", "text": "...", "kind": "none|fall|cant_get_up|medical|self_harm"}, ...])
// and reports how dialog.DetectDistress reads them: the false alarms (a
// "none" read as danger), the misses (danger read as none) and the danger
// read as another kind, with each message.
//
//	go run scripts/distress-check.go MESSAGES.json ...
//
// With -lines it reads unlabelled owner lines instead: of every eval set
// (a folder named set, or one inside a folder named sets, as
// docs/eval/*/set and dialog/eval/sets/v1 are) and training folder
// (any other, read by dataset.Load) given, and
// prints how many distinct owner lines they hold and each one
// DetectDistress reads as danger, with its kind, sorted. Run it before
// and after a change to the care words and diff the two outputs: they
// name every owner line the change reads otherwise.
//
//	go run scripts/distress-check.go -lines dialog/eval/sets/v1 docs/eval/*/set training/data training/data-* training/pairs*/chosen training/pairs*/rejected
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/eval"
	"github.com/purrd/purrd/training/dataset"
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
	if len(args) > 0 && args[0] == "-lines" {
		return lines(args[1:])
	}
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

// lines reads the owner lines of eval sets (a folder of *.conv in the
// eval's format) and training folders (dataset.Load), and prints those
// read as danger.
func lines(dirs []string) error {
	if len(dirs) == 0 {
		return fmt.Errorf("-lines: want one or more set or training folders")
	}
	seen := map[string]bool{}
	var danger []string
	add := func(l string) {
		if seen[l] {
			return
		}
		seen[l] = true
		if kind, ok := dialog.DetectDistress(l); ok {
			danger = append(danger, fmt.Sprintf("%s\t%s", kind, l))
		}
	}
	for _, dir := range dirs {
		if filepath.Base(dir) == "set" || filepath.Base(filepath.Dir(dir)) == "sets" {
			set, err := eval.LoadSet(dir)
			if err != nil {
				return err
			}
			for _, l := range eval.OwnerLines(set) {
				add(l)
			}
			continue
		}
		convs, err := dataset.Load(dir)
		if err != nil {
			return err
		}
		for _, c := range convs {
			for _, t := range c.Turns {
				if t.Role == "owner" {
					add(t.Text)
				}
			}
		}
	}
	sort.Strings(danger)
	fmt.Printf("%d distinct owner lines in %d folders, %d read as danger\n", len(seen), len(dirs), len(danger))
	for _, d := range danger {
		fmt.Println(d)
	}
	return nil
}
