package dialog

// Mood words, as MoodName returns them (the Home Assistant sensor value).
const (
	MoodAsleep  = "asleep"
	MoodScared  = "scared"
	MoodGrumpy  = "grumpy"
	MoodExcited = "excited"
	MoodSleepy  = "sleepy"
	MoodHungry  = "hungry"
	MoodLonely  = "lonely"
	MoodSad     = "sad"
	MoodCuddly  = "cuddly"
	MoodHappy   = "happy"
	MoodBored   = "bored"
	MoodContent = "content"
)

// MoodNames lists every word MoodName can return (for HA "options").
func MoodNames() []string {
	return []string{MoodAsleep, MoodScared, MoodGrumpy, MoodExcited, MoodSleepy, MoodHungry,
		MoodLonely, MoodSad, MoodCuddly, MoodHappy, MoodBored, MoodContent}
}

// Thresholds that name a mood. They describe the state rather than change
// it, so they are not persona tunables.
const (
	hungryLevel     = 0.15
	peckishLevel    = 0.3
	lonelyNamed     = -0.4
	aBitLonely      = -0.2
	boredLevel      = 0.1
	agitatedLevel   = -0.3
	frightenedLevel = -0.45
)

func (m *Mind) moodName() string {
	h, c := m.v[axHappy], m.v[axCalm]
	switch {
	case m.asleep:
		return MoodAsleep
	case c < frightenedLevel && h < 0:
		return MoodScared
	case c < agitatedLevel && h < 0.1:
		return MoodGrumpy
	case c < agitatedLevel:
		return MoodExcited
	case m.sleepy():
		return MoodSleepy
	case m.v[axFullness] < hungryLevel:
		return MoodHungry
	case m.v[axSocial] < lonelyNamed:
		return MoodLonely
	case h < -0.35:
		return MoodSad
	case m.v[axAffection] > 0.75 && h > 0.3:
		return MoodCuddly
	case h > 0.45:
		return MoodHappy
	case m.v[axPlay] < boredLevel && h < 0.2:
		return MoodBored
	}
	return MoodContent
}

// moodLine is the mood word plus up to two needs worth mentioning, e.g.
// "happy, a bit sleepy and a bit hungry".
func (m *Mind) moodLine() string {
	name := m.moodName()
	if m.asleep {
		return name
	}
	var q [2]string
	n := 0
	add := func(s string) {
		if n < len(q) {
			q[n] = s
			n++
		}
	}
	if name != MoodSleepy && m.sleepy() {
		if m.v[axEnergy] < m.p.Mood.Sleep.ExhaustedEnergy {
			add("very sleepy")
		} else {
			add("a bit sleepy")
		}
	}
	switch f := m.v[axFullness]; {
	case name == MoodHungry:
	case f < hungryLevel:
		add("very hungry")
	case f < peckishLevel:
		add("a bit hungry")
	}
	switch s := m.v[axSocial]; {
	case name == MoodLonely:
	case s < lonelyNamed:
		add("lonely")
	case s < aBitLonely:
		add("a bit lonely")
	}
	if name != MoodBored && m.v[axPlay] < boredLevel {
		add("wants to play")
	}
	switch n {
	case 0:
		return name
	case 1:
		return name + ", " + q[0]
	}
	return name + ", " + q[0] + " and " + q[1]
}

// MoodName is the mood in one word (see MoodNames), for the Home Assistant
// sensor and the reaction's Emotion.
func (m *Mind) MoodName() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.moodName()
}

// MoodLine is a one-line description ("content", "happy, a bit sleepy",
// "lonely and a bit hungry") for STATUS, the state JSON and prompts.
func (m *Mind) MoodLine() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.moodLine()
}
