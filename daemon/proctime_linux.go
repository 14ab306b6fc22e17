package daemon

import (
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// userHZ is the unit of /proc's clock-tick fields (USER_HZ: 100 on every
// architecture Linux runs purrd on).
const userHZ = 100

// processStart is when the kernel started this process: the starttime of
// its main thread's stat (clock ticks since boot, set at fork, so exec and
// the Go runtime's start are included) against CLOCK_BOOTTIME, to the 10 ms
// of a tick. ok is false when it cannot be read or makes no sense.
//
// The main thread's file, /proc/self/task/<pid>/stat, not /proc/self/stat:
// the kernel gives both the process's start, but qemu-user (the ARM test
// runs) answers /proc/self/stat itself with the start of the calling
// thread, and a Go program may ask from a thread made much later.
func processStart() (t time.Time, ok bool) {
	pid := strconv.Itoa(os.Getpid())
	data, err := os.ReadFile("/proc/self/task/" + pid + "/stat")
	if err != nil {
		return time.Time{}, false
	}
	// Fields after the command name (which may hold spaces) start at ')':
	// state is field 3, starttime field 22.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return time.Time{}, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 20 {
		return time.Time{}, false
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return time.Time{}, false
	}
	now := time.Now()
	age := time.Duration(ts.Nano()) - time.Duration(ticks)*(time.Second/userHZ)
	if age < 0 {
		return time.Time{}, false
	}
	return now.Add(-age), true
}
