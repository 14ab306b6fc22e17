package sd

import "golang.org/x/sys/unix"

func monotonicUsec() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return int64(ts.Sec)*1_000_000 + int64(ts.Nsec)/1000
}
