package dialog

import "math"

// EyeColor is what the eyes should show.
type EyeColor struct {
	R, G, B    uint8
	Brightness float64 // 0..1
	Animation  string  // steady|blink|breathe|sparkle
}

// Reaction is the pet's instant answer to a stimulus: no model involved.
type Reaction struct {
	ID           string   // the stimulus's correlation id
	Sound        string   // tune: chirp|trill|meow|purr_rumble|hiss|yawn|none
	Expression   string   // neutral|happy|sleepy|surprised|sad|annoyed|love
	Eyes         EyeColor //
	Purr         string   // ""|soft|strong
	PurrStrength float64  // 0..1, 0 when Purr is ""
	Tail         string   // wag|swish|up|down|still
	TailAngle    float64  // degrees: -45 (tucked down) .. 90 (straight up)
	Emotion      string   // MoodName after the stimulus
}

// Expressions, in the order the eye colour table uses.
const (
	exNeutral = iota
	exHappy
	exSleepy
	exSurprised
	exSad
	exAnnoyed
	exLove
	nExpr
)

var expressionNames = [nExpr]string{"neutral", "happy", "sleepy", "surprised", "sad", "annoyed", "love"}

// Sounds and other reaction parts, as small indexes so that the tables
// below are compact and choosing allocates nothing.
const (
	sNone = iota
	sChirp
	sTrill
	sMeow
	sPurr
	sHiss
	sYawn
)

var soundNames = [...]string{"none", "chirp", "trill", "meow", "purr_rumble", "hiss", "yawn"}

const (
	aSteady = iota
	aBlink
	aBreathe
	aSparkle
)

var animNames = [...]string{"steady", "blink", "breathe", "sparkle"}

const (
	pNone = iota
	pSoft
	pStrong
)

var purrNames = [...]string{"", "soft", "strong"}

const (
	tWag = iota
	tSwish
	tUp
	tDown
	tStill
)

var tailNames = [...]string{"wag", "swish", "up", "down", "still"}

// signature is the discrete part of a reaction: two reactions with the same
// signature look and sound the same, whatever their brightness.
type signature struct{ sound, expr, anim, purr, tail uint8 }

type variant struct {
	signature
	weight float64
}

func v(sound, expr, anim, purr, tail uint8, w float64) variant {
	return variant{signature{sound, expr, anim, purr, tail}, w}
}

// feelings: what the pet feels about this stimulus right now. Each has a
// palette of at least two different-looking variants, so that the previous
// reaction can always be excluded.
const (
	fSleeping = iota
	fDozing
	fWoken
	fScared
	fAnnoyed
	fStartled
	fPlayful
	fHappy
	fLove
	fContent
	fSleepy
	fHungry
	fSad
	fConcerned
	nFeelings
)

