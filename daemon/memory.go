package daemon

import (
	"fmt"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
)

// memoryDoc answers cmd/memory and cmd/forget: what the cat remembers
// about its owner, oldest first (docs/mqtt.md).
type memoryDoc struct {
	Facts  []dialog.Fact `json:"facts"`
	Forgot int           `json:"forgot,omitempty"`
}

func (d *daemon) memory() memoryDoc {
	f := d.conv.FactList()
	if f == nil {
		f = []dialog.Fact{}
	}
	return memoryDoc{Facts: f}
}

// factText is the text of the fact remembered under key.
func (d *daemon) factText(key string) (string, bool) {
	for _, f := range d.conv.FactList() {
		if f.Key == key {
			return f.Text, true
		}
	}
	return "", false
}

// onMemory handles memory (see) and forget (one fact by key, or all).
func (d *daemon) onMemory(c mqtt.Command) {
	if c.Verb == mqtt.VerbMemory {
		d.link.Respond(c, d.memory(), nil)
		return
	}
	forgot := 0
	if c.Key == "" {
		forgot = len(d.conv.FactList())
		d.conv.Forget()
		// The words of rated replies go too; their scores stay. A reply
		// being made now keeps nothing from before this either.
		d.ratings.Forget()
		d.forgotAt = d.now()
		d.saveRatings()
	} else if text, ok := d.factText(c.Key); ok && d.conv.ForgetKey(c.Key) {
		forgot = 1
		if d.ratings.ForgetFact(text) {
			d.saveRatings()
		}
	} else {
		d.link.Respond(c, nil, fmt.Errorf("nothing remembered under key %q (cmd/memory lists the keys)", c.Key))
		return
	}
	if err := d.saveState(); err != nil {
		d.log.Error("saving state", "component", "state", "err", err)
	}
	d.log.Info("forgot facts about the owner", "component", "dialog", "event", "forget", "id", c.ID, "key", c.Key, "count", forgot)
	m := d.memory()
	m.Forgot = forgot
	d.link.Respond(c, m, nil)
}
