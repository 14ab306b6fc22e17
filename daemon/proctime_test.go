package daemon

import (
	"runtime"
	"testing"
	"time"
)

// testInit is a moment after this test process started.
var testInit = time.Now()

// TestProcessStart: the kernel's start of this process is before the test
// package's init, by less than the process has been running.
func TestProcessStart(t *testing.T) {
	start, ok := processStart()
	if !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("processStart: /proc/self/stat or CLOCK_BOOTTIME unreadable on Linux")
		}
		return
	}
	// One tick of slack: starttime is rounded down to 10 ms, which only
	// makes start earlier; the slack is for the two clocks' readings.
	if start.After(testInit.Add(time.Millisecond)) {
		t.Fatalf("process start %v is after the package's init %v", start, testInit)
	}
	if time.Since(start) > time.Since(testInit)+time.Minute {
		t.Fatalf("process start %v is %v before the package's init: wrong clock", start, testInit.Sub(start))
	}
	t.Logf("process start to package init: %v", testInit.Sub(start))
}
