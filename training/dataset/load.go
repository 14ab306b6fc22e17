package dataset

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/purrd/purrd/dialog"
)

// commonScope is the slot file every conversation may use.
const commonScope = "common"

// maxNesting stops slot values that refer to each other in a cycle.
const maxNesting = 8

// maxRendered stops slots that multiply each other into huge text.
const maxRendered = 4096

// slotTable finds slot definitions by scope and name.
type slotTable map[string]map[string]*slotDef

// lookup resolves a reference from a file of the given language: the
// file's own slots, then its language's slot file, then common.slots.
func (t slotTable) lookup(file, lang string, ref *slotRef) *slotDef {
	if ref.scope != "" {
		return t[ref.scope][ref.name]
	}
	for _, scope := range []string{file, lang, commonScope} {
		if d := t[scope][ref.name]; d != nil {
			return d
		}
	}
	return nil
}

// Load reads every *.slots and *.conv file in dir (not its subdirectories),
// checks them and returns the expanded conversations, ordered by file name,
// then source line, then expansion index.
func Load(dir string) ([]Conversation, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dataset: Load(%q): %w", dir, err)
	}
	var files []sourceFile
	for _, e := range entries { // ReadDir sorts by name
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".conv") && !strings.HasSuffix(name, ".slots") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("dataset: Load(%q): %w", dir, err)
		}
		files = append(files, sourceFile{name, string(src)})
	}
	return load(files)
}

// LoadFile checks one .conv file's text, named name (topic.LANG.conv),
// with no slot files beside it, and returns its conversations: what Load
// would make of a folder holding only that file.
func LoadFile(name, src string) ([]Conversation, error) {
	if !strings.HasSuffix(name, ".conv") {
		return nil, errAt(name, 0, "file name must be topic.en.conv, topic.zh.conv or topic.mix.conv")
	}
	return load([]sourceFile{{name, src}})
}

type sourceFile struct{ name, src string }

func load(files []sourceFile) ([]Conversation, error) {
	table := slotTable{}
	var convs []*convTemplate
	for _, f := range files {
		lang := ""
		if strings.HasSuffix(f.name, ".conv") {
			l, ok := convLang(f.name)
			if !ok {
				return nil, errAt(f.name, 0, "file name must be topic.en.conv, topic.zh.conv or topic.mix.conv")
			}
			lang = l
		}
		pf, err := parseFile(f.name, lang, f.src)
		if err != nil {
			return nil, err
		}
		for _, d := range pf.slots {
			if table[d.scope] == nil {
				table[d.scope] = map[string]*slotDef{}
			}
			table[d.scope][d.name] = d
		}
		convs = append(convs, pf.convs...)
	}
	if err := checkRefs(table, convs); err != nil {
		return nil, err
	}
	var out []Conversation
	for _, c := range convs {
		for k := range c.count {
			conv, err := expand(table, c, k)
			if err != nil {
				return nil, err
			}
			out = append(out, conv)
		}
	}
	return out, nil
}

