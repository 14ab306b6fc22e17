package mqtt

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
)

// IDs makes the ids that follow one exchange from where it entered (a
// button edge, a phone command) to what it caused (reaction, reply chunks,
// response, mind events): e.g. "ev-a1b2c3-42", kind, a tag made at each
// start, a counter. The tag keeps ids unique across restarts, so a phone
// never confuses an old reply with a new one. One IDs serves a whole run
// (the daemon passes its own in Options), so no two ids of a run are equal
// whoever made them. Safe for concurrent use.
type IDs struct {
	boot string
	n    atomic.Uint64
}

// NewIDs makes an id source with a fresh tag.
func NewIDs() *IDs {
	var b [3]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	return &IDs{boot: hex.EncodeToString(b[:])}
}

// Next returns the next id of the given kind, e.g. "ev-a1b2c3-42".
func (s *IDs) Next(kind string) string {
	return kind + "-" + s.boot + "-" + strconv.FormatUint(s.n.Add(1), 10)
}

// ID is a command's id as the phone sent it: a string, or an integer that
// stays a number. Answers carry it with the JSON type it came with, since
// a typed client matching its answers by id would not find {"id":42} in
// "id":"42". The zero ID is "no id".
type ID struct {
	s   string // the string, or the integer's decimal digits
	num bool
}

// TextID is an id that is a JSON string, e.g. one purrd made ("cmd-…") or
// a hardware event's id that a remark answers.
func TextID(s string) ID { return ID{s: s} }

// String is the id as text: the string, or the integer's digits.
func (id ID) String() string { return id.s }

// IsZero reports the absence of an id (and makes `omitzero` leave it out).
func (id ID) IsZero() bool { return id.s == "" }

// IsNumber reports an id the phone sent as a JSON number.
func (id ID) IsNumber() bool { return id.num }

// LogValue logs the id as its text, whatever its JSON type.
func (id ID) LogValue() slog.Value { return slog.StringValue(id.s) }

// MarshalJSON writes the id with the JSON type it came with.
func (id ID) MarshalJSON() ([]byte, error) {
	if id.num {
		return []byte(id.s), nil
	}
	return json.Marshal(id.s)
}

// UnmarshalJSON reads an id written by MarshalJSON (a string or an
// integer), for clients of this API written in Go (tests, the eval).
func (id *ID) UnmarshalJSON(b []byte) error {
	v, err := decodeID(b)
	if err != nil {
		return fmt.Errorf("mqtt: id: %w", err)
	}
	*id = v
	return nil
}
