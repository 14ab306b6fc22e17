//go:build !linux

package daemon

import "time"

// processStart is not known outside Linux: Run's own start is used instead.
func processStart() (time.Time, bool) { return time.Time{}, false }
