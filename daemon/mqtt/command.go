package mqtt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Verbs the link accepts on <base>/cmd/<verb>. Inputs on <base>/sim/<input>
// arrive as Verb "sim".
const (
	VerbChat     = "chat"
	VerbPet      = "pet"
	VerbFeed     = "feed"
	VerbPlay     = "play"
	VerbSleep    = "sleep"
	VerbWake     = "wake"
	VerbGetState = "get_state"
	VerbSet      = "set"
	VerbPing     = "ping"
	VerbSim      = "sim"
	VerbMemory   = "memory"  // what the cat remembers about the owner
	VerbForget   = "forget"  // {"key": ...} forgets one fact; without a key, all of them
	VerbRate     = "rate"    // {"reply_id": ..., "score": 0-2, "note": ...}: the owner's rating of a reply
	VerbRatings  = "ratings" // the owner's score of the cat's words, per brain
	// VerbDebugStall freezes the daemon's loop so the systemd watchdog can
	// be seen to work; the daemon refuses it unless debug.stall_trigger is on.
	VerbDebugStall = "debug_stall"
)

// Limits on command fields; the payload limit itself is Options.MaxPayload.
const (
	// MaxChatPayload is the least a cmd/chat payload may be (mqtt.max_payload
	// when larger): an owner's long message is shortened for the brain by
	// dialog.ValidateChat, keeping its start and its end, rather than
	// refused here. Only a payload past it is too large, and even then the
	// daemon hears of it (Command.Oversize) so the cat still answers.
	MaxChatPayload = 64 << 10
	maxIDLen       = 128
	maxNameRunes   = 32
	maxTokenLen    = 64
	maxLangLen     = 16
	maxSimArgRunes = 256
	// maxNoteBytes bounds a rating's note here; the daemon's own limit in
	// characters (ratings.MaxNote) is smaller.
	maxNoteBytes = 2048
)

// Kinds of command errors; a *CommandError wraps one of them so callers can
// tell them apart with errors.Is.
var (
	ErrTooLarge    = errors.New("payload too large")
	ErrBadEncoding = errors.New("payload is not valid UTF-8")
	ErrMalformed   = errors.New("malformed payload")
	ErrUnknownVerb = errors.New("unknown verb")
	ErrBadField    = errors.New("bad field")
	ErrMissing     = errors.New("missing field")
	ErrRetained    = errors.New("retained command")
	ErrRateLimited = errors.New("rate limited")
	ErrBusy        = errors.New("busy")
	ErrSimDisabled = errors.New("sim inputs disabled")
	// ErrUnknownInput is for the daemon: sim/<input> names no input the
	// simulated board has (the link does not know the board's inputs).
	ErrUnknownInput = errors.New("unknown sim input")
	ErrBadTopic     = errors.New("bad topic")
	// ErrNotFound is for the daemon: the command names something it does
	// not have (a reply to rate that is not one of the recent ones).
	ErrNotFound = errors.New("not found")
)

// errorCodes are the machine-readable "code" values of error responses.
var errorCodes = []struct {
	err  error
	code string
}{
	{ErrTooLarge, "too_large"},
	{ErrBadEncoding, "bad_encoding"},
	{ErrMalformed, "malformed"},
	{ErrUnknownVerb, "unknown_verb"},
	{ErrBadField, "bad_field"},
	{ErrMissing, "missing_field"},
	{ErrRetained, "retained"},
	{ErrRateLimited, "rate_limited"},
	{ErrBusy, "busy"},
	{ErrSimDisabled, "sim_disabled"},
	{ErrUnknownInput, "unknown_input"},
	{ErrBadTopic, "bad_topic"},
	{ErrNotFound, "not_found"},
}

// errorCode maps an error to the response's "code" field; errors the daemon
// returns from its own handling are "failed".
func errorCode(err error) string {
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	return "failed"
}

