package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSecret(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, content string
		mode          os.FileMode
		want          string
		loose         bool
		err           string // "" = no error; else the message after the path
	}{
		{"plain", "hunter2", 0o600, "hunter2", false, ""},
		{"newline", "hunter2\n", 0o600, "hunter2", false, ""},
		{"crlf", "hunter2\r\n", 0o400, "hunter2", false, ""},
		{"spaces kept", " pass word \n", 0o600, " pass word ", false, ""},
		{"group readable", "hunter2\n", 0o640, "hunter2", true, ""},
		{"world readable", "hunter2\n", 0o644, "hunter2", true, ""},
		{"empty", "", 0o600, "", false, "is empty"},
		{"only newline", "\n", 0o600, "", false, "is empty"},
		{"two newlines", "hunter2\n\n", 0o600, "", false, "has more than one line"},
		{"two lines", "user\npass\n", 0o600, "", false, "has more than one line"},
		{"too large", strings.Repeat("x", 4097), 0o600, "", false, "is larger than 4096 bytes"},
	}
	for _, tc := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, tc.mode); err != nil {
			t.Fatal(err)
		}
		got, loose, err := ReadSecretPerm(p)
		if tc.err != "" {
			if want := "config: secret " + p + " " + tc.err; err == nil || err.Error() != want {
				t.Errorf("%s: err = %v, want %q", tc.name, err, want)
			}
			continue
		}
		if err != nil || got != tc.want || loose != tc.loose {
			t.Errorf("%s: ReadSecretPerm = %q, %v, %v; want %q, %v", tc.name, got, loose, err, tc.want, tc.loose)
		}
	}
	if s, err := ReadSecret(filepath.Join(dir, "newline")); s != "hunter2" || err != nil {
		t.Errorf("ReadSecret = %q, %v", s, err)
	}
	if _, err := ReadSecret(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := ReadSecret(dir); err == nil || err.Error() != "config: secret "+dir+" is not a regular file" {
		t.Errorf("folder: %v", err)
	}
}
