package dialog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// ConversationOptions bound the conversation's memory. Zero values pick
// the defaults.
type ConversationOptions struct {
	// BudgetTokens is how many tokens of history History returns at most
	// (default 384): what fits the model's context beside the prompt.
	BudgetTokens int
	// MaxTurns is how many turns are kept at all (default 16, like
	// wire-pod); past it the older half goes at once (see History).
	MaxTurns int
	MaxFacts int // facts kept (default 16, of which 6 in the owner's own words); the oldest go first
	// Estimate counts the tokens of a text (default EstimateTokens).
	Estimate func(string) int
}

// Conversation is the short-term memory of recent turns plus the small
// long-term memory of facts the owner stated. Safe for concurrent use.
type Conversation struct {
	mu    sync.Mutex
	opt   ConversationOptions
	turns []Turn
	// start is where the history window begins in turns. It moves only in
	// blocks (see History), so successive prompts share their beginning.
	start int
	facts []Fact
	lang  string // language of the owner's last turn
	// said is the pet's last RecentReplies replies, kept apart from
	// turns: the drop in Add can leave turns with fewer (half of 16
	// turns holds four), and they are what a new reply must not repeat.
	said []string
}

// NewConversation makes an empty conversation.
func NewConversation(opt ConversationOptions) *Conversation {
	if opt.BudgetTokens <= 0 {
		opt.BudgetTokens = 384
	}
	if opt.MaxTurns <= 0 {
		opt.MaxTurns = 16
	}
	if opt.MaxFacts <= 0 {
		opt.MaxFacts = 16
	}
	if opt.Estimate == nil {
		opt.Estimate = EstimateTokens
	}
	return &Conversation{opt: opt}
}

// EstimateTokens is a cheap token estimate good enough for budgeting: a
// Han, kana or Hangul character is about one token, other text about four
// bytes a token, plus a few tokens of chat-template overhead per turn.
func EstimateTokens(s string) int {
	cjk, other := 0, 0
	for _, r := range s {
		if r >= 0x2E80 && (unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF) {
			cjk++
		} else {
			other += utf8.RuneLen(r)
		}
	}
	return cjk + (other+3)/4 + 4
}

// Add records a turn. Owner turns are searched for facts; the facts
// learned from this turn are returned (nil when none).
func (c *Conversation) Add(t Turn) []Fact {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.turns = append(c.turns, t)
	if len(c.turns) > c.opt.MaxTurns {
		// Turns the history window has left go first. Past that, drop the
		// older half at once rather than one turn per turn: the history is
		// the front of the model's prompt, and a window that slides every
		// turn changes that front every turn, so the model re-reads the
		// whole history instead of reusing its cache.
		drop := c.start
		if len(c.turns)-drop > c.opt.MaxTurns {
			drop = len(c.turns) - c.opt.MaxTurns/2
		}
		c.turns = append(c.turns[:0], c.turns[drop:]...)
		c.start = max(0, c.start-drop)
	}
	if t.Role == "pet" {
		if len(c.said) == RecentReplies {
			copy(c.said, c.said[1:])
			c.said = c.said[:RecentReplies-1]
		}
		c.said = append(c.said, t.Text)
	}
	if t.Role != "owner" {
		return nil
	}
	c.lang = DetectLangOr(t.Text, c.lang)
	learned := ExtractFacts(t.Text, t.Time)
	for _, f := range learned {
		c.remember(f)
	}
	return learned
}

// maxSaid is how many facts kept in the owner's own words a conversation
// holds: each is a sentence of the model's prompt.
const maxSaid = 6

func (c *Conversation) remember(f Fact) {
	for i := range c.facts {
		if c.facts[i].Key == f.Key {
			c.facts = append(c.facts[:i], c.facts[i+1:]...)
			break
		}
	}
	c.facts = append(c.facts, f)
	// The owner's own words are kept fewer than facts, and the oldest of
	// them go first, so a talkative day does not push out the owner's name.
	if Said(f) {
		n := 0
		for _, g := range c.facts {
			if Said(g) {
				n++
			}
		}
		if n > maxSaid {
			i := slices.IndexFunc(c.facts, Said)
			c.facts = append(c.facts[:i], c.facts[i+1:]...)
		}
	}
	if over := len(c.facts) - c.opt.MaxFacts; over > 0 {
		c.facts = append(c.facts[:0], c.facts[over:]...)
	}
}

