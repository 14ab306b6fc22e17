package sim

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/purrd/purrd/hal"
)

// SynthRate is the sample period of synthesised accelerometer data (50 Hz,
// what the motion classifier is tuned for).
const SynthRate = 20 * time.Millisecond

// Gestures lists what Synth.Gesture can play.
func Gestures() []string { return []string{"pick_up", "put_down", "shake", "fall", "tilt"} }

// Synth makes accelerometer samples (in g, at SynthRate) for gestures, from
// a physical description: gravity in the robot's frame, sensor noise, hand
// tremor while held. It remembers the pose between gestures. The simulator
// feeds them to a hal.MotionDetector; tests feed them to a fake MPU9250.
type Synth struct {
	rng     *rand.Rand
	g       hal.Vec3
	tiltDir float64
	held    bool
	t       float64 // seconds of synthesised time, for the tremor phase
	out     []hal.Vec3
}

// NewSynth returns a synthesiser for a robot lying level.
func NewSynth(seed uint64) *Synth {
	return &Synth{rng: rand.New(rand.NewPCG(seed, 2)), g: hal.Vec3{Z: 1}, tiltDir: 1}
}

func (m *Synth) emit(a hal.Vec3) {
	m.out = append(m.out, a)
	m.t += SynthRate.Seconds()
}

func (m *Synth) noise(sd float64) hal.Vec3 {
	return hal.Vec3{X: m.rng.NormFloat64() * sd, Y: m.rng.NormFloat64() * sd, Z: m.rng.NormFloat64() * sd}
}

func vadd(a, b hal.Vec3) hal.Vec3           { return hal.Vec3{X: a.X + b.X, Y: a.Y + b.Y, Z: a.Z + b.Z} }
func vscale(a hal.Vec3, k float64) hal.Vec3 { return hal.Vec3{X: a.X * k, Y: a.Y * k, Z: a.Z * k} }

func n(d time.Duration) int { return int(d / SynthRate) }

// Rest returns d worth of samples of the robot as it is now: lying still,
// or held in a hand.
func (m *Synth) Rest(d time.Duration) []hal.Vec3 {
	m.out = m.out[:0]
	m.rest(d)
	return append([]hal.Vec3(nil), m.out...)
}

func (m *Synth) rest(d time.Duration) {
	if m.held {
		m.hold(d)
		return
	}
	for i := 0; i < n(d); i++ {
		m.emit(vadd(m.g, m.noise(0.006)))
	}
}

func (m *Synth) hold(d time.Duration) {
	for i := 0; i < n(d); i++ {
		tremor := hal.Vec3{X: 0.05 * math.Sin(2*math.Pi*9*m.t), Y: 0.04 * math.Cos(2*math.Pi*10*m.t)}
		m.emit(vadd(vadd(m.g, tremor), m.noise(0.015)))
	}
}

func (m *Synth) wave(d time.Duration, f func(ph float64) hal.Vec3) {
	k := n(d)
	for i := 0; i < k; i++ {
		m.emit(vadd(f(float64(i)/float64(k)), m.noise(0.02)))
	}
}

// Gesture returns the samples of one gesture, with enough settling before
// and after for the classifier to see it (about 1.5 to 3 s of samples).
// Unknown names give no samples.
func (m *Synth) Gesture(name string) []hal.Vec3 {
	m.out = m.out[:0]
	switch name {
	case "pick_up":
		m.rest(1200 * time.Millisecond)
		m.wave(400*time.Millisecond, func(ph float64) hal.Vec3 { return vadd(m.g, vscale(m.g, 0.35*math.Sin(2*math.Pi*ph))) })
		m.held = true
		m.hold(400 * time.Millisecond)
	case "put_down":
		if !m.held {
			m.rest(500 * time.Millisecond) // nothing to put down: it is lying there
			break
		}
		m.rest(200 * time.Millisecond)
		m.g = hal.Vec3{Z: 1}
		m.wave(600*time.Millisecond, func(ph float64) hal.Vec3 { return vadd(m.g, vscale(m.g, -0.2*math.Sin(2*math.Pi*ph))) })
		m.emit(vscale(m.g, 1.4))
		m.held = false
		m.rest(1200 * time.Millisecond)
	case "shake":
		m.rest(200 * time.Millisecond)
		m.wave(900*time.Millisecond, func(ph float64) hal.Vec3 {
			s := ph * 0.9
			return vadd(m.g, hal.Vec3{X: 2 * math.Sin(2*math.Pi*4*s), Y: 0.6 * math.Cos(2*math.Pi*4*s)})
		})
		m.held = true
		m.hold(1100 * time.Millisecond) // past the classifier's cooldown
	case "fall":
		m.rest(200 * time.Millisecond)
		for i := 0; i < n(360*time.Millisecond); i++ {
			m.emit(m.noise(0.04))
		}
		m.g = hal.Vec3{Z: 1}
		m.emit(vscale(m.g, 3.2))
		m.emit(vscale(m.g, 0.4))
		m.held = false
		m.rest(1200 * time.Millisecond)
	case "tilt":
		if m.held {
			m.hold(500 * time.Millisecond) // tilting it in the hand is just holding it
			break
		}
		m.rest(1200 * time.Millisecond)
		base := m.g
		k := n(1500 * time.Millisecond)
		for i := 0; i <= k; i++ {
			th := m.tiltDir * 50 * math.Pi / 180 * float64(i) / float64(k)
			m.g = hal.Vec3{X: base.X*math.Cos(th) + base.Z*math.Sin(th), Y: base.Y, Z: -base.X*math.Sin(th) + base.Z*math.Cos(th)}
			m.emit(vadd(m.g, m.noise(0.006)))
		}
		m.tiltDir = -m.tiltDir // the next tilt rocks it back
		m.rest(1200 * time.Millisecond)
	}
	return append([]hal.Vec3(nil), m.out...)
}

// motionSim runs synthesised samples through a real hal.MotionDetector on
// a virtual clock that only advances while a gesture is synthesised, so a
// gesture costs microseconds, not seconds.
type motionSim struct {
	det   *hal.MotionDetector
	syn   *Synth
	t     time.Time
	held  bool
	known bool
}

func newMotionSim() *motionSim {
	m := &motionSim{det: hal.NewMotionDetector(hal.DefaultMotionConfig()), syn: NewSynth(1), t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m.feed(m.syn.Rest(1500 * time.Millisecond)) // learn the resting pose
	return m
}

func (m *motionSim) state() string {
	switch {
	case !m.known:
		return "unknown"
	case m.held:
		return "held"
	}
	return "resting"
}

func (m *motionSim) feed(samples []hal.Vec3) []hal.EventKind {
	var out []hal.EventKind
	for _, a := range samples {
		if k := m.det.Update(m.t, a); k != "" {
			out = append(out, k)
			switch k {
			case hal.MotionPickedUp, hal.MotionShaken:
				m.held, m.known = true, true
			case hal.MotionPutDown:
				m.held, m.known = false, true
			case hal.MotionFall:
				m.held, m.known = false, false
			}
		}
		m.t = m.t.Add(SynthRate)
	}
	if !m.known && !m.held && len(samples) > 0 {
		m.known = true // it has lain still through the gesture's settling
	}
	return out
}

// gesture synthesises one gesture and returns the events it produced.
func (m *motionSim) gesture(name string) []hal.EventKind {
	return m.feed(m.syn.Gesture(name))
}
