package gguf

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// MemAvailable returns MemAvailable from a /proc/meminfo style file, in
// bytes: the kernel's own estimate of what can be allocated without
// swapping, which counts reclaimable page cache (where an mmapped model
// lives).
func MemAvailable(path string) (int64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("gguf: reading available memory: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Bytes()
		rest, ok := bytes.CutPrefix(line, []byte("MemAvailable:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) < 1 {
			break
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil || kb < 0 {
			return 0, fmt.Errorf("gguf: %s: bad MemAvailable line %q", path, line)
		}
		return kb << 10, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("gguf: reading %s: %w", path, err)
	}
	return 0, fmt.Errorf("gguf: %s has no MemAvailable line", path)
}
