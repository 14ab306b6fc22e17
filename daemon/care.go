package daemon

import (
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
	Kind string `json:"kind"` // dialog.DistressKind: self_harm, fall, cant_get_up
	Text string `json:"text"` // the owner's words, as the brain would see them
	Lang string `json:"lang"`
	ID   string `json:"id"` // the chat command's id
	Time string `json:"time"`
}

// answerDistress answers an owner in distress and raises the alarm; it
// reports false, doing nothing, when the words show no distress. Safety
// first: the answer is always the rules brain's care line, even when a
// model is loaded (a small model's words cannot be trusted here), said
// whole (the persona's length limits do not cut it). The alert is based on
// the owner's words only: the motion sensor's "fall" is the robot's.
func (d *daemon) answerDistress(c mqtt.Command, req dialog.Request, note string) bool {
	kind, ok := dialog.DetectDistress(req.Text)
	if !ok {
		return false
	}
	now := d.now()
	d.link.PublishEvent("care", careEvent{Kind: string(kind), Text: req.Text, Lang: req.Lang, ID: c.ID, Time: now.UTC().Format(time.RFC3339)})
	d.log.Warn("owner may be in distress; care alert sent", "component", "dialog", "event", "care",
		"kind", string(kind), "id", c.ID, "lang", req.Lang)

	text := rules.CareLine(kind, req.Lang, int(now.UnixNano()%64))
	id := d.ids.next("reply")
	seq := 0
	for _, s := range dialog.SplitSentences(text) {
		d.link.PublishReply(mqtt.Reply{ID: id, CommandID: c.ID, Seq: seq, Text: s})
		seq++
	}
	d.link.PublishReply(mqtt.Reply{ID: id, CommandID: c.ID, Seq: seq, Final: true})
	d.conv.Add(dialog.Turn{Role: "pet", Text: text, Time: now})
	d.link.Respond(c, chatResult{ReplyID: id, Text: text, Lang: req.Lang, Brain: "care", Note: note}, nil)
	d.stateDirty = true
	return true
}
