package daemon

import (
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
	kind, harmful := dialog.DetectHarmfulRequest(req.Text)
	if !harmful {
		return false
	}
	now := d.now()
	text := rules.RefusalLine(kind, req.Lang, int(now.UnixNano()%64), d.conv.PetReplies(dialog.RecentReplies))
	d.log.Info("declined a harmful request", "component", "dialog", "event", "refusal", "kind", string(kind), "id", c.ID, "lang", req.Lang)
	d.sayLine(c, req, text, now, chatResult{Brain: "refusal", Refusal: string(kind), Note: note})
	return true
}
