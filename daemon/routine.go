package daemon

import (
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
)

// answerRoutine answers a few words of the day's routine said to the cat
// (a farewell, thanks, a game, a cuddle, how it is, bedtime:
// rules.Brain.Routine) with the rules brain's line while a model runs,
// when brain.routine is rules, and reports false, doing nothing, for any
// other words. Off by default: raters put those lines above the cat
// adapter's replies on single messages but not inside conversations
// (docs/models.md, *The day's routine*); it stays for a board whose model
// is weaker than the adapter. Without a model the rules brain answers
// everything anyway, through the usual path.
//
// Before that it answers a loss or an ache the owner tells of
// (rules.Brain.Comfort) with the rules brain's comfort line when
// brain.comfort is rules, the default: there raters put the lines far
// above the adapter's replies (docs/models.md, *The day's routine*).
func (d *daemon) answerRoutine(c mqtt.Command, req dialog.Request, note string) bool {
	if text, intent, ok := d.comfortAnswer(req); ok {
		d.log.Debug("a loss or an ache, the rules brain comforts", "component", "dialog", "event", "comfort", "intent", intent, "id", c.ID, "lang", req.Lang)
		d.sayLine(c, req, text, d.now(), chatResult{Brain: "rules", Comfort: intent, Note: note})
		return true
	}
	text, intent, ok := d.routineAnswer(req)
	if !ok {
		return false
	}
	now := d.now()
	d.log.Debug("routine words, the rules brain answers", "component", "dialog", "event", "routine", "intent", intent, "id", c.ID, "lang", req.Lang)
	d.sayLine(c, req, text, now, chatResult{Brain: "rules", Routine: intent, Note: note})
	return true
}

// comfortAnswer is the rules brain's line for req and its intent when
// answerRoutine would say it as comfort.
func (d *daemon) comfortAnswer(req dialog.Request) (text, intent string, ok bool) {
	if d.cfg.Brain.Comfort != "rules" || d.model == nil || d.model.Status().State != "ready" {
		return "", "", false
	}
	if intent = d.rules.Comfort(req); intent == "" {
		return "", "", false
	}
	_, text = d.rules.Compose(req)
	return text, intent, text != ""
}

// routineAnswer is the rules brain's line for req and its intent when
// answerRoutine would say it. Compose keeps the line from repeating the
// cat's last replies and advances the rules brain's choices, so it is
// asked only for words it will answer.
func (d *daemon) routineAnswer(req dialog.Request) (text, intent string, ok bool) {
	if d.cfg.Brain.Routine != "rules" || d.model == nil || d.model.Status().State != "ready" {
		return "", "", false
	}
	if intent = d.rules.Routine(req); intent == "" {
		return "", "", false
	}
	_, text = d.rules.Compose(req)
	return text, intent, text != ""
}