// checkRefs reports unknown slots and fields before anything is expanded,
// so the error names the line that holds the reference.
func checkRefs(table slotTable, convs []*convTemplate) error {
	var walk func(file, lang string, line int, nodes []node) error
	walk = func(file, lang string, line int, nodes []node) error {
		for _, n := range nodes {
			if n.slot != nil {
				d := table.lookup(file, lang, n.slot)
				if d == nil {
					return errAt(file, line, "unknown slot %s", n.slot)
				}
				if n.slot.field >= len(d.values[0]) {
					return errAt(file, line, "slot %s has no field %d ($%s has %d)", n.slot, n.slot.field, d.name, len(d.values[0]))
				}
			}
			for _, a := range n.alts {
				if err := walk(file, lang, line, a); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, c := range convs {
		lines := []tline{}
		if c.mood != nil {
			lines = append(lines, *c.mood)
		}
		if c.pet != nil {
			lines = append(lines, *c.pet)
		}
		lines = append(lines, c.facts...)
		for _, t := range c.turns {
			lines = append(lines, t.tline)
		}
		for _, l := range lines {
			if err := walk(c.file, c.lang, l.line, l.nodes); err != nil {
				return err
			}
		}
		if c.pet == nil && table.lookup(c.file, c.lang, &slotRef{name: "pet"}) == nil {
			return errAt(c.file, c.line, "no pet name: define $pet or write pet:")
		}
	}
	// Slot values may refer to other slots; they resolve in the scope of
	// the file that defines them (a language's slots see common ones).
	scopes := make([]string, 0, len(table))
	for s := range table {
		scopes = append(scopes, s)
	}
	slices.Sort(scopes)
	for _, s := range scopes {
		names := make([]string, 0, len(table[s]))
		for n := range table[s] {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			d := table[s][n]
			lang, _ := convLang(d.file)
			if lang == "" {
				lang = d.scope
			}
			for _, v := range d.values {
				for _, f := range v {
					if err := walk(d.file, lang, d.line, f); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// expansion renders the templates of one conversation for expansion index k.
type expansion struct {
	table slotTable
	c     *convTemplate
	k     int
	rng   uint64
	bound map[*slotDef]int
	links map[string]int
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// next is splitmix64: a small deterministic generator seeded per conversation.
func (e *expansion) next() uint64 {
	e.rng += 0x9e3779b97f4a7c15
	z := e.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// pick chooses a value of d. Bound slots rotate with k from an offset
// hashed from the conversation and slot, so the expansions of one
// conversation get different names, pets and likes; fresh draws come from
// the conversation's generator.
func (e *expansion) pick(d *slotDef, fresh bool) int {
	n := len(d.values)
	if fresh {
		return int(e.next() % uint64(n))
	}
	if i, ok := e.bound[d]; ok {
		return i
	}
	off := hashString(fmt.Sprintf("%s:%d/%s:%s", e.c.file, e.c.line, d.scope, d.name))
	i := int((off + uint64(e.k)) % uint64(n))
	e.bound[d] = i
	return i
}

func (e *expansion) render(file, lang string, line int, nodes []node, depth int) (string, error) {
	if depth > maxNesting {
		return "", errAt(file, line, "slots nest more than %d deep (a cycle?)", maxNesting)
	}
	var b strings.Builder
	for _, n := range nodes {
		switch {
		case n.slot != nil:
			d := e.table.lookup(file, lang, n.slot)
			v := d.values[e.pick(d, n.slot.fresh)][n.slot.field]
			dlang, _ := convLang(d.file)
			if dlang == "" {
				dlang = d.scope
			}
			s, err := e.render(d.file, dlang, d.line, v, depth+1)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case n.isAlt:
			i := int(e.next() % uint64(len(n.alts)))
			if n.link != "" {
				j, ok := e.links[n.link]
				switch {
				case !ok:
					e.links[n.link] = i
				case j >= len(n.alts):
					return "", errAt(file, line, "linked choice @%s has %d options, fewer than where it was first used", n.link, len(n.alts))
				default:
					i = j
				}
			}
			s, err := e.render(file, lang, line, n.alts[i], depth+1)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		default:
			b.WriteString(n.text)
		}
		if b.Len() > maxRendered {
			return "", errAt(file, line, "expands to more than %d bytes", maxRendered)
		}
	}
	return b.String(), nil
}

// line renders a template line of the conversation and tidies its spacing.
func (e *expansion) line(tl tline) (string, error) {
	s, err := e.render(e.c.file, e.c.lang, tl.line, tl.nodes, 0)
	if err != nil {
		return "", err
	}
	return tidy(s), nil
}

// tidy collapses the double spaces an empty alternative leaves behind.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, p := range []string{",", ".", "!", "?"} {
		s = strings.ReplaceAll(s, " "+p, p)
	}
	return s
}

// capitalize starts every sentence with a capital letter, since slots such
// as {drink} are lower case wherever they land.
func capitalize(s string) string {
	b := []byte(s)
	start := true
	for i, c := range b {
		switch {
		case start && c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
			start = false
		case c == '.' && i > 0 && b[i-1] == '.':
			start = false // an ellipsis trails off; the sentence goes on
		case c == '.' || c == '!' || c == '?':
			start = i+1 < len(b) && b[i+1] == ' '
		case c != ' ':
			start = false
		}
	}
	return string(b)
}

func expand(table slotTable, c *convTemplate, k int) (Conversation, error) {
	e := &expansion{
		table: table,
		c:     c,
		k:     k,
		rng:   hashString(fmt.Sprintf("%s:%d#%d", c.file, c.line, k)),
		bound: map[*slotDef]int{},
		links: map[string]int{},
	}
	conv := Conversation{ID: fmt.Sprintf("%s:%d#%d", c.file, c.line, k), Lang: c.lang}
	var err error
	if conv.Mood, err = e.line(*c.mood); err != nil {
		return conv, err
	}
	for _, f := range c.facts {
		s, err := e.line(f)
		if err != nil {
			return conv, err
		}
		// "fact: {|My name is {name}.}" is a fact only some expansions
		// know: the owner's name beside other memories, as at run time.
		if strings.TrimSpace(s) == "" {
			continue
		}
		if err := checkFact(c, f, s); err != nil {
			return conv, err
		}
		conv.Facts = append(conv.Facts, s)
	}
	for _, t := range c.turns {
		s, err := e.line(t.tline)
		if err != nil {
			return conv, err
		}
		conv.Turns = append(conv.Turns, dialog.Turn{Role: t.role, Text: capitalize(s)})
	}
	pet := tline{line: c.line, nodes: []node{{slot: &slotRef{name: "pet"}}}}
	if c.pet != nil {
		pet = *c.pet
	}
	if conv.PetName, err = e.line(pet); err != nil {
		return conv, err
	}
	if err := validate(c, k, conv); err != nil {
		return conv, err
	}
	return conv, nil
}
