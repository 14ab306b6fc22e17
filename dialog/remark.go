package dialog

import (
	"strings"
	"sync"
	"time"

	"github.com/purrd/purrd/dialog/persona"
)

// RemarkTag starts the text of a spontaneous-remark request:
// "[event:picked_up] You were just picked up. ..." Brains may read the
// kind from it (the rules brain does); a model reads the sentence.
const RemarkTag = "[event:"

// remarkable events and how they are told to a model.
func remarkSentence(k StimulusKind) string {
	switch k {
	case StimPickedUp:
		return "Your owner just picked you up."
	case StimFall:
		return "You just fell down!"
	case StimShaken:
		return "Someone just shook you."
	case StimFeed:
		return "Your owner just gave you food."
	case StimPlay:
		return "Your owner wants to play with you."
	case StimStroke:
		return "Your owner is stroking you gently."
	case StimWake:
		return "You just woke up."
	case StimCold:
		return "The room is cold."
	case StimHot:
		return "The room is hot."
	case StimBatteryLow:
		return "You feel very tired; your battery is low."
	}
	return ""
}

// RemarkText is the request text for a spontaneous remark about a
// stimulus; ok is false for stimuli not worth a remark.
func RemarkText(k StimulusKind) (text string, ok bool) {
	s := remarkSentence(k)
	if s == "" {
		return "", false
	}
	return RemarkTag + string(k) + "] " + s + " Say one short thing about it.", true
}

// RemarkKind reads the stimulus kind back from a remark text.
func RemarkKind(text string) (StimulusKind, bool) {
	rest, ok := strings.CutPrefix(text, RemarkTag)
	if !ok {
		return "", false
	}
	k, _, ok := strings.Cut(rest, "]")
	if !ok || remarkSentence(StimulusKind(k)) == "" {
		return "", false
	}
	return StimulusKind(k), true
}

// Remarker rate-limits spontaneous remarks: at most one per Every (the
// config's brain.spontaneous_every; 0 means never), only for remarkable
// stimuli, and never while asleep. Safe for concurrent use.
type Remarker struct {
	Every time.Duration

	mu   sync.Mutex
	last time.Time
}

// Allow reports whether a remark about k may be made at now, and if so
// counts it as made.
func (r *Remarker) Allow(now time.Time, k StimulusKind, asleep bool) bool {
	if r.Every <= 0 || asleep || remarkSentence(k) == "" {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.last.IsZero() && now.Sub(r.last) < r.Every {
		return false
	}
	r.last = now
	return true
}

// NewRemarkRequest builds the request for a remark about k, in the
// language the owner last used (the persona's default when none).
func NewRemarkRequest(id string, k StimulusKind, p *persona.Persona, mind *Mind, conv *Conversation) (Request, bool) {
	text, ok := RemarkText(k)
	if !ok {
		return Request{}, false
	}
	if p == nil {
		p = persona.Default()
	}
	req := NewRequest(id, text, p, mind, conv)
	req.Lang = p.Language
	if conv != nil {
		if l := conv.LastLang(); l != "" {
			req.Lang = l
		}
	}
	return req, true
}
