package dataset

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// node is one piece of a parsed template: literal text, a slot reference
// or a choice between alternatives.
type node struct {
	text  string
	slot  *slotRef
	alts  [][]node
	isAlt bool
	link  string // "@name" choices pick the same alternative everywhere in a conversation
}

// slotRef is {name}, {name.1}, {~name} or {zh:name}.
type slotRef struct {
	scope string // "" for the usual lookup order, else a slot file's scope
	name  string
	field int
	fresh bool // draw anew at this place instead of using the conversation's binding
}

func (r *slotRef) String() string {
	s := r.name
	if r.scope != "" {
		s = r.scope + ":" + s
	}
	if r.field > 0 {
		s += "." + strconv.Itoa(r.field)
	}
	if r.fresh {
		s = "~" + s
	}
	return "{" + s + "}"
}

// parseTemplate parses literal text with {slot} references and
// {a|b|c} alternatives, which may nest. {@q a|b} and {@q x|y} are linked:
// both take the same position, so a question and its answer stay paired. A backslash escapes the next
// character so that braces and bars can be written literally.
func parseTemplate(s string) ([]node, error) {
	p := templateParser{src: []rune(s)}
	nodes, err := p.sequence(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("unexpected %q at column %d", p.src[p.pos], p.pos+1)
	}
	return nodes, nil
}

type templateParser struct {
	src []rune
	pos int
}

// sequence reads until the end, or at depth > 0 until an unescaped | or }.
func (p *templateParser) sequence(depth int) ([]node, error) {
	var out []node
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, node{text: lit.String()})
			lit.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				return nil, errors.New("backslash at end of line")
			}
			lit.WriteRune(p.src[p.pos+1])
			p.pos += 2
		case c == '{':
			flush()
			n, err := p.brace(depth)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		case c == '}' || c == '|':
			if depth == 0 {
				return nil, fmt.Errorf("unexpected %q at column %d (escape it with \\)", c, p.pos+1)
			}
			flush()
			return out, nil
		default:
			lit.WriteRune(c)
			p.pos++
		}
	}
	if depth > 0 {
		return nil, errors.New("unclosed {")
	}
	flush()
	return out, nil
}

// brace reads {...} starting at the opening brace.
func (p *templateParser) brace(depth int) (node, error) {
	start := p.pos
	p.pos++
	end := p.pos
	for end < len(p.src) && isSlotRune(p.src[end]) {
		end++
	}
	if end < len(p.src) && p.src[end] == '}' && end > p.pos {
		ref, err := parseSlotRef(string(p.src[p.pos:end]))
		if err != nil {
			return node{}, fmt.Errorf("column %d: %w", start+1, err)
		}
		p.pos = end + 1
		return node{slot: ref}, nil
	}
	link := ""
	if p.pos < len(p.src) && p.src[p.pos] == '@' {
		end := p.pos + 1
		for end < len(p.src) && p.src[end] != ' ' && isSlotRune(p.src[end]) {
			end++
		}
		if end >= len(p.src) || p.src[end] != ' ' || !validName(string(p.src[p.pos+1:end])) {
			return node{}, fmt.Errorf("column %d: a linked choice is {@name a|b}", start+1)
		}
		link = string(p.src[p.pos+1 : end])
		p.pos = end + 1
	}
	var alts [][]node
	for {
		seq, err := p.sequence(depth + 1)
		if err != nil {
			return node{}, err
		}
		alts = append(alts, seq)
		if p.pos >= len(p.src) {
			return node{}, errors.New("unclosed {")
		}
		c := p.src[p.pos]
		p.pos++
		if c == '}' {
			break
		}
	}
	if len(alts) < 2 {
		return node{}, fmt.Errorf("column %d: {%s} is neither a slot name nor a choice with |", start+1, string(p.src[start+1:p.pos-1]))
	}
	return node{alts: alts, isAlt: true, link: link}, nil
}

func isSlotRune(r rune) bool {
	return r == '_' || r == '~' || r == ':' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func parseSlotRef(s string) (*slotRef, error) {
	ref := &slotRef{}
	if rest, ok := strings.CutPrefix(s, "~"); ok {
		ref.fresh = true
		s = rest
	}
	if scope, rest, ok := strings.Cut(s, ":"); ok {
		ref.scope = scope
		s = rest
	}
	if name, field, ok := strings.Cut(s, "."); ok {
		n, err := strconv.Atoi(field)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad field %q in slot {%s}", field, s)
		}
		ref.field = n
		s = name
	}
	if !validName(s) || (ref.scope != "" && !validName(ref.scope)) {
		return nil, fmt.Errorf("bad slot name {%s}", s)
	}
	ref.name = s
	return ref, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