// Command is one decoded, validated command from the phone.
type Command struct {
	// ID is the caller's "id" (a string, or an integer kept as a number)
	// or, when the caller sent none, one the link made up; the response and
	// any reply carry it, with the JSON type it came with.
	ID ID
	// Verb is the <verb> of cmd/<verb>, or "sim" for sim/<input>.
	Verb string
	// Client is the MQTT client id of the sender when the broker lets the
	// link see it (embedded broker), else empty.
	Client   string
	Received time.Time

	Text string // chat: what was said (required)
	Lang string // chat: optional language tag, e.g. "en" or "pt-BR"
	Zone string // pet: optional zone, e.g. "head"

	// set: each is nil when not given; at least one is present.
	Name    *string
	Volume  *float64 // 0..1
	Persona *string

	Key string // forget: the fact to forget ("" = all of them)

	// rate: the reply (the "reply_id" of its chunks and of the chat
	// response), the owner's score (0 broken, 1 ok, 2 delightful) and an
	// optional note.
	ReplyID string
	Score   int
	Note    string

	SimInput string // sim: the <input> of sim/<input>
	SimArg   string // sim: {"arg": "..."} or the plain-text payload

	// Oversize is the size in bytes of a chat payload the link refused as
	// too large (its error response is already sent; Text is empty). It is
	// delivered only so the cat can still say something: do not Respond.
	Oversize int

	// seq identifies this delivery so Respond can answer exactly once.
	seq uint64
}

// CommandError is a command the link refuses. Msg is the readable reason
// sent to the phone; Verb and ID are set when they could be recovered, so
// the error response can still be addressed and correlated.
type CommandError struct {
	Topic string // the topic suffix, e.g. "cmd/chat"
	Verb  string
	ID    ID
	Kind  error // one of the Err* kinds
	Msg   string
}

func (e *CommandError) Error() string {
	return "mqtt: command " + strconv.Quote(e.Topic) + ": " + e.Msg
}

func (e *CommandError) Unwrap() error { return e.Kind }

// verbFields is the table of verbs: per verb, the payload keys it accepts
// besides "id". Everything else that names the verbs (knownVerbs, the
// external broker's rate-limit keys) is derived from it. Never modified.
var verbFields = map[string][]string{
	VerbChat:     {"text", "lang"},
	VerbPet:      {"zone"},
	VerbFeed:     nil,
	VerbPlay:     nil,
	VerbSleep:    nil,
	VerbWake:     nil,
	VerbGetState: nil,
	VerbSet:      {"name", "volume", "persona"},
	VerbPing:     nil,
	VerbSim:      {"arg"},
	VerbMemory:   nil,
	VerbForget:   {"key"},
	VerbRate:     {"reply_id", "score", "note"},
	VerbRatings:  nil,

	VerbDebugStall: nil,
}

