package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// maxNodes bounds how many values one file may expand to (a full config
// has a few hundred), so an alias bomb ("billion laughs") is reported
// instead of eating the robot's memory and time.
const maxNodes = 10000

// maxFileSize bounds a config or profile file; real ones are a few KiB.
const maxFileSize = 1 << 20

var durationType = reflect.TypeFor[time.Duration]()

// decoder walks a yaml.Node tree into a schema struct, collecting every
// problem with its line and remembering where each key was, so validation
// can point at lines too. It exists because yaml.v3's own decoding stops at
// the first unknown key and cannot say which keys were present.
type decoder struct {
	file     string
	problems []Problem
	lines    map[string]int // key path -> line of the key (or of the element)
	nulls    map[string]bool
	keys     map[string][]string // mapping path -> keys present, in file order
	bad      map[string]bool     // paths whose value could not be decoded
	rootLine int
	nodes    int
	tooBig   bool
}

func newDecoder(file string) *decoder {
	return &decoder{
		file:  file,
		lines: map[string]int{},
		nulls: map[string]bool{},
		keys:  map[string][]string{},
		bad:   map[string]bool{},
	}
}

func (d *decoder) addf(line int, path, format string, args ...any) {
	if path != "" {
		d.bad[path] = true
	}
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// at reports a problem at the line of path, or of its nearest parent that
// is in the file (a missing key is reported where its mapping starts).
// Nothing more is said about a value that already failed to decode: its
// zero value would only add a confusing second problem.
func (d *decoder) at(path, format string, args ...any) {
	for p := path; p != ""; p = parentPath(p) {
		if d.bad[p] {
			return
		}
	}
	d.addf(d.lineOf(path), path, format, args...)
}

func (d *decoder) lineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := d.lines[p]; ok {
			return l
		}
	}
	return d.rootLine
}