var palettes = [nFeelings][]variant{
	fSleeping: {v(sNone, exSleepy, aBreathe, pSoft, tStill, 3), v(sNone, exSleepy, aBreathe, pNone, tStill, 2), v(sPurr, exSleepy, aBreathe, pSoft, tStill, 1), v(sNone, exSleepy, aSteady, pNone, tDown, 1)},
	fDozing:   {v(sYawn, exSleepy, aBreathe, pSoft, tDown, 3), v(sNone, exSleepy, aBreathe, pSoft, tStill, 2), v(sYawn, exSleepy, aBlink, pNone, tStill, 1)},
	fWoken:    {v(sYawn, exSleepy, aBlink, pNone, tStill, 3), v(sTrill, exSleepy, aBlink, pNone, tUp, 1), v(sMeow, exSurprised, aBlink, pNone, tStill, 1), v(sNone, exSleepy, aBlink, pNone, tSwish, 1)},
	fScared:   {v(sHiss, exSurprised, aBlink, pNone, tDown, 2), v(sMeow, exSurprised, aBlink, pNone, tSwish, 2), v(sNone, exSurprised, aSteady, pNone, tDown, 1), v(sHiss, exAnnoyed, aBlink, pNone, tSwish, 1)},
	fAnnoyed:  {v(sHiss, exAnnoyed, aSteady, pNone, tSwish, 2), v(sMeow, exAnnoyed, aBlink, pNone, tSwish, 2), v(sNone, exAnnoyed, aSteady, pNone, tSwish, 2), v(sNone, exAnnoyed, aBlink, pNone, tDown, 1)},
	fStartled: {v(sChirp, exSurprised, aBlink, pNone, tUp, 2), v(sMeow, exSurprised, aBlink, pNone, tSwish, 1), v(sNone, exSurprised, aBlink, pNone, tUp, 2)},
	fPlayful:  {v(sChirp, exHappy, aSparkle, pNone, tWag, 3), v(sTrill, exHappy, aSparkle, pNone, tWag, 2), v(sMeow, exSurprised, aSparkle, pNone, tSwish, 1), v(sChirp, exHappy, aBlink, pNone, tUp, 1)},
	fHappy:    {v(sChirp, exHappy, aBlink, pNone, tUp, 3), v(sTrill, exHappy, aSparkle, pNone, tUp, 2), v(sNone, exHappy, aBlink, pNone, tWag, 2), v(sMeow, exHappy, aBlink, pNone, tUp, 1), v(sTrill, exLove, aBlink, pSoft, tUp, 1)},
	fLove:     {v(sPurr, exLove, aBreathe, pStrong, tUp, 3), v(sNone, exLove, aBreathe, pStrong, tStill, 2), v(sTrill, exLove, aBreathe, pSoft, tUp, 2), v(sPurr, exHappy, aBreathe, pSoft, tWag, 1), v(sNone, exSleepy, aBreathe, pStrong, tStill, 1)},
	fContent:  {v(sNone, exNeutral, aBlink, pNone, tStill, 3), v(sChirp, exNeutral, aBlink, pNone, tSwish, 2), v(sNone, exHappy, aBlink, pNone, tUp, 1), v(sTrill, exNeutral, aSteady, pNone, tStill, 1)},
	fSleepy:   {v(sYawn, exSleepy, aBreathe, pNone, tDown, 3), v(sNone, exSleepy, aBreathe, pNone, tStill, 2), v(sMeow, exSleepy, aBlink, pNone, tDown, 1)},
	fHungry:   {v(sMeow, exSad, aBlink, pNone, tUp, 3), v(sMeow, exNeutral, aBlink, pNone, tSwish, 2), v(sTrill, exSad, aBlink, pNone, tUp, 1)},
	fSad:      {v(sMeow, exSad, aBreathe, pNone, tDown, 2), v(sNone, exSad, aBreathe, pNone, tDown, 2), v(sNone, exSad, aSteady, pNone, tStill, 1)},
	// The owner told of distress, a loss or pain: quiet, close, a soft
	// purr at most. No chirp, trill or sparkle.
	fConcerned: {v(sNone, exSad, aBreathe, pSoft, tStill, 3), v(sNone, exNeutral, aBreathe, pSoft, tDown, 2), v(sNone, exNeutral, aBreathe, pNone, tStill, 2), v(sMeow, exSad, aBreathe, pNone, tDown, 1)},
}

const maxVariants = 8

