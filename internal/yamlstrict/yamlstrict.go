// Package yamlstrict reads purrd's own YAML files (the config, board
// profiles, personas) into Go structs with one set of rules, and reports
// every problem as "file:line: key.path: what is wrong".
//
// yaml.v3 parses the text; this package walks the parsed yaml.Node tree
// itself. yaml.v3's Decoder.KnownFields does list every unknown key with its
// line, but decoding into Go values cannot give what the callers need:
//
//   - the line of every key path, so problems found after decoding (a
//     value out of range, two devices on one pin) point at the file too;
//   - which keys were written at all: absent means "take the default", a
//     written key is checked as written (outbox_size: 0 is an error);
//   - key paths in messages (yaml.v3 names the Go type: "field debouce not
//     found in type config.Hardware");
//   - the documented scalar rules, where yaml.v3 is laxer: a bool is true
//     or false (yaml.v3 also takes yes/on into a bool), a string is not a
//     bare true/false, a duration needs a unit, numbers are finite and
//     integers fit their field without truncation (yaml.v3 turns 1.5 into
//     1); merge keys are refused;
//   - maps that replace only the entries a file names (a persona's
//     touch_zones keeps the default zones it does not list).
//
// Anchors and aliases are allowed (the config documents them), but what
// aliases add is bounded: MaxAliasValues, so an alias bomb is one problem,
// not the robot's memory. Without aliases a file has at most a few values
// per byte, and files are at most MaxFileSize.
package yamlstrict

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// MaxFileSize bounds one file; purrd's files are a few KiB.
const MaxFileSize = 1 << 20

// MaxAliasValues bounds how many values aliases may add to a file (every
// value reached through an alias counts, nested ones too).
const MaxAliasValues = 10000

// Problem is one thing wrong in a file.
type Problem struct {
	File string // the file name as given by the caller
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

// Decoder reads one file. Its problems list grows through parsing,
// decoding and the caller's own validation (At), so one pass reports
// everything wrong with the file.
type Decoder struct {
	// Kind names the file in messages, e.g. "a config file".
	Kind string
	// UnknownKey, when set, may word the problem for a key the schema does
	// not have; returning "" keeps the default "unknown key" message.
	UnknownKey func(key string) string

	file     string
	problems []Problem
	lines    map[string]int // key path -> line of the key (or of the list element)
	nulls    map[string]bool
	keys     map[string][]string // mapping path -> keys present, in file order
	bad      map[string]bool     // paths whose value could not be decoded
	rootLine int
	aliased  int // values reached through aliases so far
	inAlias  int // depth of aliases being followed
	tooBig   bool
}

// New returns a decoder for the file called file (used in problems only).
func New(file, kind string) *Decoder {
	return &Decoder{
		Kind:  kind,
		file:  file,
		lines: map[string]int{},
		nulls: map[string]bool{},
		keys:  map[string][]string{},
		bad:   map[string]bool{},
	}
}

// Problems returns every problem recorded so far, in the order found.
func (d *Decoder) Problems() []Problem { return d.problems }

// Stopped reports whether decoding gave up (aliases expand too far); the
// decoded value is then incomplete and should not be validated further.
func (d *Decoder) Stopped() bool { return d.tooBig }

// RootLine is the line of the top-level mapping.
func (d *Decoder) RootLine() int { return d.rootLine }

// Addf records a problem at line for path ("" for none). A path with a
// problem is "bad": At says nothing more about it or what is below it.
func (d *Decoder) Addf(line int, path, format string, args ...any) {
	if path != "" {
		d.bad[path] = true
	}
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// At records a problem at the line of path, or of its nearest parent that
// is in the file (a missing key is reported where its mapping starts).
// Nothing more is said about a value that already failed to decode: its
// zero value would only add a confusing second problem.
func (d *Decoder) At(path, format string, args ...any) {
	for p := path; p != ""; p = parentPath(p) {
		if d.bad[p] {
			return
		}
	}
	d.Addf(d.LineOf(path), path, format, args...)
}

// LineOf is the line of path, or of its nearest parent in the file, or of
// the top-level mapping.
func (d *Decoder) LineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := d.lines[p]; ok {
			return l
		}
	}
	return d.rootLine
}

