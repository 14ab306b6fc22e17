package llama

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is one running brain process as the daemon sees it.
type child struct {
	cmd   *exec.Cmd
	stdin *os.File
	w     *lineWriter
	log   *slog.Logger

	exited chan struct{} // closed once the process is reaped and its pipes drained
	ready  chan msg      // the first ready or error event

	mu       sync.Mutex
	waiters  map[string]chan msg
	tail     []string // last stderr lines, for the reason it died
	killedBy string   // why we killed it, "" if we did not
	exitErr  error
}

const tailLines = 6

// startChild starts the brain process with its pipes.
func startChild(o Options, log *slog.Logger) (*child, error) {
	cmd := exec.Command(o.Command[0], append(o.Command[1:], "-engine-log-level", o.EngineLog)...)
	cmd.Env = append(os.Environ(), o.Env...)
	cmd.SysProcAttr = childProcAttr()
	// An os.Pipe of our own (not cmd.StdinPipe) so writes can time out.
	stdinR, stdin, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("llama: starting brain %q: %w", o.Command[0], err)
	}
	cmd.Stdin = stdinR
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("llama: starting brain %q: %w", o.Command[0], err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("llama: starting brain %q: %w", o.Command[0], err)
	}
	err = cmd.Start()
	stdinR.Close() // the child has its copy
	if err != nil {
		stdin.Close()
		return nil, fmt.Errorf("llama: starting brain %q: %w", o.Command[0], err)
	}
	c := &child{
		cmd: cmd, stdin: stdin, w: &lineWriter{w: stdin, timeout: 5 * time.Second}, log: log,
		exited: make(chan struct{}), ready: make(chan msg, 1), waiters: map[string]chan msg{},
	}
	engineLevel, _ := parseLevel(o.EngineLog)
	var pipes sync.WaitGroup
	pipes.Add(2)
	go func() { defer pipes.Done(); c.readEvents(stdout) }()
	// What reaches stderr passed the brain's own filter, or is a crash
	// report: log it at the engine level (at least info, so it shows with
	// the default log level), and crash output even with "off".
	go func() { defer pipes.Done(); c.readLog(stderr, min(max(engineLevel, slog.LevelInfo), slog.LevelError)) }()
	go func() {
		pipes.Wait() // Wait closes the pipes: drain them first
		err := cmd.Wait()
		c.mu.Lock()
		c.exitErr = err
		c.mu.Unlock()
		close(c.exited)
	}()
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// loaded forgets the engine output of loading, so the reason given for
// a later death quotes only what the engine said after it.
func (c *child) loaded() {
	c.mu.Lock()
	c.tail = nil
	c.mu.Unlock()
}

// readEvents routes the brain's events to the Reply waiting for them.
func (c *child) readEvents(r io.Reader) {
	lr := newLineReader(r)
	readySent := false
	for {
		m, err := lr.next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			c.log.Warn("brain sent a bad line", "err", err)
			if strings.Contains(err.Error(), "reading protocol") {
				c.kill("it broke the protocol: " + err.Error())
				_, _ = io.Copy(io.Discard, r)
				return
			}
			continue
		}
		switch {
		case m.Ev == evReady || (m.Ev == evError && m.ID == "" && !readySent):
			if !readySent {
				readySent = true
				c.ready <- m
			}
		case m.ID != "":
			c.mu.Lock()
			ch := c.waiters[m.ID]
			c.mu.Unlock()
			if ch == nil {
				continue // a cancelled reply's late tokens
			}
			select {
			case ch <- m:
			default:
				c.log.Error("brain reply queue full; dropping event", "id", m.ID, "ev", m.Ev)
			}
		case m.Ev == evStats:
			c.mu.Lock()
			ch := c.waiters[""]
			c.mu.Unlock()
			if ch != nil {
				select {
				case ch <- m:
				default:
				}
			}
		default:
			c.log.Warn("brain reported an error", "err", m.Error)
		}
	}
}

