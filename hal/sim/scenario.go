package sim

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Step is one line of a scenario: at At after the start, Inject(Input, Arg).
type Step struct {
	At    time.Duration
	Input string
	Arg   string
	Line  int
}

// maxScenario bounds a scenario so a typo cannot schedule a step for next
// year.
const maxScenario = 24 * time.Hour

// ParseScenario reads a scenario file:
//
//	# comments and blank lines are ignored
//	at 100ms press
//	at 1s touch head
//	at 1.5s stroke head back
//	at 2s temp 30
//
// Times are offsets from the start, in Go duration syntax, and must not go
// backwards. Each input is checked against what Inject accepts, with the
// given touch zones (nil: head, back, chin).
func ParseScenario(r io.Reader, zones []string) ([]Step, error) {
	if len(zones) == 0 {
		zones = defaultZones()
	}
	var steps []Step
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 64*1024)
	line := 0
	var last time.Duration
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) < 3 || f[0] != "at" {
			return nil, fmt.Errorf("sim: scenario line %d: %q: want \"at <time> <input> [args]\"", line, s)
		}
		at, err := time.ParseDuration(f[1])
		if err != nil {
			return nil, fmt.Errorf("sim: scenario line %d: time %q: %w", line, f[1], err)
		}
		if at < 0 || at > maxScenario {
			return nil, fmt.Errorf("sim: scenario line %d: time %s is outside 0..%s", line, at, maxScenario)
		}
		if at < last {
			return nil, fmt.Errorf("sim: scenario line %d: time %s goes back before %s", line, at, last)
		}
		last = at
		st := Step{At: at, Input: f[2], Arg: strings.Join(f[3:], " "), Line: line}
		if _, err := parseInput(st.Input, st.Arg, zones); err != nil {
			return nil, fmt.Errorf("sim: scenario line %d: %w", line, err)
		}
		steps = append(steps, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sim: scenario: line %d: %w", line+1, err)
	}
	return steps, nil
}

// Play runs steps against the board in real time from now, returning when
// the last one has been injected or ctx ends.
func (b *Board) Play(ctx context.Context, steps []Step) error {
	start := time.Now()
	t := time.NewTimer(0)
	defer t.Stop()
	<-t.C
	for _, s := range steps {
		if d := time.Until(start.Add(s.At)); d > 0 {
			t.Reset(d)
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
		if err := b.Inject(s.Input, s.Arg); err != nil {
			return fmt.Errorf("sim: scenario line %d: %w", s.Line, err)
		}
	}
	return nil
}

// PlayScenario parses and plays a scenario.
func (b *Board) PlayScenario(ctx context.Context, r io.Reader) error {
	steps, err := ParseScenario(r, b.opts.Zones)
	if err != nil {
		return err
	}
	return b.Play(ctx, steps)
}