// Has says whether path was written in the file with a non-null value.
func (d *Decoder) Has(path string) bool {
	_, ok := d.lines[path]
	return ok && !d.nulls[path]
}

// Keys lists the keys written in the mapping at path, in file order
// (only keys the schema knows).
func (d *Decoder) Keys(path string) []string { return d.keys[path] }

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// Join appends key to the key path path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Parse parses data into its single document's top-level mapping. It
// returns nil when problems were recorded. version, when not 0, is the
// format version the file must start with; it is only named in messages
// here (see Version).
func (d *Decoder) Parse(data []byte, version int) (root *yaml.Node) {
	empty := "file is empty; expected a mapping of keys"
	if version != 0 {
		empty = fmt.Sprintf("file is empty; expected a mapping starting with \"version: %d\"", version)
	}
	if len(data) > MaxFileSize {
		d.Addf(0, "", "file is %d bytes; %s is at most %d", len(data), d.Kind, MaxFileSize)
		return nil
	}
	defer func() {
		// yaml.v3 reports errors by panicking internally and recovering;
		// anything that escapes is still a bad file, not a reason to crash.
		if r := recover(); r != nil {
			d.Addf(0, "", "cannot parse YAML: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			d.Addf(0, "", "%s", empty)
			return nil
		}
		d.yamlError(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.Addf(extra.Line, "", "a second YAML document (---) is not allowed; %s holds one", d.Kind)
		return nil
	} else if err.Error() != "EOF" {
		d.yamlError(err)
		return nil
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	if root == nil || (root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null") {
		d.Addf(0, "", "%s", empty)
		return nil
	}
	d.rootLine = root.Line
	if root.Kind != yaml.MappingNode {
		d.Addf(root.Line, "", "expected a mapping of keys at the top level, got %s", describe(root))
		return nil
	}
	return root
}

// Version insists on "version: want" in root. A missing version is
// reported and reading may go on (the rest is probably that version); a
// wrong one returns false: its other keys may mean something else.
func (d *Decoder) Version(root *yaml.Node, want int) bool {
	const p = "version"
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != "version" {
			continue
		}
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		n, err := strconv.ParseInt(v.Value, 0, 64)
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || err != nil {
			d.Addf(v.Line, p, "expected %d, got %s", want, describe(v))
			return false
		}
		if n != int64(want) {
			d.Addf(v.Line, p, "version %s is not supported; this purrd reads version %d", v.Value, want)
			return false
		}
		return true
	}
	d.Addf(d.rootLine, p, "missing; add \"version: %d\" as the first line", want)
	return true
}

// yamlError turns a yaml.v3 syntax error ("yaml: line 3: did not find
// expected key") into problems with their line numbers.
func (d *Decoder) yamlError(err error) {
	msgs := []string{err.Error()}
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		line := 0
		if rest, ok := strings.CutPrefix(m, "line "); ok {
			if i := strings.Index(rest, ": "); i > 0 {
				if n, err := strconv.Atoi(rest[:i]); err == nil && n > 0 {
					line, m = n, rest[i+2:]
				}
			}
		}
		d.Addf(line, "", "invalid YAML: %s", m)
	}
}

// describe names a node's shape for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" && n.Value == "" {
			return "nothing"
		}
		if n.ShortTag() == "!!str" {
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "something else"
}

var durationType = reflect.TypeFor[time.Duration]()

// Decode walks root into v, a pointer to a struct. Only what the file
// writes is set: fields it leaves out (or writes as null) keep their
// values, and a map gets the entries the file names on top of the ones it
// already has (each named entry decoded afresh).
func (d *Decoder) Decode(root *yaml.Node, v any) {
	d.decode(root, reflect.ValueOf(v).Elem(), "")
}

