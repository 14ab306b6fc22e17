package dialog

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

var (
	sounds      = []string{"chirp", "trill", "meow", "purr_rumble", "hiss", "yawn", "none"}
	expressions = []string{"neutral", "happy", "sleepy", "surprised", "sad", "annoyed", "love"}
	anims       = []string{"steady", "blink", "breathe", "sparkle"}
	purrs       = []string{"", "soft", "strong"}
	tails       = []string{"wag", "swish", "up", "down", "still"}
)

func sig(r Reaction) [5]string {
	return [5]string{r.Sound, r.Expression, r.Eyes.Animation, r.Purr, r.Tail}
}

func checkReaction(t *testing.T, r Reaction) {
	t.Helper()
	if !slices.Contains(sounds, r.Sound) || !slices.Contains(expressions, r.Expression) ||
		!slices.Contains(anims, r.Eyes.Animation) || !slices.Contains(purrs, r.Purr) || !slices.Contains(tails, r.Tail) {
		t.Fatalf("reaction with an unknown part: %+v", r)
	}
	if r.Eyes.Brightness <= 0 || r.Eyes.Brightness > 1 || r.PurrStrength < 0 || r.PurrStrength > 1 ||
		r.TailAngle < -45 || r.TailAngle > 90 {
		t.Fatalf("reaction out of range: %+v", r)
	}
	if (r.Purr == "") != (r.PurrStrength == 0) {
		t.Fatalf("purr %q with strength %v", r.Purr, r.PurrStrength)
	}
	if !slices.Contains(MoodNames(), r.Emotion) {
		t.Fatalf("emotion %q is not a mood word", r.Emotion)
	}
}

func TestPalettesHaveDistinctVariants(t *testing.T) {
	for f, pal := range palettes {
		if len(pal) < 2 || len(pal) > maxVariants {
			t.Errorf("feeling %d: %d variants, want 2..%d", f, len(pal), maxVariants)
		}
		seen := map[signature]bool{}
		for _, v := range pal {
			if seen[v.signature] {
				t.Errorf("feeling %d: duplicate variant %+v", f, v)
			}
			seen[v.signature] = true
			if v.weight <= 0 {
				t.Errorf("feeling %d: weight %v", f, v.weight)
			}
		}
	}
}

// The same stimulus over and over never gives the same reaction twice in
// a row, yet still uses several variants.
func TestNeverTheSameTwice(t *testing.T) {
	for _, k := range StimulusKinds() {
		m, c := newTestMind(t, noon)
		var prev [5]string
		seen := map[[5]string]int{}
		for i := 0; i < 500; i++ {
			c.Advance(20 * time.Second)
			r := m.Feel(Stimulus{Kind: k, Zone: "head"})
			checkReaction(t, r)
			s := sig(r)
			if i > 0 && s == prev {
				t.Fatalf("%s: draw %d repeats %v", k, i, s)
			}
			prev = s
			seen[s]++
		}
		if len(seen) < 2 {
			t.Errorf("%s: only %d distinct reactions in 500", k, len(seen))
		}
	}
}

// A random stream of stimuli at random times, including sleep: still never
// the same twice, and every reaction valid.
func TestRandomStreamVariety(t *testing.T) {
	m, c := newTestMind(t, noon)
	rng := rand.New(rand.NewPCG(7, 7))
	kinds := StimulusKinds()
	zones := []string{"head", "chin", "back", "belly", "tail", ""}
	var prev [5]string
	counts := map[string]int{}
	for i := 0; i < 20000; i++ {
		c.Advance(time.Duration(rng.IntN(600)) * time.Second)
		for _, e := range m.Tick(c.Now()) {
			if e.Reaction.Sound != "" { // shown too: part of the sequence
				if s := sig(e.Reaction); s == prev {
					t.Fatalf("tick reaction repeats %v", s)
				}
				prev = sig(e.Reaction)
			}
		}
		r := m.Feel(Stimulus{Kind: kinds[rng.IntN(len(kinds))], Zone: zones[rng.IntN(len(zones))], Intensity: rng.Float64() * 2})
		checkReaction(t, r)
		if s := sig(r); i > 0 && s == prev {
			t.Fatalf("draw %d repeats %v", i, s)
		} else {
			prev = s
		}
		counts[r.Expression]++
	}
	if len(counts) != len(expressions) {
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Errorf("only these expressions in 20000 draws: %v", keys)
	}
}

func TestWeightedChoiceFavoursHeavyVariants(t *testing.T) {
	m, c := newTestMind(t, noon)
	n := map[string]int{}
	for i := 0; i < 3000; i++ {
		c.Advance(time.Minute)
		m.Restore(mustSnap(t, c.Now(), 0.1, 0.3, 0.8)) // same mood every draw
		r := m.Feel(Stimulus{Kind: StimTilted})
		n[r.Sound]++
	}
	// fStartled: chirp/up (2), meow/swish (1), none/up (2).
	if !(n["meow"] < n["chirp"] && n["meow"] < n["none"]) || n["meow"] == 0 {
		t.Errorf("sound counts %v: the weight-1 variant should be rarest but present", n)
	}
}

