package daemon

import (
	"strings"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
)

// answerOverlong lets the cat say something to a chat message the link
// refused as too large to read (its error response is already out).
func (d *daemon) answerOverlong(c mqtt.Command) {
	d.log.Warn("chat too large to read; the cat answers anyway", "component", "dialog", "event", "chat_too_large",
		"id", c.ID, "bytes", c.Oversize)
	d.cancelReply("a new chat arrived")
	lang := d.conv.LastLang()
	if c.Lang != "" {
		lang = strings.ToLower(strings.SplitN(c.Lang, "-", 2)[0])
	}
	text := dialog.OverlongReply(lang)
	id := d.ids.Next("reply")
	d.link.PublishReply(mqtt.Reply{ID: id, CommandID: c.ID, Seq: 0, Text: text})
	d.link.PublishReply(mqtt.Reply{ID: id, CommandID: c.ID, Seq: 1, Final: true, Text: text})
}
