package persona

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds a persona file; anything larger is not a persona.
const MaxFileSize = 1 << 20

// Load reads and validates the persona file at path.
func Load(path string) (*Persona, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("persona: load %q: %w", path, err)
	}
	p, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Parse decodes a persona from data; name is used in error messages
// ("name:line: key: problem"). Keys not in data keep Default's values.
func Parse(name string, data []byte) (*Persona, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("persona: %s: file is %d bytes, more than %d", name, len(data), MaxFileSize)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("persona: %s: file is empty", name)
		}
		return nil, fmt.Errorf("persona: %s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("persona: %s:%d: more than one YAML document", name, extra.Line)
	}
	p := Default()
	d := &decoder{file: name, lines: map[string]int{}}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("persona: %s:%d: top level must be a mapping of keys", name, root.Line)
	}
	d.lines[""] = root.Line
	// Maps in the file replace whole entries of the defaults, so decode
	// into fresh maps only where the file names the key.
	d.decode(root, reflect.ValueOf(p).Elem(), "")
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	if _, ok := d.lines["version"]; !ok {
		return nil, fmt.Errorf("persona: %s:%d: version: missing (want %d)", name, root.Line, Version)
	}
	p.Path = name
	if err := p.validate(); err != nil {
		var ve *valueError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("persona: %s:%d: %s: %s", name, d.lineOf(ve.key), ve.key, ve.msg)
		}
		return nil, fmt.Errorf("persona: %s: %w", name, err)
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("persona: %s: %w", name, err)
	}
	return p, nil
}

// decoder walks a yaml.Node tree into Go values itself, so that every
// problem is reported with its line and full key path, unknown keys and
// duplicates included (yaml.v3's own decoder reports neither with a path).
type decoder struct {
	file  string
	lines map[string]int
	errs  []error
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	if len(d.errs) >= 10 {
		return
	}
	key := path
	if key == "" {
		key = "(top)"
	}
	d.errs = append(d.errs, fmt.Errorf("persona: %s:%d: %s: %s", d.file, n.Line, key, fmt.Sprintf(format, args...)))
}

// lineOf finds the line of key or of its nearest parent that has one.
func (d *decoder) lineOf(key string) int {
	for {
		if l, ok := d.lines[key]; ok {
			return l
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			return d.lines[""]
		}
		key = key[:i]
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var durationType = reflect.TypeOf(time.Duration(0))

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.fail(n, path, "anchors and aliases are not allowed")
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // "key:" with no value keeps the default
	}
	switch {
	case v.Type() == durationType:
		s, ok := d.scalar(n, path, "a duration like 90s or 3h")
		if !ok {
			return
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			d.fail(n, path, "invalid duration %q (want e.g. 90s, 10m, 3h)", s)
			return
		}
		if dur < 0 {
			d.fail(n, path, "duration %s is negative", dur)
			return
		}
		v.SetInt(int64(dur))
	case v.Kind() == reflect.Struct:
		d.decodeStruct(n, v, path)
	case v.Kind() == reflect.Map:
		d.decodeMap(n, v, path)
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case v.Kind() == reflect.String:
		s, ok := d.scalar(n, path, "a string")
		if !ok {
			return
		}
		if n.Tag == "!!bool" {
			d.fail(n, path, "want a string, got boolean %s (quote it)", n.Value)
			return
		}
		v.SetString(s)
	case v.Kind() == reflect.Float64:
		s, ok := d.scalar(n, path, "a number")
		if !ok {
			return
		}
		if n.Tag != "!!int" && n.Tag != "!!float" {
			d.fail(n, path, "want a number, got %q", s)
			return
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.fail(n, path, "want a finite number, got %q", s)
			return
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Int:
		s, ok := d.scalar(n, path, "a whole number")
		if !ok {
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 32)
		if n.Tag != "!!int" || err != nil {
			d.fail(n, path, "want a whole number, got %q", s)
			return
		}
		v.SetInt(i)
	default:
		d.fail(n, path, "unsupported field type %s", v.Type())
	}
}

func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want %s, got %s", want, describe(n))
		return "", false
	}
	return n.Value, true
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	default:
		return "something else"
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping of keys, got %s", describe(n))
		return
	}
	t := v.Type()
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "keys must be plain words")
			continue
		}
		kp := join(path, k.Value)
		if seen[k.Value] {
			d.fail(k, kp, "key appears twice")
			continue
		}
		seen[k.Value] = true
		field := -1
		for j := 0; j < t.NumField(); j++ {
			if t.Field(j).IsExported() && strings.Split(t.Field(j).Tag.Get("yaml"), ",")[0] == k.Value && k.Value != "-" {
				field = j
				break
			}
		}
		if field < 0 {
			d.fail(k, kp, "unknown key%s", suggest(t, k.Value))
			continue
		}
		d.lines[kp] = k.Line
		d.decode(val, v.Field(field), kp)
	}
}

// suggest names the valid keys so a typo is quick to fix.
func suggest(t reflect.Type, _ string) string {
	var names []string
	for j := 0; j < t.NumField(); j++ {
		if tag := strings.Split(t.Field(j).Tag.Get("yaml"), ",")[0]; t.Field(j).IsExported() && tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return " (known: " + strings.Join(names, ", ") + ")"
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, got %s", describe(n))
		return
	}
	// Entries named in the file replace the defaults' entries of the same
	// key; other default entries stay.
	m := reflect.MakeMap(v.Type())
	if !v.IsNil() {
		iter := v.MapRange()
		for iter.Next() {
			m.SetMapIndex(iter.Key(), iter.Value())
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.fail(k, path, "keys must be plain non-empty words")
			continue
		}
		kp := join(path, k.Value)
		if seen[k.Value] {
			d.fail(k, kp, "key appears twice")
			continue
		}
		seen[k.Value] = true
		d.lines[kp] = k.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, elem, kp)
		m.SetMapIndex(reflect.ValueOf(k.Value), elem)
	}
	v.Set(m)
}
