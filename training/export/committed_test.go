//go:build llama

package export_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/training/dataset"
	"github.com/purrd/purrd/training/export"
)

// The committed adapter must be what its manifest says: made from this
// repository's training data (exported now, by this code, byte for byte
// the file it was trained on) and for the base model make models fetches,
// and it must pass the engine's adapter rules against that base. A pass
// that went on from an earlier adapter (train.py --init-from) names it
// by hash; when that start is not the committed file any more, its
// manifest is kept as start.MANIFEST.json and is checked the same way.
func TestCommittedAdapterMatchesItsManifest(t *testing.T) {
	dir := "../adapter"
	m := readManifest(t, filepath.Join(dir, "MANIFEST.json"))
	adapter := filepath.Join(dir, m.AdapterFile)
	if got := fileSHA(t, adapter); got != m.AdapterSHA256 {
		t.Errorf("%s: sha256 %s, manifest says %s", adapter, got, m.AdapterSHA256)
	}
	base := baseModel(t)
	if got := fileSHA(t, base); got != m.BaseSHA256 {
		t.Errorf("base %s: sha256 %s, manifest says %s", base, got, m.BaseSHA256)
	}
	if _, err := gguf.CheckAdapter(adapter, base); err != nil {
		t.Errorf("the committed adapter does not fit its base: %v", err)
	}
	tok, err := llama.OpenTokenizer(base)
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	exports := map[string]string{} // committed folder -> sha256 of its export now
	checkManifest(t, "MANIFEST.json", m, tok, exports)
	if m.InitSHA256 == "" {
		return
	}
	startPath := filepath.Join(dir, "start.MANIFEST.json")
	if _, err := os.Stat(startPath); err != nil {
		// Started from a checkpoint of a run whose adapter was never
		// committed: its data was checked above through the fingerprint.
		return
	}
	start := readManifest(t, startPath)
	if start.AdapterSHA256 != m.InitSHA256 {
		t.Errorf("MANIFEST.json: started from %s, start.MANIFEST.json is the manifest of %s", m.InitSHA256, start.AdapterSHA256)
	}
	if start.BaseSHA256 != m.BaseSHA256 {
		t.Errorf("start.MANIFEST.json: base %s, the adapter's is %s", start.BaseSHA256, m.BaseSHA256)
	}
	checkManifest(t, "start.MANIFEST.json", start, tok, exports)
}

// manifest holds the fields of train.py's MANIFEST.json the checks read.
type manifest struct {
	AdapterFile    string `json:"adapter_file"`
	AdapterSHA256  string `json:"adapter_sha256"`
	BaseSHA256     string `json:"base_sha256"`
	DataSHA256     string `json:"data_sha256"`
	RejectedSHA256 string `json:"rejected_sha256"` // a preference pass's rejected side
	Steps          int    `json:"steps"`
	Heldout        int    `json:"heldout_examples"`
	// A warm restart (train.py --init-from) records the run it started
	// from; that run learnt from the same data, or from data checked not
	// to hold this run's held-out examples.
	InitSHA256    string `json:"init_from_sha256"`
	InitFrom      string `json:"init_from_fingerprint"`
	InitDataCheck string `json:"init_from_data_check"`
}

func readManifest(t *testing.T, path string) manifest {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// checkManifest checks that what m says it learnt from is committed: one
// of the committed training folders exports now to its data (and rejected side), and the
// start it went on from learnt from data it may build on.
func checkManifest(t *testing.T, name string, m manifest, tok *llama.Tokenizer, exports map[string]string) {
	t.Helper()
	if m.Steps == 0 {
		t.Errorf("%s: the adapter was never trained (0 steps)", name)
	}
	sources, err := dataset.Sources("..")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, src := range sources {
		if exportSHA(t, src.Chosen, tok, exports) != m.DataSHA256 {
			continue
		}
		found = true
		switch {
		case m.RejectedSHA256 == "":
		case src.Rejected == "":
			t.Errorf("%s: a preference pass on %s, which has no rejected side", name, src.Chosen)
		case exportSHA(t, src.Rejected, tok, exports) != m.RejectedSHA256:
			t.Errorf("%s: the rejected side %s exported now has sha256 %s; the adapter was trained on %s",
				name, src.Rejected, exportSHA(t, src.Rejected, tok, exports), m.RejectedSHA256)
		}
		break
	}
	if !found {
		t.Errorf("%s: no committed training folder exports now to the data the adapter was trained on (%s; %v): retrain (make train) or restore the data", name, m.DataSHA256, exports)
	}
	if m.InitFrom == "" {
		return
	}
	var prior struct {
		DataSHA256 string `json:"data_sha256"`
	}
	if err := json.Unmarshal([]byte(m.InitFrom), &prior); err != nil {
		t.Fatalf("%s: init_from_fingerprint: %v", name, err)
	}
	if prior.DataSHA256 == m.DataSHA256 {
		return
	}
	// Warm-started on other data: train.py checked, against the first
	// run's data (--prior-data), that nothing held out now was trained on
	// then.
	var check struct {
		PriorData string `json:"prior_data_sha256"`
		Held      int    `json:"heldout_examples"`
		Seen      *int   `json:"heldout_seen_by_prior"`
	}
	if m.InitDataCheck == "" {
		t.Errorf("%s: the adapter was warm-started from a run on data %s, then trained on %s, with no held-out check (train.py --prior-data)", name, prior.DataSHA256, m.DataSHA256)
	} else if err := json.Unmarshal([]byte(m.InitDataCheck), &check); err != nil {
		t.Errorf("%s: init_from_data_check: %v", name, err)
	} else if check.PriorData != prior.DataSHA256 || check.Seen == nil || *check.Seen != 0 || check.Held != m.Heldout {
		t.Errorf("%s: init_from_data_check %s does not show the first run's data %s checked against all %d held-out examples", name, m.InitDataCheck, prior.DataSHA256, m.Heldout)
	}
}

// exportSHA is the sha256 of `purrd dataset export` of dir now, as make
// train writes it (memoised in exports: a folder exports in seconds).
func exportSHA(t *testing.T, dir string, tok *llama.Tokenizer, exports map[string]string) string {
	t.Helper()
	if sum, ok := exports[dir]; ok {
		return sum
	}
	convs, err := dataset.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	o := export.Options{Template: tok.ChatTemplate(), Script: dialog.ScriptOptions{NoShots: true}, Context: 1024}
	if _, _, err := export.Write(&buf, convs, o, tok, 384); err != nil {
		t.Fatalf("export %s: %v", dir, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	exports[dir] = hex.EncodeToString(sum[:])
	return exports[dir]
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// baseModel is Gemma 3 270M from make models (or $PURRD_MODELS); CI
// fetches it and sets PURRD_REQUIRE_MODELS, making its absence a failure.
func baseModel(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PURRD_MODELS")
	if dir == "" {
		dir = "../../.cache/models"
	}
	p := filepath.Join(dir, "gemma3", "gemma-3-270m-q4_k_m.gguf")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("PURRD_REQUIRE_MODELS") != "" {
			t.Fatalf("no Gemma base model (%v) and PURRD_REQUIRE_MODELS is set", err)
		}
		t.Skipf("no Gemma base model here (%v): make models", err)
	}
	return p
}