// readLog passes the engine's stderr to the log and keeps the last lines:
// when llama.cpp aborts, its last words say why.
func (c *child) readLog(r io.Reader, level slog.Level) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		lvl := level
		if expectedEngineLine(line) {
			lvl = slog.LevelDebug
		}
		c.log.Log(context.Background(), lvl, line, "src", "engine", "pid", c.pid())
		c.mu.Lock()
		c.tail = append(c.tail, line)
		if len(c.tail) > tailLines {
			c.tail = c.tail[len(c.tail)-tailLines:]
		}
		c.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
}

// expectedEngineLine reports whether line is one of the warnings llama.cpp
// prints on every load of the shipped Gemma 3 model and cat adapter,
// which say nothing is wrong whatever the model. At the warn level a
// technician filters on (journalctl -p warning) they were seventeen lines
// a start, burying the ones that matter; they stay in the log at debug,
// and in the crash tail. ("special_eos_id is not in special_eog_ids"
// stays a warning: harmless for Gemma 3, whose replies end at
// <end_of_turn>, it could mean endless replies from another model.)
func expectedEngineLine(line string) bool {
	for _, s := range [...]string{
		// LoRA tensors stay in plain CPU buffers: llama.cpp repacks
		// only model weights (docs/models.md, the adapter's figures).
		"cannot use buft 'CPU_REPACK', fallback to CPU",
		// purrd runs a shorter context than the model was trained
		// with, on purpose (brain.context), and with it the sliding
		// window cache at full size.
		") < n_ctx_train (",
		"using full-size SWA cache",
	} {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

func (c *child) register(id string, size int) chan msg {
	ch := make(chan msg, size)
	c.mu.Lock()
	c.waiters[id] = ch
	c.mu.Unlock()
	return ch
}

func (c *child) unregister(id string) {
	c.mu.Lock()
	delete(c.waiters, id)
	c.mu.Unlock()
}

// kill ends the process for a reason of ours (hung, protocol broken).
func (c *child) kill(why string) {
	c.mu.Lock()
	if c.killedBy == "" {
		c.killedBy = why
	}
	c.mu.Unlock()
	_ = c.cmd.Process.Kill()
}

// stop asks the process to end by closing its stdin, then kills it if it
// has not ended within grace.
func (c *child) stop(grace time.Duration) {
	_ = c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(grace):
		c.kill("shutting down")
		<-c.exited
	}
}

// why describes how the process ended; call after exited is closed.
func (c *child) why() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	if c.killedBy != "" {
		b.WriteString("killed by purrd: " + c.killedBy)
	} else {
		b.WriteString(describeExit(c.cmd.ProcessState, c.exitErr))
	}
	if n := len(c.tail); n > 0 && c.killedBy == "" {
		b.WriteString("; last engine output: ")
		b.WriteString(strings.Join(c.tail[max(0, n-2):], " | "))
	}
	return b.String()
}

func describeExit(ps *os.ProcessState, err error) string {
	if ps == nil {
		if err != nil {
			return "brain process: " + err.Error()
		}
		return "brain process ended"
	}
	ws, ok := ps.Sys().(syscall.WaitStatus)
	switch {
	case ok && ws.Signaled():
		sig := ws.Signal()
		s := fmt.Sprintf("brain process (pid %d) killed by signal %d (%s)", ps.Pid(), int(sig), sig)
		switch sig {
		case syscall.SIGKILL:
			s += "; not by purrd: the kernel's OOM killer or an operator"
		case syscall.SIGABRT:
			s += "; llama.cpp aborted (a GGML_ASSERT or an unsupported model)"
		case syscall.SIGSEGV, syscall.SIGBUS:
			s += "; the engine crashed"
		}
		return s
	case ps.ExitCode() == 0:
		return fmt.Sprintf("brain process (pid %d) exited", ps.Pid())
	}
	return fmt.Sprintf("brain process (pid %d) exited with status %d", ps.Pid(), ps.ExitCode())
}
