//go:build unix

package llama

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
	"github.com/purrd/purrd/internal/testkit"
)

// These tests run the supervisor against fake brain processes (fake_test.go)
// that need no engine: they run in every build, cgo or not, on every arch.

func fakeModel(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fake.gguf")
	if err := gguftest.WriteTinyFile(p, gguftest.TinyConfig{Seed: 3, Type: gguf.Q4_0}); err != nil {
		t.Fatal(err)
	}
	return p
}

// statusLog records what Options.OnStatus was told.
type statusLog struct {
	mu     sync.Mutex
	states []string
}

func (s *statusLog) record(st dialog.BrainStatus) {
	s.mu.Lock()
	s.states = append(s.states, st.State)
	s.mu.Unlock()
}

func (s *statusLog) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.states)
}

// startFake starts a Brain whose process is the fake brain in mode.
func startFake(t testing.TB, mode string, tune func(*Options)) (*Brain, *statusLog) {
	t.Helper()
	o := testOptions(t, fakeModel(t), mode)
	o.MaxSentences = 0 // the default: two
	var sl statusLog
	o.OnStatus = sl.record
	if tune != nil {
		tune(&o)
	}
	b, err := NewBrain(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if pid := b.PID(); pid > 0 {
			_ = syscall.Kill(pid, syscall.SIGCONT) // a stopped child cannot obey Close
		}
		b.Close()
	})
	return b, &sl
}

func awaitState(t testing.TB, b *Brain, state string) {
	t.Helper()
	waitFor(t, "brain "+state, 30*time.Second, func() bool { return b.Status().State == state })
}

