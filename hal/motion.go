package hal

import (
	"math"
	"time"
)

// Vec3 is an accelerometer sample in g (1 g = 9.81 m/s²).
type Vec3 struct{ X, Y, Z float64 }

func (v Vec3) sub(o Vec3) Vec3    { return Vec3{v.X - o.X, v.Y - o.Y, v.Z - o.Z} }
func (v Vec3) dot(o Vec3) float64 { return v.X*o.X + v.Y*o.Y + v.Z*o.Z }
func (v Vec3) norm() float64      { return math.Sqrt(v.dot(v)) }
func (v Vec3) lerp(o Vec3, a float64) Vec3 {
	return Vec3{v.X + a*(o.X-v.X), v.Y + a*(o.Y-v.Y), v.Z + a*(o.Z-v.Z)}
}

// MotionConfig holds the thresholds of the motion classifier. The defaults
// were tuned on recorded sequences of a hand-held 400 g robot sampled at
// 50 Hz; all durations are measured on sample timestamps, so the rate may
// differ.
type MotionConfig struct {
	StillG      float64       // deviation from the slow average below which a sample is still
	StillFor    time.Duration // stillness needed to learn "at rest" and to report put_down
	LiftG       float64       // upward acceleration (beyond gravity) that starts a pick-up
	MoveG       float64       // sudden acceleration in any direction that also counts as being picked up
	LiftFor     time.Duration // how long the lift must last
	ShakeG      float64       // |a| departing from 1 g by this much is one shake peak
	ShakePeaks  int           // peaks within ShakeWindow that make a shake
	ShakeWindow time.Duration
	FreeFallG   float64 // |a| below this is free fall
	FreeFallFor time.Duration
	TiltDeg     float64 // lean from the resting orientation that counts as tilted
	TiltFor     time.Duration
	Cooldown    time.Duration // quiet time after a shake or fall
}

// DefaultMotionConfig returns the tuned defaults.
func DefaultMotionConfig() MotionConfig {
	return MotionConfig{
		StillG: 0.05, StillFor: time.Second,
		LiftG: 0.12, MoveG: 0.35, LiftFor: 80 * time.Millisecond,
		ShakeG: 0.8, ShakePeaks: 3, ShakeWindow: time.Second,
		FreeFallG: 0.3, FreeFallFor: 60 * time.Millisecond,
		TiltDeg: 35, TiltFor: 500 * time.Millisecond,
		Cooldown: time.Second,
	}
}

type motionState uint8

const (
	motionUnknown motionState = iota // no resting orientation learnt yet
	motionResting                    // on a surface
	motionHeld                       // in someone's hands
)

const maxShakePeaks = 16

// MotionDetector classifies accelerometer samples into picked_up, put_down,
// shaken, tilted and fall. It is a pure state machine (no clock, no
// goroutine, no allocation), fed by the periph MPU9250 reader, the
// simulator and tests alike. It is not safe for concurrent use.
type MotionDetector struct {
	cfg MotionConfig

	state      motionState
	started    bool
	avg        Vec3 // slow average: the gravity vector as currently seen
	rest       Vec3 // gravity when last at rest
	lastMoving time.Time
	liftSince  time.Time
	tiltSince  time.Time
	tilted     bool
	fallSince  time.Time
	quietUntil time.Time
	aboveShake bool
	peaks      [maxShakePeaks]time.Time
	npeaks     int
}

// NewMotionDetector returns a detector with cfg (zero fields are not
// defaulted: start from DefaultMotionConfig).
func NewMotionDetector(cfg MotionConfig) *MotionDetector {
	if cfg.ShakePeaks > maxShakePeaks {
		cfg.ShakePeaks = maxShakePeaks
	}
	if cfg.ShakePeaks < 1 {
		cfg.ShakePeaks = 1
	}
	return &MotionDetector{cfg: cfg}
}

