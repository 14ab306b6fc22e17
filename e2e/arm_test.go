//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/dialog/llama/gguf/gguftest"
	"github.com/purrd/purrd/internal/testenv"
	"github.com/purrd/purrd/internal/testkit"
)

// emulator describes how one Debian architecture runs here under qemu-user.
type emulator struct {
	deb, goarch, goarm, qemu, sysroot string
}

// qemuCmd runs bin under qemu-user; -L lets a cgo (engine) build find the
// target's libc from Debian's cross packages.
func qemuCmd(t *testing.T, e emulator, bin string, args ...string) *exec.Cmd {
	t.Helper()
	q, err := exec.LookPath(e.qemu)
	if err != nil {
		t.Fatalf("%s is not installed (.ci/install-deps installs qemu-user-static): %v", e.qemu, err)
	}
	return exec.Command(q, append([]string{"-L", e.sysroot, bin}, args...)...)
}

// TestARMUnderQemu runs the arm64 and armv7 builds under qemu-user: version,
// check-config, and (arm64) a short daemon run on the simulated board whose
// embedded broker answers cmd/ping, plus cmd/chat through the real engine
// when the binary has it. It also builds their .debs for the size figures.
func TestARMUnderQemu(t *testing.T) {
	requireRoot(t, "readelf")
	top := repoRoot(t)
	debs := t.TempDir()
	for _, e := range []emulator{
		{deb: "arm64", goarch: "arm64", qemu: "qemu-aarch64-static", sysroot: "/usr/aarch64-linux-gnu"},
		{deb: "armhf", goarch: "arm", goarm: "7", qemu: "qemu-arm-static", sysroot: "/usr/arm-linux-gnueabihf"},
	} {
		t.Run(e.deb, func(t *testing.T) {
			bin := buildPurrd(t, e.goarch, e.goarm, "e2e")
			deb := mkdeb(t, e.deb, bin, baseVersion, debs)
			t.Logf("figure: %s binary %d bytes, purrd_%s_%s.deb %d bytes", e.deb, fileSize(t, bin), baseVersion, e.deb, fileSize(t, deb))

			out, err := qemuCmd(t, e, bin, "version").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "purrd ") {
				t.Fatalf("purrd version under %s: %v\n%s", e.qemu, err, out)
			}
			engine := strings.Contains(string(out), "\nengine llama.cpp")
			t.Logf("purrd version:\n%s", out)

			for _, cfg := range []string{"configs/purrd.yaml", "configs/sim.yaml"} {
				out, err := qemuCmd(t, e, bin, "check-config", filepath.Join(top, cfg)).CombinedOutput()
				if err != nil {
					t.Errorf("purrd check-config %s: %v\n%s", cfg, err, out)
				}
			}
			bad := filepath.Join(t.TempDir(), "bad.yaml")
			if err := os.WriteFile(bad, []byte(badConfig), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err = qemuCmd(t, e, bin, "check-config", bad).CombinedOutput()
			if err == nil || !strings.Contains(string(out), "purr_volume") {
				t.Errorf("check-config of a bad file: %v, output %q: want a failure naming purr_volume", err, out)
			}

			if e.goarch != "arm64" {
				return
			}
			t.Run("run on the sim board", func(t *testing.T) {
				runOnSimBoard(t, e, bin, "rules", "")
			})
			t.Run("chat through the engine", func(t *testing.T) {
				if !engine {
					// The hook for the engine's ARM run: `make e2e` passes
					// PURRD_E2E_BIN_ARM64=bin/linux-arm64/purrd (built with
					// the llama tag by `make cross`) to exercise it.
					testenv.Missing(t, "this arm64 binary has no model engine (CGO_ENABLED=0 build); set PURRD_E2E_BIN_ARM64 to a `make cross` binary")
				}
				model := filepath.Join(t.TempDir(), "tiny-q4_0.gguf")
				if err := gguftest.WriteTinyFile(model, gguftest.TinyConfig{Seed: 7, Type: gguf.Q4_0}); err != nil {
					t.Fatal(err)
				}
				runOnSimBoard(t, e, bin, "llama", model)
			})
		})
	}
}

