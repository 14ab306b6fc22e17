package sd

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	slogjournal "github.com/systemd/slog-journal"
)

// ParseLevel maps a config level name onto slog.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("sd: unknown log level %q (want debug, info, warn or error)", s)
}

// StderrIsJournal reports whether stderr is connected to journald, by
// comparing $JOURNAL_STREAM (device:inode) with stderr's own, as
// systemd.exec(5) prescribes. A child process that inherited the variable
// but not the descriptor answers false.
func StderrIsJournal(stderr *os.File) bool {
	v := os.Getenv("JOURNAL_STREAM")
	if v == "" || stderr == nil {
		return false
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(stderr.Fd()), &st); err != nil {
		return false
	}
	return v == fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}

// NewLogger builds purrd's logger. format is auto|journal|text|json; auto
// writes natively to journald when stderr is the journal stream (so
// priorities and structured fields survive) and readable text otherwise.
// level is shared so SIGHUP can change it without rebuilding loggers.
// Text and JSON lines go to out, which is stderr or a writer in front of it
// (nil means stderr).
func NewLogger(format string, level *slog.LevelVar, stderr *os.File, out io.Writer) (*slog.Logger, error) {
	if out == nil {
		out = stderr
	}
	switch format {
	case "", "auto":
		if StderrIsJournal(stderr) {
			return newJournalLogger(level)
		}
		return slog.New(newTextHandler(out, level)), nil
	case "journal":
		return newJournalLogger(level)
	case "text":
		return slog.New(newTextHandler(out, level)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: level})), nil
	}
	return nil, fmt.Errorf("sd: unknown log format %q (want auto, journal, text or json)", format)
}

func newTextHandler(w io.Writer, level *slog.LevelVar) slog.Handler {
	return slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
}

func newJournalLogger(level *slog.LevelVar) (*slog.Logger, error) {
	h, err := slogjournal.NewHandler(&slogjournal.Options{
		Level:        level,
		ReplaceAttr:  journalField,
		ReplaceGroup: journalGroup,
	})
	if err != nil {
		return nil, fmt.Errorf("sd: open journald socket: %w", err)
	}
	return slog.New(untimed{h}), nil
}

// JournalKey turns an attribute key into a journal field name: the journal
// accepts only ^[A-Z_][A-Z0-9_]*$ and drops anything else silently, so
// "component" becomes PURRD_COMPONENT and "event.id" PURRD_EVENT_ID.
func JournalKey(k string) string {
	var b strings.Builder
	b.Grow(len(k) + 6)
	b.WriteString("PURRD_")
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// journalField prefixes top-level keys with PURRD_; keys inside a WithGroup
// group already sit behind the group's PURRD_<GROUP>_ prefix.
func journalField(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		a.Key = strings.TrimPrefix(JournalKey(a.Key), "PURRD_")
		return a
	}
	a.Key = JournalKey(a.Key)
	return a
}

func journalGroup(g string) string { return JournalKey(g) }

// untimed drops the record time: journald stamps every entry itself and the
// library would otherwise put microseconds in SYSLOG_TIMESTAMP.
type untimed struct{ slog.Handler }

func (u untimed) Handle(ctx context.Context, r slog.Record) error {
	r.Time = time.Time{}
	return u.Handler.Handle(ctx, r)
}

func (u untimed) WithAttrs(as []slog.Attr) slog.Handler { return untimed{u.Handler.WithAttrs(as)} }
func (u untimed) WithGroup(g string) slog.Handler       { return untimed{u.Handler.WithGroup(g)} }
