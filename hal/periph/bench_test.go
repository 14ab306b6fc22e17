package periph

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/devices/v3/cap1xxx"

	"github.com/purrd/purrd/hal"
)

// benchPin is an edge source that, unlike gpiotest.Pin (which allocates a
// timer per wait), allocates nothing, so the benchmark measures purrd's
// code, not the fake's.
type benchPin struct {
	*gpiotest.Pin
	edges chan gpio.Level
	level atomic.Bool // true = High
	timer *time.Timer
	// entries counts waits in the watcher's main loop (long timeouts, as
	// opposed to the debounce lockout's short ones); armed carries them.
	entries atomic.Int64
	armed   chan int64
}

func newBenchPin() *benchPin {
	p := &benchPin{Pin: &gpiotest.Pin{N: "GPIO17"}, edges: make(chan gpio.Level, 1), timer: time.NewTimer(time.Hour), armed: make(chan int64, 64)}
	p.timer.Stop()
	p.level.Store(true)
	return p
}

func (p *benchPin) In(gpio.Pull, gpio.Edge) error { return nil }
func (p *benchPin) Read() gpio.Level              { return gpio.Level(p.level.Load()) }
func (p *benchPin) WaitForEdge(d time.Duration) bool {
	if d >= waitSlice/2 {
		select {
		case p.armed <- p.entries.Add(1):
		default:
		}
	}
	p.timer.Reset(d)
	select {
	case l := <-p.edges:
		p.timer.Stop()
		p.level.Store(bool(l))
		return true
	case <-p.timer.C:
		return false
	}
}

