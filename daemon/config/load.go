package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Load reads, validates and completes the config file at path. A file that
// cannot be read is an error wrapping the os error (errors.Is(err,
// fs.ErrNotExist) tells a missing file); a file with problems returns a
// *Errors listing every one of them.
func Load(path string) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse validates and completes a config held in memory; name is the file
// name used in problems and the base for relative paths. Files the config
// names (persona, profile, model, password files...) are checked on disk.
func Parse(name string, data []byte) (*Config, error) {
	return parse(name, data, os.Hostname)
}

// LoadProfile reads a board profile (configs/boards/*.yaml) and returns its
// devices with their defaults applied.
func LoadProfile(path string) ([]Device, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	p, probs := parseProfile(path, data)
	if len(probs) > 0 {
		return nil, &Errors{Problems: probs}
	}
	return p.Devices, nil
}

// readFile reads at most maxFileSize+1 bytes so a wrong path pointing at a
// huge file cannot exhaust memory; the size check reports it.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: path, Err: err}
	}
	return data, nil
}

// Default returns a complete config with every default applied, as if an
// empty version 1 file were loaded, for robot id (sanitized like a
// hostname). Relative-path defaults (persona) are left empty.
func Default(id string) *Config {
	c := &Config{Version: Version}
	d := newDecoder("")
	applyDefaults(c, d, func() (string, error) { return id, nil }, "", nil)
	return c
}

func parse(name string, data []byte, hostname func() (string, error)) (*Config, error) {
	d := newDecoder(name)
	root := d.Parse(data, Version)
	if root == nil || !d.Version(root, Version) {
		return nil, &Errors{Problems: d.Problems()}
	}
	c := &Config{}
	d.Decode(root, c)
	if d.Stopped() {
		return nil, &Errors{Problems: d.Problems()}
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = filepath.Clean(name)
	}
	c.Path = abs
	dir := filepath.Dir(abs)
	written := c.Hardware.Profile
	resolvePaths(c, dir)

	var prof *Profile
	var extra []Problem
	if written != "" {
		prof, extra = d.loadReferencedProfile(name, written, c.Hardware.Profile)
	}
	applyDefaults(c, d, hostname, dir, prof)
	validate(c, d)

	probs := append(d.Problems(), extra...)
	if len(probs) > 0 {
		sortProblems(probs, name)
		return nil, &Errors{Problems: probs}
	}
	return c, nil
}

// loadReferencedProfile reads the profile named by hardware.profile; its
// problems carry the profile's own file name.
func (d *decoder) loadReferencedProfile(name, written, path string) (*Profile, []Problem) {
	shown := path
	if !filepath.IsAbs(written) {
		shown = filepath.Join(filepath.Dir(name), written)
	}
	data, err := readFile(path)
	if err != nil {
		d.at("hardware.profile", "%s", fileError(path, err))
		return nil, nil
	}
	p, probs := parseProfile(shown, data)
	if len(probs) > 0 {
		return nil, probs
	}
	return p, nil
}

func parseProfile(name string, data []byte) (*Profile, []Problem) {
	d := newDecoder(name)
	root := d.Parse(data, Version)
	if root == nil || !d.Version(root, Version) {
		return nil, d.Problems()
	}
	p := &Profile{}
	d.Decode(root, p)
	if d.Stopped() {
		return nil, d.Problems()
	}
	switch {
	case !d.has("board"):
		d.at("board", "required (sim or periph)")
	default:
		d.oneOf("board", p.Board, "sim", "periph")
	}
	if len(p.Devices) == 0 {
		d.at("devices", "a profile needs at least one device")
	}
	deviceDefaults(p.Devices, d, "devices")
	validateDevices(d, p.Devices, "devices")
	validateEngine(d, "brain.", p.Brain, true)
	if probs := d.Problems(); len(probs) > 0 {
		sortProblems(probs, name)
		return nil, probs
	}
	return p, nil
}

// fileError words a failed open/stat of a file the config names.
func fileError(path string, err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, os.ErrNotExist) {
		return path + " does not exist"
	}
	return fmt.Sprintf("cannot read %s: %v", path, err)
}
