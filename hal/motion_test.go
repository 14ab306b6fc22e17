package hal

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var updateMotion = flag.Bool("update-motion", false, "rewrite testdata/motion/synthetic-*.csv from the generator")

// A recording is a CSV of accelerometer samples: "t_ms,x,y,z" in g, with
// "# expect: kind kind ..." naming the events it must produce, in order.
// Files from a real robot can be dropped into testdata/motion as they are
// captured; the synthetic-* ones come from motionScript below.
func TestMotionRecordings(t *testing.T) {
	if *updateMotion {
		writeSynthetic(t)
	}
	files, err := filepath.Glob("testdata/motion/*.csv")
	if err != nil || len(files) < 6 {
		t.Fatalf("recordings: %v %v (run go test -run TestMotionRecordings -update-motion)", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			samples, want := readRecording(t, f)
			d := NewMotionDetector(DefaultMotionConfig())
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			var got []EventKind
			var at []time.Duration
			for _, s := range samples {
				if k := d.Update(t0.Add(s.t), s.a); k != "" {
					got = append(got, k)
					at = append(at, s.t)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("events %v at %v, want %v", got, at, want)
			}
		})
	}
}

type sample struct {
	t time.Duration
	a Vec3
}

func readRecording(t *testing.T, path string) ([]sample, []EventKind) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sample
	var want []EventKind
	sawExpect := false
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(s, "# expect:"); ok {
			sawExpect = true
			for _, k := range strings.Fields(rest) {
				want = append(want, EventKind(k))
			}
			continue
		}
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		parts := strings.Split(s, ",")
		if len(parts) != 4 {
			t.Fatalf("%s:%d: want t_ms,x,y,z, got %q", path, line, s)
		}
		var v [4]float64
		for i, p := range parts {
			if v[i], err = strconv.ParseFloat(strings.TrimSpace(p), 64); err != nil {
				t.Fatalf("%s:%d: field %d: %v", path, line, i+1, err)
			}
		}
		out = append(out, sample{time.Duration(v[0] * float64(time.Millisecond)), Vec3{v[1], v[2], v[3]}})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if !sawExpect {
		t.Fatalf("%s: no '# expect:' line", path)
	}
	return out, want
}

// motionScript builds a 50 Hz sequence from a physical description: gravity
// in the robot's frame, sensor noise, hand tremor while held.
type motionScript struct {
	rng  *rand.Rand
	t    time.Duration
	g    Vec3 // gravity as the sensor sees it when level and still
	out  []sample
	held bool
}

const step = 20 * time.Millisecond

func newScript(seed uint64) *motionScript {
	return &motionScript{rng: rand.New(rand.NewPCG(seed, 42)), g: Vec3{0.01, -0.02, 1.0}}
}

func (m *motionScript) noise(sd float64) Vec3 {
	return Vec3{m.rng.NormFloat64() * sd, m.rng.NormFloat64() * sd, m.rng.NormFloat64() * sd}
}

func add(a, b Vec3) Vec3           { return Vec3{a.X + b.X, a.Y + b.Y, a.Z + b.Z} }
func scale(a Vec3, k float64) Vec3 { return Vec3{a.X * k, a.Y * k, a.Z * k} }

func (m *motionScript) emit(a Vec3) {
	m.out = append(m.out, sample{m.t, a})
	m.t += step
}

// still: on a table, sensor noise only.
func (m *motionScript) still(d time.Duration) {
	for end := m.t + d; m.t < end; {
		m.emit(add(m.g, m.noise(0.006)))
	}
}

// hold: in a hand, 8-11 Hz physiological tremor plus slow sway.
func (m *motionScript) hold(d time.Duration) {
	f := 8 + 3*m.rng.Float64()
	for end := m.t + d; m.t < end; {
		s := m.t.Seconds()
		tremor := Vec3{0.05 * math.Sin(2*math.Pi*f*s), 0.04 * math.Cos(2*math.Pi*f*s*1.1), 0.03 * math.Sin(2*math.Pi*0.7*s)}
		m.emit(add(add(m.g, tremor), m.noise(0.015)))
	}
}

