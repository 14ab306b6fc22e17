package hal

import (
	"fmt"
	"math"
	"time"
)

// The Check functions validate output commands so that every implementation
// rejects the same bad input with the same readable error.

// CheckEyes returns an error naming what is wrong with s.
func CheckEyes(s EyeState) error {
	if math.IsNaN(s.Brightness) || s.Brightness < 0 || s.Brightness > 1 {
		return fmt.Errorf("brightness %v is outside 0..1", s.Brightness)
	}
	switch s.Animation {
	case "", EyesSteady, EyesBlink, EyesBreathe, EyesSparkle:
		return nil
	}
	return fmt.Errorf("unknown animation %q (want steady, blink, breathe or sparkle)", s.Animation)
}

// CheckTune returns an error naming what is wrong with t.
func CheckTune(t Tune) error {
	if len(t.Notes) == 0 {
		return fmt.Errorf("tune %q has no notes", t.Name)
	}
	var total time.Duration
	for i, n := range t.Notes {
		if math.IsNaN(n.Hz) || n.Hz < 0 || n.Hz > 20000 {
			return fmt.Errorf("tune %q note %d: %v Hz is outside 0..20000", t.Name, i, n.Hz)
		}
		if n.Dur <= 0 {
			return fmt.Errorf("tune %q note %d: duration %v is not positive", t.Name, i, n.Dur)
		}
		total += n.Dur
	}
	if total > 30*time.Second {
		return fmt.Errorf("tune %q lasts %v, more than 30s", t.Name, total)
	}
	return nil
}

// CheckPurr returns an error naming what is wrong with p.
func CheckPurr(p PurrPattern) error {
	switch {
	case math.IsNaN(p.Strength) || p.Strength < 0 || p.Strength > 1:
		return fmt.Errorf("purr %q: strength %v is outside 0..1", p.Name, p.Strength)
	case p.On <= 0:
		return fmt.Errorf("purr %q: on time %v is not positive", p.Name, p.On)
	case p.Off < 0:
		return fmt.Errorf("purr %q: off time %v is negative", p.Name, p.Off)
	case p.Repeat > 10000:
		return fmt.Errorf("purr %q: %d repeats is more than 10000", p.Name, p.Repeat)
	}
	return nil
}
