package hal

import (
	"sync"
	"time"
)

// DefaultStrokeWindow is how soon after leaving one zone a touch on another
// still counts as one stroke across both.
const DefaultStrokeWindow = 700 * time.Millisecond

// StrokeTracker notices a touch moving across zones (head to back, ...). One
// tracker is shared by every touch input of a board, so it is safe for
// concurrent use.
type StrokeTracker struct {
	Window time.Duration // 0 means DefaultStrokeWindow

	mu       sync.Mutex
	zone     string
	at       time.Time
	touching bool
}

// Touch records a touch starting on zone at now and reports the zone a
// stroke came from, if this touch continues one.
func (s *StrokeTracker) Touch(now time.Time, zone string) (from string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.Window
	if w <= 0 {
		w = DefaultStrokeWindow
	}
	if s.zone != "" && s.zone != zone && (s.touching || now.Sub(s.at) <= w) {
		from, ok = s.zone, true
	}
	s.zone, s.at, s.touching = zone, now, true
	return from, ok
}

// Release records the touch on zone ending at now.
func (s *StrokeTracker) Release(now time.Time, zone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.zone == zone {
		s.at, s.touching = now, false
	}
}