// lift: accelerate up then decelerate over d.
func (m *motionScript) lift(d time.Duration, peak float64) {
	for t0, end := m.t, m.t+d; m.t < end; {
		ph := float64(m.t-t0) / float64(d)
		m.emit(add(add(m.g, scale(m.g, peak*math.Sin(2*math.Pi*ph))), m.noise(0.02)))
	}
	m.held = true
}

// lower and set down: a gentle descent then a small bump on contact.
func (m *motionScript) putDown(d time.Duration) {
	for t0, end := m.t, m.t+d; m.t < end; {
		ph := float64(m.t-t0) / float64(d)
		m.emit(add(add(m.g, scale(m.g, -0.2*math.Sin(2*math.Pi*ph))), m.noise(0.02)))
	}
	m.emit(add(scale(m.g, 1.4), m.noise(0.02)))
	m.emit(add(scale(m.g, 0.9), m.noise(0.01)))
	m.held = false
}

// shake side to side at f Hz with amplitude amp g.
func (m *motionScript) shake(d time.Duration, f, amp float64) {
	for t0, end := m.t, m.t+d; m.t < end; {
		s := (m.t - t0).Seconds()
		m.emit(add(add(m.g, Vec3{amp * math.Sin(2*math.Pi*f*s), 0.3 * amp * math.Cos(2*math.Pi*f*s), 0}), m.noise(0.05)))
	}
}

// fall: free fall for d, an impact, a bounce, then lying still.
func (m *motionScript) fall(d time.Duration) {
	for end := m.t + d; m.t < end; {
		m.emit(m.noise(0.04))
	}
	m.emit(add(scale(m.g, 3.2), m.noise(0.2)))
	m.emit(add(scale(m.g, 0.4), m.noise(0.2)))
	m.emit(add(scale(m.g, 1.6), m.noise(0.1)))
	m.held = false
}

// tilt: roll slowly by deg over d while resting on something.
func (m *motionScript) tilt(d time.Duration, deg float64) {
	base := m.g
	for t0, end := m.t, m.t+d; m.t <= end; {
		th := deg * math.Pi / 180 * float64(m.t-t0) / float64(d)
		m.g = Vec3{base.X*math.Cos(th) + base.Z*math.Sin(th), base.Y, -base.X*math.Sin(th) + base.Z*math.Cos(th)}
		m.emit(add(m.g, m.noise(0.008)))
	}
}

// bump: the table is knocked: one short jolt.
func (m *motionScript) bump() {
	m.emit(add(m.g, Vec3{0.15, 0.05, 0.08}))
	m.emit(add(m.g, Vec3{-0.08, -0.02, -0.03}))
}

func syntheticRecordings() map[string]struct {
	expect []EventKind
	build  func(m *motionScript)
} {
	type rec = struct {
		expect []EventKind
		build  func(m *motionScript)
	}
	return map[string]rec{
		"still-robot": {nil, func(m *motionScript) { m.still(60 * time.Second) }},
		"table-knocked": {nil, func(m *motionScript) {
			m.still(3 * time.Second)
			m.bump()
			m.still(3 * time.Second)
			m.bump()
			m.still(3 * time.Second)
		}},
		"pick-up": {[]EventKind{MotionPickedUp}, func(m *motionScript) {
			m.still(2 * time.Second)
			m.lift(400*time.Millisecond, 0.35)
			m.hold(5 * time.Second)
		}},
		"pick-up-put-down": {[]EventKind{MotionPickedUp, MotionPutDown}, func(m *motionScript) {
			m.still(2 * time.Second)
			m.lift(500*time.Millisecond, 0.3)
			m.hold(3 * time.Second)
			m.putDown(600 * time.Millisecond)
			m.still(3 * time.Second)
		}},
		"shake": {[]EventKind{MotionPickedUp, MotionShaken, MotionPutDown}, func(m *motionScript) {
			m.still(2 * time.Second)
			m.lift(400*time.Millisecond, 0.35)
			m.hold(1 * time.Second)
			m.shake(900*time.Millisecond, 4, 2.0)
			m.hold(2 * time.Second)
			m.putDown(600 * time.Millisecond)
			m.still(3 * time.Second)
		}},
		"fall": {[]EventKind{MotionPickedUp, MotionFall}, func(m *motionScript) {
			m.still(2 * time.Second)
			m.lift(400*time.Millisecond, 0.35)
			m.hold(2 * time.Second)
			m.fall(350 * time.Millisecond)
			m.still(4 * time.Second)
		}},
		"tilt": {[]EventKind{MotionTilted}, func(m *motionScript) {
			m.still(2 * time.Second)
			m.tilt(1500*time.Millisecond, 50)
			m.still(4 * time.Second)
		}},
	}
}

