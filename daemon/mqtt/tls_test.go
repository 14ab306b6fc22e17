package mqtt

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/purrd/purrd/internal/testenv"
)

// pki writes a CA, a server certificate for 127.0.0.1 and a client
// certificate into dir (readable by the mosquitto user).
func pki(t *testing.T, dir string) {
	t.Helper()
	now := time.Now()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "purrd test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	write := func(name, typ string, der []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ca.pem", "CERTIFICATE", caDER)
	leaf := func(name string, serial int64, usage x509.ExtKeyUsage, ips []net.IP) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{usage}, KeyUsage: x509.KeyUsageDigitalSignature, IPAddresses: ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, _ := x509.MarshalECPrivateKey(key)
		write(name+".pem", "CERTIFICATE", der)
		write(name+".key", "EC PRIVATE KEY", kder)
	}
	leaf("server", 2, x509.ExtKeyUsageServerAuth, []net.IP{net.IPv4(127, 0, 0, 1)})
	leaf("client", 3, x509.ExtKeyUsageClientAuth, nil)
}

// TestTLSAndPassword connects the link to Mosquitto over TLS with a client
// certificate and a username/password, and runs a command round trip.
func TestTLSAndPassword(t *testing.T) {
	dir, err := os.MkdirTemp("", "purrd-pki-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	pki(t, dir)
	passwd := filepath.Join(dir, "passwd")
	mosquittoPasswd := testenv.LookPath(t, "mosquitto_passwd", "package mosquitto; .ci/install-deps installs it")
	if out, err := exec.Command(mosquittoPasswd, "-b", "-c", passwd, "purr", "s3cret").CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_passwd -b -c %s: %v %s", passwd, err, out)
	}
	os.Chmod(passwd, 0o644)
	tlsPort := freePort(t)
	m := startMosquitto(t, fmt.Sprintf(`per_listener_settings true
listener %d 127.0.0.1
allow_anonymous false
password_file %s
cafile %s/ca.pem
certfile %s/server.pem
keyfile %s/server.key
require_certificate true
`, tlsPort, passwd, dir, dir, dir))

	run := func(password string) (*Link, *syncBuffer, func()) {
		logs := &syncBuffer{}
		o := testOptions(logs)
		o.Broker = fmt.Sprintf("ssl://127.0.0.1:%d", tlsPort)
		o.Username = "purr"
		o.Password = password
		o.TLS = TLSFiles{CAFile: filepath.Join(dir, "ca.pem"), CertFile: filepath.Join(dir, "client.pem"), KeyFile: filepath.Join(dir, "client.key")}
		l, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		l.reconnectMax = 200 * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- l.Run(ctx) }()
		var once sync.Once
		return l, logs, func() { once.Do(func() { cancel(); <-done }) }
	}

	// The phone uses the plain anonymous listener of the same broker.
	ph := newObserver(t, m.url(), nil)
	ph.sub(base+"/response/#", base+"/availability")

	l, logs, stop := run("s3cret")
	defer stop()
	ph.waitFor("online over TLS", func(m msg) bool { return string(m.payload) == Online })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go serve(ctx, l)
	ph.pub(base+"/cmd/ping", false, `{"id":"tls"}`)
	if r := ph.waitResponse("ping", "tls"); r.Status != "ok" {
		t.Fatalf("ping over TLS: %+v\n%s", r, logs.String())
	}
	stop()
	ph.waitFor("offline after stop", func(m msg) bool { return string(m.payload) == Offline })

	// A wrong password never connects (and never claims to).
	bad, _, stopBad := run("wrong")
	defer stopBad()
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		if bad.Status() == StatusConnected {
			t.Fatal("connected with a wrong password")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
