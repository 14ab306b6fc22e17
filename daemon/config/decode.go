package config

import (
	"strings"

	"github.com/purrd/purrd/internal/yamlstrict"
)

// maxFileSize bounds a config or profile file; real ones are a few KiB.
const maxFileSize = yamlstrict.MaxFileSize

// decoder reads one config or profile file with the rules every purrd
// YAML file follows (internal/yamlstrict) and carries its problems through
// defaults and validation, which point at lines through at and lineOf.
type decoder struct {
	*yamlstrict.Decoder
}

func newDecoder(file string) *decoder {
	d := yamlstrict.New(file, "a config file")
	d.UnknownKey = inlineSecret
	return &decoder{d}
}

// at reports a problem at the line of path, or of its nearest parent in
// the file; nothing more is said about a value that failed to decode.
func (d *decoder) at(path, format string, args ...any) { d.At(path, format, args...) }

func (d *decoder) lineOf(path string) int { return d.LineOf(path) }

// has says whether path was written in the file with a non-null value.
func (d *decoder) has(path string) bool { return d.Has(path) }

// secretKeys are keys people reach for when they mean to inline a secret;
// they get a pointed message instead of "unknown key".
var secretKeys = map[string]bool{"password": true, "passwd": true, "pass": true, "secret": true, "token": true, "api_key": true, "psk": true}

func inlineSecret(key string) string {
	if secretKeys[strings.ToLower(key)] {
		return "inline secrets are not allowed; put the secret in a file (mode 0600) and set password_file to its path"
	}
	return ""
}