// Update feeds one sample taken at t and returns the event it completes, or
// "" when none.
func (d *MotionDetector) Update(t time.Time, a Vec3) EventKind {
	c := &d.cfg
	if !finite(a.X) || !finite(a.Y) || !finite(a.Z) {
		return "" // a corrupt sample must not poison the averages
	}
	if !d.started {
		d.started, d.avg, d.lastMoving = true, a, t
		return ""
	}
	mag := a.norm()
	dev := a.sub(d.avg).norm() // how far this sample is from the slow average
	moving := dev > c.StillG
	d.avg = d.avg.lerp(a, 0.1)
	if moving {
		d.lastMoving = t
	}
	still := t.Sub(d.lastMoving) >= c.StillFor

	// Free fall and shakes are recognised whatever the state.
	if mag < c.FreeFallG {
		if d.fallSince.IsZero() {
			d.fallSince = t
		}
		if t.Sub(d.fallSince) >= c.FreeFallFor && !t.Before(d.quietUntil) {
			d.fallSince = time.Time{}
			d.quietUntil = t.Add(c.Cooldown)
			d.state, d.liftSince, d.tilted = motionUnknown, time.Time{}, false
			return MotionFall
		}
	} else {
		d.fallSince = time.Time{}
	}
	if k := d.shake(t, mag); k != "" {
		return k
	}
	if t.Before(d.quietUntil) {
		return ""
	}

	switch d.state {
	case motionUnknown:
		if still {
			d.state, d.rest, d.tilted = motionResting, d.avg, false
		}
	case motionResting:
		up := d.rest.norm()
		if up == 0 {
			d.state = motionUnknown
			return ""
		}
		// A lift pushes along gravity; a grab in any other direction is a
		// quick departure from the slow average. A slow tilt is neither.
		lift := a.sub(d.rest).dot(d.rest) / up
		if lift > c.LiftG || dev > c.MoveG {
			if d.liftSince.IsZero() {
				d.liftSince = t
			}
			if t.Sub(d.liftSince) >= c.LiftFor {
				d.liftSince, d.tiltSince = time.Time{}, time.Time{}
				d.state = motionHeld
				return MotionPickedUp
			}
		} else {
			d.liftSince = time.Time{}
		}
		if still && d.tilted {
			// It settled in its new pose: that pose is the new rest.
			d.rest, d.tilted = d.avg, false
		}
		if !d.tilted && angleDeg(d.avg, d.rest) > c.TiltDeg {
			if d.tiltSince.IsZero() {
				d.tiltSince = t
			}
			if t.Sub(d.tiltSince) >= c.TiltFor {
				d.tilted, d.tiltSince = true, time.Time{}
				return MotionTilted
			}
		} else {
			d.tiltSince = time.Time{}
		}
	case motionHeld:
		if still {
			d.state, d.rest, d.tilted = motionResting, d.avg, false
			return MotionPutDown
		}
	}
	return ""
}

func (d *MotionDetector) shake(t time.Time, mag float64) EventKind {
	c := &d.cfg
	above := math.Abs(mag-1) > c.ShakeG
	rising := above && !d.aboveShake
	d.aboveShake = above
	if !rising || t.Before(d.quietUntil) || mag < c.FreeFallG {
		return ""
	}
	// Keep only peaks inside the window, in a fixed array.
	n := 0
	for i := 0; i < d.npeaks; i++ {
		if t.Sub(d.peaks[i]) <= c.ShakeWindow {
			d.peaks[n] = d.peaks[i]
			n++
		}
	}
	if n < len(d.peaks) {
		d.peaks[n] = t
		n++
	}
	d.npeaks = n
	if n >= c.ShakePeaks {
		d.npeaks = 0
		d.quietUntil = t.Add(c.Cooldown)
		d.state, d.liftSince, d.tilted = motionHeld, time.Time{}, false
		return MotionShaken
	}
	return ""
}

func angleDeg(a, b Vec3) float64 {
	na, nb := a.norm(), b.norm()
	if na == 0 || nb == 0 {
		return 0
	}
	c := a.dot(b) / (na * nb)
	c = math.Max(-1, math.Min(1, c))
	return math.Acos(c) * 180 / math.Pi
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
