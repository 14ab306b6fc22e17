package config

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// maxSecret bounds a password file; anything larger is the wrong file.
const maxSecret = 4096

// ReadSecret reads a password file: the whole file is the secret, less one
// trailing newline ("\n" or "\r\n", as editors and echo leave). Empty files,
// files of more than one line and files over 4 KiB are refused.
func ReadSecret(path string) (string, error) {
	s, _, err := ReadSecretPerm(path)
	return s, err
}

// ReadSecretPerm is ReadSecret that also reports loose, true when group or
// others have any permission on the file. The daemon should log a warning
// then: as with ssh keys it is a mistake worth fixing, not a reason to
// leave the robot offline.
func ReadSecretPerm(path string) (secret string, loose bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", false, fmt.Errorf("config: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", false, fmt.Errorf("config: secret %s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSecret+1))
	if err != nil {
		return "", false, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > maxSecret {
		return "", false, fmt.Errorf("config: secret %s is larger than %d bytes", path, maxSecret)
	}
	s := string(data)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	switch {
	case s == "":
		return "", false, fmt.Errorf("config: secret %s is empty", path)
	case strings.ContainsAny(s, "\r\n"):
		return "", false, fmt.Errorf("config: secret %s has more than one line", path)
	}
	return s, fi.Mode().Perm()&0o077 != 0, nil
}