// Verbs lists the verbs of cmd/<verb>, sorted: sim inputs come on
// sim/<input>, not as a verb.
func Verbs() []string {
	vs := make([]string, 0, len(verbFields))
	for v := range verbFields {
		if v != VerbSim {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	return vs
}

// knownVerbs is the list named in unknown-verb errors.
func knownVerbs() string { return strings.Join(Verbs(), ", ") }

// DecodeCommand decodes the payload of a message that arrived on
// <base>/<topicSuffix>, where topicSuffix is "cmd/<verb>" or "sim/<input>".
// It is pure: it neither logs nor keeps state. On error it returns a
// *CommandError and a Command holding what could be recovered (Verb, ID).
//
// Payloads are a JSON object, or empty for verbs without fields; chat and
// sim also take plain text (the text, or the sim argument). Unknown keys,
// wrong types, missing fields, invalid UTF-8 and payloads over maxPayload
// bytes (cmd/chat: over MaxChatPayload, when that is more) are refused, and
// so is any retained message: acting on a retained command would replay it
// on every reconnect.
func DecodeCommand(topicSuffix string, payload []byte, retained bool, maxPayload int) (Command, error) {
	var c Command
	fail := func(kind error, format string, args ...any) (Command, error) {
		return c, &CommandError{Topic: topicSuffix, Verb: c.Verb, ID: c.ID, Kind: kind, Msg: fmt.Sprintf(format, args...)}
	}

	switch {
	case strings.HasPrefix(topicSuffix, "cmd/"):
		c.Verb = topicSuffix[len("cmd/"):]
		if !validToken(c.Verb, 32) {
			c.Verb = ""
			return fail(ErrBadTopic, "topic %q: the verb must be one level of [a-z0-9_-], at most 32 characters (verbs: %s)", topicSuffix, knownVerbs())
		}
		if _, ok := verbFields[c.Verb]; !ok || c.Verb == VerbSim {
			c.ID = peekID(payload, maxPayload)
			return fail(ErrUnknownVerb, "unknown verb %q (verbs: %s)", c.Verb, knownVerbs())
		}
	case strings.HasPrefix(topicSuffix, "sim/"):
		c.Verb = VerbSim
		c.SimInput = topicSuffix[len("sim/"):]
		if !validToken(c.SimInput, maxTokenLen) {
			c.SimInput = ""
			return fail(ErrBadTopic, "topic %q: the sim input must be one level of [a-z0-9_-], at most %d characters", topicSuffix, maxTokenLen)
		}
	default:
		return fail(ErrBadTopic, "topic %q is neither cmd/<verb> nor sim/<input>", topicSuffix)
	}

	if c.Verb == VerbChat {
		maxPayload = max(maxPayload, MaxChatPayload)
	}
	if len(payload) > maxPayload {
		return fail(ErrTooLarge, "payload is %d bytes; the limit is %d", len(payload), maxPayload)
	}
	if !utf8.Valid(payload) {
		return fail(ErrBadEncoding, "payload is not valid UTF-8")
	}
	if retained {
		c.ID = peekID(payload, maxPayload)
		return fail(ErrRetained, "retained command ignored: commands must be published without the retain flag; clear it by publishing an empty retained message on the same topic (mosquitto_pub -r -n -t TOPIC)")
	}

	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return decodePlain(c, trimmed, fail)
	}
	fields, err := objectFields(trimmed)
	if err != nil {
		return fail(ErrMalformed, "payload is not a valid JSON object: %v", err)
	}
	if raw, ok := fields["id"]; ok {
		id, err := decodeID(raw)
		if err != nil {
			return fail(ErrBadField, "field \"id\": %v", err)
		}
		c.ID = id
	}
	allowed := verbFields[c.Verb]
	for k := range fields {
		if k != "id" && !contains(allowed, k) {
			if len(allowed) == 0 {
				return fail(ErrBadField, "unknown field %q: %s takes only \"id\"", k, c.Verb)
			}
			return fail(ErrBadField, "unknown field %q: %s takes %s", k, c.Verb, quoteList(append([]string{"id"}, allowed...)))
		}
	}

	switch c.Verb {
	case VerbChat:
		raw, ok := fields["text"]
		if !ok {
			return fail(ErrMissing, "missing field \"text\": chat needs {\"text\": \"...\"}")
		}
		if c.Text, err = decodeString(raw); err != nil {
			return fail(ErrBadField, "field \"text\": %v", err)
		}
		if err := checkText(c.Text); err != nil {
			return fail(ErrBadField, "field \"text\": %v", err)
		}
		if raw, ok := fields["lang"]; ok {
			if c.Lang, err = decodeString(raw); err != nil {
				return fail(ErrBadField, "field \"lang\": %v", err)
			}
			if !validLang(c.Lang) {
				return fail(ErrBadField, "field \"lang\": %q is not a language tag like \"en\" or \"pt-BR\"", c.Lang)
			}
		}
	case VerbPet:
		if raw, ok := fields["zone"]; ok {
			if c.Zone, err = decodeString(raw); err != nil {
				return fail(ErrBadField, "field \"zone\": %v", err)
			}
			if !validToken(c.Zone, 32) {
				return fail(ErrBadField, "field \"zone\": %q must be [a-z0-9_-], 1 to 32 characters", c.Zone)
			}
		}
	case VerbSet:
		if raw, ok := fields["name"]; ok {
			s, err := decodeString(raw)
			if err != nil {
				return fail(ErrBadField, "field \"name\": %v", err)
			}
			if err := checkName(s); err != nil {
				return fail(ErrBadField, "field \"name\": %v", err)
			}
			c.Name = &s
		}
		if raw, ok := fields["volume"]; ok {
			var v float64
			if err := json.Unmarshal(raw, &v); err != nil || raw[0] == '"' || raw[0] == 'n' {
				return fail(ErrBadField, "field \"volume\": want a number from 0 to 1, got %s", jsonKind(raw))
			}
			if math.IsNaN(v) || v < 0 || v > 1 {
				return fail(ErrBadField, "field \"volume\": %v is outside 0..1", v)
			}
			c.Volume = &v
		}
		if raw, ok := fields["persona"]; ok {
			s, err := decodeString(raw)
			if err != nil {
				return fail(ErrBadField, "field \"persona\": %v", err)
			}
			if !validToken(s, 32) {
				return fail(ErrBadField, "field \"persona\": %q must be [a-z0-9_-], 1 to 32 characters", s)
			}
			c.Persona = &s
		}
		if c.Name == nil && c.Volume == nil && c.Persona == nil {
			return fail(ErrMissing, "set needs at least one of \"name\", \"volume\", \"persona\"")
		}
	case VerbForget:
		if raw, ok := fields["key"]; ok {
			if c.Key, err = decodeString(raw); err != nil {
				return fail(ErrBadField, "field \"key\": %v", err)
			}
			if c.Key == "" || len(c.Key) > 128 {
				return fail(ErrBadField, "field \"key\": want a fact's key from memory, 1 to 128 bytes")
			}
		}
	case VerbRate:
		raw, ok := fields["reply_id"]
		if !ok {
			return fail(ErrMissing, "missing field \"reply_id\": rate needs {\"reply_id\": \"reply-…\", \"score\": 0|1|2}")
		}
		if c.ReplyID, err = decodeString(raw); err != nil {
			return fail(ErrBadField, "field \"reply_id\": %v", err)
		}
		if c.ReplyID == "" || len(c.ReplyID) > maxIDLen || checkName(c.ReplyID) != nil {
			return fail(ErrBadField, "field \"reply_id\": want the reply_id of a chat response, 1 to %d printable bytes", maxIDLen)
		}
		raw, ok = fields["score"]
		if !ok {
			return fail(ErrMissing, "missing field \"score\": rate needs {\"reply_id\": \"reply-…\", \"score\": 0|1|2}")
		}
		switch string(raw) {
		case "0", "1", "2":
			c.Score = int(raw[0] - '0')
		default:
			return fail(ErrBadField, "field \"score\": want 0 (broken), 1 (ok) or 2 (delightful), got %s", snippet(raw))
		}
		if raw, ok := fields["note"]; ok {
			if c.Note, err = decodeString(raw); err != nil {
				return fail(ErrBadField, "field \"note\": %v", err)
			}
			if len(c.Note) > maxNoteBytes {
				return fail(ErrBadField, "field \"note\": is %d bytes; the limit is %d", len(c.Note), maxNoteBytes)
			}
		}
	case VerbSim:
		if raw, ok := fields["arg"]; ok {
			if c.SimArg, err = decodeString(raw); err != nil {
				return fail(ErrBadField, "field \"arg\": %v", err)
			}
			if err := checkSimArg(c.SimArg); err != nil {
				return fail(ErrBadField, "field \"arg\": %v", err)
			}
		}
	}
	return c, nil
}

// peekID recovers the "id" of a payload refused before decoding, so its
// error response can still be correlated.
func peekID(payload []byte, maxPayload int) ID {
	if len(payload) > maxPayload || !utf8.Valid(payload) {
		return ID{}
	}
	p := bytes.TrimSpace(payload)
	if len(p) == 0 || p[0] != '{' {
		return ID{}
	}
	fields, err := objectFields(p)
	if err != nil {
		return ID{}
	}
	raw, ok := fields["id"]
	if !ok {
		return ID{}
	}
	id, err := decodeID(raw)
	if err != nil {
		return ID{}
	}
	return id
}

// decodePlain handles a payload that is empty or not a JSON object. chat
// and sim take plain text, as it is; but a valid JSON array is a program's
// mistake (refused), and a valid JSON string is a program that encoded its
// text (its contents are the text, not the quotes).
func decodePlain(c Command, p []byte, fail func(error, string, ...any) (Command, error)) (Command, error) {
	if c.Verb == VerbChat || c.Verb == VerbSim {
		switch {
		case len(p) > 0 && p[0] == '[' && json.Valid(p):
			return fail(ErrMalformed, "payload must be a JSON object or plain text, got a JSON array")
		case len(p) > 0 && p[0] == '"' && json.Valid(p):
			var s string
			if err := json.Unmarshal(p, &s); err != nil {
				return fail(ErrMalformed, "payload is not a valid JSON string: %v", err)
			}
			p = []byte(s)
		}
	}
	switch c.Verb {
	case VerbChat:
		if len(p) == 0 {
			return fail(ErrMissing, "missing field \"text\": chat needs {\"text\": \"...\"} or plain text")
		}
		c.Text = string(p)
		if err := checkText(c.Text); err != nil {
			return fail(ErrBadField, "text: %v", err)
		}
		return c, nil
	case VerbSim:
		c.SimArg = string(p)
		if err := checkSimArg(c.SimArg); err != nil {
			return fail(ErrBadField, "sim argument: %v", err)
		}
		return c, nil
	}
	if len(p) == 0 {
		switch c.Verb {
		case VerbSet:
			return fail(ErrMissing, "set needs at least one of \"name\", \"volume\", \"persona\"")
		case VerbRate:
			return fail(ErrMissing, "missing field \"reply_id\": rate needs {\"reply_id\": \"reply-…\", \"score\": 0|1|2}")
		}
		return c, nil
	}
	if p[0] == '[' || p[0] == '"' || json.Valid(p) {
		return fail(ErrMalformed, "payload must be a JSON object (or empty), got %s", jsonKind(p))
	}
	return fail(ErrMalformed, "payload must be a JSON object (or empty), got %s", snippet(p))
}

// objectFields parses a JSON object into its top-level members, refusing
// duplicate keys (which would make "which one wins" a guess).
func objectFields(p []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not an object")
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("object key is not a string")
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("value of %q: %w", key, err)
		}
		if _, dup := fields[key]; dup {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		fields[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the object")
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("trailing data after the object")
	}
	return fields, nil
}

// decodeID reads an "id": a string of 1 to maxIDLen printable bytes, or
// an integer that fits 64 bits, which stays a number in the answers.
func decodeID(raw []byte) (ID, error) {
	switch {
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return ID{}, err
		}
		if s == "" || len(s) > maxIDLen {
			return ID{}, fmt.Errorf("want 1 to %d bytes, got %d", maxIDLen, len(s))
		}
		for _, r := range s {
			if !unicode.IsPrint(r) {
				return ID{}, fmt.Errorf("%q contains a control character", s)
			}
		}
		return ID{s: s}, nil
	case len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')):
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return ID{}, fmt.Errorf("want a string or an integer, got %s", snippet(raw))
		}
		return ID{s: strconv.FormatInt(n, 10), num: true}, nil
	}
	return ID{}, fmt.Errorf("want a string or an integer, got %s", jsonKind(raw))
}

