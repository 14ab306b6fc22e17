package llama

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/dialog"
)

// testModels is where generated models live for one run of the tests; it
// is set once by TestMain before any test starts and never changed after.
var testModels string

// envBrain makes the test binary act as the brain process; its value
// picks a test hook: "plain", or "stall:<dir>" / "slow:<dir>" (see testBrain).
const envBrain = "PURRD_LLAMA_TEST_BRAIN"

func TestMain(m *testing.M) {
	if mode, ok := os.LookupEnv(envBrain); ok {
		os.Exit(testBrain(mode))
	}
	// In-process engine tests: keep llama.cpp's INFO chatter out of the
	// test log (the binding filters on slog.Default's level).
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	dir, err := os.MkdirTemp("", "purrd-llama-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testModels = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testBrain runs ServeMain's loop with a hook, or a fake brain that needs
// no engine (so the supervisor is tested in every build, cgo or not):
//   - fake:<dir>: speaks the protocol with canned words (see fakeBrain).
//   - crash:<ms>: loads, then exits with status 2 after <ms> milliseconds.
//   - stall:<dir>: the first brain process to start (no <dir>/stalled
//     yet) creates <dir>/stalled at its second token and then blocks
//     forever, like a hung engine; later ones behave.
//   - slow:<dir>: every token appends its index to <dir>/tokens and
//     takes 50 ms, so a test can cancel mid-reply and count what ran.
//   - spoil:<file>: the process truncates <file> before it reads its
//     load message, like an adapter that breaks after the daemon checked it.
func testBrain(mode string) int {
	c := serveConfig{in: os.Stdin, out: os.Stdout, errOut: os.Stderr, args: os.Args[1:]}
	kind, dir, _ := strings.Cut(mode, ":")
	switch kind {
	case "stall":
		marker := dir + "/stalled"
		if _, err := os.Stat(marker); err != nil {
			c.onToken = func(n int) {
				if n == 1 {
					_ = os.WriteFile(marker, []byte(fmt.Sprint(os.Getpid())), 0o644)
					select {}
				}
			}
		}
	case "fake":
		return fakeBrain(dir)
	case "crash":
		ms, _ := strconv.Atoi(dir)
		return crashingBrain(time.Duration(ms) * time.Millisecond)
	case "spoil":
		if b, err := os.ReadFile(dir); err == nil {
			_ = os.WriteFile(dir, b[:len(b)/2], 0o644)
		}
	case "slow":
		c.onToken = func(n int) {
			f, err := os.OpenFile(dir+"/tokens", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err == nil {
				fmt.Fprintln(f, n)
				f.Close()
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if err := serve(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, "test brain:", err)
		return 3
	}
	return 0
}

// testOptions returns Brain options that run this test binary as the
// brain process in the given hook mode.
func testOptions(t testing.TB, model, mode string) Options {
	t.Helper()
	return Options{
		Model:        model,
		Threads:      1,
		Context:      512,
		MaxTokens:    24,
		MaxSentences: -1, // random models make no sentences worth counting
		Seed:         42,
		// A short prompt: the tiny test models spell the default persona's
		// Chinese demonstrations out in byte tokens, past their context.
		Script:         personaScript("You are Mochi, a small robot cat."),
		Command:        []string{os.Args[0]},
		Env:            []string{envBrain + "=" + mode},
		RestartBackoff: 50 * time.Millisecond,
		MaxBackoff:     200 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// testWriter sends log lines to t.Log so they show with the failing test.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// waitFor polls cond until it holds or the (generous) timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// personaScript shows a model a fixed persona text (as the system line of
// chat formats and the narration of the plain one) and the request's
// conversation.
func personaScript(persona string) func(dialog.Request) dialog.Script {
	return func(req dialog.Request) dialog.Script {
		return dialog.Script{Narration: persona, System: persona, History: req.History, Owner: req.Text,
			Mood: req.Mood, PetName: "Mochi", OwnerLabel: dialog.OwnerLabel}
	}
}
