package statedir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func validJSON(b []byte) error {
	var v map[string]any
	return json.Unmarshal(b, &v)
}

func TestWriteRead(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "state"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Write("mind.json", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := d.Write("mind.json", []byte(`{"a":2}`)); err != nil {
		t.Fatal(err)
	}
	got, err := d.Read("mind.json", validJSON)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"a":2}` {
		t.Fatalf("got %s", got)
	}
	st, err := os.Stat(d.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
}

func TestReadMissing(t *testing.T) {
	d, _ := Open(t.TempDir())
	_, err := d.Read("nope.json", validJSON)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want ErrNotExist", err)
	}
}

func TestCorruptMovedAside(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir)
	if err := os.WriteFile(filepath.Join(dir, "mind.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := d.Read("mind.json", validJSON)
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *CorruptError", err)
	}
	if !strings.Contains(ce.Error(), "mind.json") || !strings.Contains(ce.Error(), "moved aside") {
		t.Errorf("message does not name the file and action: %q", ce.Error())
	}
	if _, err := os.Stat(filepath.Join(dir, "mind.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("corrupt file still in place: %v", err)
	}
	kept, err := os.ReadFile(ce.MovedTo)
	if err != nil || string(kept) != "{not json" {
		t.Errorf("moved-aside copy: %q, %v", kept, err)
	}
	// Starting fresh works afterwards.
	if err := d.Write("mind.json", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Read("mind.json", validJSON); err != nil {
		t.Fatal(err)
	}
}

func TestUnreadableIsCorrupt(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir)
	// A directory where a file should be: ReadFile fails with EISDIR.
	if err := os.Mkdir(filepath.Join(dir, "mind.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := d.Read("mind.json", validJSON)
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *CorruptError", err)
	}
}

func TestBadNames(t *testing.T) {
	d, _ := Open(t.TempDir())
	for _, n := range []string{"", "../x", "a/b", ".hidden"} {
		if err := d.Write(n, nil); err == nil {
			t.Errorf("Write(%q) accepted a bad name", n)
		}
	}
}

// TestKilledWriter kills a process that rewrites the file as fast as it can,
// many times at random points, and checks that the file is always complete
// and valid afterwards: the rename is the only moment the file changes.
func TestKilledWriter(t *testing.T) {
	dir := t.TempDir()
	rounds := 25
	if testing.Short() {
		rounds = 5
	}
	for i := 0; i < rounds; i++ {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "STATEDIR_WRITER="+dir)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has written at least once, then kill it at
		// a point that varies between rounds.
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, err := os.Stat(filepath.Join(dir, "big.json")); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("writer never wrote: %s", out.String())
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(time.Duration(i%7) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		d, _ := Open(dir)
		data, err := d.Read("big.json", validBig)
		if err != nil {
			t.Fatalf("round %d: state unreadable after kill: %v", i, err)
		}
		if len(data) < 50_000 {
			t.Fatalf("round %d: short document %d bytes", i, len(data))
		}
	}
}

// validBig checks the writer's document is whole: its declared length
// matches its padding.
func validBig(b []byte) error {
	var v struct {
		N   int    `json:"n"`
		Pad string `json:"pad"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v.Pad) != v.N {
		return fmt.Errorf("torn: n=%d pad=%d", v.N, len(v.Pad))
	}
	return nil
}

// TestMain doubles as the writer process TestKilledWriter starts and kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("STATEDIR_WRITER"); dir != "" {
		runWriter(dir)
	}
	os.Exit(m.Run())
}

func runWriter(dir string) {
	d, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 1; ; i++ {
		n := 50_000 + i%1000
		doc := `{"n":` + strconv.Itoa(n) + `,"pad":"` + strings.Repeat("x", n) + `"}`
		if err := d.Write("big.json", []byte(doc)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}

// A corrupt file that cannot be moved aside says so in MoveErr: it is
// still in place, and a caller must not write over it.
func TestCorruptNotMovedSaysSo(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir)
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	d.now = func() time.Time { return at }
	final := filepath.Join(dir, "ratings.json")
	if err := os.WriteFile(final, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The name it would be moved to is taken by a directory with a file
	// in it, so the rename fails (even for root, unlike permissions).
	aside := final + ".corrupt-" + at.Format("20060102T150405.000000000")
	if err := os.MkdirAll(filepath.Join(aside, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := d.Read("ratings.json", validJSON)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.MoveErr == nil || !strings.Contains(ce.Error(), "could not be moved aside") {
		t.Fatalf("err = %v, want a *CorruptError with MoveErr", err)
	}
	if kept, err := os.ReadFile(final); err != nil || string(kept) != "{not json" {
		t.Errorf("the file is not where it was: %q, %v", kept, err)
	}
}
