package llama

import (
	"bytes"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The warnings every load of the shipped model and adapter prints go to
// debug; any other engine line keeps the engine level, and both stay in
// the tail quoted when the brain dies. The lines are llama.cpp's own, as
// `make run` logged them.
func TestEngineLogDemotesExpectedWarnings(t *testing.T) {
	var buf bytes.Buffer
	c := &child{
		log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		cmd: &exec.Cmd{Process: &os.Process{Pid: 42}},
	}
	expected := []string{
		"llama_adapter_lora_init_impl: lora for 'blk.10.attn_output.weight' cannot use buft 'CPU_REPACK', fallback to CPU",
		"llama_context: n_ctx_seq (1024) < n_ctx_train (32768) -- the full capacity of the model will not be utilized",
		"llama_kv_cache_iswa: using full-size SWA cache (ref: https://github.com/ggml-org/llama.cpp/pull/13194#issuecomment-2868343055)",
	}
	kept := []string{
		"llama_context: n_ctx_seq (65536) > n_ctx_train (32768) -- possible training context overflow",
		"load: special_eos_id is not in special_eog_ids - the tokenizer config may be incorrect",
		"llama_model_load: error loading model: tensor 'blk.3.ffn_up.weight' data is not within the file bounds",
	}
	c.readLog(strings.NewReader(strings.Join(append(expected, kept...), "\n")+"\n"), slog.LevelWarn)

	records := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(records) != len(expected)+len(kept) {
		t.Fatalf("%d log records, want %d:\n%s", len(records), len(expected)+len(kept), buf.String())
	}
	for i, rec := range records {
		want := "level=WARN"
		if i < len(expected) {
			want = "level=DEBUG"
		}
		if !strings.Contains(rec, want) || !strings.Contains(rec, "src=engine") || !strings.Contains(rec, "pid=42") {
			t.Errorf("record %d: want %s, src=engine, pid=42: %s", i, want, rec)
		}
	}
	all := append(expected, kept...)
	if want := all[max(0, len(all)-tailLines):]; !slices.Equal(c.tail, want) {
		t.Errorf("tail %q, want the last %d lines %q", c.tail, tailLines, want)
	}
}
