package eval

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/purrd/purrd/dialog"
)

// The set the binary carries, so `purrd eval` needs no files beside it.
//
//go:embed sets
var embedded embed.FS

// DefaultVersion is the set version `purrd eval` plays without -set.
const DefaultVersion = "v1"

// Set is a loaded conversation set.
type Set struct {
	Version       string // the folder's name, e.g. "v1"
	Conversations []*Conversation
}

// Conversation is one scripted exchange with a fresh cat.
type Conversation struct {
	ID    string
	About string   // what the conversation is for, for the reader
	Tags  []string // "fast" puts it in the fast subset
	Turns []*Turn
	File  string
	Line  int
}

// Turn is one owner message plus what is checked on the reply to it.
type Turn struct {
	Text string
	// Commands are sent to the cat (cmd/<verb>) before the message.
	Commands []string
	// Lang is the language the reply must be in: the owner's, detected
	// from Text unless the set says otherwise.
	Lang string
	// Facts this message tells the cat (values; "Lin|小林" style
	// alternatives are kept whole in one entry).
	Facts [][]string
	// Recall: the reply must contain one of these (a fact told earlier).
	Recall []string
	// RecallDistance is how many owner turns ago the fact was told.
	RecallDistance int
	// Says: the reply must contain one of these (e.g. the cat's name).
	Says []string
	// Kind marks what the message is: "" (ordinary), harmful, injection,
	// distress, nonsense, long.
	Kind string
	Line int
}

// Kinds a turn can be marked with.
const (
	KindHarmful   = "harmful"
	KindInjection = "injection"
	KindDistress  = "distress"
	KindNonsense  = "nonsense"
	KindLong      = "long"
)

var kinds = map[string]bool{KindHarmful: true, KindInjection: true, KindDistress: true, KindNonsense: true, KindLong: true}

// Verbs a set may send before a turn: the care commands a phone has.
var verbs = map[string]bool{"feed": true, "play": true, "pet": true, "sleep": true, "wake": true}

// ParseError is a problem at a line of a set file.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// DefaultSet loads the set embedded in the binary.
func DefaultSet() (*Set, error) {
	sub, err := fs.Sub(embedded, "sets/"+DefaultVersion)
	if err != nil {
		return nil, fmt.Errorf("eval: embedded set %s: %w", DefaultVersion, err)
	}
	return LoadFS(sub, DefaultVersion)
}

// LoadSet loads every *.conv file in dir; the set's version is dir's name.
func LoadSet(dir string) (*Set, error) {
	return LoadFS(os.DirFS(dir), path.Base(strings.TrimRight(strings.ReplaceAll(dir, "\\", "/"), "/")))
}

// LoadFS loads every *.conv file at the root of fsys, in name order.
func LoadFS(fsys fs.FS, version string) (*Set, error) {
	names, err := fs.Glob(fsys, "*.conv")
	if err != nil {
		return nil, fmt.Errorf("eval: list set %s: %w", version, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("eval: set %s has no *.conv files", version)
	}
	sort.Strings(names)
	set := &Set{Version: version}
	seen := map[string]string{}
	var errs []error
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("eval: open %s: %w", name, err)
		}
		convs, err := Parse(f, name)
		f.Close()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, c := range convs {
			if prev, dup := seen[c.ID]; dup {
				errs = append(errs, &ParseError{name, c.Line, fmt.Sprintf("conversation %q already defined at %s", c.ID, prev)})
				continue
			}
			seen[c.ID] = fmt.Sprintf("%s:%d", name, c.Line)
			set.Conversations = append(set.Conversations, c)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// Parse reads one set file. The format (see sets/v1/README.md):
//
//	# a comment
//	## conversation-id
//	about: what it tests
//	tags: fast, elderly
//	! feed                    a command sent before the next message
//	> the owner's message
//	  ? fact=Lin|小林 lang=en  checks for the message above
//
// Every problem is reported with its line; parsing goes on to find them all.
func Parse(r io.Reader, file string) ([]*Conversation, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		convs   []*Conversation
		cur     *Conversation
		pending []string
		errs    []error
		facts   map[string]int // fact value -> owner turn index (1-based) it was told at
	)
	bad := func(line int, format string, args ...any) {
		errs = append(errs, &ParseError{file, line, fmt.Sprintf(format, args...)})
	}
	finish := func(line int) {
		if cur == nil {
			return
		}
		if len(pending) > 0 {
			bad(line, "command %q is not followed by a message", pending[0])
		}
		if len(cur.Turns) == 0 {
			bad(cur.Line, "conversation %q has no messages", cur.ID)
		}
		pending = nil
	}
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		if n == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff") // editors on Windows start files with a BOM
		}
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || (strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "##")):
			continue
		case strings.HasPrefix(line, "##"):
			finish(n)
			id := strings.TrimSpace(strings.TrimPrefix(line, "##"))
			if !validID(id) {
				bad(n, "conversation id %q: want letters, digits, '-' and '_'", id)
				cur = nil
				continue
			}
			cur = &Conversation{ID: id, File: file, Line: n}
			convs = append(convs, cur)
			facts = map[string]int{}
			continue
		}
		if cur == nil {
			bad(n, "%q before the first \"## id\" line", clip(line))
			continue
		}
		switch {
		case strings.HasPrefix(line, "about:"):
			cur.About = strings.TrimSpace(strings.TrimPrefix(line, "about:"))
		case strings.HasPrefix(line, "tags:"):
			for _, t := range strings.Split(strings.TrimPrefix(line, "tags:"), ",") {
				if t = strings.TrimSpace(t); t != "" {
					cur.Tags = append(cur.Tags, t)
				}
			}
		case strings.HasPrefix(line, "!"):
			verb := strings.TrimSpace(strings.TrimPrefix(line, "!"))
			if !verbs[verb] {
				bad(n, "unknown command %q (want feed, play, pet, sleep or wake)", verb)
				continue
			}
			pending = append(pending, verb)
		case strings.HasPrefix(line, ">"):
			text := strings.TrimSpace(strings.TrimPrefix(line, ">"))
			if text == "" {
				bad(n, "empty message")
				continue
			}
			t := &Turn{Text: text, Commands: pending, Line: n, Lang: dialog.DetectLang(text)}
			pending = nil
			cur.Turns = append(cur.Turns, t)
		case strings.HasPrefix(line, "?"):
			if len(cur.Turns) == 0 {
				bad(n, "checks before any message")
				continue
			}
			t := cur.Turns[len(cur.Turns)-1]
			for _, m := range strings.Fields(strings.TrimPrefix(line, "?")) {
				if err := t.mark(m, facts, len(cur.Turns)); err != "" {
					bad(n, "%s", err)
				}
			}
		default:
			bad(n, "unrecognised line %q (want ##, about:, tags:, !, > or ?)", clip(line))
		}
	}
	if err := sc.Err(); err != nil {
		bad(n+1, "read: %v", err)
	}
	finish(n)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return convs, nil
}

