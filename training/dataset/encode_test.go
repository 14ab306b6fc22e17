package dataset

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
)

// What Encode writes, Load reads back the same, characters of the
// template syntax included.
func TestEncodeLoadsBack(t *testing.T) {
	c := Conversation{Lang: "en", Mood: "happy, a bit sleepy", PetName: "Mochi", Facts: []string{"owner's name is Ana"},
		Turns: []dialog.Turn{
			{Role: "owner", Text: "Look: {curly} | bar \\ slash"},
			{Role: "pet", Text: "Mrrp! Curly things, Ana?"},
			{Role: "owner", Text: "Two\nlines"},
			{Role: "pet", Text: "Purr. I read both."},
		}}
	var b strings.Builder
	if err := Encode(&b, "rated reply-1 {x}", c); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rated.en.conv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(got) != 1 {
		t.Fatalf("%d conversations", len(got))
	}
	// One file's text checks as a folder holding only it.
	one, err := LoadFile("rated.en.conv", b.String())
	if err != nil || !reflect.DeepEqual(one, got) {
		t.Errorf("LoadFile = %+v, %v; Load gave %+v", one, err, got)
	}
	if _, err := LoadFile("rated.conv", b.String()); err == nil {
		t.Error("LoadFile took a file name without a language")
	}
	g := got[0]
	want := c.Turns
	want[2].Text = "Two lines"
	for i := range g.Turns {
		g.Turns[i].Time = want[i].Time
	}
	if g.Mood != c.Mood || g.PetName != c.PetName || !reflect.DeepEqual(g.Facts, c.Facts) || !reflect.DeepEqual(g.Turns, want) {
		t.Errorf("loaded back %+v\nwant %+v\nfrom\n%s", g, c, b.String())
	}
}

func TestEncodeRefusesTurnsOutOfOrder(t *testing.T) {
	for _, turns := range [][]dialog.Turn{
		nil,
		{{Role: "pet", Text: "Mrrp."}},
		{{Role: "owner", Text: "hi"}, {Role: "owner", Text: "hello?"}, {Role: "pet", Text: "Mrrp."}},
		{{Role: "owner", Text: "hi"}},
	} {
		if err := Encode(new(strings.Builder), "t", Conversation{Mood: "content", Turns: turns}); err == nil {
			t.Errorf("Encode(%v) = nil, want an error", turns)
		}
	}
}
