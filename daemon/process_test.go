package daemon

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/purrd/purrd/internal/testkit"
)

// proc is a purrd process started by a test, with its notify socket and an
// MQTT client on its embedded broker.
type proc struct {
	t       testing.TB
	cmd     *exec.Cmd
	dir     string
	cfgPath string
	port    int
	base    string
	notify  *net.UnixConn
	stderr  *testkit.SyncBuffer
	done    chan error
	execAt  time.Time // just before exec

	mu    sync.Mutex
	notes []string // sd_notify datagrams, in order
	noteC chan string
}

// simConfig is a minimal config for a simulated cat on a private port.
func simConfig(dir string, port int, extra string) string {
	logLine := "log: {level: debug, format: text}\n"
	if strings.Contains(extra, "log:") {
		logLine = ""
	}
	brainLine := "brain: {kind: rules, first_sentence_budget: 1.5s}\n"
	if strings.Contains(extra, "brain:") {
		brainLine = ""
	}
	webLine := "web: {listen: \"127.0.0.1:0\"}\n"
	if strings.Contains(extra, "web:") {
		webLine = ""
	}
	return fmt.Sprintf(`version: 1
robot: {id: testcat}
%sstate: {dir: %s/state}
hardware: {board: sim, sim: {keyboard: "off"}}
mqtt:
  embedded: {listen: "127.0.0.1:%d"}
%s%s%s`, logLine, dir, port, webLine, brainLine, extra)
}

// startProc runs purrd with cfg (a config text, %s-free) and env additions.
func startProc(t testing.TB, extraCfg string, env ...string) *proc {
	t.Helper()
	return startProcSetup(t, extraCfg, nil, env...)
}

// startProcSetup is startProc with a hook that prepares the process's
// directory (its state dir is dir/state) before it starts.
func startProcSetup(t testing.TB, extraCfg string, setup func(dir string), env ...string) *proc {
	t.Helper()
	bin := buildPurrd(t)
	p := &proc{t: t, dir: t.TempDir(), port: testkit.FreePort(t), stderr: &testkit.SyncBuffer{}, done: make(chan error, 1), noteC: make(chan string, 256)}
	p.base = "purr/testcat"
	p.cfgPath = filepath.Join(p.dir, "purrd.yaml")
	writeFile(t, p.cfgPath, simConfig(p.dir, p.port, extraCfg))
	if setup != nil {
		setup(p.dir)
	}
	sock := filepath.Join(p.dir, "notify.sock")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	p.notify = c
	go p.readNotes()
	p.cmd = exec.Command(bin, "run", "-config", p.cfgPath)
	p.cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock)
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stderr = p.stderr
	p.cmd.Stdout = p.stderr
	p.execAt = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		p.done <- nil
		c.Close()
		if t.Failed() {
			t.Logf("purrd stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

func (p *proc) readNotes() {
	buf := make([]byte, 4096)
	for {
		n, err := p.notify.Read(buf)
		if err != nil {
			close(p.noteC)
			return
		}
		s := string(buf[:n])
		p.mu.Lock()
		p.notes = append(p.notes, s)
		p.mu.Unlock()
		select {
		case p.noteC <- s:
		default:
		}
	}
}

// waitNote waits for a datagram starting with prefix.
func (p *proc) waitNote(prefix string, within time.Duration) string {
	p.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case s, ok := <-p.noteC:
			if !ok {
				p.t.Fatalf("notify socket closed before %q", prefix)
			}
			if strings.HasPrefix(s, prefix) {
				return s
			}
		case err := <-p.done:
			p.done <- err
			p.t.Fatalf("purrd exited (%v) before sending %q\n%s", err, prefix, p.stderr.String())
		case <-deadline:
			p.t.Fatalf("no %q datagram within %v\n%s", prefix, within, p.stderr.String())
		}
	}
}

func (p *proc) countNotes(s string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, x := range p.notes {
		if x == s {
			n++
		}
	}
	return n
}

func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}

// wait waits for exit and returns the exit code.
// stopWait is how long a test that checks a clean exit, not its speed,
// waits for one: systemd's TimeoutStopSec for the unit. How long a stop
// takes against run.go's shutdownBudget is BenchmarkStopToExit's to
// measure: under -race beside other packages a stop once ran past 6 s
// while the MQTT link flushed.
const stopWait = 15 * time.Second