// Each sentence reaches the caller while the brain is still generating
// the next one; the reply starts with a Started marker and ends with a
// textless Final chunk.
func TestBrainStreamsEachSentenceAtOnce(t *testing.T) {
	dir := t.TempDir()
	b, _ := startFake(t, "fake:"+dir, nil)
	awaitState(t, b, StateReady)
	var chunks []dialog.Chunk
	err := b.Reply(context.Background(), dialog.Request{ID: "s1", Text: "hi"}, func(c dialog.Chunk) {
		chunks = append(chunks, c)
		if c.Text != "" {
			// The fake waits for this file before it says the rest.
			_ = os.WriteFile(filepath.Join(dir, "heard"), nil, 0o644)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []dialog.Chunk{{Started: true}, {Text: "Mrrp."}, {Text: "I am here."}, {Final: true}}
	if !slices.Equal(chunks, want) {
		t.Errorf("chunks %+v, want %+v", chunks, want)
	}
}

// TestStalledBrainFallsBackAndRecovers freezes the brain (SIGSTOP): the
// reply fails with ErrStalled at the first-token deadline (so the caller's
// fallback answers then, not at the reply deadline), the brain says
// "stalled" and refuses new replies; when the process runs again it is
// back in service, the same process, and its late words were discarded.
func TestStalledBrainFallsBackAndRecovers(t *testing.T) {
	b, sl := startFake(t, "fake:", func(o *Options) {
		o.FirstTokenDeadline = 300 * time.Millisecond
		o.Deadline = time.Minute // the test resumes the brain long before this
	})
	awaitState(t, b, StateReady)
	pid := b.PID()
	testkit.Freeze(t, pid)
	var late []dialog.Chunk
	var lateMu sync.Mutex
	start := time.Now()
	err := b.Reply(context.Background(), dialog.Request{ID: "f1", Text: "are you there?"}, func(c dialog.Chunk) {
		lateMu.Lock()
		late = append(late, c)
		lateMu.Unlock()
	})
	waited := time.Since(start)
	if !errors.Is(err, ErrStalled) {
		t.Fatalf("Reply to a frozen brain = %v, want ErrStalled", err)
	}
	if waited < 300*time.Millisecond {
		t.Errorf("Reply gave up after %s, before the first-token deadline", waited)
	}
	// Given up at the first-token deadline: the process is not killed yet
	// (that waits for the reply deadline), it is out of service.
	if st := b.Status(); st.State != StateStalled || !strings.Contains(st.Reason, "no output for 300ms while answering f1") {
		t.Errorf("status after the stall = %+v", st)
	}
	if b.PID() != pid || b.Restarts() != 0 {
		t.Errorf("pid %d → %d, restarts %d: a stall alone must not restart the brain", pid, b.PID(), b.Restarts())
	}
	if err := b.Reply(context.Background(), dialog.Request{ID: "f2", Text: "hello?"}, func(dialog.Chunk) {}); !errors.Is(err, ErrNotReady) || !strings.Contains(err.Error(), "stalled") {
		t.Errorf("Reply while stalled = %v, want ErrNotReady (stalled)", err)
	}
	t.Logf("frozen brain: Reply failed over after %s (first-token deadline 300ms)", waited)

	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	awaitState(t, b, StateReady)
	if b.PID() != pid {
		t.Errorf("recovered brain has pid %d, want the same process %d", b.PID(), pid)
	}
	lateMu.Lock()
	if len(late) != 0 {
		t.Errorf("the stalled reply's late output reached the caller: %+v", late)
	}
	lateMu.Unlock()
	var words []string
	if err := b.Reply(context.Background(), dialog.Request{ID: "f3", Text: "there you are"}, func(c dialog.Chunk) {
		if c.Text != "" {
			words = append(words, c.Text)
		}
	}); err != nil || len(words) != 2 {
		t.Fatalf("Reply after recovery = %v, words %q", err, words)
	}
	if got, want := sl.seen(), []string{StateReady, StateStalled, StateReady}; !slices.Equal(got, want) {
		t.Errorf("OnStatus told %q, want %q", got, want)
	}
}

// A brain that stays frozen is killed at the reply deadline and a new
// process answers; OnStatus hears every step.
func TestFrozenBrainIsReplaced(t *testing.T) {
	b, sl := startFake(t, "fake:", func(o *Options) {
		o.FirstTokenDeadline = 200 * time.Millisecond
		o.Deadline = time.Second
	})
	awaitState(t, b, StateReady)
	pid := b.PID()
	testkit.Freeze(t, pid)
	if err := b.Reply(context.Background(), dialog.Request{ID: "z1", Text: "hi"}, func(dialog.Chunk) {}); !errors.Is(err, ErrStalled) {
		t.Fatalf("Reply = %v, want ErrStalled", err)
	}
	waitFor(t, "the frozen process to be replaced", 30*time.Second, func() bool {
		return b.Status().State == StateReady && b.PID() != pid
	})
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("frozen brain %d still alive", pid)
	}
	if err := b.Reply(context.Background(), dialog.Request{ID: "z2", Text: "hi again"}, func(dialog.Chunk) {}); err != nil {
		t.Fatalf("Reply after the restart: %v", err)
	}
	got := sl.seen()
	want := []string{StateReady, StateStalled, StateRestarting}
	if len(got) < 4 || !slices.Equal(got[:3], want) || got[len(got)-1] != StateReady {
		t.Errorf("OnStatus told %q, want %q ... %s", got, want, StateReady)
	}
}

// A caller that gives up on a frozen brain before the first-token
// deadline (a new chat, a touch) still leaves it marked stalled, so the
// next chat goes to the fallback instead of into the frozen process.
func TestAbandonedFrozenBrainIsMarkedStalled(t *testing.T) {
	b, _ := startFake(t, "fake:", func(o *Options) {
		o.FirstTokenDeadline = 300 * time.Millisecond
		o.Deadline = time.Minute
	})
	awaitState(t, b, StateReady)
	testkit.Freeze(t, b.PID())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := b.Reply(ctx, dialog.Request{ID: "a1", Text: "hi"}, func(dialog.Chunk) {}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Reply = %v, want the caller's deadline", err)
	}
	awaitState(t, b, StateStalled)
	_ = syscall.Kill(b.PID(), syscall.SIGCONT)
	awaitState(t, b, StateReady)
}

// recordedLog keeps the log records' attributes, for tests that check
// what the supervisor decided (not how long it took).
type recordedLog struct {
	mu   *sync.Mutex
	recs *[]map[string]any
}

func newRecordedLog() recordedLog {
	return recordedLog{mu: new(sync.Mutex), recs: new([]map[string]any)}
}

func (r recordedLog) Enabled(context.Context, slog.Level) bool { return true }
func (r recordedLog) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r recordedLog) WithGroup(string) slog.Handler            { return r }
func (r recordedLog) Handle(_ context.Context, rec slog.Record) error {
	m := map[string]any{"msg": rec.Message}
	rec.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
	r.mu.Lock()
	*r.recs = append(*r.recs, m)
	r.mu.Unlock()
	return nil
}

// backoffs lists the backoff of each restart after a crash.
func (r recordedLog) backoffs() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []time.Duration
	for _, m := range *r.recs {
		if m["msg"] == "brain process ended; restarting" {
			out = append(out, m["backoff"].(time.Duration))
		}
	}
	return out
}