// runOnSimBoard starts `purrd run` under qemu with the embedded broker on a
// free loopback port, pings it (and chats when brain is llama), then stops it
// with SIGTERM and checks the clean exit and the offline message.
func runOnSimBoard(t *testing.T, e emulator, bin, brain, model string) {
	t.Helper()
	dir := t.TempDir()
	port := testkit.FreePort(t)
	cfg := fmt.Sprintf(`version: 1
robot:
  id: armcat
state:
  dir: %s
hardware:
  board: sim
  sim:
    keyboard: "off"
mqtt:
  embedded:
    listen: 127.0.0.1:%d
brain:
  kind: %s
`, filepath.Join(dir, "state"), port, brain)
	if model != "" {
		// Emulated ARM is 7-20x slower: the first-token deadline that
		// sends a real owner the fallback would measure qemu here.
		cfg += fmt.Sprintf("  model: %s\n  reply_deadline: 120s\n  first_token_deadline: 60s\n", model)
	}
	path := filepath.Join(dir, "purrd.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd := qemuCmd(t, e, bin, "run", "-config", path)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	// The brain child is the same binary re-executed: it starts through
	// binfmt (not our qemu command line), so the sysroot goes by environment.
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "QEMU_LD_PREFIX=" + e.sysroot}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		select {
		case err := <-exited:
			exited <- err
		default:
			_ = cmd.Process.Kill()
			exited <- <-exited
		}
		if t.Failed() {
			t.Logf("purrd output:\n%s", logs.String())
		}
	}()

	msgs := make(chan paho.Message, 64)
	opts := paho.NewClientOptions().AddBroker(fmt.Sprintf("tcp://127.0.0.1:%d", port)).
		SetClientID("e2e-arm").SetAutoReconnect(false).SetConnectTimeout(2 * time.Second).
		SetDefaultPublishHandler(func(_ paho.Client, m paho.Message) { msgs <- m })
	client := paho.NewClient(opts)
	deadline := time.Now().Add(90 * time.Second)
	for {
		tok := client.Connect()
		if tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
			break
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("purrd exited before its broker took a connection: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("embedded broker on 127.0.0.1:%d not reachable after 90 s: %v", port, tok.Error())
		}
		time.Sleep(200 * time.Millisecond)
	}
	defer client.Disconnect(100)
	t.Logf("figure: arm64 under qemu, process start to broker accepting: %v", time.Since(start).Round(time.Millisecond))

	for _, topic := range []string{"purr/armcat/availability", "purr/armcat/response/+", "purr/armcat/reply"} {
		if tok := client.Subscribe(topic, 1, nil); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatalf("subscribe %s: %v", topic, tok.Error())
		}
	}
	await := func(what string, timeout time.Duration, match func(paho.Message) bool) paho.Message {
		t.Helper()
		end := time.After(timeout)
		for {
			select {
			case m := <-msgs:
				if match(m) {
					return m
				}
			case <-end:
				t.Fatalf("%s: nothing within %v", what, timeout)
				return nil
			}
		}
	}
	await("availability online", 60*time.Second, func(m paho.Message) bool {
		return m.Topic() == "purr/armcat/availability" && string(m.Payload()) == "online"
	})

	var resp map[string]any
	for i := 0; resp == nil; i++ {
		id := fmt.Sprintf("arm-ping-%d", i)
		client.Publish("purr/armcat/cmd/ping", 1, false, `{"id":"`+id+`"}`).WaitTimeout(10 * time.Second)
		end := time.After(5 * time.Second)
	wait:
		for {
			select {
			case m := <-msgs:
				if m.Topic() != "purr/armcat/response/ping" {
					continue
				}
				var r map[string]any
				if err := json.Unmarshal(m.Payload(), &r); err != nil {
					t.Fatalf("response/ping not JSON: %q", m.Payload())
				}
				if r["status"] != "ok" || !strings.HasPrefix(fmt.Sprint(r["id"]), "arm-ping-") {
					t.Fatalf("response/ping: %s", m.Payload())
				}
				resp = r
				break wait
			case <-end:
				break wait
			}
		}
		if resp == nil && i >= 5 {
			t.Fatalf("no response/ping after %d pings", i+1)
		}
	}
	t.Logf("ping response under qemu: %v", resp)

	if brain == "llama" {
		// The fallback brain answers while the model loads: wait until the
		// state says the llama brain is ready, so the reply is the engine's.
		var ready bool
		for i := 0; !ready; i++ {
			if i >= 120 {
				t.Fatalf("brain not ready with the tiny model after %d get_state polls", i)
			}
			client.Publish("purr/armcat/cmd/get_state", 1, false, fmt.Sprintf(`{"id":"arm-state-%d"}`, i)).WaitTimeout(10 * time.Second)
			m := await("response/get_state", 30*time.Second, func(m paho.Message) bool {
				return m.Topic() == "purr/armcat/response/get_state" && strings.Contains(string(m.Payload()), fmt.Sprintf(`"arm-state-%d"`, i))
			})
			var r struct {
				Data struct {
					Brain struct{ Name, State, Reason string } `json:"brain"`
				} `json:"data"`
			}
			if err := json.Unmarshal(m.Payload(), &r); err != nil {
				t.Fatalf("response/get_state: %q: %v", m.Payload(), err)
			}
			if r.Data.Brain.State == "failed" {
				t.Fatalf("llama brain failed: %s", r.Data.Brain.Reason)
			}
			ready = r.Data.Brain.Name == "llama" && r.Data.Brain.State == "ready"
			if !ready {
				time.Sleep(500 * time.Millisecond)
			}
		}
		sent := time.Now()
		client.Publish("purr/armcat/cmd/chat", 1, false, `{"id":"arm-chat","text":"hello kitty"}`).WaitTimeout(10 * time.Second)
		m := await("response/chat", 180*time.Second, func(m paho.Message) bool {
			return m.Topic() == "purr/armcat/response/chat"
		})
		var r struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Data   struct {
				Brain, Fallback, Text string
			} `json:"data"`
		}
		if err := json.Unmarshal(m.Payload(), &r); err != nil {
			t.Fatalf("response/chat: %q: %v", m.Payload(), err)
		}
		if r.ID != "arm-chat" || r.Status != "ok" || r.Data.Brain != "llama" || r.Data.Fallback != "" {
			t.Fatalf("response/chat: %s; want id arm-chat, status ok, brain llama, no fallback", m.Payload())
		}
		t.Logf("figure: arm64 under qemu, tiny-model chat answered by the engine in %v: %s", time.Since(sent).Round(time.Millisecond), m.Payload())
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	await("availability offline", 30*time.Second, func(m paho.Message) bool {
		return m.Topic() == "purr/armcat/availability" && string(m.Payload()) == "offline"
	})
	select {
	case err := <-exited:
		exited <- err
		if err != nil {
			t.Errorf("purrd after SIGTERM: %v, want exit 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("purrd did not exit within 30 s of SIGTERM")
	}
}