func (d *Decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.tooBig {
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.Addf(n.Line, path, "alias *%s has no anchor", n.Value)
			return
		}
		d.inAlias++
		defer func() { d.inAlias-- }()
		n = n.Alias
	}
	if d.inAlias > 0 {
		if d.aliased++; d.aliased > MaxAliasValues {
			d.tooBig = true
			d.Addf(n.Line, path, "aliases expand to more than %d values; refusing to read further", MaxAliasValues)
			return
		}
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		d.nulls[path] = true
		return
	}
	t := v.Type()
	if t == durationType {
		d.duration(n, v, path)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Map:
		d.mapEntries(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.Addf(n.Line, path, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.lines[p] = e.Line
			d.decode(e, s.Index(i), p)
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || !stringTag(n.ShortTag()) {
			if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
				d.Addf(n.Line, path, "expected a string, got %s (quote it if you mean the word)", n.Value)
				return
			}
			d.Addf(n.Line, path, "expected a string, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || err != nil {
			d.Addf(n.Line, path, "expected true or false, got %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.integer(n, v, path)
	case reflect.Float32, reflect.Float64:
		f, ok := number(n)
		if !ok {
			d.Addf(n.Line, path, "expected a number, got %s", describe(n))
			return
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			d.Addf(n.Line, path, "expected a finite number, got %s", n.Value)
			return
		}
		v.SetFloat(f)
	default:
		// Only reachable if a schema grows a type this walker lacks.
		d.Addf(n.Line, path, "internal error: no decoder for %s", t)
	}
}

// stringTag reports whether a scalar may be read as a string: YAML resolves
// bus: 1 or name: 2024-01-01 to other types, but people mean the text. A
// bare true or false is refused: it is more often a slip than a name.
func stringTag(tag string) bool {
	switch tag {
	case "!!str", "!!int", "!!float", "!!timestamp":
		return true
	}
	return false
}

// key resolves a mapping key node to its text, or records why it cannot.
func (d *Decoder) key(k *yaml.Node, path string) (string, bool) {
	if k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode || k.Value == "" {
		d.Addf(k.Line, path, "keys must be plain words, got %s", describe(k))
		return "", false
	}
	if k.ShortTag() == "!!merge" {
		d.Addf(k.Line, path, "merge keys (<<) are not supported; write the keys out")
		return "", false
	}
	return k.Value, true
}

// eachKey calls f for every key of the mapping n, with its key path and
// value, once: keys that are not plain words, merge keys and repeated keys
// are reported and skipped.
func (d *Decoder) eachKey(n *yaml.Node, path string, f func(k *yaml.Node, key, sub string, val *yaml.Node)) {
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.key(k, path)
		if !ok {
			continue
		}
		sub := Join(path, key)
		if l, dup := first[key]; dup {
			d.Addf(k.Line, sub, "duplicate key (first set at line %d)", l)
			continue
		}
		first[key] = k.Line
		f(k, key, sub, val)
	}
}

func (d *Decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.Addf(n.Line, path, "expected a mapping of keys, got %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	d.eachKey(n, path, func(k *yaml.Node, key, sub string, val *yaml.Node) {
		idx, ok := fields[key]
		if !ok {
			msg := ""
			if d.UnknownKey != nil {
				msg = d.UnknownKey(key)
			}
			if msg == "" {
				msg = "unknown key" + suggest(key, fields)
			}
			d.Addf(k.Line, sub, "%s", msg)
			return
		}
		d.lines[sub] = k.Line
		d.keys[path] = append(d.keys[path], key)
		d.decode(val, v.Field(idx), sub)
	})
}

// mapEntries decodes a mapping into a map with string keys. Entries the
// file names replace entries of the same key; other entries stay.
func (d *Decoder) mapEntries(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.Addf(n.Line, path, "expected a mapping, got %s", describe(n))
		return
	}
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		d.Addf(n.Line, path, "internal error: no decoder for %s", t)
		return
	}
	m := reflect.MakeMap(t)
	if !v.IsNil() {
		iter := v.MapRange()
		for iter.Next() {
			m.SetMapIndex(iter.Key(), iter.Value())
		}
	}
	d.eachKey(n, path, func(k *yaml.Node, key, sub string, val *yaml.Node) {
		d.lines[sub] = k.Line
		d.keys[path] = append(d.keys[path], key)
		elem := reflect.New(t.Elem()).Elem()
		d.decode(val, elem, sub)
		m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), elem)
	})
	v.Set(m)
}

