// Package dialog is the pet's side of every exchange: its mood and needs,
// the instant reaction it shows to each event, and the words it says. It is
// pure logic plus the Brain interface; it never touches hardware or MQTT
// (the daemon wires those), so all of it runs in tests with a fake clock.
package dialog

import (
	"context"
	"hash/fnv"
	"time"
)

// Turn is one line of conversation kept in short-term memory.
type Turn struct {
	Role string // "owner" or "pet"
	Text string
	Time time.Time
}

// Request is what a brain is asked to answer.
type Request struct {
	ID   string // correlation id from the command that caused it
	Text string // the owner's words, already validated (UTF-8, bounded)
	Lang string // "en", "zh", ...; never empty when a brain sees it

	// Context the brain may use in its prompt.
	PetName string
	Mood    string   // a one-line description, e.g. "happy, a bit sleepy"
	History []Turn   // recent turns, oldest first, already fitted to the budget
	Facts   []string // things the owner told the pet ("owner's name is Ana")
	// PetReplies are the pet's last RecentReplies replies, oldest first,
	// whether or not History still holds them: History loses its oldest
	// turns in a block when it outgrows the budget, and a reply must not
	// repeat one said a moment before that block went.
	PetReplies []string
	// Unwanted are replies the owner rated broken: the brain must not
	// say one of them again, whole (a sentence of one may come back in
	// another reply). The owner's rating is the real score; this is how
	// the cat heeds it before any retraining.
	Unwanted []string
}

// Digest is a hash of what a reply to r answers: the owner's words and
// the history before them (not the id, mood or facts). A seeded run draws
// each reply from it (brain.sampling.seed), so the same turn of the same
// conversation draws alike however many other requests came between.
func (r Request) Digest() uint32 {
	h := fnv.New32a()
	for _, t := range r.History {
		h.Write([]byte(t.Role + "\x00" + t.Text + "\x00"))
	}
	h.Write([]byte(r.Text))
	return h.Sum32()
}

// Chunk is one streamed piece of a reply: a whole sentence where possible,
// sent as soon as it is complete. The Final chunk may carry no text: a
// streaming brain only knows the reply has ended after its last sentence.
type Chunk struct {
	Text  string
	Final bool
	// Started marks a chunk without text that says the brain has begun
	// to produce words (its first token), so a caller deciding whether to
	// fill the silence knows words are on the way. Optional.
	Started bool
}

// BrainStatus says which brain answers and how it is doing; it is shown in
// the MQTT state, the sd_notify STATUS line and the log.
type BrainStatus struct {
	Name   string `json:"name"`             // "rules", "llama"
	Model  string `json:"model,omitempty"`  // model file base name, "" for rules
	State  string `json:"state"`            // "ready", "loading", "stalled", "failed", "restarting"
	Reason string `json:"reason,omitempty"` // why it is not ready, readable
}

// Brain turns a request into words. Reply calls emit for each chunk in order
// and returns when the reply is complete (the last chunk has Final set) or
// when ctx is cancelled, which must stop generation promptly. Chunks
// without text (Started, or a textless Final) carry no words.
type Brain interface {
	Status() BrainStatus
	Reply(ctx context.Context, req Request, emit func(Chunk)) error
}
