package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in a config or profile file.
type Problem struct {
	File string // the file name as given to Load/Parse/LoadProfile
	Line int    // 1-based; 0 when the problem is about the whole file
	Path string // key path, e.g. hardware.devices[2].address; "" for syntax or file-level problems
	Msg  string
}

// String formats the problem as "file:line: key.path: what is wrong",
// leaving out the parts that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

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
