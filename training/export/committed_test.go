//go:build llama

package export_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
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

// adapterDir holds the committed adapter and the manifests of the runs
// it was made from.
const adapterDir = "../adapter"

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
// manifest is kept beside it, it is checked in turn. Every manifest and
// every entry of assembled-data.json kept there must be reached so, and
// so be checked.
func TestCommittedAdapterMatchesItsManifest(t *testing.T) {
	m := readManifest(t, filepath.Join(adapterDir, "MANIFEST.json"))
	adapter := filepath.Join(adapterDir, m.AdapterFile)
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
	sources, err := dataset.Sources("..")
	if err != nil {
		t.Fatal(err)
	}
	c := &chainCheck{t: t, tok: tok, base: m.BaseSHA256, sources: sources, runs: keptRuns(t),
		assembled: readAssembled(t), exports: map[string]string{}, seen: map[string]bool{}, used: map[string]bool{}}

	if len(m.MergeSources) == 0 {
		c.visit("MANIFEST.json", m)
	} else {
		checkMergeMetadata(t, adapter, m.MergeSources)
		for _, src := range m.MergeSources {
			r, ok := c.runs[src.SHA256]
			if !ok {
				t.Errorf("MANIFEST.json: merged from %s (%s), whose run's manifest is not kept in %s", src.SHA256, src.File, adapterDir)
				continue
			}
			if src.Weight <= 0 {
				t.Errorf("MANIFEST.json: source %s has weight %v", r.file, src.Weight)
			}
			c.visit(r.file, r.manifest)
		}
	}
	for sha, r := range c.runs {
		if !c.seen[sha] {
			t.Errorf("%s is kept in %s but is neither a source of the committed adapter nor a start of one", r.file, adapterDir)
		}
	}
	for sha := range c.assembled {
		if !c.used[sha] {
			t.Errorf("assembled-data.json: %s is the data of no run checked here", sha)
		}
	}
}

// keptRun is a run's manifest kept beside the adapter.
type keptRun struct {
	file string
	manifest
}