func mustSnap(t *testing.T, at time.Time, happy, calm, energy float64) []byte {
	t.Helper()
	m := NewMind(utcPersona(t, ""), MindOptions{Clock: NewManualClock(at)})
	b, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Restore(b); err != nil {
		t.Fatal(err)
	}
	m.v[axHappy], m.v[axCalm], m.v[axEnergy] = happy, calm, energy
	b, err = m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSeedDeterminism(t *testing.T) {
	run := func(seed uint64) []Reaction {
		c := NewManualClock(noon)
		m := NewMind(utcPersona(t, ""), MindOptions{Clock: c, Seed: seed})
		var out []Reaction
		for i := 0; i < 50; i++ {
			c.Advance(time.Minute)
			out = append(out, m.Feel(Stimulus{Kind: StimStroke, Zone: "chin"}))
		}
		return out
	}
	a, b, other := run(3), run(3), run(4)
	if !slices.Equal(a, b) {
		t.Error("same seed, different reactions")
	}
	if slices.Equal(a, other) {
		t.Error("different seeds, identical 50 reactions")
	}
}

func TestReactionShowsMood(t *testing.T) {
	m, c := newTestMind(t, noon)
	var love int
	for i := 0; i < 20; i++ {
		c.Advance(10 * time.Second)
		r := m.Feel(Stimulus{Kind: StimStroke, Zone: "chin"})
		if r.Expression == "love" {
			love++
		}
	}
	if love < 5 || m.MoodName() != MoodCuddly {
		t.Errorf("20 chin strokes: %d love faces, mood %q", love, m.MoodName())
	}
	// Night: subdued, dimmer eyes.
	day := m.Feel(Stimulus{Kind: StimButtonPress})
	c.Set(time.Date(2026, 5, 4, 23, 0, 0, 0, time.UTC))
	night := m.Feel(Stimulus{Kind: StimButtonPress})
	if night.Eyes.Brightness >= day.Eyes.Brightness {
		t.Errorf("night brightness %v not below day %v", night.Eyes.Brightness, day.Eyes.Brightness)
	}
	if !m.Quiet() {
		t.Error("not quiet at night")
	}
}

// BenchmarkFeel is event -> instant reaction: go test -bench Feel ./dialog/
func BenchmarkFeel(b *testing.B) {
	c := NewManualClock(noon)
	m := NewMind(utcPersona(b, ""), MindOptions{Clock: c, Seed: 1})
	kinds := StimulusKinds()
	t := noon
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t = t.Add(time.Second)
		m.Feel(Stimulus{Kind: kinds[i%len(kinds)], Zone: "head", Time: t, ID: "x"})
		if i%64 == 0 {
			m.Tick(t) // drain queued events as the daemon would
		}
	}
}

// BenchmarkFeelLatency reports the 99th percentile of single Feel calls.
func BenchmarkFeelLatency(b *testing.B) {
	m := NewMind(utcPersona(b, ""), MindOptions{Clock: NewManualClock(noon), Seed: 1})
	kinds := StimulusKinds()
	t := noon
	var d []time.Duration
	for i := 0; b.Loop(); i++ {
		t = t.Add(time.Second)
		s := Stimulus{Kind: kinds[i%len(kinds)], Zone: "chin", Time: t}
		start := time.Now()
		m.Feel(s)
		d = append(d, time.Since(start))
		if i%64 == 0 {
			m.Tick(t)
		}
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "p50-ns")
}

// Sad words in a chat (Stimulus.Somber) get a quiet cat in every mood:
// happy, cuddly, hungry, woken. Other chats still may trill.
func TestSomberChatIsQuiet(t *testing.T) {
	m, c := newTestMind(t, noon)
	loud := 0
	for i := 0; i < 400; i++ {
		c.Advance(20 * time.Second)
		switch i % 4 {
		case 0:
			m.Restore(mustSnap(t, c.Now(), 0.9, 0.5, 0.9)) // very happy
		case 1:
			m.Restore(mustSnap(t, c.Now(), -0.5, -0.5, 0.5)) // low and restless
		case 2:
			m.Feel(Stimulus{Kind: StimSleep}) // asleep: the chat wakes it
			c.Advance(time.Second)
		}
		r := m.Feel(Stimulus{Kind: StimChat, Somber: true})
		checkReaction(t, r)
		if r.Sound == "chirp" || r.Sound == "trill" || r.Expression == "happy" || r.Expression == "love" || r.Eyes.Animation == "sparkle" || r.Tail == "wag" {
			t.Fatalf("draw %d: somber chat got %v", i, sig(r))
		}
		if n := m.Feel(Stimulus{Kind: StimChat}); n.Sound == "chirp" || n.Sound == "trill" {
			loud++
		}
	}
	if loud == 0 {
		t.Error("no plain chat chirped or trilled in 400: the test cannot tell somber from plain")
	}
}