// fieldsOf maps yaml key names to the indexes of exported struct fields.
func fieldsOf(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		m[name] = i
	}
	return m
}

// suggest names the closest known key when a key looks like a typo.
func suggest(key string, fields map[string]int) string {
	best, bestD := "", 3
	for name := range fields {
		if dist := editDistance(strings.ToLower(key), name); dist < bestD || (dist == bestD && name < best) {
			best, bestD = name, dist
		}
	}
	if best == "" || bestD > 2 || len(key) < 3 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// integer reads a whole number. int and uint are read as 32 bits wide on
// every machine, so a file accepted on a 64-bit board is accepted on a
// 32-bit one too.
func (d *Decoder) integer(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		d.Addf(n.Line, path, "expected a whole number, got %s", describe(n))
		return
	}
	plain := strings.ReplaceAll(n.Value, "_", "")
	bits := v.Type().Bits()
	if k := v.Kind(); k == reflect.Int || k == reflect.Uint {
		bits = 32
	}
	switch v.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if strings.HasPrefix(plain, "-") {
			d.Addf(n.Line, path, "must not be negative, got %s", n.Value)
			return
		}
		u, err := strconv.ParseUint(strings.TrimPrefix(plain, "+"), 0, bits)
		if err != nil {
			d.Addf(n.Line, path, "%s is not a whole number from 0 to %d", n.Value, uint64(1)<<bits-1)
			return
		}
		v.SetUint(u)
	default:
		i, err := strconv.ParseInt(plain, 0, bits)
		if err != nil {
			d.Addf(n.Line, path, "%s is not a whole number that fits in %d bits", n.Value, bits)
			return
		}
		v.SetInt(i)
	}
}

// number reads an int or float scalar the way YAML resolves it.
func number(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode {
		return 0, false
	}
	plain := strings.ReplaceAll(n.Value, "_", "")
	switch n.ShortTag() {
	case "!!int":
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return float64(i), true
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return float64(u), true
		}
	case "!!float":
		switch strings.ToLower(strings.TrimLeft(plain, "+-")) {
		case ".inf":
			return math.Inf(1), true
		case ".nan":
			return math.NaN(), true
		}
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return f, true
		}
	}
	return 0, false
}

func (d *Decoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.Addf(n.Line, path, "expected a duration like \"800ms\" or \"2s\", got %s", describe(n))
		return
	}
	tag := n.ShortTag()
	if tag == "!!int" || tag == "!!float" {
		if f, ok := number(n); ok && f == 0 {
			v.SetInt(0)
			return
		}
		d.Addf(n.Line, path, "%s has no unit; write e.g. \"%sms\" or \"%ss\"", n.Value, n.Value, n.Value)
		return
	}
	if tag != "!!str" {
		d.Addf(n.Line, path, "expected a duration like \"800ms\" or \"2s\", got %s", describe(n))
		return
	}
	dur, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		d.Addf(n.Line, path, "%q is not a duration (write e.g. \"800ms\", \"2s\", \"5m\")", n.Value)
		return
	}
	if dur < 0 {
		d.Addf(n.Line, path, "must not be negative, got %s", n.Value)
		return
	}
	v.SetInt(int64(dur))
}
