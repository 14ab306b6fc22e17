package mqtt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/purrd/purrd/internal/testenv"
)

func benchUsers(o *Options) {
	o.Users = []User{{Name: "bench", Password: "bench-pw", Role: RoleAdmin}}
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i].Nanoseconds()) / 1e3
}

// BenchmarkEventLatency measures an event from PublishEvent to a subscriber
// on loopback, interleaved with the broker's own floor: a plain paho client
// publishing the same payload at QoS 1 to the same subscriber. One op is
// one purrd event plus one plain publish. Run with -benchtime 10000x for
// the 10,000-event figures.
func BenchmarkEventLatency(b *testing.B) {
	for _, kind := range brokers() {
		b.Run(kind, func(b *testing.B) {
			e := newEnv(b, kind, benchUsers, "")
			got := make(chan time.Time, 1)
			sub := newObserver(b, e.url, withUser("bench", "bench-pw"))
			for _, topic := range []string{base + "/event/bench", "bench/raw"} {
				tok := sub.c.Subscribe(topic, 1, func(paho.Client, paho.Message) { got <- time.Now() })
				if !tok.WaitTimeout(waitLong) || tok.Error() != nil {
					b.Fatalf("subscribe: %v", tok.Error())
				}
			}
			raw := newObserver(b, e.url, withUser("bench", "bench-pw"))
			type ev struct {
				Stamp
				Kind  string  `json:"kind"`
				Input string  `json:"input"`
				Seq   int     `json:"seq"`
				Value float64 `json:"value"`
			}
			wait := func() time.Time {
				select {
				case t := <-got:
					return t
				case <-time.After(waitLong):
					b.Fatalf("message not received within %v", waitLong)
				}
				return time.Time{}
			}
			purrd := make([]time.Duration, 0, b.N)
			floor := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				t0 := time.Now()
				e.link.PublishEvent("bench", &ev{Kind: "press", Input: "head", Seq: i, Value: 0.5})
				purrd = append(purrd, wait().Sub(t0))

				payload := fmt.Sprintf(`{"id":"ev-00000000-%d","ts":"%s","kind":"press","input":"head","seq":%d,"value":0.5}`, i, time.Now().UTC().Format(tsLayout), i)
				t0 = time.Now()
				raw.c.Publish("bench/raw", 1, false, payload)
				floor = append(floor, wait().Sub(t0))
			}
			b.StopTimer()
			slices.Sort(purrd)
			slices.Sort(floor)
			p50, p99 := percentile(purrd, 0.50), percentile(purrd, 0.99)
			f50, f99 := percentile(floor, 0.50), percentile(floor, 0.99)
			b.ReportMetric(p50, "purrd_p50_us")
			b.ReportMetric(p99, "purrd_p99_us")
			b.ReportMetric(f50, "broker_p50_us")
			b.ReportMetric(f99, "broker_p99_us")
			b.ReportMetric(p50-f50, "added_p50_us")
			b.ReportMetric(p99-f99, "added_p99_us")
			if f99 > 0 {
				b.ReportMetric(p99/f99, "ratio_p99")
			}
		})
	}
}

