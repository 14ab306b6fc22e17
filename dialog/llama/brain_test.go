//go:build llama

package llama

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

func newTestBrain(t *testing.T, o Options) *Brain {
	t.Helper()
	b, err := NewBrain(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func waitReady(t *testing.T, b *Brain) {
	t.Helper()
	waitFor(t, "brain ready", 60*time.Second, func() bool { return b.Status().State == StateReady })
}

type collected struct {
	chunks []dialog.Chunk
}

func (c *collected) emit(ch dialog.Chunk) { c.chunks = append(c.chunks, ch) }
func (c *collected) text() string         { return strings.Join(c.sentences(), " ") }

// sentences are the chunks with words (not the Started or Final markers).
func (c *collected) sentences() []string {
	var parts []string
	for _, ch := range c.chunks {
		if ch.Text != "" {
			parts = append(parts, ch.Text)
		}
	}
	return parts
}

func TestBrainRepliesThroughChildProcess(t *testing.T) {
	b := newTestBrain(t, testOptions(t, tinyModel(t, gguf.Q4_0, false), "plain"))
	if st := b.Status(); st.Name != "llama" || st.Model != "tiny-q4_0.gguf" {
		t.Errorf("Status() = %+v, want name llama, model tiny-q4_0.gguf", st)
	}
	waitReady(t, b)
	if b.PID() == os.Getpid() || b.PID() == 0 {
		t.Fatalf("brain PID %d: not a child process", b.PID())
	}
	if adj, err := os.ReadFile("/proc/" + strconv.Itoa(b.PID()) + "/oom_score_adj"); err != nil || strings.TrimSpace(string(adj)) != "500" {
		t.Errorf("brain oom_score_adj = %q, %v; want 500 so the OOM killer picks the brain first", adj, err)
	}
	ls := b.LoadStats()
	if ls.PrefixTokens == 0 || ls.Architecture != "llama" {
		t.Errorf("LoadStats = %+v, want the system prompt evaluated at load", ls)
	}
	var c collected
	err := b.Reply(context.Background(), dialog.Request{ID: "r1", Text: "hello little cat", Lang: "en"}, c.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.chunks) == 0 || !c.chunks[len(c.chunks)-1].Final {
		t.Fatalf("chunks %+v: want at least one, the last Final", c.chunks)
	}
	// A Started marker first, then sentences, then an empty Final.
	if !c.chunks[0].Started || c.chunks[0].Text != "" {
		t.Errorf("first chunk %+v, want the Started marker", c.chunks[0])
	}
	for i, ch := range c.chunks[1 : len(c.chunks)-1] {
		if ch.Text == "" || ch.Final || ch.Started {
			t.Errorf("chunk %d = %+v, want a sentence", i+1, ch)
		}
	}
	if last := c.chunks[len(c.chunks)-1]; last.Text != "" || len(c.chunks) < 3 {
		t.Errorf("chunks %+v: want sentences, then a textless Final", c.chunks)
	}
	st := b.LastStats()
	if st.GeneratedTokens == 0 || st.GeneratedTokens > 24 || st.PromptTokens == 0 {
		t.Errorf("LastStats = %+v, want 1..24 generated tokens", st)
	}
	t.Logf("reply %q, stats %+v", c.text(), st)
}

func TestBrainStopsAtTokenBound(t *testing.T) {
	o := testOptions(t, tinyModel(t, gguf.F16, false), "plain")
	o.MaxTokens = 9
	b := newTestBrain(t, o)
	waitReady(t, b)
	var c collected
	if err := b.Reply(context.Background(), dialog.Request{ID: "bound", Text: "tell me a long story"}, c.emit); err != nil {
		t.Fatal(err)
	}
	if st := b.LastStats(); st.GeneratedTokens != 9 || st.Reason != ReasonLength {
		t.Errorf("LastStats = %+v, want exactly 9 tokens, reason length", st)
	}
}

func TestBrainStopsAtEOG(t *testing.T) {
	b := newTestBrain(t, testOptions(t, tinyModel(t, gguf.F16, true), "plain"))
	waitReady(t, b)
	var c collected
	err := b.Reply(context.Background(), dialog.Request{ID: "eog", Text: "hi"}, c.emit)
	if !errors.Is(err, ErrEmptyReply) {
		t.Errorf("Reply = %v, want ErrEmptyReply (the model ends its turn at once)", err)
	}
	if st := b.LastStats(); st.Reason != ReasonEOG || st.GeneratedTokens != 0 {
		t.Errorf("LastStats = %+v, want reason eog with no tokens", st)
	}
}

// The system prompt is evaluated at load; every turn reuses it, and a
// turn that extends the previous conversation reuses that too.
func TestBrainReusesPrefixCache(t *testing.T) {
	o := testOptions(t, tinyModel(t, gguf.Q8_0, false), "plain")
	o.Script = personaScript(strings.Repeat("You are Mochi, a fluffy robot cat who loves naps and sunny windows. ", 4))
	b := newTestBrain(t, o)
	waitReady(t, b)
	prefix := b.LoadStats().PrefixTokens
	if prefix < 40 {
		t.Fatalf("prefix of %d tokens; the test needs a long system prompt", prefix)
	}
	var c collected
	req := dialog.Request{ID: "t1", Text: "hello there"}
	if err := b.Reply(context.Background(), req, c.emit); err != nil {
		t.Fatal(err)
	}
	first := b.LastStats()
	req2 := dialog.Request{ID: "t2", Text: "do you like fish?", History: []dialog.Turn{
		{Role: "owner", Text: "hello there"}, {Role: "pet", Text: c.text()}}}
	if err := b.Reply(context.Background(), req2, new(collected).emit); err != nil {
		t.Fatal(err)
	}
	second := b.LastStats()
	t.Logf("prefix %d; first %+v; second %+v", prefix, first, second)
	if first.CachedTokens != prefix || first.EvaluatedTokens != first.PromptTokens-prefix {
		t.Errorf("first turn reused %d tokens and evaluated %d, want the %d-token prefix reused", first.CachedTokens, first.EvaluatedTokens, prefix)
	}
	if second.CachedTokens <= first.CachedTokens || second.EvaluatedTokens >= second.PromptTokens/2 {
		t.Errorf("second turn reused %d of %d tokens (evaluated %d), want more than the first turn's %d",
			second.CachedTokens, second.PromptTokens, second.EvaluatedTokens, first.CachedTokens)
	}
}

func TestBrainCancelStopsGeneration(t *testing.T) {
	dir := t.TempDir()
	o := testOptions(t, tinyModel(t, gguf.Q4_0, false), "slow:"+dir)
	o.MaxTokens = 60 // 3 s at 50 ms a token if nothing stopped it
	b := newTestBrain(t, o)
	waitReady(t, b)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- b.Reply(ctx, dialog.Request{ID: "c1", Text: "purr for me"}, func(dialog.Chunk) {}) }()
	waitFor(t, "generation to start", 30*time.Second, func() bool {
		data, _ := os.ReadFile(dir + "/tokens")
		return len(data) > 0
	})
	cancelled := time.Now()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Reply = %v, want context.Canceled", err)
		}
		t.Logf("Reply returned %s after cancel", time.Since(cancelled))
	case <-time.After(10 * time.Second):
		t.Fatal("Reply did not return after cancel")
	}
	// The next reply is served by the same process once it stopped the
	// first; its token log shows where the first one ended.
	pid := b.PID()
	o2 := collected{}
	if err := b.Reply(context.Background(), dialog.Request{ID: "c2", Text: "again"}, o2.emit); err != nil {
		t.Fatal(err)
	}
	if b.PID() != pid {
		t.Errorf("brain restarted (pid %d → %d); cancel should not kill it", pid, b.PID())
	}
	data, _ := os.ReadFile(dir + "/tokens")
	lines := strings.Fields(string(data))
	firstRun := 1
	for firstRun < len(lines) && lines[firstRun] != "0" {
		firstRun++
	}
	if firstRun >= 60 || firstRun == len(lines) {
		t.Errorf("token log %v: the cancelled reply ran %d tokens, want it stopped early", lines, firstRun)
	}
	t.Logf("cancelled reply generated %d of 60 tokens", firstRun)
}