// A brain that crashes soon after every load is restarted ever less
// often (doubling to the cap), not at the first wait forever; one that
// ran for StableAfter earns the first wait again.
func TestRestartBackoffGrowsAcrossCrashes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stable time.Duration
		want   []time.Duration
	}{
		{"crashes soon after load", time.Hour, []time.Duration{10, 20, 40, 80, 80}},
		{"ran long enough each time", time.Millisecond, []time.Duration{10, 10, 10, 10, 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl := newRecordedLog()
			b, _ := startFake(t, "crash:30", func(o *Options) {
				o.RestartBackoff, o.MaxBackoff, o.StableAfter = 10*time.Millisecond, 80*time.Millisecond, tc.stable
				o.Logger = slog.New(rl)
			})
			waitFor(t, "five restarts", 60*time.Second, func() bool { return len(rl.backoffs()) >= len(tc.want) })
			b.Close()
			got := rl.backoffs()[:len(tc.want)]
			for i := range tc.want {
				if got[i] != tc.want[i]*time.Millisecond {
					t.Fatalf("backoffs %v, want %v ms", got, tc.want)
				}
			}
		})
	}
}

// BenchmarkFrozenBrainFirstWords measures what an owner waits for when
// the brain process is frozen: from the request until Reply hands over to
// the fallback (whose answer takes microseconds), with the default
// first-token deadline. It reports ms-to-fallback; the eval's figure
// "Frozen brain until the owner gets words" is measured the same way
// through the daemon.
func BenchmarkFrozenBrainFirstWords(b *testing.B) {
	br, _ := startFake(b, "fake:", func(o *Options) { o.FirstTokenDeadline, o.Deadline = 0, time.Hour })
	awaitState(b, br, StateReady)
	var total time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		awaitState(b, br, StateReady)
		pid := br.PID()
		testkit.Freeze(b, pid)
		b.StartTimer()
		start := time.Now()
		err := br.Reply(context.Background(), dialog.Request{ID: "bench", Text: "hi"}, func(dialog.Chunk) {})
		total += time.Since(start)
		b.StopTimer()
		if !errors.Is(err, ErrStalled) {
			b.Fatalf("Reply = %v, want ErrStalled", err)
		}
		_ = syscall.Kill(pid, syscall.SIGCONT)
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-fallback")
}

