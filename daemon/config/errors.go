package config

import (
	"sort"
	"strings"

	"github.com/purrd/purrd/internal/yamlstrict"
)

// Problem is one thing wrong in a config or profile file; String formats
// it as "file:line: key.path: what is wrong". File is the name as given to
// Load, Parse or LoadProfile.
type Problem = yamlstrict.Problem

// Errors is every problem found in one load, so a person can fix them all
// in one go instead of one per restart.
type Errors struct {
	Problems []Problem
}

// Error joins the problems, one per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sortProblems orders by file (the config before the files it names),
// then line, keeping the order of discovery within a line.
func sortProblems(ps []Problem, first string) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			if a.File == first || b.File == first {
				return a.File == first
			}
			return a.File < b.File
		}
		return a.Line < b.Line
	})
}