// BenchmarkSustained publishes b.N events at 1,000 a second (so
// -benchtime 60000x is the 60 s run) to a mosquitto_sub process, and
// reports the CPU this process used as % of one core (purrd's link, plus
// the in-process broker for "embedded") and memory growth between the
// first quarter and the end. "paho-floor" is the same driver publishing the
// same JSON through a bare paho client at QoS 1, and "idle-floor" the
// driver alone: the CPU any Go MQTT publisher pays here, for comparison.
func BenchmarkSustained(b *testing.B) {
	if _, err := exec.LookPath("mosquitto_sub"); err != nil {
		testenv.Missing(b, "mosquitto_sub is not installed (package mosquitto-clients; .ci/install-deps installs it)")
	}
	type tick struct {
		Stamp
		Kind   string  `json:"kind"`
		Seq    int     `json:"seq"`
		TempC  float64 `json:"temperature_c"`
		Humid  float64 `json:"humidity_pct"`
		Source string  `json:"source"`
	}
	for _, kind := range brokers() {
		b.Run(kind, func(b *testing.B) {
			e := newEnv(b, kind, func(o *Options) { o.OutboxSize = 1000 }, "")
			e.link.SetState(map[string]any{"mood": "content"})
			sustain(b, e.url, true, func(i int) {
				e.link.PublishEvent("tick", &tick{Kind: "sensor", Seq: i, TempC: 21.5, Humid: 40, Source: "bme280"})
			})
		})
	}
	b.Run("paho-floor-mosquitto", func(b *testing.B) {
		m := startMosquitto(b, "")
		pub := newObserver(b, m.url(), nil)
		pub.pub(base+"/state", true, `{"mood":"content"}`)
		sustain(b, m.url(), true, func(i int) {
			j, _ := json.Marshal(&tick{Stamp: Stamp{ID: TextID("ev-bench-" + strconv.Itoa(i)), TS: time.Now().UTC().Format(tsLayout)},
				Kind: "sensor", Seq: i, TempC: 21.5, Humid: 40, Source: "bme280"})
			pub.c.Publish(base+"/event/tick", 1, false, j)
		})
	})
	b.Run("idle-floor", func(b *testing.B) {
		sustain(b, "", false, func(int) {})
	})
}

// sustain runs publish(i) for i < b.N at 1,000 a second and reports CPU,
// memory and, when count is set, what a mosquitto_sub on broker received.
func sustain(b *testing.B, broker string, count bool, publish func(i int)) {
	var got chan int
	if count {
		host := strings.TrimPrefix(broker, "tcp://")
		h, p, _ := strings.Cut(host, ":")
		sub := exec.Command("mosquitto_sub", "-h", h, "-p", p, "-q", "1", "-i", "bench-sub",
			"-t", base+"/state", "-t", base+"/event/tick", "-F", "%t")
		out, _ := sub.StdoutPipe()
		sub.Stderr = os.Stderr
		if err := sub.Start(); err != nil {
			b.Fatal(err)
		}
		defer func() { sub.Process.Kill(); sub.Wait() }()
		ready := make(chan struct{})
		got = make(chan int, 1)
		go func() {
			sc := bufio.NewScanner(out)
			n, once := 0, false
			for sc.Scan() {
				if !once {
					once = true
					close(ready)
				}
				if sc.Text() == base+"/event/tick" {
					n++
					select {
					case <-got:
					default:
					}
					got <- n
				}
			}
		}()
		select {
		case <-ready: // the retained state arrived: the subscription is live
		case <-time.After(waitLong):
			b.Fatal("mosquitto_sub did not subscribe")
		}
	}

	runtime.GC()
	var ru0, ru1 syscall.Rusage
	var heapQ, heapEnd, rssQ, rssEnd uint64
	quarter := b.N / 4
	b.ResetTimer()
	start := time.Now()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for i := range b.N {
		if d := time.Until(start.Add(time.Duration(i) * time.Millisecond)); d > 0 {
			time.Sleep(d)
		}
		publish(i)
		if i == quarter {
			heapQ, rssQ = memNow()
		}
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	wall := time.Since(start)
	b.StopTimer()
	heapEnd, rssEnd = memNow()
	cpu := time.Duration(ru1.Utime.Nano()-ru0.Utime.Nano()) + time.Duration(ru1.Stime.Nano()-ru0.Stime.Nano())
	b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu_%core")
	b.ReportMetric(float64(b.N)/wall.Seconds(), "events/s")
	b.ReportMetric(float64(int64(heapEnd)-int64(heapQ))/1024, "heap_growth_KiB")
	b.ReportMetric(float64(int64(rssEnd)-int64(rssQ))/1024, "rss_growth_KiB")
	b.ReportMetric(float64(rssEnd)/1024, "rss_KiB")
	if !count {
		return
	}
	delivered := 0
	deadline := time.After(waitLong)
	for delivered < b.N {
		select {
		case delivered = <-got:
		case <-deadline:
			b.Errorf("mosquitto_sub got %d of %d events", delivered, b.N)
			return
		}
	}
	b.ReportMetric(float64(delivered), "delivered")
}

// memNow returns live heap bytes (after a GC) and resident set size.
func memNow() (heap, rss uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap = ms.HeapAlloc
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				rss = kb * 1024
			}
		}
	}
	return heap, rss
}
