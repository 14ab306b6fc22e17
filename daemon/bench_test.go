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
// process: exec, config, state, broker, link, READY.
func BenchmarkStartToReady(b *testing.B) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		p := startBenchProc(b)
		start := time.Now()
		p.waitNote("READY=1", 20*time.Second)
		total += time.Since(start)
		p.signal(syscall.SIGTERM)
		p.wait(10 * time.Second)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-ready")
}

// BenchmarkIdle runs the daemon idle for PURRD_IDLE_SECONDS (default 10;
// `make bench` sets 60) and reports its CPU use and resident memory (goals:
// under 0.5 % of one core, under 25 MB without a model).
func BenchmarkIdle(b *testing.B) {
	secs := 10
	if v, err := strconv.Atoi(os.Getenv("PURRD_IDLE_SECONDS")); err == nil && v > 0 {
		secs = v
	}
	p := startBenchProc(b)
	p.waitNote("READY=1", 20*time.Second)
	time.Sleep(time.Second) // let start-up work finish
	pid := p.cmd.Process.Pid
	t0 := cpuTicks(b, pid)
	time.Sleep(time.Duration(secs) * time.Second)
	t1 := cpuTicks(b, pid)
	rss := statusKB(b, pid, "VmRSS:")
	hwm := statusKB(b, pid, "VmHWM:")
	p.signal(syscall.SIGTERM)
	p.wait(10 * time.Second)
	const hz = 100 // USER_HZ on Linux
	b.ReportMetric(float64(t1-t0)/hz/float64(secs)*100, "cpu-%")
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
