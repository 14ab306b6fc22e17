//go:build llama

package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDatasetSampleOnTinyModel asks a generated model, through the real
// brain process, for replies to fresh prompts and to training
// conversations: one record each, carrying the conversation as the
// sampler read it and the model's distinct replies (the tiny model's
// words are nonsense; what is asserted is the plumbing).
func TestDatasetSampleOnTinyModel(t *testing.T) {
	inv := evalInvocation(t)
	inv.Executable = buildPurrd(t)
	cfg := evalConfig(t, fmt.Sprintf("{kind: llama, model: %s, max_tokens: 12}", tinyModel(t)))
	dir := t.TempDir()
	prompts := filepath.Join(dir, "prompts.jsonl")
	writeFile(t, prompts, `{"lang":"en","mood":"happy, a bit sleepy","pet":"Mochi","facts":["owner's name is Ruth"],"before":[],"owner":"The kettle's on."}
{"lang":"zh","mood":"content","pet":"豆包","facts":[],"before":[{"role":"owner","text":"今天下雨了。"},{"role":"pet","text":"那我们窝在家里吧。"}],"owner":"你猜我中午吃了什么？"}
`)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	read := func(path string) []SampleRecord {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out []SampleRecord
		for sc := bufio.NewScanner(f); sc.Scan(); {
			var r SampleRecord
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, r)
		}
		return out
	}

	out := filepath.Join(dir, "fresh.jsonl")
	if err := Main(ctx, withArgs(inv, "dataset", "sample", "-config", cfg, "-prompts", prompts, "-n", "3", "-every", "1", "-o", out)); err != nil {
		t.Fatal(err)
	}
	recs := read(out)
	if len(recs) != 2 || recs[0].Owner != "The kettle's on." || recs[0].Facts[0] != "owner's name is Ruth" ||
		len(recs[1].Before) != 2 || recs[1].Before[1].Role != "pet" || recs[1].Reference != "" {
		t.Fatalf("records %+v", recs)
	}
	replies := 0
	for _, r := range recs {
		if len(r.Replies) > 3 {
			t.Errorf("%d replies for -n 3", len(r.Replies))
		}
		for i, a := range r.Replies {
			for _, b := range r.Replies[i+1:] {
				if a == b {
					t.Errorf("reply %q twice", a)
				}
			}
		}
		replies += len(r.Replies)
	}
	if replies == 0 {
		t.Errorf("the model gave no reply at all")
	}

	out = filepath.Join(dir, "data.jsonl")
	if err := Main(ctx, withArgs(inv, "dataset", "sample", "-config", cfg, "-data", "../training/data", "-n", "1", "-every", "400", "-limit", "2", "-o", out)); err != nil {
		t.Fatal(err)
	}
	recs = read(out)
	if len(recs) != 2 || !strings.Contains(recs[0].ID, ".conv:") || recs[0].Reference == "" || recs[0].Owner == "" {
		t.Fatalf("records from the training data %+v", recs)
	}

	outOfOrder := filepath.Join(dir, "order.jsonl")
	writeFile(t, outOfOrder, `{"lang":"en","mood":"content","pet":"Mochi","facts":[],"before":[{"role":"pet","text":"Mrrp."}],"owner":"hi"}`+"\n")
	started := time.Now()
	if err := Main(ctx, withArgs(inv, "dataset", "sample", "-config", cfg, "-prompts", outOfOrder, "-o", filepath.Join(dir, "y"))); err == nil ||
		!strings.Contains(err.Error(), "order.jsonl:1") {
		t.Errorf("a prompt whose turns do not start with the owner: %v", err)
	}
	t.Logf("refused in %s, before the model loaded", time.Since(started))

	bad := filepath.Join(dir, "bad.jsonl")
	writeFile(t, bad, `{"lang":"en","owner":"hi"}`+"\n")
	if err := Main(ctx, withArgs(inv, "dataset", "sample", "-config", cfg, "-prompts", bad, "-o", filepath.Join(dir, "x"))); err == nil ||
		!strings.Contains(err.Error(), "bad.jsonl:1: lang, mood and owner are required") {
		t.Errorf("a prompt without a mood: %v", err)
	}
}

func withArgs(inv Invocation, args ...string) Invocation {
	inv.Args = args
	return inv
}