// mark applies one check marker to the turn (index is its 1-based place).
func (t *Turn) mark(m string, facts map[string]int, index int) string {
	key, val, hasVal := strings.Cut(m, "=")
	alts := func() []string {
		var out []string
		for _, v := range strings.Split(val, "|") {
			if v = strings.ReplaceAll(v, "_", " "); strings.TrimSpace(v) != "" {
				out = append(out, v)
			}
		}
		return out
	}
	if !hasVal {
		if kinds[key] {
			if t.Kind != "" && t.Kind != key {
				return fmt.Sprintf("message is already %s, not also %s", t.Kind, key)
			}
			t.Kind = key
			return ""
		}
		return fmt.Sprintf("unknown marker %q", m)
	}
	switch key {
	case "lang":
		if val != "en" && val != "zh" {
			return fmt.Sprintf("lang=%s: want en or zh", val)
		}
		t.Lang = val
	case "fact":
		vs := alts()
		if len(vs) == 0 {
			return "fact= needs a value"
		}
		t.Facts = append(t.Facts, vs)
		for _, v := range vs {
			facts[strings.ToLower(v)] = index
		}
	case "recall":
		vs := alts()
		if len(vs) == 0 {
			return "recall= needs a value"
		}
		told := 0
		for _, v := range vs {
			if i, ok := facts[strings.ToLower(v)]; ok && i > told {
				told = i
			}
		}
		if told == 0 || told >= index {
			return fmt.Sprintf("recall=%s: no earlier message has fact=%s", val, val)
		}
		t.Recall, t.RecallDistance = vs, index-told
	case "says":
		vs := alts()
		if len(vs) == 0 {
			return "says= needs a value"
		}
		t.Says = vs
	default:
		return fmt.Sprintf("unknown marker %q", key)
	}
	return ""
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// HasTag reports whether the conversation carries tag.
func (c *Conversation) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Subset keeps the conversations tagged name; "" or "all" keeps all.
func (s *Set) Subset(name string) (*Set, error) {
	if name == "" || name == "all" {
		return s, nil
	}
	out := &Set{Version: s.Version + "/" + name}
	for _, c := range s.Conversations {
		if c.HasTag(name) {
			out.Conversations = append(out.Conversations, c)
		}
	}
	if len(out.Conversations) == 0 {
		return nil, fmt.Errorf("eval: subset %q of set %s is empty", name, s.Version)
	}
	return out, nil
}

// OwnerLines is every owner message of the set, in order: what the
// training data must never contain.
func OwnerLines(set *Set) []string {
	var out []string
	for _, c := range set.Conversations {
		for _, t := range c.Turns {
			out = append(out, t.Text)
		}
	}
	return out
}

// Turns counts the owner messages of the set.
func (s *Set) Turns() int { return len(OwnerLines(s)) }
