package mqtt

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// Options configures a Link. The daemon fills them from its validated
// configuration, which owns every default and every range and reports a
// bad value with its file and line (daemon/config). The link fills in
// nothing: New refuses a zero where a value is needed, and checks again only
// what would make the link unsafe or break it (a wildcard in a topic, a
// ticker of 0, a reserved user name), so a caller that skipped the config
// gets an error rather than a link that misbehaves.
type Options struct {
	RobotID, Version string
	BaseTopic        string // e.g. "purr/kitchen-cat"
	ClientID         string // purrd's own client id on the broker

	// Broker is an external broker's URL (tcp://, mqtt://, ssl://, tls://,
	// mqtts://, ws://, wss://); "" starts the embedded broker.
	Broker   string
	Username string
	Password string // already read from its file
	TLS      TLSFiles

	KeepAlive  time.Duration
	OutboxSize int           // messages kept while the broker is away
	MaxPayload int           // bytes a command payload may have (cmd/chat: at least MaxChatPayload)
	Rate       float64       // commands a second per sender
	Burst      int           // commands a sender may send at once
	StateEvery time.Duration // the retained state is republished this often

	// The embedded broker: its listeners ("host:port"; Websocket "" is
	// off) and its accounts.
	Listen, Websocket string
	Users             []User

	HomeAssistant bool   // publish Home Assistant discovery
	HAPrefix      string // Home Assistant's topic prefix (phones may read it)

	// SimBoard accepts <base>/sim/<input> (the simulated board's inputs).
	SimBoard bool
	// PairedUser is the phone user purrd made itself (one of Users); its
	// password is read again from PairedFile whenever that file changes
	// (`purrd pair -reset`). "" when purrd made none.
	PairedUser, PairedFile string
	// OnPairedLogin is called (on a broker goroutine; it must not block)
	// when a phone logs in as PairedUser, and OnPairedReset when its
	// password file changed: the daemon shows the pairing code on the
	// cat's face until a phone has scanned it.
	OnPairedLogin, OnPairedReset func()
	// IDs makes the ids of events, replies and commands that came without
	// one; the daemon passes its own, so all of a run's ids share one tag
	// and one counter. Nil: the link makes its own.
	IDs    *IDs
	Logger *slog.Logger
}

// TLSFiles are the PEM files for an encrypted external broker.
type TLSFiles struct {
	CAFile   string // "" = the system's roots
	CertFile string // client certificate; needs KeyFile
	KeyFile  string
}

// User is an account on the embedded broker.
type User struct {
	Name     string
	Password string // already read from its file
	Role     string // RolePhone or RoleAdmin
}

const (
	// stateMinGap coalesces state changes to at most four publishes a second.
	stateMinGap = 250 * time.Millisecond
	// commandQueue is how many decoded commands may wait for the daemon
	// before the link answers "busy".
	commandQueue = 32
	// window is how many publishes may wait for their PUBACK at once.
	window = 32
)

// Roles of embedded-broker users.
const (
	RolePhone = "phone"
	RoleAdmin = "admin"
)

// internalUser is the username of purrd's own client on the embedded broker;
// its password is random per start, so no configured user can claim it.
const internalUser = "purrd-internal"

// settings is what New derives from Options once they are checked.
type settings struct {
	broker *url.URL // nil: embedded
	tls    *tls.Config
	users  map[string]user
}

type user struct {
	password string
	role     string
}

func (o Options) settings() (settings, error) {
	var s settings
	fail := func(format string, args ...any) (settings, error) {
		return s, fmt.Errorf("mqtt: New: "+format, args...)
	}
	if !validToken(o.RobotID, 64) {
		return fail("Options.RobotID %q must be [a-z0-9_-], 1 to 64 characters", o.RobotID)
	}
	// A wildcard or an empty level in either prefix would subscribe purrd
	// to, or open the ACL to, topics that are not the robot's.
	if err := checkTopicName(o.BaseTopic); err != nil {
		return fail("Options.BaseTopic %q: %v", o.BaseTopic, err)
	}
	if err := checkTopicName(o.HAPrefix); err != nil {
		return fail("Options.HAPrefix %q: %v", o.HAPrefix, err)
	}
	if o.ClientID == "" || len(o.ClientID) > 128 || !utf8.ValidString(o.ClientID) {
		return fail("Options.ClientID %q must be valid UTF-8, 1 to 128 bytes", o.ClientID)
	}
	for _, v := range []struct {
		name string
		ok   bool
	}{
		{"KeepAlive", o.KeepAlive >= time.Second},
		{"OutboxSize", o.OutboxSize > 0},
		{"MaxPayload", o.MaxPayload > 0},
		{"Rate", o.Rate > 0}, // NaN too
		{"Burst", o.Burst > 0},
		{"StateEvery", o.StateEvery > 0},
	} {
		if !v.ok {
			return fail("Options.%s is not set or out of range (KeepAlive %v, OutboxSize %d, MaxPayload %d, Rate %g, Burst %d, StateEvery %v)",
				v.name, o.KeepAlive, o.OutboxSize, o.MaxPayload, o.Rate, o.Burst, o.StateEvery)
		}
	}
	if o.Broker != "" {
		if err := s.external(o); err != nil {
			return s, fmt.Errorf("mqtt: New: %w", err)
		}
		return s, nil
	}
	if err := s.embedded(o); err != nil {
		return s, fmt.Errorf("mqtt: New: %w", err)
	}
	return s, nil
}