// LastLang is the language of the owner's last words ("" before any).
func (c *Conversation) LastLang() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lang
}

// Remember stores a fact directly (e.g. from a phone command), replacing
// one with the same key.
func (c *Conversation) Remember(f Fact) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remember(f)
}

// History returns the recent turns that fit the token budget, oldest
// first. The slice is the caller's.
//
// The window keeps its first turn for as long as it fits: when the turns
// outgrow the budget, the oldest are dropped in one block, down to half
// the budget, and the window then grows again from there. The model's
// cache holds the previous prompt, and only a prompt that begins the same
// way can reuse it; dropping one turn per turn would change the beginning
// every time and make the model re-read the whole history at every turn.
func (c *Conversation) History() []Turn {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.start = min(c.start, len(c.turns))
	used := 0
	for _, t := range c.turns[c.start:] {
		used += c.opt.Estimate(t.Text)
	}
	if used > c.opt.BudgetTokens {
		for c.start < len(c.turns) && used > c.opt.BudgetTokens/2 {
			used -= c.opt.Estimate(c.turns[c.start].Text)
			c.start++
		}
	}
	return append([]Turn(nil), c.turns[c.start:]...)
}

// PetReplies returns the pet's last n replies (at most RecentReplies),
// oldest first, however many turns Add and History have dropped.
func (c *Conversation) PetReplies(n int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	n = max(0, min(n, len(c.said)))
	return append([]string(nil), c.said[len(c.said)-n:]...)
}

// Facts returns the fact texts, oldest first.
func (c *Conversation) Facts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, len(c.facts))
	for i, f := range c.facts {
		out[i] = f.Text
	}
	return out
}

// FactList returns the facts with their keys and times.
func (c *Conversation) FactList() []Fact {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Fact(nil), c.facts...)
}

// ClearTurns forgets the recent turns (a new conversation); facts stay.
func (c *Conversation) ClearTurns() {
	c.mu.Lock()
	c.turns, c.start, c.said = nil, 0, nil
	c.mu.Unlock()
}

// Forget drops every fact.
func (c *Conversation) Forget() {
	c.mu.Lock()
	c.facts = nil
	c.mu.Unlock()
}

type memorySnapshot struct {
	Version int    `json:"version"`
	Facts   []Fact `json:"facts"`
}

// Snapshot returns the facts as versioned JSON (recent turns are
// short-term and not kept across restarts).
func (c *Conversation) Snapshot() ([]byte, error) {
	c.mu.Lock()
	s := memorySnapshot{Version: SnapshotVersion, Facts: append([]Fact{}, c.facts...)}
	c.mu.Unlock()
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("dialog: memory snapshot: %w", err)
	}
	return b, nil
}

// Restore replaces the facts with a snapshot's; bad data is an error and
// changes nothing.
func (c *Conversation) Restore(data []byte) error {
	if len(data) > maxSnapshot {
		return fmt.Errorf("dialog: restore memory: snapshot is %d bytes, more than %d", len(data), maxSnapshot)
	}
	var s memorySnapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("dialog: restore memory: %w", err)
	}
	if dec.More() {
		return errors.New("dialog: restore memory: trailing data after the snapshot")
	}
	if s.Version != SnapshotVersion {
		return fmt.Errorf("dialog: restore memory: version %d, want %d", s.Version, SnapshotVersion)
	}
	for i, f := range s.Facts {
		if f.Key == "" || strings.TrimSpace(f.Text) == "" {
			return fmt.Errorf("dialog: restore memory: fact %d has no key or text", i)
		}
		if utf8.RuneCountInString(f.Text) > 200 || strings.ContainsFunc(f.Text, unicode.IsControl) {
			return fmt.Errorf("dialog: restore memory: fact %d text is too long or has control characters", i)
		}
	}
	if len(s.Facts) > c.opt.MaxFacts {
		s.Facts = s.Facts[len(s.Facts)-c.opt.MaxFacts:]
	}
	c.mu.Lock()
	c.facts = s.Facts
	c.mu.Unlock()
	return nil
}

// ownerTurn is a convenience for callers building turns.
func ownerTurn(text string, t time.Time) Turn { return Turn{Role: "owner", Text: text, Time: t} }