// BenchmarkEdgeToEvent measures from an edge arriving at the pin to the
// event reaching emit, one press and release per iteration. Run with
// -benchtime=10000x for the 10,000 presses the issue asks about.
func BenchmarkEdgeToEvent(b *testing.B) {
	p := newBenchPin()
	timing := hal.Timing{Debounce: 20 * time.Microsecond, LongPress: time.Hour, DoublePress: time.Nanosecond}
	board, err := OpenWith(context.Background(), []hal.DeviceSpec{{Name: "button", Kind: "button", Pin: "GPIO17", ActiveLow: true}},
		timing, testLog(b), Hardware{Pins: map[string]gpio.PinIO{"GPIO17": p}, ChatterLimit: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer board.Close()
	var at atomic.Int64 // when emit ran, ns since start
	got := make(chan hal.EventKind, 4)
	start := time.Now()
	emit := func(e hal.Event) {
		at.Store(int64(time.Since(start)))
		got <- e.Kind
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = board.Inputs[0].Watch(ctx, emit); close(done) }()
	defer func() { cancel(); <-done }()

	lat := make([]time.Duration, 0, b.N)
	// edge sends l once the watcher is back waiting in its main loop since
	// the previous edge, as it is when a person presses (presses come tens
	// of ms apart, well after the lockout), and returns when it sent.
	var sentAt int64
	edge := func(l gpio.Level) time.Duration {
		for s := <-p.armed; s <= sentAt; s = <-p.armed {
		}
		sentAt = p.entries.Load()
		t0 := time.Since(start)
		p.edges <- l
		return t0
	}
	press := func() {
		t0 := edge(gpio.Low)
		if k := <-got; k != hal.ButtonPress {
			b.Fatalf("got %s, want press", k)
		}
		lat = append(lat, time.Duration(at.Load())-t0)
		edge(gpio.High)
		if k := <-got; k != hal.ButtonRelease {
			b.Fatalf("got %s, want release", k)
		}
	}
	for range 100 { // warm up: timers, scheduler, caches
		press()
	}
	lat = lat[:0]
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	for range b.N {
		press()
	}
	b.StopTimer()
	runtime.ReadMemStats(&m1)
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Nanoseconds()) }
	b.ReportMetric(q(0.50), "p50-ns")
	b.ReportMetric(q(0.99), "p99-ns")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(2*b.N), "allocs/event")
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIdleCPU reports what watching a full set of idle inputs costs
// against a floor measured in the same run: buttons and touch pads wait in
// WaitForEdge (woken every waitSlice to look at ctx), the CAP1188 is read at
// its interval. The floor drives the same fakes with no purrd code: a bare
// loop per pin calling WaitForEdge(waitSlice), and periph's cap1xxx driver
// reading the same fake bus at the same interval. Each iteration is a
// second of the floor and a second of purrd's watchers, alternating so that
// machine load hits both alike. Figures: cpu-ms/s for each, and x-floor,
// purrd over the floor (1.0: purrd adds nothing measurable).
func BenchmarkIdleCPU(b *testing.B) {
	for _, withI2C := range []bool{false, true} {
		name := "4-gpio-inputs"
		if withI2C {
			name = "4-gpio-and-cap1188"
		}
		b.Run(name, func(b *testing.B) {
			pins := map[string]gpio.PinIO{}
			var floor []func(context.Context)
			waitLoop := func(p gpio.PinIn) func(context.Context) {
				return func(ctx context.Context) {
					for ctx.Err() == nil {
						p.WaitForEdge(waitSlice)
					}
				}
			}
			specs := []hal.DeviceSpec{{Name: "button", Kind: "button", Pin: "GPIO17", ActiveLow: true}}
			pins["GPIO17"] = newBenchPin()
			for i, z := range []string{"head", "back", "chin"} {
				n := []string{"GPIO5", "GPIO6", "GPIO13"}[i]
				pins[n] = newBenchPin()
				specs = append(specs, hal.DeviceSpec{Name: "pad_" + z, Kind: "touch_pad", Pin: n, Zone: z})
			}
			for _, p := range pins {
				floor = append(floor, waitLoop(p))
			}
			hw := Hardware{Pins: pins}
			if withI2C {
				hw.I2C = map[string]i2c.Bus{"1": newCapBus()}
				specs = append(specs, hal.DeviceSpec{Name: "touch", Kind: "cap1xxx", Bus: "1", Zones: []string{"head", "back", "chin"}})
				floor = append(floor, capFloor(b))
			}
			board, err := OpenWith(context.Background(), specs, hal.Timing{}, testLog(b), hw)
			if err != nil {
				b.Fatal(err)
			}
			defer board.Close()
			var purrd []func(context.Context)
			for _, in := range board.Inputs {
				purrd = append(purrd, func(ctx context.Context) { _ = in.Watch(ctx, func(hal.Event) {}) })
			}
			var fc, fw, pc, pw time.Duration
			b.ResetTimer()
			for range b.N {
				c, w := idlePhase(floor)
				fc, fw = fc+c, fw+w
				c, w = idlePhase(purrd)
				pc, pw = pc+c, pw+w
			}
			b.StopTimer()
			perSec := func(c, w time.Duration) float64 { return float64(c) / float64(time.Millisecond) / w.Seconds() }
			b.ReportMetric(perSec(fc, fw), "floor-cpu-ms/s")
			b.ReportMetric(perSec(pc, pw), "cpu-ms/s")
			if fc > 0 {
				b.ReportMetric(perSec(pc, pw)/perSec(fc, fw), "x-floor")
			}
		})
	}
}

// capFloor reads a CAP1188 on its own fake bus through periph's driver at
// the interval purrd uses, as the touch sensor does, with nothing else.
func capFloor(b *testing.B) func(context.Context) {
	opts := cap1xxx.DefaultOpts
	opts.LinkedLEDs = false
	dev, err := cap1xxx.NewI2C(newCapBus(), &opts)
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context) {
		var st [8]cap1xxx.TouchStatus
		t := time.NewTimer(0)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_ = dev.InputStatus(st[:])
			_ = dev.ClearInterrupt()
			t.Reset(defaultTouchInterval)
		}
	}
}

// idlePhase runs each of run in a goroutine and returns the process CPU
// and wall time of one second of it (after a settling moment that is not
// counted); the goroutines have returned when it does.
func idlePhase(run []func(context.Context)) (cpu, wall time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, f := range run {
		wg.Go(func() { f(ctx) })
	}
	time.Sleep(100 * time.Millisecond)
	c0, t0 := cpuTime(), time.Now()
	time.Sleep(time.Second)
	cpu, wall = cpuTime()-c0, time.Since(t0)
	cancel()
	wg.Wait()
	return cpu, wall
}
