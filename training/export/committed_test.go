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
// and it must pass the engine's adapter rules against that base.
func TestCommittedAdapterMatchesItsManifest(t *testing.T) {
	dir := "../adapter"
	raw, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		AdapterFile   string `json:"adapter_file"`
		AdapterSHA256 string `json:"adapter_sha256"`
		BaseSHA256    string `json:"base_sha256"`
		DataSHA256    string `json:"data_sha256"`
		Steps         int    `json:"steps"`
		Heldout       int    `json:"heldout_examples"`
		// A warm restart (train.py --init-from) records the run it
		// started from; that run learnt from the same data, or from data
		// checked not to hold this run's held-out examples.
		InitFrom      string `json:"init_from_fingerprint"`
		InitDataCheck string `json:"init_from_data_check"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("MANIFEST.json: %v", err)
	}
	adapter := filepath.Join(dir, m.AdapterFile)
	if got := fileSHA(t, adapter); got != m.AdapterSHA256 {
		t.Errorf("%s: sha256 %s, manifest says %s", adapter, got, m.AdapterSHA256)
	}
	if m.Steps == 0 {
		t.Error("the committed adapter was never trained (0 steps)")
	}
	base := baseModel(t)
	if got := fileSHA(t, base); got != m.BaseSHA256 {
		t.Errorf("base %s: sha256 %s, manifest says %s", base, got, m.BaseSHA256)
	}
	if _, err := gguf.CheckAdapter(adapter, base); err != nil {
		t.Errorf("the committed adapter does not fit its base: %v", err)
	}

	convs, err := dataset.Load("../data")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := llama.OpenTokenizer(base)
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	var buf bytes.Buffer
	o := export.Options{Template: tok.ChatTemplate(), Script: dialog.ScriptOptions{NoShots: true}, Context: 1024}
	if _, _, err := export.Write(&buf, convs, o, tok, 384); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	if got := hex.EncodeToString(sum[:]); got != m.DataSHA256 {
		t.Errorf("the training data exported now has sha256 %s; the adapter was trained on %s: retrain (make train) or restore the data", got, m.DataSHA256)
	}
	if m.InitFrom != "" {
		var prior struct {
			DataSHA256 string `json:"data_sha256"`
		}
		if err := json.Unmarshal([]byte(m.InitFrom), &prior); err != nil {
			t.Fatalf("MANIFEST.json: init_from_fingerprint: %v", err)
		}
		if prior.DataSHA256 != m.DataSHA256 {
			// Warm-started on grown data: train.py checked, against the
			// first run's data (--prior-data), that nothing held out now
			// was trained on then.
			var check struct {
				PriorData string `json:"prior_data_sha256"`
				Held      int    `json:"heldout_examples"`
				Seen      *int   `json:"heldout_seen_by_prior"`
			}
			if m.InitDataCheck == "" {
				t.Errorf("the adapter was warm-started from a run on data %s, then trained on %s, with no held-out check (train.py --prior-data)", prior.DataSHA256, m.DataSHA256)
			} else if err := json.Unmarshal([]byte(m.InitDataCheck), &check); err != nil {
				t.Errorf("MANIFEST.json: init_from_data_check: %v", err)
			} else if check.PriorData != prior.DataSHA256 || check.Seen == nil || *check.Seen != 0 || check.Held != m.Heldout {
				t.Errorf("MANIFEST.json: init_from_data_check %s does not show the first run's data %s checked against all %d held-out examples", m.InitDataCheck, prior.DataSHA256, m.Heldout)
			}
		}
	}
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
