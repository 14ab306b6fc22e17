package daemon

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkStartToReady measures process start to READY=1 on the sim board
// with the fallback brain (goal: under 300 ms). Each iteration is a whole
// process, timed from just before exec: exec, the Go runtime, config,
// state, broker, link, READY.
func BenchmarkStartToReady(b *testing.B) {
	buildPurrd(b)
	var total, worst time.Duration
	b.ResetTimer()
	for range b.N {
		p := startBenchProc(b)
		p.waitNote("READY=1", 20*time.Second)
		d := time.Since(p.execAt)
		total, worst = total+d, max(worst, d)
		b.StopTimer()
		p.signal(syscall.SIGTERM)
		p.wait(10 * time.Second)
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-ready")
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms-to-ready")
}

// BenchmarkStopToExit measures SIGTERM to process exit on the sim board
// with the fallback brain and a phone subscribed, so that the link flushes
// and hands "offline" to a subscriber; budget-% is the worst stop as a
// share of shutdownBudget (goal: well under 100).
func BenchmarkStopToExit(b *testing.B) {
	buildPurrd(b)
	var total, worst time.Duration
	for range b.N {
		b.StopTimer()
		p := startBenchProc(b)
		p.waitNote("READY=1", 20*time.Second)
		ph := p.phone()
		ph.publish(p.base+"/cmd/ping", `{"id":"before-stop"}`)
		ph.await(p.base+"/response/ping", 10*time.Second, idIs("before-stop"))
		b.StartTimer()
		t0 := time.Now()
		p.signal(syscall.SIGTERM)
		if code := p.wait(stopWait); code != 0 {
			b.Fatalf("exit %d after SIGTERM", code)
		}
		d := time.Since(t0)
		if d > 2*time.Second {
			b.Logf("slow stop %v:\n%s", d, p.stderr.String())
		}
		total, worst = total+d, max(worst, d)
		// The broker hands "offline" over before it closes; the phone's
		// client may still be reading it.
		for until := time.Now().Add(2 * time.Second); lastOf(ph.raw(p.base+"/availability")) != "offline" && time.Now().Before(until); {
			time.Sleep(10 * time.Millisecond)
		}
		if last := lastOf(ph.raw(p.base + "/availability")); last != "offline" {
			b.Errorf("availability after the stop %q, want offline", last)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-exit")
	b.ReportMetric(float64(worst)/float64(shutdownBudget)*100, "budget-%")
}

// BenchmarkIdle runs the daemon idle and reports its CPU use and resident
// memory (goals: under 0.5 % of one core, under 25 MB without a model).
// Each iteration is one idle window of PURRD_IDLE_SECONDS (default 10;
// `make bench` sets 60 with -benchtime 1x); the figures are over all b.N
// windows of one process.
func BenchmarkIdle(b *testing.B) {
	secs := 10
	if v, err := strconv.Atoi(os.Getenv("PURRD_IDLE_SECONDS")); err == nil && v > 0 {
		secs = v
	}
	p := startBenchProc(b)
	p.waitNote("READY=1", 20*time.Second)
	time.Sleep(time.Second) // let start-up work finish
	pid := p.cmd.Process.Pid
	b.ResetTimer()
	t0, w0 := cpuTicks(b, pid), time.Now()
	for range b.N {
		time.Sleep(time.Duration(secs) * time.Second)
	}
	t1, wall := cpuTicks(b, pid), time.Since(w0)
	b.StopTimer()
	rss := statusKB(b, pid, "VmRSS:")
	hwm := statusKB(b, pid, "VmHWM:")
	p.signal(syscall.SIGTERM)
	p.wait(10 * time.Second)
	const hz = 100 // USER_HZ on Linux
	b.ReportMetric(float64(t1-t0)/hz/wall.Seconds()*100, "cpu-%")
	b.ReportMetric(float64(rss)/1024, "rss-MB")
	b.ReportMetric(float64(hwm)/1024, "peak-rss-MB")
}

func startBenchProc(b *testing.B) *proc {
	b.Helper()
	return startProc(b, "log: {level: warn, format: text}\n")
}

func cpuTicks(b *testing.B, pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name (which may hold spaces) start at ')'.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return ut + st
}

func statusKB(b *testing.B, pid int, key string) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, key) {
			n, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return n
		}
	}
	b.Fatalf("%s not in /proc/%d/status", key, pid)
	return 0
}
