//go:build llama

package export_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/dialog/llama/gguf"
	"github.com/purrd/purrd/training/dataset"
	"github.com/purrd/purrd/training/export"
)

// The committed adapter must be what its manifest says: made for the
// base model make models fetches, passing the engine's adapter rules
// against it, and made from this repository's training data (exported
// now, by this code, byte for byte the file it was trained on).
//
// A trained adapter's MANIFEST.json is train.py's. A merged one's is
// merge.py's, naming each source by sha256; every source must then have
// its own run's manifest beside it (NAME.MANIFEST.json), whose data is
// checked the same way, and the adapter's metadata must name the same
// sources and weights. A pass that went on from an earlier adapter
// (train.py --init-from) names it by sha256 too; when that start's
// manifest is kept beside it, it is checked in turn. Every manifest kept
// there must be reached so, and so be checked.
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

	kept := map[string]string{} // adapter sha256 -> the file of its manifest
	runs := map[string]manifest{}
	paths, err := filepath.Glob(filepath.Join(dir, "*.MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		r := readManifest(t, p)
		if prev, ok := kept[r.AdapterSHA256]; ok {
			t.Errorf("%s and %s are manifests of one adapter %s", prev, filepath.Base(p), r.AdapterSHA256)
		}
		kept[r.AdapterSHA256], runs[r.AdapterSHA256] = filepath.Base(p), r
	}
	c := &chainCheck{t: t, tok: tok, base: m.BaseSHA256, kept: kept, runs: runs,
		exports: map[string]string{}, assembled: readAssembled(t, filepath.Join(dir, "assembled-data.json")), seen: map[string]bool{}}

	if len(m.MergeSources) == 0 {
		c.run("MANIFEST.json", m)
	} else {
		checkMergeMetadata(t, adapter, m.MergeSources)
		for _, src := range m.MergeSources {
			r, ok := runs[src.SHA256]
			if !ok {
				t.Errorf("MANIFEST.json: merged from %s (%s), whose run's manifest is not kept in %s", src.SHA256, src.File, dir)
				continue
			}
			if src.Weight <= 0 {
				t.Errorf("MANIFEST.json: source %s has weight %v", kept[src.SHA256], src.Weight)
			}
			c.run(kept[src.SHA256], r)
		}
	}
	for sha, name := range kept {
		if !c.seen[sha] {
			t.Errorf("%s is kept in %s but is neither a source of the committed adapter nor a start of one", name, dir)
		}
	}
}

// chainCheck follows an adapter's runs back through their starts.
type chainCheck struct {
	t         *testing.T
	tok       *llama.Tokenizer
	base      string
	kept      map[string]string // adapter sha256 -> manifest file
	runs      map[string]manifest
	exports   map[string]string // committed folder -> sha256 of its export now
	assembled map[string]assembly
	seen      map[string]bool
}

func (c *chainCheck) run(name string, m manifest) {
	c.t.Helper()
	if c.seen[m.AdapterSHA256] {
		return
	}
	c.seen[m.AdapterSHA256] = true
	if m.BaseSHA256 != c.base {
		c.t.Errorf("%s: base %s, the committed adapter's is %s", name, m.BaseSHA256, c.base)
	}
	checkManifest(c.t, name, m, c.tok, c.exports, c.assembled)
	if m.InitSHA256 == "" {
		return
	}
	start, ok := c.runs[m.InitSHA256]
	if !ok {
		// Started from a checkpoint of a run whose adapter was never
		// committed: its data was checked through the fingerprint.
		return
	}
	c.run(c.kept[m.InitSHA256], start)
}

// checkMergeMetadata checks that the merged adapter itself records the
// sources and weights its manifest names (merge.py writes both).
func checkMergeMetadata(t *testing.T, adapter string, want []mergeSource) {
	t.Helper()
	f, err := os.Open(adapter)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gguf.Read(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", adapter, err)
	}
	var got []mergeSource
	raw := g.String("purrd.train.merge_sources")
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("%s: purrd.train.merge_sources %q: %v", adapter, raw, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: its metadata says it merges %+v, MANIFEST.json says %+v", adapter, got, want)
	}
}