// Feel applies a stimulus to the mood and returns the instant reaction. It
// never blocks on anything but the mind's own lock and allocates nothing in
// the steady state (see BenchmarkFeel).
func (m *Mind) Feel(s Stimulus) Reaction {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := s.Time
	if now.IsZero() {
		now = m.clock.Now()
	}
	m.advance(now) // a stimulus older than the last update counts as "now"
	ki := kindIndex(s.Kind)
	wasLonely := m.v[axSocial] < lonelyNamed
	wasFull := m.v[axFullness] > 0.85
	wasTired := m.v[axEnergy] < m.p.Mood.Sleep.SleepyEnergy
	liking := 1.0
	if s.Kind.isTouch() {
		liking = m.p.ZoneLiking(s.Zone)
	}

	if ki >= 0 {
		scale := intensity(s.Intensity) * m.habituate(s.Kind)
		for a, d := range m.effects[ki] {
			if d == 0 {
				continue
			}
			if s.Kind.isTouch() && (a == axHappy || a == axAffection) {
				d *= liking
			}
			switch {
			case s.Kind == StimFeed && wasFull && a == axHappy:
				d = -math.Abs(d) // overfed
			case s.Kind == StimPlay && wasTired && a == axHappy:
				d *= 0.3
			}
			lo, hi := axisRange(a)
			m.v[a] = clamp(m.v[a]+d*scale, lo, hi)
		}
		if s.Kind.isTouch() && liking < 0 {
			m.v[axCalm] = clamp(m.v[axCalm]+liking*m.p.Mood.Steps.Small*scale, -1, 1)
		}
	}

	woke := false
	switch {
	case s.Kind == StimSleep:
		m.fallAsleep("command", s.ID)
	case m.asleep && s.Kind.wakes():
		reason := "command"
		switch {
		case s.Kind.isTouch() || s.Kind == StimPet:
			reason = "touch"
		case s.Kind == StimButtonPress || s.Kind == StimButtonLong || s.Kind == StimButtonDouble:
			reason = "button"
		case s.Kind == StimPickedUp || s.Kind == StimShaken || s.Kind == StimFall:
			reason = "motion"
		}
		m.wakeUp(reason, s.ID)
		woke = true
	}
	if s.Kind.fromOwner() {
		m.lastContact = m.last
	}

	f := m.feeling(s.Kind, s.Kind == StimChat && s.Somber, liking, woke, wasLonely, wasFull, wasTired)
	r := m.react(f)
	r.ID = s.ID
	m.noteMood(s.ID)
	return r
}

func intensity(x float64) float64 {
	if x == 0 || math.IsNaN(x) {
		return 1
	}
	return clamp(x, 0, 2)
}

// habituate halves the effect for each repeat of the same stimulus within
// the persona's habituation window (down to an eighth).
func (m *Mind) habituate(k StimulusKind) float64 {
	if k == m.lastKind && m.last.Sub(m.lastKindAt) < m.p.Mood.Habituation {
		m.repeats = min(m.repeats+1, 3)
	} else {
		m.repeats = 0
	}
	m.lastKind, m.lastKindAt = k, m.last
	return math.Ldexp(1, -m.repeats)
}

func (m *Mind) feeling(k StimulusKind, somber bool, liking float64, woke, wasLonely, wasFull, wasTired bool) int {
	h, c := m.v[axHappy], m.v[axCalm]
	switch {
	case k == StimSleep:
		return fDozing
	case m.asleep:
		return fSleeping
	case somber:
		// Woken or not, hungry or happy: sad words get a quiet cat.
		return fConcerned
	case k == StimFall || k == StimShaken:
		if c < frightenedLevel {
			return fScared
		}
		return fAnnoyed
	case woke:
		return fWoken
	case k.isTouch() && liking < 0:
		return fAnnoyed
	case k == StimFeed:
		if wasFull {
			return fAnnoyed
		}
		return fHappy
	case k == StimPlay || k == StimButtonDouble:
		if wasTired {
			return fSleepy
		}
		return fPlayful
	case k == StimTilted || (k == StimPickedUp && c < 0) || (k == StimPoke && c < agitatedLevel):
		return fStartled
	case k == StimCold || k == StimHot || k == StimBatteryLow:
		return fSad
	case k == StimCharging || k == StimPutDown:
		if m.sleepy() {
			return fSleepy
		}
		return fContent
	case k == StimStroke || k == StimTouchHeld || k == StimPet:
		if m.v[axAffection] > 0.6 && h > 0 {
			return fLove
		}
		return fHappy
	case m.sleepy():
		return fSleepy
	case m.v[axFullness] < hungryLevel:
		return fHungry
	case wasLonely || h > 0.3:
		return fHappy
	case h < -0.3:
		return fSad
	}
	return fContent
}

