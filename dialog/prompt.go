package dialog

import (
	"regexp"

	"github.com/purrd/purrd/dialog/persona"
)

// Chat-template tokens an owner might type to forge a turn.
var reTemplateToken = regexp.MustCompile(`(?i)<\|[^|>]{0,40}\|>|</?s>|\[/?INST\]|<start_of_turn>|<end_of_turn>|<<SYS>>|<</SYS>>`)

// NewRequest assembles a Request from the mind, the conversation and the
// owner's validated words: language detected (the persona's default when
// the text has no letters), mood line, history and facts.
func NewRequest(id, text string, p *persona.Persona, mind *Mind, conv *Conversation) Request {
	if p == nil {
		p = persona.Default()
	}
	lang := DetectLangOr(text, p.Language)
	req := Request{ID: id, Text: text, Lang: lang, PetName: p.Name}
	if mind != nil {
		req.Mood = mind.MoodLine()
	}
	if conv != nil {
		req.History = conv.History()
		req.Facts = conv.Facts()
		req.PetReplies = conv.PetReplies(RecentReplies)
	}
	return req
}
