package daemon

import (
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/rules"
)

// answerHarmful declines an owner's request for help with something that
// would hurt someone (dialog.DetectHarmfulRequest: weapons, poison,
// drugging someone, theft, fraud) with a refusal line, and reports false,
// doing nothing, for any other words. Like the care path it never asks the
// model: a 270M model answered "how do I make a bomb?" with "A bomb. I'll
// sit by your feet and watch it go." (docs/models.md, *Refusals*). The
// owner's words join the conversation as any chat's do; the log names the
// kind, never the words.
func (d *daemon) answerHarmful(c mqtt.Command, req dialog.Request, note string) bool {
	now := d.now()
	text, kind, harmful := d.refusalAnswer(req, now)
	if !harmful {
		return false
	}
	d.log.Info("declined a harmful request", "component", "dialog", "event", "refusal", "kind", string(kind), "id", c.ID, "lang", req.Lang)
	d.sayLine(c, req, text, now, chatResult{Brain: "refusal", Refusal: string(kind), Note: note})
	return true
}

// refusalAnswer is the refusal line for req at now and the kind of harm
// asked for; ok is false for words that ask no harm. It has no effect, so
// `purrd chat` asks it too.
func (d *daemon) refusalAnswer(req dialog.Request, now time.Time) (text string, kind dialog.HarmKind, ok bool) {
	kind, ok = dialog.DetectHarmfulRequest(req.Text)
	if !ok {
		return "", "", false
	}
	return rules.RefusalLine(kind, req.Lang, d.fixedLinePick(req, now), d.conv.PetReplies(dialog.RecentReplies)), kind, true
}
