// Package statedir keeps the files purrd must not lose across restarts
// (mood, memory of the owner) in one directory, written atomically: a reader
// — or the next boot after a power cut — sees either the old file or the new
// one, never a torn mix. A file that is unreadable anyway (disk damage, a
// hand edit) is moved aside, not trusted and not fatal.
package statedir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Dir is a state directory.
type Dir struct {
	path string
	now  func() time.Time
}

// Open creates the directory (mode 0700: the owner's facts are private)
// when it does not exist yet.
func Open(path string) (*Dir, error) {
	if path == "" {
		return nil, errors.New("statedir: empty path")
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("statedir: mkdir %s: %w", path, err)
	}
	return &Dir{path: path, now: time.Now}, nil
}

// Path is the directory.
func (d *Dir) Path() string { return d.path }

// CorruptError says a state file could not be used and where it was moved.
type CorruptError struct {
	File, MovedTo string
	Err           error
	// MoveErr is why the file could not be moved aside (MovedTo then
	// says so too): it is still where a fresh write would replace it,
	// so a caller holding the owner's data must not write one.
	MoveErr error
}

func (e *CorruptError) Error() string {
	if e.MoveErr != nil {
		return fmt.Sprintf("statedir: %s is unusable (%v) and could not be moved aside (%v)", e.File, e.Err, e.MoveErr)
	}
	return fmt.Sprintf("statedir: %s is unusable (%v); moved aside to %s, starting fresh", e.File, e.Err, e.MovedTo)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Write replaces name with data: temp file in the same directory, fsync,
// rename over the old file, fsync the directory so the rename itself
// survives a power cut.
func (d *Dir) Write(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	final := filepath.Join(d.path, name)
	tmp, err := os.CreateTemp(d.path, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("statedir: create temp for %s: %w", final, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("statedir: write %s: %w", tmpName, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("statedir: fsync %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("statedir: close %s: %w", tmpName, err)
	}
	if err := os.Rename(tmpName, final); err != nil {
		return fmt.Errorf("statedir: rename %s to %s: %w", tmpName, final, err)
	}
	ok = true
	dir, err := os.Open(d.path)
	if err != nil {
		return fmt.Errorf("statedir: open dir %s for fsync: %w", d.path, err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fmt.Errorf("statedir: fsync dir %s: %w", d.path, err)
	}
	return nil
}

// Read returns the content of name after validate accepts it. A missing
// file returns an error satisfying errors.Is(err, fs.ErrNotExist). A file
// that cannot be read or that validate rejects is renamed to
// name.corrupt-<time> and a *CorruptError is returned; the caller starts
// fresh. Leftover temp files of an interrupted Write are removed.
func (d *Dir) Read(name string, validate func([]byte) error) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	d.removeTemps(name)
	final := filepath.Join(d.path, name)
	data, err := os.ReadFile(final)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("statedir: read %s: %w", final, err)
	}
	if err == nil && validate != nil {
		err = validate(data)
	}
	if err == nil {
		return data, nil
	}
	aside := fmt.Sprintf("%s.corrupt-%s", final, d.now().UTC().Format("20060102T150405.000000000"))
	if rerr := os.Rename(final, aside); rerr != nil {
		return nil, &CorruptError{File: final, MovedTo: "(nowhere: " + rerr.Error() + ")", Err: err, MoveErr: rerr}
	}
	return nil, &CorruptError{File: final, MovedTo: aside, Err: err}
}

func (d *Dir) removeTemps(name string) {
	matches, _ := filepath.Glob(filepath.Join(d.path, "."+name+".tmp-*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("statedir: bad file name %q", name)
	}
	return nil
}