// has says whether path was written in the file with a non-null value.
func (d *decoder) has(path string) bool {
	_, ok := d.lines[path]
	return ok && !d.nulls[path]
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// parseDoc parses data into its single document's root node. It returns
// nil when problems were recorded.
func (d *decoder) parseDoc(data []byte) (root *yaml.Node) {
	if len(data) > maxFileSize {
		d.addf(0, "", "file is %d bytes; a config file is at most %d", len(data), maxFileSize)
		return nil
	}
	defer func() {
		// yaml.v3 reports errors by panicking internally and recovering;
		// anything that escapes is still a bad file, not a reason to crash.
		if r := recover(); r != nil {
			d.addf(0, "", "cannot parse YAML: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			d.addf(0, "", "file is empty; expected a mapping starting with \"version: %d\"", Version)
			return nil
		}
		d.yamlError(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.addf(extra.Line, "", "a second YAML document (---) is not allowed; a config file holds one")
		return nil
	} else if err.Error() != "EOF" {
		d.yamlError(err)
		return nil
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	if root == nil || (root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null") {
		d.addf(0, "", "file is empty; expected a mapping starting with \"version: %d\"", Version)
		return nil
	}
	d.rootLine = root.Line
	if root.Kind != yaml.MappingNode {
		d.addf(root.Line, "", "expected a mapping of keys at the top level, got %s", describe(root))
		return nil
	}
	return root
}

// yamlError turns a yaml.v3 syntax error ("yaml: line 3: did not find
// expected key") into problems with their line numbers.
func (d *decoder) yamlError(err error) {
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
		d.addf(line, "", "invalid YAML: %s", m)
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
		if n.ShortTag() == "!!str" {
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "something else"
}

// secretKeys are keys people reach for when they mean to inline a secret;
// they get a pointed message instead of "unknown key".
var secretKeys = map[string]bool{"password": true, "passwd": true, "pass": true, "secret": true, "token": true, "api_key": true, "psk": true}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.tooBig {
		return
	}
	if d.nodes++; d.nodes > maxNodes {
		d.tooBig = true
		d.addf(n.Line, path, "file expands to more than %d values (aliases?); refusing to read further", maxNodes)
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.addf(n.Line, path, "alias *%s has no anchor", n.Value)
			return
		}
		n = n.Alias
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
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.addf(n.Line, path, "expected a list, got %s", describe(n))
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
		if n.Kind != yaml.ScalarNode || !plainTag(n.ShortTag()) {
			d.addf(n.Line, path, "expected a string, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || err != nil {
			d.addf(n.Line, path, "expected true or false, got %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.integer(n, v, path)
	case reflect.Float32, reflect.Float64:
		f, ok := number(n)
		if !ok {
			d.addf(n.Line, path, "expected a number, got %s", describe(n))
			return
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			d.addf(n.Line, path, "expected a finite number, got %s", n.Value)
			return
		}
		v.SetFloat(f)
	default:
		// Only reachable if the schema grows a type this walker lacks.
		d.addf(n.Line, path, "internal error: no decoder for %s", t)
	}
}

// plainTag reports whether a scalar may be read as a string: YAML resolves
// bus: 1 or name: 2024-01-01 to other types, but people mean the text.
func plainTag(tag string) bool {
	switch tag {
	case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
		return true
	}
	return false
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.addf(n.Line, path, "expected a mapping of keys, got %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			d.addf(k.Line, path, "keys must be plain words, got %s", describe(k))
			continue
		}
		key := k.Value
		sub := join(path, key)
		if k.ShortTag() == "!!merge" {
			d.addf(k.Line, path, "merge keys (<<) are not supported; write the keys out")
			continue
		}
		if l, dup := first[key]; dup {
			d.addf(k.Line, sub, "duplicate key (first set at line %d)", l)
			continue
		}
		first[key] = k.Line
		idx, ok := fields[key]
		if !ok {
			switch {
			case secretKeys[strings.ToLower(key)]:
				d.addf(k.Line, sub, "inline secrets are not allowed; put the secret in a file (mode 0600) and set password_file to its path")
			default:
				d.addf(k.Line, sub, "unknown key%s", suggest(key, fields))
			}
			continue
		}
		d.lines[sub] = k.Line
		d.keys[path] = append(d.keys[path], key)
		d.decode(val, v.Field(idx), sub)
	}
}

// fieldsOf maps yaml key names to struct field indexes.
func fieldsOf(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
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

func (d *decoder) integer(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		d.addf(n.Line, path, "expected a whole number, got %s", describe(n))
		return
	}
	plain := strings.ReplaceAll(n.Value, "_", "")
	bits := v.Type().Bits()
	switch v.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if strings.HasPrefix(plain, "-") {
			d.addf(n.Line, path, "must not be negative, got %s", n.Value)
			return
		}
		u, err := strconv.ParseUint(strings.TrimPrefix(plain, "+"), 0, bits)
		if err != nil {
			d.addf(n.Line, path, "%s is not a whole number from 0 to %d", n.Value, uint64(1)<<bits-1)
			return
		}
		v.SetUint(u)
	default:
		i, err := strconv.ParseInt(plain, 0, bits)
		if err != nil {
			d.addf(n.Line, path, "%s is not a whole number that fits in %d bits", n.Value, bits)
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
	tag := n.ShortTag()
	plain := strings.ReplaceAll(n.Value, "_", "")
	switch tag {
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

func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.addf(n.Line, path, "expected a duration like \"800ms\" or \"2s\", got %s", describe(n))
		return
	}
	tag := n.ShortTag()
	if tag == "!!int" || tag == "!!float" {
		if f, ok := number(n); ok && f == 0 {
			v.SetInt(0)
			return
		}
		d.addf(n.Line, path, "%s has no unit; write e.g. \"%sms\" or \"%ss\"", n.Value, n.Value, n.Value)
		return
	}
	if tag != "!!str" {
		d.addf(n.Line, path, "expected a duration like \"800ms\" or \"2s\", got %s", describe(n))
		return
	}
	dur, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		d.addf(n.Line, path, "%q is not a duration (write e.g. \"800ms\", \"2s\", \"5m\")", n.Value)
		return
	}
	if dur < 0 {
		d.addf(n.Line, path, "must not be negative, got %s", n.Value)
		return
	}
	v.SetInt(int64(dur))
}
