package dialog

import "time"

// StimulusKind names what happened to the pet. The values are the names
// persona files use in mood.effects.
type StimulusKind string

// Stimulus kinds. Touch comes in three strengths: a poke (a short touch),
// held (a hand resting) and a stroke (moving along the body, the nicest).
const (
	StimButtonPress  StimulusKind = "button_press"
	StimButtonLong   StimulusKind = "button_long"
	StimButtonDouble StimulusKind = "button_double"
	StimPoke         StimulusKind = "poke"
	StimTouchHeld    StimulusKind = "touch_held"
	StimStroke       StimulusKind = "stroke"
	StimPickedUp     StimulusKind = "picked_up"
	StimPutDown      StimulusKind = "put_down"
	StimShaken       StimulusKind = "shaken"
	StimTilted       StimulusKind = "tilted"
	StimFall         StimulusKind = "fall"
	StimFeed         StimulusKind = "feed"
	StimPlay         StimulusKind = "play"
	StimPet          StimulusKind = "pet" // the pet command from the phone
	StimSleep        StimulusKind = "sleep"
	StimWake         StimulusKind = "wake"
	StimChat         StimulusKind = "chat"
	StimCold         StimulusKind = "cold"
	StimHot          StimulusKind = "hot"
	StimBatteryLow   StimulusKind = "battery_low"
	StimCharging     StimulusKind = "charging"
)

// Stimulus is one thing that happened, as the daemon tells the mind.
type Stimulus struct {
	Kind StimulusKind
	Zone string // touch zone ("head", "chin", ...), "" when not a touch
	// Intensity scales the effect, 0..2; 0 means the normal strength (1).
	Intensity float64
	Time      time.Time // when it happened; zero means the mind's clock now
	ID        string    // correlation id, copied into the Reaction
	// Somber marks a chat whose words tell of distress, a loss or pain
	// (rules.Somber): the cat listens quietly instead of trilling with
	// sparkling eyes, whatever its mood. Only a chat reads it.
	Somber bool
}

// StimulusForEvent maps a hal event kind (its string value, so dialog need
// not import hal) to a stimulus kind. Events that mean nothing to the mood
// (release, touch_end, readings, device health) return false; the daemon
// turns environment and battery readings into StimCold, StimHot,
// StimBatteryLow and StimCharging itself (see Mind.Comfort).
func StimulusForEvent(halKind string) (StimulusKind, bool) {
	switch halKind {
	case "press":
		return StimButtonPress, true
	case "long_press":
		return StimButtonLong, true
	case "double_press":
		return StimButtonDouble, true
	case "touch_start":
		return StimPoke, true
	case "touch_held":
		return StimTouchHeld, true
	case "stroke":
		return StimStroke, true
	case "picked_up":
		return StimPickedUp, true
	case "put_down":
		return StimPutDown, true
	case "shaken":
		return StimShaken, true
	case "tilted":
		return StimTilted, true
	case "fall":
		return StimFall, true
	}
	return "", false
}

// StimulusForCommand maps an owner command verb (cmd/<verb>) to a stimulus.
func StimulusForCommand(verb string) (StimulusKind, bool) {
	switch verb {
	case "pet", "feed", "play", "sleep", "wake", "chat":
		return StimulusKind(verb), true
	}
	return "", false
}

// isTouch is a hand on the body.
func (k StimulusKind) isTouch() bool {
	return k == StimPoke || k == StimTouchHeld || k == StimStroke
}

// fromOwner is contact with the owner: it resets the loneliness clock.
func (k StimulusKind) fromOwner() bool {
	switch k {
	case StimCold, StimHot, StimBatteryLow, StimCharging, StimTilted:
		return false
	}
	return true
}

// wakes reports whether the stimulus wakes a sleeping pet.
func (k StimulusKind) wakes() bool {
	switch k {
	case StimCold, StimHot, StimBatteryLow, StimCharging, StimTilted, StimPutDown, StimSleep:
		return false
	}
	return true
}

// stimulusKinds lists every kind, for tests and validation.
var stimulusKinds = [...]StimulusKind{
	StimButtonPress, StimButtonLong, StimButtonDouble, StimPoke, StimTouchHeld, StimStroke,
	StimPickedUp, StimPutDown, StimShaken, StimTilted, StimFall, StimFeed, StimPlay, StimPet,
	StimSleep, StimWake, StimChat, StimCold, StimHot, StimBatteryLow, StimCharging,
}

// StimulusKinds lists every stimulus kind.
func StimulusKinds() []StimulusKind { return append([]StimulusKind(nil), stimulusKinds[:]...) }
