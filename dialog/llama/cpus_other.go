//go:build !linux

package llama

import "time"

// allowedCPUs lists the CPUs this process may run on; nil when unknown
// (then every CPU Go sees counts as a core).
func allowedCPUs() []int { return nil }

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
