package daemon

import (
	"runtime"
	"sync"
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

// TestProcessStartFromNewThreads: the answer is the process's start from
// any thread, including threads the runtime makes long after it began
// (under qemu-user, /proc/self/stat tells the calling thread's start).
func TestProcessStartFromNewThreads(t *testing.T) {
	time.Sleep(50 * time.Millisecond) // threads made from now on start later than the process
	const n = 8
	starts := make([]time.Time, n)
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	hold := make(chan struct{})
	for i := range n {
		go func() {
			defer done.Done()
			// Each goroutine keeps a thread of its own until all have one,
			// so at least some of them run on threads made just now.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			<-hold
			starts[i], _ = processStart()
		}()
	}
	ready.Wait()
	close(hold)
	done.Wait()
	for i, s := range starts {
		if s.IsZero() || s.After(testInit.Add(time.Millisecond)) {
			t.Errorf("thread %d: process start %v, after the package's init %v", i, s, testInit)
		}
		if d := s.Sub(starts[0]).Abs(); d > 20*time.Millisecond {
			t.Errorf("thread %d: process start %v differs from thread 0's %v by %v", i, s, starts[0], d)
		}
	}
}