// assembly is a training file made from files of several committed
// folders (assembled-data.json), named by the sha256 of its export.
type assembly struct {
	Files []string `json:"files"` // globs under training/
	// Rerendered names records the renderer has changed since the file
	// was exported (rendered_by says which change): the export now must
	// hold them, and without them be byte for byte the trained file
	// without them.
	Rerendered *struct {
		IDs     []string `json:"ids"`
		Without string   `json:"sha256_without"`
	} `json:"rerendered"`
}

func readAssembled(t *testing.T, path string) map[string]assembly {
	t.Helper()
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]assembly
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
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
	// A merge (merge.py) instead names the adapters it averaged.
	MergeSources []mergeSource `json:"merge_sources"`
}

type mergeSource struct {
	File   string  `json:"file"`
	SHA256 string  `json:"sha256"`
	Weight float64 `json:"weight"`
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
// of the committed training folders, or files of several assembled as
// assembled-data.json says, exports now to its data (and rejected side),
// and the start it went on from learnt from data it may build on.
func checkManifest(t *testing.T, name string, m manifest, tok *llama.Tokenizer, exports map[string]string, assembled map[string]assembly) {
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
	if a, ok := assembled[m.DataSHA256]; ok && !found {
		found = true
		if m.RejectedSHA256 != "" {
			t.Errorf("%s: a preference pass on assembled data; only a committed folder has a rejected side", name)
		}
		want := m.DataSHA256
		if a.Rerendered != nil {
			want = a.Rerendered.Without
		}
		if got := assembledSHA(t, a, tok); got != want {
			t.Errorf("%s: the files %v assembled and exported now have sha256 %s (rerendered records left out: %v); want %s", name, a.Files, got, a.Rerendered != nil, want)
		}
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
	if _, _, err := export.Write(&buf, convs, exportOptions(tok), tok, 384); err != nil {
		t.Fatalf("export %s: %v", dir, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	exports[dir] = hex.EncodeToString(sum[:])
	return exports[dir]
}

// assembledSHA copies the files a names into one folder, as
// training/README.md's commands do, and exports it.
func assembledSHA(t *testing.T, a assembly, tok *llama.Tokenizer) string {
	t.Helper()
	// Only folders the eval-disjointness test reads may be drawn on.
	sources, err := dataset.Sources("..")
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, s := range sources {
		checked[filepath.Clean(s.Chosen)] = true
	}
	dir := t.TempDir()
	for _, glob := range a.Files {
		paths, err := filepath.Glob(filepath.Join("..", glob))
		if err != nil || len(paths) == 0 {
			t.Fatalf("assembled-data.json: %q names no file (%v)", glob, err)
		}
		for _, p := range paths {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.IsDir() {
				continue
			}
			if !checked[filepath.Dir(filepath.Clean(p))] {
				t.Fatalf("assembled-data.json: %s is not in a committed training folder (%v)", p, sources)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.Base(p))); err == nil {
				t.Fatalf("assembled-data.json: two files named %s", filepath.Base(p))
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if a.Rerendered == nil {
		return exportSHA(t, dir, tok, map[string]string{})
	}
	convs, err := dataset.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, _, err := export.Write(&buf, convs, exportOptions(tok), tok, 384); err != nil {
		t.Fatalf("export %v: %v", a.Files, err)
	}
	drop := map[string]bool{}
	for _, id := range a.Rerendered.IDs {
		drop[id] = true
	}
	h := sha256.New()
	for line := range bytes.Lines(buf.Bytes()) {
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("export %v: %v", a.Files, err)
		}
		if drop[rec.ID] {
			delete(drop, rec.ID)
			continue
		}
		h.Write(line)
	}
	if len(drop) > 0 {
		t.Errorf("assembled-data.json: rerendered records %v are not in the export", slices.Sorted(maps.Keys(drop)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// exportOptions are make train's (purrd dataset export's defaults).
func exportOptions(tok *llama.Tokenizer) export.Options {
	return export.Options{Template: tok.ChatTemplate(), Script: dialog.ScriptOptions{NoShots: true}, Context: 1024}
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