func TestBrainSurvivesKilledProcess(t *testing.T) {
	dir := t.TempDir()
	o := testOptions(t, tinyModel(t, gguf.Q4_0, false), "stall:"+dir)
	b := newTestBrain(t, o)
	waitReady(t, b)
	errc := make(chan error, 1)
	go func() {
		errc <- b.Reply(context.Background(), dialog.Request{ID: "k1", Text: "hello"}, func(dialog.Chunk) {})
	}()
	var pid int
	waitFor(t, "brain to be mid-reply", 30*time.Second, func() bool {
		data, err := os.ReadFile(dir + "/stalled")
		pid, _ = strconv.Atoi(string(data))
		return err == nil && pid > 0
	})
	if pid != b.PID() {
		t.Fatalf("stalled pid %d, brain pid %d", pid, b.PID())
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "died mid-reply") || !strings.Contains(err.Error(), "signal 9") {
			t.Fatalf("Reply = %v, want died mid-reply, signal 9", err)
		}
		t.Log(err)
	case <-time.After(10 * time.Second):
		t.Fatal("Reply did not return after the brain was killed")
	}
	waitFor(t, "status to show the death", 10*time.Second, func() bool {
		st := b.Status()
		return st.State != StateReady && strings.Contains(st.Reason, "signal 9")
	})
	t.Logf("status after kill: %+v", b.Status())
	// Reply fails fast while it restarts, then works again.
	if st := b.Status(); st.State != StateReady {
		if err := b.Reply(context.Background(), dialog.Request{ID: "k2", Text: "hi"}, func(dialog.Chunk) {}); !errors.Is(err, ErrNotReady) {
			t.Errorf("Reply while restarting = %v, want ErrNotReady", err)
		}
	}
	waitReady(t, b)
	if b.PID() == pid || b.Restarts() < 1 {
		t.Errorf("pid %d restarts %d: want a new process", b.PID(), b.Restarts())
	}
	if err := b.Reply(context.Background(), dialog.Request{ID: "k3", Text: "hello again"}, func(dialog.Chunk) {}); err != nil {
		t.Fatalf("Reply after restart: %v", err)
	}
}

