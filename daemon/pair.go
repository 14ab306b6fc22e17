package daemon

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/daemon/sd"
	"github.com/purrd/purrd/daemon/web"
)

// Pairing: with no phone user in the config, purrd makes one itself, with
// a random password kept in the state directory (phone.pass, mode 0600),
// and shows a link — as a QR code — that opens the phone page logged in.
// The login is in the link's fragment (#u=…&p=…), which a browser never
// sends to a server, so it reaches no log. `purrd pair` shows the link
// again; `purrd pair -reset` makes a new password (the running purrd
// takes it within seconds and disconnects phones using the old one).

const (
	pairFile = "phone.pass"
	pairUser = "phone"
)

// phoneLogin is the login the phone page uses.
type phoneLogin struct {
	User, Password string
	// File is the password file; Paired means purrd made the user (in
	// the state directory) rather than the config.
	File    string
	Paired  bool
	Created bool // made just now (first start, or -reset)
}

// stateDirOf is where the daemon keeps its state: systemd's
// StateDirectory= wins over state.dir.
func stateDirOf(cfg *config.Config) string {
	if d := os.Getenv("STATE_DIRECTORY"); d != "" {
		return d
	}
	return cfg.State.Dir
}

// loginFor finds the phone login: the first phone user of the config, else
// the paired one in dir, made when missing (or when reset).
func loginFor(cfg *config.Config, dir string, reset bool) (phoneLogin, error) {
	for _, u := range cfg.MQTT.Embedded.Users {
		if u.Role == mqtt.RolePhone {
			if reset {
				return phoneLogin{}, fmt.Errorf("the phone user %q is configured in %s: give it a new password in %s instead", u.Username, cfg.Path, u.PasswordFile)
			}
			pw, err := config.ReadSecret(u.PasswordFile)
			if err != nil {
				return phoneLogin{}, fmt.Errorf("mqtt.embedded.users: %w", err)
			}
			return phoneLogin{User: u.Username, Password: pw, File: u.PasswordFile}, nil
		}
	}
	l := phoneLogin{User: pairUser, File: filepath.Join(dir, pairFile), Paired: true}
	for _, u := range cfg.MQTT.Embedded.Users {
		if u.Username == pairUser { // an admin took the name
			l.User = "purrd-phone"
		}
	}
	if !reset {
		b, err := os.ReadFile(l.File)
		if pw := strings.TrimSpace(string(b)); err == nil && pw != "" {
			l.Password = pw
			return l, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return l, fmt.Errorf("pairing: %w", err)
		}
	}
	var rnd [15]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return l, fmt.Errorf("pairing: %w", err)
	}
	l.Password = strings.ToLower(base32.StdEncoding.EncodeToString(rnd[:])) // 24 characters, 120 bits
	if err := writeSecret(dir, pairFile, l.Password); err != nil {
		return l, fmt.Errorf("pairing: %w", err)
	}
	l.Created = true
	return l, nil
}

// writeSecret replaces dir/name with a 0600 file owned like dir (so the
// daemon's user can read what `purrd pair -reset` wrote as root).
func writeSecret(dir, name, secret string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if st, err := os.Stat(dir); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
			f.Chown(int(sys.Uid), int(sys.Gid))
		}
	}
	if _, err := io.WriteString(f, secret+"\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}

// pageURL is the link a phone opens: the page on this machine's address
// as the LAN sees it, the login in the fragment.
func pageURL(listen string, l phoneLogin) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = lanAddress()
	}
	frag := url.Values{"u": {l.User}, "p": {l.Password}}.Encode()
	return "http://" + net.JoinHostPort(host, port) + "/#" + frag, nil
}

// lanAddress is this machine's first non-loopback IPv4 address (what a
// phone on the same Wi-Fi can reach), else loopback.
func lanAddress() string {
	ifs, _ := net.Interfaces()
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := i.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
				return n.IP.String()
			}
		}
	}
	return "127.0.0.1"
}

// qrText draws the link as a QR code in text (two rows per character),
// for a terminal or the journal.
func qrText(link string) (string, error) {
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return "", err
	}
	return q.ToSmallString(false), nil
}