func (s *settings) external(o Options) error {
	u, err := url.Parse(o.Broker)
	if err != nil {
		return fmt.Errorf("Options.Broker %q: %w", o.Broker, err)
	}
	secure := false
	switch u.Scheme {
	case "tcp", "mqtt", "ws":
	case "ssl", "tls", "mqtts", "wss":
		secure = true
	default:
		return fmt.Errorf("Options.Broker %q: scheme %q is not one of tcp, mqtt, ssl, tls, mqtts, ws, wss", o.Broker, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("Options.Broker %q has no host", o.Broker)
	}
	s.broker = u
	if o.Password != "" && o.Username == "" {
		return errors.New("Options.Password without Options.Username (MQTT sends a password only with a username)")
	}
	t := o.TLS
	if t == (TLSFiles{}) {
		if secure {
			s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		return nil
	}
	if !secure {
		return fmt.Errorf("Options.TLS is set but Options.Broker %q is not a TLS URL (use ssl://, mqtts:// or wss://)", o.Broker)
	}
	s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return fmt.Errorf("Options.TLS.CAFile: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("Options.TLS.CAFile %q holds no PEM certificate", t.CAFile)
		}
		s.tls.RootCAs = pool
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		return fmt.Errorf("Options.TLS.CertFile %q and KeyFile %q go together", t.CertFile, t.KeyFile)
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return fmt.Errorf("tls.LoadX509KeyPair(%q, %q): %w", t.CertFile, t.KeyFile, err)
		}
		s.tls.Certificates = []tls.Certificate{cert}
	}
	return nil
}

// embedded checks the embedded broker's accounts. Whether a listener can
// be reached from the network is the config's rule (config.LoopbackOnly);
// the broker itself takes anonymous clients only from loopback peers and
// never on a websocket (authHook), whatever the listeners are bound to, and
// the daemon always gives it a phone user (the configured one, or the one
// purrd made: PairedUser), so an open listener still has a login to check.
func (s *settings) embedded(o Options) error {
	if o.Listen == "" {
		return errors.New("Options.Listen is empty (the embedded broker needs a host:port)")
	}
	s.users = map[string]user{}
	for i, u := range o.Users {
		switch {
		case u.Name == "":
			return fmt.Errorf("Options.Users[%d]: the name is empty", i)
		case u.Name == internalUser:
			return fmt.Errorf("Options.Users[%d]: username %q is reserved for purrd itself", i, u.Name)
		case s.users[u.Name] != user{}:
			return fmt.Errorf("Options.Users[%d]: username %q appears twice", i, u.Name)
		case u.Role != RolePhone && u.Role != RoleAdmin:
			return fmt.Errorf("Options.Users[%d] (%s): role %q is not %s or %s", i, u.Name, u.Role, RolePhone, RoleAdmin)
		case u.Password == "":
			return fmt.Errorf("Options.Users[%d] (%s): no password", i, u.Name)
		}
		s.users[u.Name] = user{password: u.Password, role: u.Role}
	}
	if o.PairedUser != "" && (s.users[o.PairedUser].role != RolePhone || o.PairedFile == "") {
		return fmt.Errorf("Options.PairedUser %q must be a phone user of Options.Users, with Options.PairedFile set", o.PairedUser)
	}
	return nil
}

func checkTopicName(t string) error {
	switch {
	case t == "":
		return errors.New("is empty")
	case !utf8.ValidString(t):
		return errors.New("is not valid UTF-8")
	case strings.ContainsAny(t, "+#\x00"):
		return errors.New("contains a wildcard or NUL")
	case strings.HasPrefix(t, "$"), strings.HasPrefix(t, "/"), strings.HasSuffix(t, "/"):
		return errors.New("must not start with $ or /, nor end with /")
	case strings.Contains(t, "//"):
		return errors.New("has an empty level")
	}
	return nil
}
