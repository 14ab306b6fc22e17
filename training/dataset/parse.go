package dataset

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// maxExpansions bounds "== xN" so a typo cannot blow the set up.
const maxExpansions = 100

// maxExchanges keeps conversations short enough for ~200-token training sequences.
const maxExchanges = 6

// slotDef is one $name definition: its values, each split into fields by "::".
type slotDef struct {
	scope  string
	name   string
	file   string
	line   int
	values [][][]node // value -> field -> template
}

// tline is a template with the line it came from.
type tline struct {
	line  int
	nodes []node
}

// tturn is one owner or cat line of a conversation template.
type tturn struct {
	role string // "owner" or "pet"
	tline
}

// convTemplate is one "==" block before expansion.
type convTemplate struct {
	file  string
	line  int
	lang  string
	count int
	mood  *tline
	pet   *tline
	facts []tline
	turns []tturn
}

// sourceError is a parse or validation failure at a file and line.
type sourceError struct {
	file string
	line int
	what string
}

func (e *sourceError) Error() string {
	return fmt.Sprintf("dataset: %s:%d: %s", e.file, e.line, e.what)
}

func errAt(file string, line int, format string, args ...any) error {
	return &sourceError{file: file, line: line, what: fmt.Sprintf(format, args...)}
}

// convLang returns the language of a "topic.lang.conv" file name.
func convLang(file string) (string, bool) {
	base := strings.TrimSuffix(file, ".conv")
	i := strings.LastIndexByte(base, '.')
	if i < 0 {
		return "", false
	}
	switch l := base[i+1:]; l {
	case "en", "zh", "mix":
		return l, true
	}
	return "", false
}

// parsedFile is what one file contributes: slot definitions and conversations.
type parsedFile struct {
	slots []*slotDef
	convs []*convTemplate
}

// parseFile parses a .conv file (lang != "") or a .slots file (lang == "").
// Slot definitions in a .conv file are local to it, so their scope is the
// file name.
func parseFile(file, lang, src string) (*parsedFile, error) {
	pf := &parsedFile{}
	scope := strings.TrimSuffix(file, ".slots")
	if lang != "" {
		scope = file
	}
	var defaultMood *tline
	var cur *convTemplate
	var lastSlot *slotDef
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "|") && lastSlot != nil && raw != line {
			if err := addValues(lastSlot, line[1:]); err != nil {
				return nil, errAt(file, lineNo, "slot $%s: %v", lastSlot.name, err)
			}
			continue
		}
		lastSlot = nil
		if rest, ok := strings.CutPrefix(line, "$"); ok {
			if cur != nil {
				return nil, errAt(file, lineNo, "slot definitions belong before the first conversation")
			}
			def, err := parseSlotDef(pf, scope, file, lineNo, rest)
			if err != nil {
				return nil, err
			}
			lastSlot = def
			continue
		}
		if lang == "" {
			return nil, errAt(file, lineNo, "a slot file holds only $name = value | value lines")
		}
		if rest, ok := strings.CutPrefix(line, "=="); ok {
			c, err := parseHeader(file, lineNo, lang, rest)
			if err != nil {
				return nil, err
			}
			c.mood = defaultMood
			pf.convs = append(pf.convs, c)
			cur = c
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, errAt(file, lineNo, "expected \"owner:\", \"cat:\", \"mood:\", \"fact:\", \"pet:\", \"==\" or \"$slot =\"")
		}
		key = strings.TrimSpace(key)
		val = strings.TrimSpace(val)
		nodes, err := parseTemplate(val)
		if err != nil {
			return nil, errAt(file, lineNo, "%v", err)
		}
		tl := tline{line: lineNo, nodes: nodes}
		if cur == nil {
			if key != "mood" {
				return nil, errAt(file, lineNo, "%q before the first \"==\" conversation header", key+":")
			}
			defaultMood = &tl
			continue
		}
		switch key {
		case "mood":
			cur.mood = &tl
		case "pet":
			cur.pet = &tl
		case "fact":
			if len(cur.turns) > 0 {
				return nil, errAt(file, lineNo, "fact: after the first turn (facts are known before the conversation; let the owner say later ones)")
			}
			cur.facts = append(cur.facts, tl)
		case "owner", "cat":
			role := "owner"
			if key == "cat" {
				role = "pet"
			}
			if err := addTurn(cur, role, tl); err != nil {
				return nil, errAt(file, lineNo, "%v", err)
			}
		default:
			return nil, errAt(file, lineNo, "unknown key %q", key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, errAt(file, lineNo, "%v", err)
	}
	for _, c := range pf.convs {
		if err := checkShape(c); err != nil {
			return nil, err
		}
	}
	return pf, nil
}