// react picks a variant of the feeling's palette by weight, never the one
// that looks like the previous reaction, and fills in the continuous parts
// from the mood.
func (m *Mind) react(f int) Reaction {
	pal := palettes[f]
	var w [maxVariants]float64
	quiet := m.night() || m.v[axEnergy] < m.p.Mood.Sleep.SleepyEnergy
	total := 0.0
	for i, vr := range pal {
		if m.hasLast && vr.signature == m.lastSig {
			continue
		}
		x := vr.weight
		if vr.sound != sNone {
			// Small reactions are weighted up when sleepy or at night so
			// the pet is not noisy; excited pets are noisier.
			if quiet {
				x *= 0.4
			}
			if m.v[axCalm] < agitatedLevel {
				x *= 1.5
			}
		}
		if vr.purr != pNone {
			x *= 0.5 + m.v[axAffection]
		}
		w[i] = x
		total += x
	}
	pick := -1
	r := m.rng.Float64() * total
	for i := range pal {
		if w[i] == 0 {
			continue
		}
		pick = i
		if r < w[i] {
			break
		}
		r -= w[i]
	}
	if pick < 0 { // every weight zero: cannot happen with valid palettes
		pick = 0
		if m.hasLast && pal[0].signature == m.lastSig {
			pick = 1
		}
	}
	sg := pal[pick].signature
	m.lastSig, m.hasLast = sg, true

	h := m.v[axHappy]
	arousal := (1 - m.v[axCalm]) / 2
	bright := 0.35 + 0.4*arousal + 0.2*math.Max(h, 0)
	if sg.expr == exSleepy {
		bright = 0.15
	}
	if m.night() {
		bright *= 0.6
	}
	purr := 0.0
	switch sg.purr {
	case pSoft:
		purr = 0.25 + 0.35*m.v[axAffection]
	case pStrong:
		purr = 0.6 + 0.4*m.v[axAffection]
	}
	var angle float64
	switch sg.tail {
	case tUp:
		angle = 75 + 15*h
	case tDown:
		angle = -30 + 15*math.Min(h, 0)
	case tWag, tSwish:
		angle = 30 + 30*h
	default:
		angle = 20 * h
	}
	c := m.eyes[sg.expr]
	return Reaction{
		Sound:      soundNames[sg.sound],
		Expression: expressionNames[sg.expr],
		Eyes: EyeColor{
			R: c[0], G: c[1], B: c[2],
			Brightness: round3(clamp(bright, 0.05, 1)),
			Animation:  animNames[sg.anim],
		},
		Purr:         purrNames[sg.purr],
		PurrStrength: round3(clamp(purr, 0, 1)),
		Tail:         tailNames[sg.tail],
		TailAngle:    math.Round(clamp(angle, -45, 90)),
		Emotion:      m.moodName(),
	}
}

// Filler is what the pet does while words are slow to come: a small
// "thinking" reaction (mood unchanged) and a filler line from the persona
// for lang, never the same line twice in a row when there is a choice.
func (m *Mind) Filler(id, lang string) (Reaction, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := fContent
	switch {
	case m.asleep || m.sleepy():
		f = fSleepy
	case m.v[axAffection] > 0.6 && m.v[axHappy] > 0:
		f = fLove
	}
	r := m.react(f)
	r.ID = id
	lines := m.p.FillersIn(lang)
	i := m.rng.IntN(len(lines))
	if len(lines) > 1 && lines[i] == m.lastFiller {
		i = (i + 1 + m.rng.IntN(len(lines)-1)) % len(lines)
	}
	m.lastFiller = lines[i]
	return r, lines[i]
}

// Quiet reports whether reactions should be subdued (asleep, night or
// tired); the daemon may lower volumes with it.
func (m *Mind) Quiet() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.asleep || m.night() || m.v[axEnergy] < m.p.Mood.Sleep.SleepyEnergy
}