// keptRuns reads every NAME.MANIFEST.json beside the adapter, by the
// sha256 of the adapter each describes.
func keptRuns(t *testing.T) map[string]keptRun {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(adapterDir, "*.MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]keptRun{}
	for _, p := range paths {
		r := keptRun{filepath.Base(p), readManifest(t, p)}
		if prev, ok := runs[r.AdapterSHA256]; ok {
			t.Errorf("%s and %s are manifests of one adapter %s", prev.file, r.file, r.AdapterSHA256)
		}
		runs[r.AdapterSHA256] = r
	}
	return runs
}

// chainCheck follows an adapter's runs back through their starts.
type chainCheck struct {
	t         *testing.T
	tok       *llama.Tokenizer
	base      string           // the committed adapter's base sha256
	sources   []dataset.Source // the committed training folders
	runs      map[string]keptRun
	assembled map[string]assembly // data sha256 -> how it is put together
	exports   map[string]string   // committed folder -> sha256 of its export now
	seen      map[string]bool     // adapter sha256s visited
	used      map[string]bool     // assembled entries a run was checked against
}

func (c *chainCheck) visit(name string, m manifest) {
	c.t.Helper()
	if c.seen[m.AdapterSHA256] {
		return
	}
	c.seen[m.AdapterSHA256] = true
	if m.BaseSHA256 != c.base {
		c.t.Errorf("%s: base %s, the committed adapter's is %s", name, m.BaseSHA256, c.base)
	}
	c.checkData(name, m)
	if m.InitSHA256 == "" {
		return
	}
	start, ok := c.runs[m.InitSHA256]
	if !ok {
		// Started from a checkpoint of a run whose adapter was never
		// committed: its data was checked through the fingerprint.
		return
	}
	c.visit(start.file, start.manifest)
}

// checkMergeMetadata checks that the merged adapter itself records the
// sources and weights its manifest names (merge.py writes both).
func checkMergeMetadata(t *testing.T, adapter string, want []mergeSource) {
	t.Helper()
	g, err := gguf.ReadFile(adapter)
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
	// Rerendered is a file beside the adapter holding, as trained, the
	// records the renderer has changed since the file was exported
	// (rendered_by says which change). Put back in place of today's
	// renderings, they must make the export the trained file again.
	Rerendered string `json:"rerendered"`
}

func readAssembled(t *testing.T) map[string]assembly {
	t.Helper()
	path := filepath.Join(adapterDir, "assembled-data.json")
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

// manifest holds the fields the checks read of train.py's MANIFEST.json,
// or of merge.py's for a merged adapter.
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

// checkData checks that what m says it learnt from is committed: one of
// the committed training folders, or files of several put together as
// assembled-data.json says, exports now to its data (and rejected side),
// and the start it went on from learnt from data it may build on.
func (c *chainCheck) checkData(name string, m manifest) {
	t := c.t
	t.Helper()
	if m.Steps == 0 {
		t.Errorf("%s: the adapter was never trained (0 steps)", name)
	}
	found := false
	for _, src := range c.sources {
		if c.exportSHA(src.Chosen) != m.DataSHA256 {
			continue
		}
		found = true
		switch {
		case m.RejectedSHA256 == "":
		case src.Rejected == "":
			t.Errorf("%s: a preference pass on %s, which has no rejected side", name, src.Chosen)
		case c.exportSHA(src.Rejected) != m.RejectedSHA256:
			t.Errorf("%s: the rejected side %s exported now has sha256 %s; the adapter was trained on %s",
				name, src.Rejected, c.exportSHA(src.Rejected), m.RejectedSHA256)
		}
		break
	}
	if a, ok := c.assembled[m.DataSHA256]; ok && !found {
		found = true
		c.used[m.DataSHA256] = true
		if m.RejectedSHA256 != "" {
			t.Errorf("%s: a preference pass on assembled data; only a committed folder has a rejected side", name)
		}
		if got := c.assembledSHA(a); got != m.DataSHA256 {
			t.Errorf("%s: the files %v put together and exported now (rerendered records: %q) have sha256 %s; the adapter was trained on %s",
				name, a.Files, a.Rerendered, got, m.DataSHA256)
		}
	}
	if !found {
		t.Errorf("%s: no committed training folder exports now to the data the adapter was trained on (%s; %v): retrain (make train) or restore the data", name, m.DataSHA256, c.exports)
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
// train writes it (memoised: a folder exports in seconds).
func (c *chainCheck) exportSHA(dir string) string {
	if sum, ok := c.exports[dir]; ok {
		return sum
	}
	sum := sha256.Sum256(exportNow(c.t, dir, c.tok))
	c.exports[dir] = hex.EncodeToString(sum[:])
	return c.exports[dir]
}

// exportNow is `purrd dataset export -model BASE -data dir` with make
// train's settings (the command's defaults).
func exportNow(t *testing.T, dir string, tok *llama.Tokenizer) []byte {
	t.Helper()
	convs, err := dataset.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	o := export.Options{Template: tok.ChatTemplate(), Script: dialog.ScriptOptions{NoShots: true}, Context: 1024}
	if _, _, err := export.Write(&buf, convs, o, tok, 384); err != nil {
		t.Fatalf("export %s: %v", dir, err)
	}
	return buf.Bytes()
}

// assembledSHA copies the files a names into one folder, as
// training/README.md's commands do, exports it, puts the rerendered
// records back as they were trained, and hashes the result.
func (c *chainCheck) assembledSHA(a assembly) string {
	t := c.t
	t.Helper()
	// Only folders the eval-disjointness test reads may be drawn on.
	allowed := map[string]bool{}
	for _, s := range c.sources {
		allowed[filepath.Clean(s.Chosen)] = true
	}
	dir := t.TempDir()
	for _, glob := range a.Files {
		paths, err := filepath.Glob(filepath.Join("..", glob))
		if err != nil {
			t.Fatalf("assembled-data.json: %q: %v", glob, err)
		}
		if len(paths) == 0 {
			t.Fatalf("assembled-data.json: %q names no file", glob)
		}
		for _, p := range paths {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.IsDir() {
				continue
			}
			if !allowed[filepath.Dir(filepath.Clean(p))] {
				t.Fatalf("assembled-data.json: %s is not in a committed training folder (%v)", p, c.sources)
			}
			to := filepath.Join(dir, filepath.Base(p))
			if _, err := os.Stat(to); err == nil {
				t.Fatalf("assembled-data.json: two files named %s", filepath.Base(p))
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(to, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := exportNow(t, dir, c.tok)
	if a.Rerendered != "" {
		out = putBack(t, out, filepath.Join(adapterDir, a.Rerendered))
	}
	sum := sha256.Sum256(out)
	return hex.EncodeToString(sum[:])
}

// putBack replaces the records of export that the file trained holds
// (by id) with its lines, each of which must stand for one record that
// renders differently now.
func putBack(t *testing.T, export []byte, trained string) []byte {
	t.Helper()
	f, err := os.Open(trained)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		id := recordID(t, sc.Bytes(), trained, n)
		if _, dup := old[id]; dup {
			t.Fatalf("%s:%d: record %s twice", trained, n, id)
		}
		old[id] = append(bytes.Clone(sc.Bytes()), '\n') // Bytes is overwritten by the next Scan
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", trained, err)
	}
	var out bytes.Buffer
	n := 0
	for line := range bytes.Lines(export) {
		n++
		id := recordID(t, line, "the export now", n)
		was, ok := old[id]
		if !ok {
			out.Write(line)
			continue
		}
		if bytes.Equal(was, line) {
			t.Errorf("%s: record %s renders now as it was trained: it need not be kept", trained, id)
		}
		out.Write(was)
		delete(old, id)
	}
	for id := range old {
		t.Errorf("%s: record %s is not in the export now", trained, id)
	}
	return out.Bytes()
}

func recordID(t *testing.T, line []byte, file string, n int) string {
	t.Helper()
	var rec struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(line, &rec); err != nil || rec.ID == "" {
		t.Fatalf("%s: line %d is not an export record with an id: %v", file, n, err)
	}
	return rec.ID
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
