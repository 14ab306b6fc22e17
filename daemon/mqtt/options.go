package mqtt

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/purrd/purrd/daemon/config"
)

// Options configures a Link.
type Options struct {
	RobotID, Version string
	Config           config.MQTT
	// SimBoard accepts <base>/sim/<input> (the simulated board's inputs).
	SimBoard bool
	Logger   *slog.Logger
	// Secrets already read from their files by the daemon: Password for
	// the external broker, UserPasswords by username for the embedded one.
	Password      string
	UserPasswords map[string]string
	// PairedUser is the phone user purrd made itself (one of
	// Config.Embedded.Users); its password is read again from
	// PairedFile whenever that file changes (`purrd pair --reset`).
	PairedUser, PairedFile string
}

// Defaults for zero values in config.MQTT.
const (
	DefaultOutboxSize = 1000
	DefaultRate       = 5.0
	DefaultBurst      = 10
	DefaultStateEvery = 60 * time.Second
	DefaultKeepAlive  = 30 * time.Second
	DefaultListen     = "127.0.0.1:1883"
	DefaultHAPrefix   = "homeassistant"

	// maxPayloadLimit caps the configurable command payload limit; the
	// embedded broker refuses packets a little above it.
	maxPayloadLimit = 256 << 10
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

// settings is Options with defaults applied and everything checked.
type settings struct {
	base, clientID string
	broker         *url.URL // nil: embedded
	tls            *tls.Config
	username       string
	password       string
	keepAlive      time.Duration
	outboxSize     int
	maxPayload     int
	rate           float64
	burst          int
	stateEvery     time.Duration
	listen, ws     string
	users          map[string]user
	ha             bool
	haPrefix       string
}

type user struct {
	password string
	role     string
}

func (o Options) settings() (settings, error) {
	c := o.Config
	var s settings
	fail := func(format string, args ...any) (settings, error) {
		return s, fmt.Errorf("mqtt: New: "+format, args...)
	}
	if !validToken(o.RobotID, 64) {
		return fail("robot id %q must be [a-z0-9_-], 1 to 64 characters", o.RobotID)
	}
	s.base = strings.TrimSuffix(c.BaseTopic, "/")
	if s.base == "" {
		s.base = "purr/" + o.RobotID
	}
	if err := checkTopicName(s.base); err != nil {
		return fail("mqtt.base_topic %q: %v", c.BaseTopic, err)
	}
	s.clientID = c.ClientID
	if s.clientID == "" {
		s.clientID = "purrd-" + o.RobotID
	}
	if len(s.clientID) > 128 || !utf8.ValidString(s.clientID) {
		return fail("mqtt.client_id %q must be valid UTF-8, at most 128 bytes", c.ClientID)
	}

	var err error
	if s.outboxSize, err = positiveOr("mqtt.outbox_size", c.OutboxSize, DefaultOutboxSize); err != nil {
		return fail("%v", err)
	}
	if s.maxPayload, err = positiveOr("mqtt.max_payload", c.MaxPayload, DefaultMaxPayload); err != nil {
		return fail("%v", err)
	}
	if s.maxPayload > maxPayloadLimit {
		return fail("mqtt.max_payload %d is above the limit of %d bytes", c.MaxPayload, maxPayloadLimit)
	}
	if s.burst, err = positiveOr("mqtt.rate_limit.burst", c.RateLimit.Burst, DefaultBurst); err != nil {
		return fail("%v", err)
	}
	switch r := c.RateLimit.PerSecond; {
	case r == 0:
		s.rate = DefaultRate
	case r < 0 || r != r:
		return fail("mqtt.rate_limit.per_second %v must be positive", r)
	default:
		s.rate = r
	}
	if s.stateEvery, err = durationOr("mqtt.state_interval", c.StateEvery, DefaultStateEvery); err != nil {
		return fail("%v", err)
	}
	if s.keepAlive, err = durationOr("mqtt.keep_alive", c.KeepAlive, DefaultKeepAlive); err != nil {
		return fail("%v", err)
	}
	if s.keepAlive < time.Second {
		return fail("mqtt.keep_alive %v is below 1s", c.KeepAlive)
	}

	s.ha = c.HomeAssistant.Enabled
	s.haPrefix = strings.TrimSuffix(c.HomeAssistant.Prefix, "/")
	if s.haPrefix == "" {
		s.haPrefix = DefaultHAPrefix
	}
	if err := checkTopicName(s.haPrefix); err != nil {
		return fail("mqtt.home_assistant.prefix %q: %v", c.HomeAssistant.Prefix, err)
	}

	if c.Broker != "" {
		if err := s.external(o); err != nil {
			return fail("%v", err)
		}
		return s, nil
	}
	if err := s.embedded(o); err != nil {
		return fail("%v", err)
	}
	return s, nil
}

func (s *settings) external(o Options) error {
	c := o.Config
	u, err := url.Parse(c.Broker)
	if err != nil {
		return fmt.Errorf("mqtt.broker %q: %w", c.Broker, err)
	}
	secure := false
	switch u.Scheme {
	case "tcp", "mqtt":
	case "ssl", "tls", "mqtts", "wss":
		secure = true
	case "ws":
	default:
		return fmt.Errorf("mqtt.broker %q: scheme %q is not one of tcp, mqtt, ssl, tls, mqtts, ws, wss", c.Broker, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("mqtt.broker %q has no host", c.Broker)
	}
	s.broker = u
	s.username = c.Username
	s.password = o.Password
	if o.Password != "" && c.Username == "" {
		return fmt.Errorf("mqtt.password_file is set but mqtt.username is empty")
	}
	t := c.TLS
	if t.CAFile == "" && t.CertFile == "" && t.KeyFile == "" {
		if secure {
			s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		return nil
	}
	if !secure {
		return fmt.Errorf("mqtt.tls is set but mqtt.broker %q is not a TLS URL (use ssl://, mqtts:// or wss://)", c.Broker)
	}
	s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return fmt.Errorf("mqtt.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("mqtt.tls.ca_file %q holds no PEM certificate", t.CAFile)
		}
		s.tls.RootCAs = pool
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		return errors.New("mqtt.tls.cert_file and mqtt.tls.key_file go together")
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return fmt.Errorf("mqtt.tls: tls.LoadX509KeyPair(%q, %q): %w", t.CertFile, t.KeyFile, err)
		}
		s.tls.Certificates = []tls.Certificate{cert}
	}
	return nil
}

func (s *settings) embedded(o Options) error {
	e := o.Config.Embedded
	s.listen = e.Listen
	if s.listen == "" {
		s.listen = DefaultListen
	}
	s.ws = e.Websocket
	s.users = map[string]user{}
	for i, u := range e.Users {
		switch {
		case u.Username == "":
			return fmt.Errorf("mqtt.embedded.users[%d]: username is empty", i)
		case u.Username == internalUser:
			return fmt.Errorf("mqtt.embedded.users[%d]: username %q is reserved for purrd itself", i, u.Username)
		case s.users[u.Username] != user{}:
			return fmt.Errorf("mqtt.embedded.users[%d]: username %q appears twice", i, u.Username)
		}
		role := u.Role
		if role == "" {
			role = RolePhone
		}
		if role != RolePhone && role != RoleAdmin {
			return fmt.Errorf("mqtt.embedded.users[%d] (%s): role %q is not phone or admin", i, u.Username, u.Role)
		}
		pw := o.UserPasswords[u.Username]
		if pw == "" {
			return fmt.Errorf("mqtt.embedded.users[%d] (%s): no password (password_file %q)", i, u.Username, u.PasswordFile)
		}
		s.users[u.Username] = user{password: pw, role: role}
	}
	if s.ws != "" && len(s.users) == 0 {
		// Browsers let any web page open a websocket to loopback, so the
		// websocket listener never takes anonymous clients.
		return fmt.Errorf("mqtt.embedded.websocket %q needs at least one user in mqtt.embedded.users", s.ws)
	}
	for _, l := range []struct{ key, addr string }{{"mqtt.embedded.listen", s.listen}, {"mqtt.embedded.websocket", s.ws}} {
		if l.addr == "" {
			continue
		}
		loop, err := loopbackAddr(l.addr)
		if err != nil {
			return fmt.Errorf("%s %q: %w", l.key, l.addr, err)
		}
		if !loop && len(s.users) == 0 {
			return fmt.Errorf("%s %q listens beyond loopback, which needs at least one user in mqtt.embedded.users", l.key, l.addr)
		}
	}
	return nil
}

// loopbackAddr reports whether host:port only listens on loopback; an empty
// host or 0.0.0.0 listens everywhere.
func loopbackAddr(addr string) (bool, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if port == "" {
		return false, errors.New("no port")
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	if host != "" && ip == nil {
		return false, fmt.Errorf("host %q is not an IP address (name resolution could pick any interface)", host)
	}
	return ip != nil && ip.IsLoopback(), nil
}

func checkTopicName(t string) error {
	switch {
	case t == "":
		return errors.New("is empty")
	case !utf8.ValidString(t):
		return errors.New("is not valid UTF-8")
	case strings.ContainsAny(t, "+#\x00"):
		return errors.New("contains a wildcard or NUL")
	case strings.HasPrefix(t, "$"), strings.HasPrefix(t, "/"):
		return errors.New("must not start with $ or /")
	case strings.Contains(t, "//"):
		return errors.New("has an empty level")
	}
	return nil
}

func positiveOr(key string, v, def int) (int, error) {
	switch {
	case v == 0:
		return def, nil
	case v < 0:
		return 0, fmt.Errorf("%s %d must be positive", key, v)
	}
	return v, nil
}

func durationOr(key string, v, def time.Duration) (time.Duration, error) {
	switch {
	case v == 0:
		return def, nil
	case v < 0:
		return 0, fmt.Errorf("%s %v must be positive", key, v)
	}
	return v, nil
}
