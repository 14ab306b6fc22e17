package llama

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// The engine's speed knobs (brain.threads, brain.flash_attention,
// brain.batch, brain.kv_cache). Each has an "auto" that the brain process
// resolves when it loads a model: from the model's family (its GGUF
// architecture), as measured side by side with llama.cpp's own
// llama-bench (docs/models.md, "Engine speed"), and from the CPUs it may
// run on.

// Flash attention settings (brain.flash_attention).
const (
	FlashAuto = "auto" // the model family's measured choice, else llama.cpp's own (on for the CPU)
	FlashOn   = "on"
	FlashOff  = "off"
)

// KV cache types (brain.kv_cache). KVAuto is the family's measured choice.
const (
	KVAuto = "auto"
	KVF16  = "f16"
	KVQ8   = "q8_0"
	KVQ4   = "q4_0"
)

// DefaultBatch is the prompt tokens per decode call when none is set: a
// cancelled reply stops between two such batches, so on a slow board a
// larger one delays a cancel (a touch, a new chat) by that much longer.
const DefaultBatch = 64

// familySettings is what was measured best for one model family.
type familySettings struct {
	flash string // FlashOn or FlashOff
	kv    string // KVF16, KVQ8, ...
}

// families holds the measured choices per GGUF architecture
// (docs/models.md, "Engine speed", has the figures). A family not here
// gets llama.cpp's own flash attention choice (on for the CPU) and an F16
// cache.
var families = map[string]familySettings{
	"llama":  {flash: FlashOn, kv: KVF16},
	"gemma3": {flash: FlashOn, kv: KVF16},
}

// EngineSettings are the knobs as configured; zero values mean auto.
type EngineSettings struct {
	Threads        int    // 0: the CPUs the brain may use, less one for the daemon (see AutoThreads)
	FlashAttention string // FlashAuto (or ""), FlashOn, FlashOff
	Batch          int    // 0: DefaultBatch
	KVCache        string // KVAuto (or ""), KVF16, KVQ8, KVQ4
}

// Check reports the first setting out of range, worded like the
// config's own problems.
func (s EngineSettings) Check() error {
	if s.Threads < 0 || s.Threads > 256 {
		return fmt.Errorf("llama: threads %d is out of range (0-256; 0 = auto)", s.Threads)
	}
	if s.Batch < 0 || s.Batch > 4096 {
		return fmt.Errorf("llama: batch %d is out of range (0-4096; 0 = %d)", s.Batch, DefaultBatch)
	}
	switch s.FlashAttention {
	case "", FlashAuto, FlashOn, FlashOff:
	default:
		return fmt.Errorf("llama: flash attention %q: want auto, on or off", s.FlashAttention)
	}
	switch s.KVCache {
	case "", KVAuto, KVF16:
	case KVQ8, KVQ4:
		if s.FlashAttention == FlashOff {
			return fmt.Errorf("llama: a %s KV cache needs flash attention (llama.cpp quantizes the V cache only with it); set it to auto or on", s.KVCache)
		}
	default:
		return fmt.Errorf("llama: KV cache %q: want auto, f16, q8_0 or q4_0", s.KVCache)
	}
	return nil
}

// resolved is what the engine is opened with, and why.
type resolved struct {
	Threads int
	Flash   string // FlashOn, FlashOff or FlashAuto (llama.cpp decides)
	Batch   int
	KV      string
	Why     string // how the auto values were chosen, for the log
}

// resolveSettings turns the configured settings into the engine's for a
// model of family arch on a machine whose brain may use cores CPU cores.
func resolveSettings(s EngineSettings, arch string, cores int) resolved {
	r := resolved{Threads: s.Threads, Flash: s.FlashAttention, Batch: s.Batch, KV: s.KVCache}
	var why []string
	if r.Threads <= 0 {
		r.Threads = AutoThreads(cores)
		why = append(why, fmt.Sprintf("threads from %d cores", cores))
	}
	if r.Batch <= 0 {
		r.Batch = DefaultBatch
	}
	fam, known := families[arch]
	if r.Flash == "" || r.Flash == FlashAuto {
		r.Flash = FlashAuto
		if known {
			r.Flash = fam.flash
		}
	}
	if r.KV == "" || r.KV == KVAuto {
		r.KV = KVF16
		if known {
			r.KV = fam.kv
		}
	}
	// A quantized V cache needs flash attention: a family whose measured
	// choice is off still gets it on when the cache was asked quantized.
	if r.KV != KVF16 && r.Flash != FlashOn {
		r.Flash = FlashOn
	}
	if known {
		why = append(why, "flash attention and KV cache measured for "+arch)
	} else {
		why = append(why, fmt.Sprintf("family %q not measured: llama.cpp's defaults", arch))
	}
	r.Why = strings.Join(why, "; ")
	return r
}

// AutoThreads is the thread count for cores CPU cores: one core stays
// free for the daemon (its event loop, the MQTT broker, sounds) once
// there are three or more, since llama.cpp's threads wait for each other
// at every step and one preempted thread stalls them all. On two cores
// one thread: measured here, two threads beside one busy process fell
// below one thread's speed. Pi 5, Pi 4, Zero 2 W (4 cores): 3.
func AutoThreads(cores int) int {
	if cores <= 2 {
		return 1
	}
	return cores - 1
}

// usableCores counts the physical cores among the CPUs this process may
// run on (taskset, cgroup cpusets): SMT siblings share one core's
// arithmetic units, and llama.cpp scales with cores, not siblings.
func usableCores() int {
	return countCores(allowedCPUs(), "/sys/devices/system/cpu")
}

// countCores counts distinct (package, core) pairs of cpus in sysfs;
// CPUs whose topology cannot be read count as a core each.
func countCores(cpus []int, sysfs string) int {
	if len(cpus) == 0 {
		return max(1, runtime.NumCPU())
	}
	seen := map[string]bool{}
	for _, c := range cpus {
		dir := filepath.Join(sysfs, "cpu"+strconv.Itoa(c), "topology")
		pkg, err1 := os.ReadFile(filepath.Join(dir, "physical_package_id"))
		core, err2 := os.ReadFile(filepath.Join(dir, "core_id"))
		key := "cpu" + strconv.Itoa(c)
		if err1 == nil && err2 == nil {
			key = strings.TrimSpace(string(pkg)) + "/" + strings.TrimSpace(string(core))
		}
		seen[key] = true
	}
	return len(seen)
}
