package periph

import (
	"sync"
	"time"
)

// player runs one background sequence at a time (a tune, a purr, an
// animation, a servo sweep); starting another or halting stops the
// current one first, and waits for it so its last write cannot land after
// the halt's.
type player struct {
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

func (p *player) start(f func(stop <-chan struct{})) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.haltLocked()
	stop, done := make(chan struct{}), make(chan struct{})
	p.stop, p.done = stop, done
	go func() {
		defer close(done)
		f(stop)
	}()
}

func (p *player) halt() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.haltLocked()
}

func (p *player) haltLocked() {
	if p.stop != nil {
		close(p.stop)
		<-p.done
		p.stop, p.done = nil, nil
	}
}

// sleep waits d or until stop; it reports whether the full time passed.
func sleep(stop <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-stop:
		return false
	case <-t.C:
		return true
	}
}