func decodeString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", fmt.Errorf("want a string, got %s", jsonKind(raw))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

func checkText(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("is empty")
	}
	for _, r := range s {
		if r == utf8.RuneError {
			return errors.New("contains an invalid character")
		}
		// Line breaks (\r\n from some keyboards too) and tabs are text;
		// any other control character is a client's bug, refused by name
		// rather than removed behind its back.
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return fmt.Errorf("contains control character %U", r)
		}
	}
	return nil
}

func checkName(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("is empty")
	}
	if n := utf8.RuneCountInString(s); n > maxNameRunes {
		return fmt.Errorf("is %d characters; the limit is %d", n, maxNameRunes)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			return fmt.Errorf("%q contains a character that is not printable", s)
		}
	}
	return nil
}

func checkSimArg(s string) error {
	if n := utf8.RuneCountInString(s); n > maxSimArgRunes {
		return fmt.Errorf("is %d characters; the limit is %d", n, maxSimArgRunes)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			return fmt.Errorf("%q contains a character that is not printable", s)
		}
	}
	return nil
}

// validToken reports whether s is 1..max characters of [a-z0-9_-].
func validToken(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// validLang accepts BCP 47-shaped tags: 2-3 letters, then -subtags of 1-8
// letters or digits.
func validLang(s string) bool {
	if s == "" || len(s) > maxLangLen {
		return false
	}
	parts := strings.Split(s, "-")
	if len(parts[0]) < 2 || len(parts[0]) > 3 {
		return false
	}
	for i, p := range parts {
		if p == "" || len(p) > 8 {
			return false
		}
		for j := 0; j < len(p); j++ {
			b := p[j] | 0x20
			isLetter := b >= 'a' && b <= 'z'
			if !isLetter && (i == 0 || p[j] < '0' || p[j] > '9') {
				return false
			}
		}
	}
	return true
}

// jsonKind names the JSON type of a raw value for error messages.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// snippet quotes the start of untrusted input for an error message.
func snippet(p []byte) string {
	const max = 40
	if len(p) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(p[cut]) {
			cut--
		}
		return strconv.Quote(string(p[:cut])) + "..."
	}
	return strconv.Quote(string(p))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