// writePairing prints the link, the QR code and the login for typing.
func writePairing(w io.Writer, cfg *config.Config, l phoneLogin) error {
	link, err := pageURL(cfg.Web.Listen, l)
	if err != nil {
		return err
	}
	qr, err := qrText(link)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Scan with the phone's camera to open the cat's page, logged in:\n\n%s\n%s\n", qr, link)
	_, port, _ := net.SplitHostPort(cfg.Web.Listen)
	if h, err := os.Hostname(); err == nil && h != "" {
		fmt.Fprintf(w, "also at http://%s.local:%s/ (user %s, password %s)\n", strings.Split(h, ".")[0], port, l.User, l.Password)
	}
	if loop, err := config.LoopbackOnly(cfg.Web.Listen); err == nil && loop {
		fmt.Fprintf(w, "note: web.listen is %s, this machine only; set web.listen: 0.0.0.0:%s for phones on the Wi-Fi\n", cfg.Web.Listen, port)
	}
	return nil
}

// pairCommand is `purrd pair [-config FILE] [-reset]`.
func pairCommand(inv Invocation, args []string) error {
	fs := flag.NewFlagSet("purrd pair", flag.ContinueOnError)
	fs.SetOutput(inv.Stderr)
	path := fs.String("config", "/etc/purrd/purrd.yaml", "configuration file")
	reset := fs.Bool("reset", false, "make a new password: phones paired before must scan again")
	if err := fs.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	cfg, err := config.Load(*path)
	if err != nil {
		return configExit(inv.Stderr, *path, err)
	}
	if cfg.MQTT.Broker != "" {
		return &ExitError{Code: ExitConfig, Message: "purrd pair: mqtt.broker is set: the phone page and pairing need the embedded broker"}
	}
	if cfg.Web.Listen == "" {
		return &ExitError{Code: ExitConfig, Message: "purrd pair: web.listen is off: the phone page is not served"}
	}
	l, err := loginFor(cfg, stateDirOf(cfg), *reset)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if *reset {
		fmt.Fprintln(inv.Stdout, "New password made; a running purrd takes it within seconds and disconnects phones using the old one.")
	}
	return writePairing(inv.Stdout, cfg, l)
}

// pairPhone finds or makes the phone login before the link starts; a
// user purrd made joins the broker's users (linkOptions).
func (d *daemon) pairPhone() error {
	l, err := loginFor(d.cfg, d.state.Path(), false)
	if err != nil {
		return err
	}
	d.login = l
	return nil
}

// openWeb binds the phone page (web.listen) when the embedded broker runs.
// The first time purrd makes the phone login, the pairing code goes to
// the journal too; `purrd pair` shows it any time after.
func (d *daemon) openWeb() error {
	if d.cfg.Web.Listen == "" {
		return nil
	}
	if d.cfg.MQTT.Broker != "" {
		d.log.Info("phone page off: it needs the embedded broker (mqtt.broker is set)", "component", "web")
		return nil
	}
	s, err := web.Listen(web.Options{Listen: d.cfg.Web.Listen, Base: d.cfg.MQTT.BaseTopic, MQTT: d.link.WebSocket(),
		Logger: d.log.With("component", "web")})
	if err != nil {
		// The page is the cat's extra, not its life: a taken port (another
		// purrd, a dev server on 8080) must not keep the cat from starting.
		d.log.Error("phone page not served", "component", "web", "listen", d.cfg.Web.Listen, "err", err)
		return nil
	}
	d.web = s
	d.log.Info("phone page listening", "component", "web", "address", s.Addr(), "user", d.login.User)
	cfg := *d.cfg
	cfg.Web.Listen = s.Addr()
	if host, _, _ := net.SplitHostPort(d.cfg.Web.Listen); host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
		_, port, _ := net.SplitHostPort(s.Addr())
		cfg.Web.Listen = net.JoinHostPort(host, port)
	}
	listen := cfg.Web.Listen
	d.pageListen.Store(&listen)
	if d.login.Created {
		var b strings.Builder
		if err := writePairing(&b, &cfg, d.login); err == nil {
			w := d.inv.Stderr
			if w == nil {
				w = os.Stderr
			}
			if f := d.cfg.Log.Format; f == "journal" || f == "auto" && sd.StderrIsJournal(w) {
				// One journal record, code and all (journalctl shows its
				// lines): raw stderr would reach the journal as unstructured
				// stream lines.
				d.log.Info("made a phone login; scan the code (or run `purrd pair`)\n"+b.String(), "component", "web", "user", d.login.User)
			} else {
				d.log.Info("made a phone login; scan the code below (or run `purrd pair`)", "component", "web", "user", d.login.User)
				fmt.Fprint(w, b.String())
			}
		}
		if link, err := pageURL(listen, d.login); err == nil {
			d.showPairingFace(link)
		}
	}
	return nil
}