// TestBrainKillsHungProcess: a brain that stays silent past the deadline is
// killed and a new process answers — whether the caller waits ("waits":
// Reply fails as stalled at the first-token deadline, long before the
// kill) or gives up first ("cancels": a new chat, a touch, its own
// timeout). A frozen brain whose callers always gave up first must not
// stay in place.
func TestBrainKillsHungProcess(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout time.Duration // caller's own deadline; 0 waits for the brain's
	}{
		{"waits", 0},
		{"cancels", 200 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t, tinyModel(t, gguf.Q4_0, false), "stall:"+t.TempDir())
			// Deadlines a loaded machine cannot miss for the replacement's
			// reply (300 ms did under -race beside other packages), still
			// short enough to see the hang handled.
			o.FirstTokenDeadline, o.Deadline = 1500*time.Millisecond, 3*time.Second
			b := newTestBrain(t, o)
			waitReady(t, b)
			pid := b.PID()
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			start := time.Now()
			err := b.Reply(ctx, dialog.Request{ID: "h1", Text: "hello"}, func(dialog.Chunk) {})
			if tc.timeout > 0 {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("Reply = %v, want the caller's deadline", err)
				}
			} else {
				if !errors.Is(err, ErrStalled) {
					t.Fatalf("Reply = %v, want ErrStalled", err)
				}
				t.Logf("Reply failed after %s: %v", time.Since(start), err)
				waitFor(t, "status to show the hang", 10*time.Second, func() bool {
					st := b.Status()
					return st.State != StateReady && strings.Contains(st.Reason, "hung")
				})
				t.Logf("status after hang: %+v", b.Status())
			}
			waitFor(t, "the hung process to be replaced", 20*time.Second, func() bool {
				return b.Status().State == StateReady && b.PID() != pid
			})
			if err := syscall.Kill(pid, 0); err == nil {
				t.Errorf("hung brain %d still alive", pid)
			}
			if err := b.Reply(context.Background(), dialog.Request{ID: "h2", Text: "hello again"}, func(dialog.Chunk) {}); err != nil {
				t.Fatalf("Reply after restart: %v", err)
			}
		})
	}
}

// A history longer than the context window is dropped rather than failing
// the reply; a message too long even alone fails with a clear error.
func TestBrainFitsContext(t *testing.T) {
	b := newTestBrain(t, testOptions(t, tinyModel(t, gguf.Q4_0, false), "plain"))
	waitReady(t, b)
	var hist []dialog.Turn
	for i := 0; i < 12; i++ {
		hist = append(hist, dialog.Turn{Role: "owner", Text: strings.Repeat("tell me about fish and naps ", 6)})
	}
	var c collected
	if err := b.Reply(context.Background(), dialog.Request{ID: "long", Text: "hi", History: hist}, c.emit); err != nil {
		t.Fatalf("Reply with an oversized history: %v", err)
	}
	if st := b.LastStats(); st.PromptTokens > 512 || st.GeneratedTokens == 0 {
		t.Errorf("LastStats = %+v, want the history dropped to fit 512 tokens", st)
	}
	err := b.Reply(context.Background(), dialog.Request{ID: "huge", Text: strings.Repeat("purr ", 600)}, c.emit)
	if err == nil || !strings.Contains(err.Error(), "no room in the 512-token context") {
		t.Errorf("Reply with a huge message = %v", err)
	}
	if b.Status().State != StateReady {
		t.Errorf("status %+v after a refused prompt", b.Status())
	}
}