// With candidates the brain says one whole reply, the best one by its
// score: by likelihood alone the stock line, with specificity the one
// that owes most to the conversation; a candidate the guards refuse
// (here: not the owner's language) is never said, however likely. The
// candidates together take longer than the first-token deadline: the
// brain's signs of life keep it from counting as stalled.
func TestBrainPicksAmongCandidates(t *testing.T) {
	for _, tc := range []struct {
		candidates  int
		specificity float32
		want        []dialog.Chunk
	}{
		{4, 0, []dialog.Chunk{{Started: true}, {Text: "I'm here."}, {Final: true}}},
		{4, 0.5, []dialog.Chunk{{Started: true}, {Text: "A kettle!"}, {Text: "Tea for you?"}, {Final: true}}},
		{4, 1, []dialog.Chunk{{Started: true}, {Text: "A kettle!"}, {Text: "Tea for you?"}, {Final: true}}},
		// One candidate is the streamed reply of the fake.
		{1, 0.5, []dialog.Chunk{{Started: true}, {Text: "Mrrp."}, {Text: "I am here."}, {Final: true}}},
	} {
		t.Run(fmt.Sprintf("%d/%g", tc.candidates, tc.specificity), func(t *testing.T) {
			b, _ := startFake(t, "fake:", func(o *Options) {
				o.Candidates, o.Specificity = tc.candidates, tc.specificity
				// Longer than the gaps between signs of life, shorter than a
				// candidate: without them the brain would count as stalled.
				o.FirstTokenDeadline = fakeCandidateTime * 3 / 4
			})
			awaitState(t, b, StateReady)
			var chunks []dialog.Chunk
			err := b.Reply(context.Background(), dialog.Request{ID: "c1", Text: "The kettle's on.", Lang: "en"}, func(c dialog.Chunk) {
				chunks = append(chunks, c)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(chunks, tc.want) {
				t.Errorf("chunks %+v, want %+v", chunks, tc.want)
			}
		})
	}
}

// The score is per token: a long reply the model finds likely token by
// token beats a short one that is likelier as a whole (the whole-reply
// ranking rated worse blind, docs/models.md). A prior is weighed only
// when there are priors; without specificity none is scored, so the
// brain process opens no second context for them.
func TestPickerScoresPerToken(t *testing.T) {
	p := picker{}
	p.cands = []candidateReply{{text: "Tea!", lp: -5, tokens: 2},
		{text: "A kettle, a cup and you.", lp: -9, tokens: 9}}
	best, err := p.best(nil)
	if err != nil || best.text != "A kettle, a cup and you." || best.score != -1 {
		t.Errorf("best = %q (score %g), %v; want the kettle line at -1", best.text, best.score, err)
	}
	p.specificity = 1
	best, err = p.best([]float64{-4, -9})
	if err != nil || best.text != "A kettle, a cup and you." || best.score != 0 {
		t.Errorf("with specificity 1: best = %q (score %g), %v; want the kettle line at 0", best.text, best.score, err)
	}
	for _, tc := range []struct {
		o    Options
		want int
	}{{Options{Candidates: 3}, 0}, {Options{Candidates: 3, Specificity: 0.5}, 512}, {Options{Candidates: 1, Specificity: 0.5}, 0}} {
		if got := priorContext(tc.o); got != tc.want {
			t.Errorf("priorContext(candidates %d, specificity %g) = %d, want %d", tc.o.Candidates, tc.o.Specificity, got, tc.want)
		}
	}
}

// When the guards refuse every candidate, best fails as a refused
// streamed reply does (Reply then resamples once, then the fallback
// answers), with the first one's reason.
func TestBrainCandidatesAllRefused(t *testing.T) {
	p := picker{specificity: 0.5}
	for _, text := range []string{"喵，我在这儿。", "我们去晒太阳吧。"} {
		out := replyOut{clean: cleanSentence, echo: dialog.NewEchoDetector("", nil), limit: 2,
			guard: dialog.NewReplyGuard(dialog.Request{Text: "Hello there.", Lang: "en"})}
		p.add(&out, msg{Text: text, Reason: ReasonEOG, Stats: &Stats{LogProb: -2, ScoredTokens: 4}})
	}
	if _, err := p.best([]float64{-3, -3}); !errors.Is(err, ErrWrongLanguage) {
		t.Errorf("best of refused candidates: %v, want %v", err, ErrWrongLanguage)
	}
	if _, err := (&picker{}).best(nil); !errors.Is(err, ErrEmptyReply) {
		t.Errorf("best of none: %v, want %v", err, ErrEmptyReply)
	}
}
