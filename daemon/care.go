package daemon

import (
	"slices"
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/rules"
)

// careEvent is the payload of <base>/event/care: an owner whose words say
// they may be in danger. A family member's phone or Home Assistant acts on
// it; it is published once (QoS 1, not retained: an old alert replayed on
// every reconnect would cry wolf).
type careEvent struct {
	mqtt.Stamp        // id: the chat command's id
	Kind       string `json:"kind"` // dialog.DistressKind: self_harm, medical, cant_get_up, fall
	Text       string `json:"text"` // the owner's words, as the brain would see them
	Lang       string `json:"lang"`
	Time       string `json:"time"`
}

// careWindow remembers an owner in distress for brain.care_window after
// their last words of distress: a frightened owner's next words ("I'm
// scared", "what should I do?") show no distress themselves, yet a cheerful
// model reply to them would be wrong. It lives in memory only: a restart
// mid-crisis is rare, the alert has already gone out, and the owner's next
// words of distress open a new window at once; a window restored from disk
// could only add a stale one.
type careWindow struct {
	until   time.Time
	alerted []dialog.DistressKind // kinds alerted in this window; nil when closed
	recent  []string              // the care lines said lately (at most dialog.RecentReplies), not to be said again
}

// active reports whether the owner is still in the cat's care at now.
func (w *careWindow) active(now time.Time) bool {
	return w.alerted != nil && now.Before(w.until)
}

// distress records words of distress of kind k at now and (re)starts the
// window for length. It reports whether to alert: only a kind not alerted
// yet in this window does, so an owner who keeps saying they fell raises
// one alert, but one who then says they cannot breathe raises another.
func (w *careWindow) distress(now time.Time, k dialog.DistressKind, length time.Duration) (alert bool) {
	if !w.active(now) {
		w.alerted = []dialog.DistressKind{}
	}
	alert = !slices.Contains(w.alerted, k)
	if alert {
		w.alerted = append(w.alerted, k)
	}
	w.until = now.Add(length)
	return alert
}

// kind is the most urgent kind alerted in the window: an owner who talked
// of self-harm and then of a fall still gets self-harm follow-ups.
func (w *careWindow) kind() dialog.DistressKind {
	for _, k := range dialog.DistressKinds() {
		if slices.Contains(w.alerted, k) {
			return k
		}
	}
	return dialog.DistressFall
}

// close ends the window: the owner said the danger is over.
func (w *careWindow) close() {
	w.alerted, w.until = nil, time.Time{}
}

// What a care answer was, in the chat response's "care" field.
const (
	careAlert    = "alert"     // distress words; event/care published
	careRepeat   = "repeat"    // distress words of a kind already alerted in the window: no new alert
	careFollowUp = "follow_up" // other words inside the window
	careOver     = "over"      // the owner said the danger is over: the window closed
)

// answerDistress answers an owner in distress, or in the care window
// after distress, and raises the alarm when needed; it reports false,
// doing nothing, when neither applies. Safety first: the answer is always
// a rules care line, even when a model is loaded (a small model's words
// cannot be trusted here), said whole (the persona's length limits do not
// cut it). The alert is based on the owner's words only: the motion
// sensor's "fall" is the robot's.
func (d *daemon) answerDistress(c mqtt.Command, req dialog.Request, note string) bool {
	now := d.now()
	a, ok := d.careAnswer(req, now)
	if !ok {
		return false
	}
	switch a.care {
	case careAlert:
		d.link.PublishEvent("care", &careEvent{Stamp: mqtt.Stamp{ID: c.ID}, Kind: string(a.kind), Text: req.Text, Lang: req.Lang, Time: now.UTC().Format(time.RFC3339)})
		d.log.Warn("owner may be in distress; care alert sent", "component", "dialog", "event", "care",
			"kind", string(a.kind), "id", c.ID, "lang", req.Lang)
	case careRepeat:
		d.log.Info("owner still in distress; already alerted", "component", "dialog", "event", "care_repeat",
			"kind", string(a.kind), "id", c.ID, "lang", req.Lang)
	case careOver:
		d.log.Info("owner says the danger is over; care window closed", "component", "dialog", "event", "care_over", "id", c.ID)
	default:
		d.log.Debug("care follow-up", "component", "dialog", "event", "care_follow_up", "kind", string(a.kind), "id", c.ID)
	}
	d.sayLine(c, req, a.text, now, chatResult{Brain: "care", Care: a.care, Note: note})
	return true
}

// careReply is a care line and what kind of care it gives.
type careReply struct {
	text string
	care string              // careAlert … careFollowUp
	kind dialog.DistressKind // the distress named, or the window's kind after it
}

// careAnswer is what the care path says to req at now, moving the care
// window as the owner's words require; ok is false when the words are not
// the care path's. It publishes and logs nothing, so `purrd chat` asks it
// too and a maker sees the lines an owner would.
func (d *daemon) careAnswer(req dialog.Request, now time.Time) (careReply, bool) {
	pick := d.fixedLinePick(req, now)
	w := &d.care
	var a careReply
	kind, distress := dialog.DetectDistress(req.Text)
	switch {
	case distress:
		a.care, a.kind = careRepeat, kind
		if w.distress(now, kind, d.cfg.Brain.CareWindow) {
			a.care = careAlert
		}
		a.text = rules.CareLine(kind, req.Lang, pick, w.recent)
	case !w.active(now):
		return careReply{}, false
	case dialog.DetectRecovered(req.Text):
		a.care, a.kind = careOver, w.kind()
		a.text = rules.CareRelief(req.Lang, pick, w.recent)
		w.close()
	default:
		a.care, a.kind = careFollowUp, w.kind()
		a.text = rules.CareFollowUp(w.kind(), req.Lang, pick, w.recent)
	}
	w.recent = append(w.recent, a.text)
	if len(w.recent) > dialog.RecentReplies {
		w.recent = w.recent[1:]
	}
	return a, true
}

// sayLine says a line the daemon chose itself, never a brain's (a care
// line, a refusal), whole on reply as its own exchange, remembered for
// ratings, and answers the chat with res (its brain and what kind of
// line) filled in. asked is when the chat was taken up: the answer's
// first_sentence_ms counts from it.
func (d *daemon) sayLine(c mqtt.Command, req dialog.Request, text string, asked time.Time, res chatResult) {
	id := d.ids.Next("reply")
	firstMS := d.now().Sub(asked).Milliseconds()
	seq := 0
	for _, s := range dialog.SplitSentences(text) {
		d.link.PublishReply(mqtt.Reply{ID: id, CommandID: c.ID, Seq: seq, Text: s})
		seq++
	}
	d.link.PublishReply(mqtt.Reply{ID: id, CommandID: c.ID, Seq: seq, Final: true, Text: text})
	d.conv.Add(dialog.Turn{Role: "pet", Text: text, Time: asked})
	d.rememberExchange(id, req, text, res.Brain, false, asked)
	res.ReplyID, res.Text, res.Lang, res.FirstMS = id, text, req.Lang, &firstMS
	d.link.Respond(c, res, nil)
	d.stateDirty = true
}
