package persona

import (
	"errors"
	"fmt"
	"os"

	"github.com/purrd/purrd/internal/yamlstrict"
)

// MaxFileSize bounds a persona file; anything larger is not a persona.
const MaxFileSize = yamlstrict.MaxFileSize

// maxProblems bounds how many problems one error lists.
const maxProblems = 10

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
// ("persona: name:line: key: problem"). The file follows the rules of every
// purrd YAML file (internal/yamlstrict). Keys not in data keep Default's
// values; a map in the file replaces only the entries it names.
func Parse(name string, data []byte) (*Persona, error) {
	d := yamlstrict.New(name, "a persona file")
	p := Default()
	if root := d.Parse(data, Version); root != nil && d.Version(root, Version) {
		d.Decode(root, p)
	}
	if probs := d.Problems(); len(probs) > 0 {
		errs := make([]error, 0, min(len(probs), maxProblems))
		for _, pr := range probs[:min(len(probs), maxProblems)] {
			errs = append(errs, errors.New("persona: "+pr.String()))
		}
		return nil, errors.Join(errs...)
	}
	p.Path = name
	if err := p.validate(); err != nil {
		var ve *valueError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("persona: %s:%d: %s: %s", name, d.LineOf(ve.key), ve.key, ve.msg)
		}
		return nil, fmt.Errorf("persona: %s: %w", name, err)
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("persona: %s: %w", name, err)
	}
	return p, nil
}
