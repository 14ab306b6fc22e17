package llama

import (
	"time"

	"golang.org/x/sys/unix"
)

// allowedCPUs lists the CPUs this process may run on; nil when unknown.
func allowedCPUs() []int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil
	}
	var cpus []int
	for c := 0; c < 1024; c++ {
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

// cpuTime is the CPU time this process has used (user and system): a
// benchmark on a busy machine divides work by it, not by the wall clock,
// to see past the time other processes took.
func cpuTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