func parseHeader(file string, line int, lang, rest string) (*convTemplate, error) {
	c := &convTemplate{file: file, line: line, lang: lang, count: 1}
	fields := strings.Fields(rest)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "x") {
		n, err := strconv.Atoi(fields[0][1:])
		if err == nil {
			if n < 1 || n > maxExpansions {
				return nil, errAt(file, line, "expansion count %d out of range 1..%d", n, maxExpansions)
			}
			c.count = n
		}
	}
	return c, nil
}

func addTurn(c *convTemplate, role string, tl tline) error {
	n := len(c.turns)
	switch {
	case n == 0 && role == "pet":
		return fmt.Errorf("conversation starts with a cat line (the owner speaks first)")
	case n > 0 && c.turns[n-1].role == role && role == "owner":
		return fmt.Errorf("two owner lines in a row (missing cat reply)")
	case n > 0 && c.turns[n-1].role == role:
		return fmt.Errorf("two cat lines in a row (one reply per owner line)")
	}
	c.turns = append(c.turns, tturn{role: role, tline: tl})
	return nil
}

func checkShape(c *convTemplate) error {
	switch {
	case len(c.turns) == 0:
		return errAt(c.file, c.line, "conversation has no turns")
	case c.turns[len(c.turns)-1].role != "pet":
		return errAt(c.file, c.turns[len(c.turns)-1].line, "missing cat reply after the last owner line")
	case len(c.turns)/2 > maxExchanges:
		return errAt(c.file, c.line, "conversation has %d exchanges (at most %d)", len(c.turns)/2, maxExchanges)
	case c.mood == nil:
		return errAt(c.file, c.line, "conversation has no mood")
	}
	return nil
}

func parseSlotDef(pf *parsedFile, scope, file string, line int, rest string) (*slotDef, error) {
	name, vals, ok := strings.Cut(rest, "=")
	extend := false
	if ok && strings.HasSuffix(name, "+") {
		extend = true
		name = strings.TrimSuffix(name, "+")
	}
	name = strings.TrimSpace(name)
	if !ok || !validName(name) {
		return nil, errAt(file, line, "expected $name = value | value")
	}
	var def *slotDef
	for _, d := range pf.slots {
		if d.name == name {
			def = d
		}
	}
	switch {
	case def != nil && !extend:
		return nil, errAt(file, line, "slot $%s defined twice (use += to add values)", name)
	case def == nil && extend:
		return nil, errAt(file, line, "slot $%s extended before it is defined", name)
	case def == nil:
		def = &slotDef{scope: scope, name: name, file: file, line: line}
		pf.slots = append(pf.slots, def)
	}
	if err := addValues(def, vals); err != nil {
		return nil, errAt(file, line, "slot $%s: %v", name, err)
	}
	return def, nil
}

// addValues splits a value list on top-level "|" and each value on "::".
func addValues(def *slotDef, s string) error {
	for _, v := range splitTop(s, "|") {
		var fields [][]node
		for _, f := range splitTop(v, "::") {
			f = strings.TrimSpace(f)
			if f == "" {
				return fmt.Errorf("empty value")
			}
			nodes, err := parseTemplate(f)
			if err != nil {
				return err
			}
			fields = append(fields, nodes)
		}
		if len(def.values) > 0 && len(def.values[0]) != len(fields) {
			return fmt.Errorf("value %q has %d fields, the first value has %d", strings.TrimSpace(v), len(fields), len(def.values[0]))
		}
		def.values = append(def.values, fields)
	}
	return nil
}

// splitTop splits s on sep outside braces and escapes.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case s[i] == '{':
			depth++
		case s[i] == '}':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			i += len(sep) - 1
			start = i + 1
		}
	}
	return append(out, s[start:])
}