func (p *proc) wait(within time.Duration) int {
	p.t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		if err == nil {
			return 0
		}
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		p.t.Fatalf("wait: %v", err)
	case <-time.After(within):
		p.t.Fatalf("purrd did not exit within %v\n%s", within, p.stderr.String())
	}
	return -1
}

// client connects a phone to the embedded broker and collects messages on
// the robot's topics.
type client struct {
	t   testing.TB
	c   paho.Client
	mu  sync.Mutex
	got map[string][][]byte
	ch  chan paho.Message
}

func (p *proc) phone() *client {
	p.t.Helper()
	cl := &client{t: p.t, got: map[string][][]byte{}, ch: make(chan paho.Message, 1024)}
	o := paho.NewClientOptions().AddBroker(fmt.Sprintf("tcp://127.0.0.1:%d", p.port)).
		SetClientID(fmt.Sprintf("phone-%d", time.Now().UnixNano())).SetAutoReconnect(false).
		SetConnectTimeout(5 * time.Second)
	o.SetDefaultPublishHandler(func(_ paho.Client, m paho.Message) {
		cl.mu.Lock()
		cl.got[m.Topic()] = append(cl.got[m.Topic()], m.Payload())
		cl.mu.Unlock()
		select {
		case cl.ch <- m:
		default:
		}
	})
	cl.c = paho.NewClient(o)
	if tok := cl.c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		p.t.Fatalf("phone connect: %v", tok.Error())
	}
	if tok := cl.c.Subscribe(p.base+"/#", 1, nil); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		p.t.Fatalf("subscribe: %v", tok.Error())
	}
	p.t.Cleanup(func() { cl.c.Disconnect(100) })
	return cl
}

func (c *client) publish(topic string, payload string) {
	c.t.Helper()
	if tok := c.c.Publish(topic, 1, false, payload); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		c.t.Fatalf("publish %s: %v", topic, tok.Error())
	}
}

// await waits for a message on topic whose payload satisfies ok.
func (c *client) await(topic string, within time.Duration, ok func(map[string]any) bool) map[string]any {
	c.t.Helper()
	deadline := time.After(within)
	check := func(b []byte) map[string]any {
		var v map[string]any
		if json.Unmarshal(b, &v) == nil && (ok == nil || ok(v)) {
			return v
		}
		return nil
	}
	c.mu.Lock()
	for _, b := range c.got[topic] {
		if v := check(b); v != nil {
			c.mu.Unlock()
			return v
		}
	}
	c.mu.Unlock()
	for {
		select {
		case m := <-c.ch:
			if m.Topic() == topic {
				if v := check(m.Payload()); v != nil {
					return v
				}
			}
		case <-deadline:
			c.mu.Lock()
			defer c.mu.Unlock()
			c.t.Fatalf("no matching message on %s within %v; got %d there: %s", topic, within, len(c.got[topic]), lastOf(c.got[topic]))
			return nil
		}
	}
}

func (c *client) raw(topic string) [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.got[topic]...)
}

func lastOf(bs [][]byte) string {
	if len(bs) == 0 {
		return "(none)"
	}
	return string(bs[len(bs)-1])
}

func idIs(id string) func(map[string]any) bool {
	return func(v map[string]any) bool { return v["id"] == id }
}

// scanLines returns stderr lines containing s.
func (p *proc) logLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(p.stderr.String()))
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			out = append(out, sc.Text())
		}
	}
	return out
}

// rawProc is a short-lived purrd command whose exit code and output a test
// checks.
type rawProc struct{ cmd *exec.Cmd }

func startProcRaw(t testing.TB, bin string, args ...string) rawProc {
	t.Helper()
	return rawProc{cmd: exec.Command(bin, args...)}
}

func (r rawProc) exit(t testing.TB) (int, string) {
	t.Helper()
	out, err := r.cmd.CombinedOutput()
	if err == nil {
		return 0, string(out)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	t.Fatalf("running %v: %v", r.cmd.Args, err)
	return -1, ""
}

func (p *proc) allNotes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.notes...)
}

// waitLog reports whether a stderr line containing s appears within the
// given time. purrd's stderr reaches the test through a pipe copied by
// another goroutine, so a line logged before an MQTT answer may still be
// in flight when the answer arrives: never check the log without waiting.
func (p *proc) waitLog(s string, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for len(p.logLines(s)) == 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}
