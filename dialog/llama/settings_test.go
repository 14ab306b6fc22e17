package llama

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
)

func TestAutoThreads(t *testing.T) {
	// The boards: Pi 5, Pi 4 and Zero 2 W have 4 cores and no SMT.
	for cores, want := range map[int]int{0: 1, 1: 1, 2: 1, 3: 2, 4: 3, 8: 7} {
		if got := AutoThreads(cores); got != want {
			t.Errorf("AutoThreads(%d) = %d, want %d", cores, got, want)
		}
	}
}

func TestResolveSettings(t *testing.T) {
	for _, c := range []struct {
		name  string
		set   EngineSettings
		arch  string
		cores int
		want  resolved
	}{
		{"all auto, measured family, Pi", EngineSettings{}, "gemma3", 4,
			resolved{Threads: 3, Flash: FlashOn, Batch: DefaultBatch, KV: KVF16}},
		{"all auto spelt out, llama, two cores", EngineSettings{FlashAttention: FlashAuto, KVCache: KVAuto}, "llama", 2,
			resolved{Threads: 1, Flash: FlashOn, Batch: DefaultBatch, KV: KVF16}},
		{"unmeasured family: llama.cpp decides", EngineSettings{}, "qwen3", 4,
			resolved{Threads: 3, Flash: FlashAuto, Batch: DefaultBatch, KV: KVF16}},
		{"explicit values win", EngineSettings{Threads: 2, FlashAttention: FlashOff, Batch: 32, KVCache: KVF16}, "gemma3", 4,
			resolved{Threads: 2, Flash: FlashOff, Batch: 32, KV: KVF16}},
		{"quantized cache turns flash attention on", EngineSettings{KVCache: KVQ8}, "qwen3", 1,
			resolved{Threads: 1, Flash: FlashOn, Batch: DefaultBatch, KV: KVQ8}},
	} {
		got := resolveSettings(c.set, c.arch, c.cores)
		if got.Why == "" {
			t.Errorf("%s: no reason given", c.name)
		}
		got.Why = ""
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	r := resolveSettings(EngineSettings{}, "qwen3", 4)
	if !strings.Contains(r.Why, `"qwen3" not measured`) || !strings.Contains(r.Why, "4 cores") {
		t.Errorf("why = %q", r.Why)
	}
}

func TestEngineSettingsCheck(t *testing.T) {
	for _, ok := range []EngineSettings{{}, {Threads: 256, Batch: 4096, FlashAttention: FlashOn, KVCache: KVQ4},
		{FlashAttention: FlashAuto, KVCache: KVQ8}, {FlashAttention: FlashOff, KVCache: KVF16}} {
		if err := ok.Check(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	for _, c := range []struct {
		set  EngineSettings
		want string
	}{
		{EngineSettings{Threads: -1}, "threads -1 is out of range (0-256; 0 = auto)"},
		{EngineSettings{Batch: 5000}, "batch 5000 is out of range (0-4096; 0 = 64)"},
		{EngineSettings{FlashAttention: "yes"}, `flash attention "yes": want auto, on or off`},
		{EngineSettings{KVCache: "q5_1"}, `KV cache "q5_1": want auto, f16, q8_0 or q4_0`},
		{EngineSettings{FlashAttention: FlashOff, KVCache: KVQ8}, "a q8_0 KV cache needs flash attention"},
	} {
		err := c.set.Check()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.set, err, c.want)
		}
	}
}

func TestCountCores(t *testing.T) {
	sys := t.TempDir()
	// cpu0/cpu1 are SMT siblings of core 0, cpu2 is core 1, cpu3 has no
	// topology (counts as its own core).
	for cpu, core := range map[int]string{0: "0", 1: "0", 2: "1"} {
		dir := filepath.Join(sys, "cpu"+strconv.Itoa(cpu), "topology")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string]string{"core_id": core + "\n", "physical_package_id": "0\n"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		cpus []int
		want int
	}{{[]int{0, 1}, 1}, {[]int{0, 1, 2}, 2}, {[]int{0, 2, 3}, 3}, {[]int{1}, 1}} {
		if got := countCores(c.cpus, sys); got != c.want {
			t.Errorf("countCores(%v) = %d, want %d", c.cpus, got, c.want)
		}
	}
	if n := usableCores(); n < 1 {
		t.Errorf("usableCores() = %d", n)
	}
}

func TestReplySeed(t *testing.T) {
	hello := dialog.Request{Text: "hello"}
	if s := replySeed(0, hello); s != 0 {
		t.Errorf("replySeed(0, …) = %d: no seed must stay the clock's", s)
	}
	if replySeed(42, hello) != replySeed(42, dialog.Request{ID: "another id", Text: "hello"}) {
		t.Error("the same words and history got two seeds")
	}
	// Every other turn draws otherwise: other words, the same words later
	// in the talk, another configured seed.
	seen := map[uint32]string{}
	var history []dialog.Turn
	for i := range 200 {
		for _, text := range []string{"hello", fmt.Sprintf("line %d", i)} {
			s := replySeed(42, dialog.Request{Text: text, History: history})
			what := fmt.Sprintf("%q after %d turns", text, len(history))
			if prev, ok := seen[s]; ok {
				t.Fatalf("%s and %s share seed %d", prev, what, s)
			}
			seen[s] = what
		}
		history = append(history, dialog.Turn{Role: "owner", Text: "hello"}, dialog.Turn{Role: "pet", Text: fmt.Sprintf("mrrp %d", i)})
	}
	if replySeed(42, hello) == replySeed(43, hello) {
		t.Error("seeds 42 and 43 gave one reply seed")
	}
}