func writeSynthetic(t *testing.T) {
	if err := os.MkdirAll("testdata/motion", 0o755); err != nil {
		t.Fatal(err)
	}
	seed := uint64(1)
	names := []string{}
	recs := syntheticRecordings()
	for n := range recs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		r := recs[n]
		m := newScript(seed)
		seed++
		r.build(m)
		var b strings.Builder
		fmt.Fprintf(&b, "# purrd accelerometer recording (synthetic, 50 Hz): %s\n# t_ms,x_g,y_g,z_g\n# expect:", n)
		for _, k := range r.expect {
			fmt.Fprintf(&b, " %s", k)
		}
		b.WriteString("\n")
		for _, s := range m.out {
			fmt.Fprintf(&b, "%d,%.4f,%.4f,%.4f\n", s.t.Milliseconds(), s.a.X, s.a.Y, s.a.Z)
		}
		if err := os.WriteFile(filepath.Join("testdata/motion", "synthetic-"+n+".csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMotionDetectorDoesNotAllocate(t *testing.T) {
	d := NewMotionDetector(DefaultMotionConfig())
	m := newScript(7)
	m.still(2 * time.Second)
	m.lift(400*time.Millisecond, 0.35)
	m.shake(time.Second, 4, 2)
	t0 := time.Now()
	i := 0
	allocs := testing.AllocsPerRun(len(m.out), func() {
		d.Update(t0.Add(m.out[i%len(m.out)].t), m.out[i%len(m.out)].a)
		i++
	})
	if allocs != 0 {
		t.Fatalf("Update allocates %v times per sample", allocs)
	}
}

// The classifier must not depend on the luck of one noise draw.
func TestMotionScriptsManySeeds(t *testing.T) {
	for name, r := range syntheticRecordings() {
		for seed := uint64(100); seed < 130; seed++ {
			m := newScript(seed)
			r.build(m)
			d := NewMotionDetector(DefaultMotionConfig())
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			var got []EventKind
			for _, s := range m.out {
				if k := d.Update(t0.Add(s.t), s.a); k != "" {
					got = append(got, k)
				}
			}
			if !slices.Equal(got, r.expect) {
				t.Errorf("%s seed %d: events %v, want %v", name, seed, got, r.expect)
			}
		}
	}
}

// Any sample stream, however wild, classifies without panicking and a
// still robot afterwards settles to silence.
func FuzzMotionDetector(f *testing.F) {
	f.Add([]byte{0, 0, 64, 1, 2, 3, 255, 255, 255})
	f.Add([]byte("shake shake shake"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewMotionDetector(DefaultMotionConfig())
		t0 := time.Unix(0, 0)
		i := 0
		for ; i+3 <= len(data); i += 3 {
			v := Vec3{float64(int8(data[i])) / 16, float64(int8(data[i+1])) / 16, float64(int8(data[i+2])) / 16}
			if data[i] == 0x7f {
				v.X = math.NaN()
			}
			d.Update(t0.Add(time.Duration(i)*step), v)
		}
		// Then ten seconds lying still: at most one event (a put_down or
		// nothing), and none in the last five seconds.
		var late []EventKind
		for j := 0; j < 500; j++ {
			k := d.Update(t0.Add(time.Duration(i+j)*step), Vec3{0, 0, 1})
			if k != "" && j > 250 {
				late = append(late, k)
			}
		}
		if len(late) > 0 {
			t.Fatalf("still robot kept reporting %v", late)
		}
	})
}
