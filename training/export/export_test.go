package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama"
	"github.com/purrd/purrd/training/dataset"
)

func conv(id string, texts ...string) dataset.Conversation {
	c := dataset.Conversation{ID: id, Lang: "en"}
	for i, t := range texts {
		role := "owner"
		if i%2 == 1 {
			role = "pet"
		}
		c.Turns = append(c.Turns, dialog.Turn{Role: role, Text: t})
	}
	return c
}

func TestRenderRefusesMalformedConversations(t *testing.T) {
	for _, c := range []struct {
		c    dataset.Conversation
		want string
	}{
		{conv("a", "hi"), "a: 1 turns"},
		{conv("b", "hi", "mrrp", "bye"), "b: the last turn is the owner's"},
		{dataset.Conversation{ID: "c", Turns: []dialog.Turn{{Role: "pet", Text: "x"}, {Role: "owner", Text: "y"}}}, `c: turn 0 is "pet", want "owner"`},
		{conv("d", "hi", "  "), "d: turn 1 is empty"},
	} {
		if _, _, err := Render(c.c, Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Render(%s) = %v, want %q", c.c.ID, err, c.want)
		}
	}
}

// fakeEncoder gives each byte of a segment one token, so masks can be
// checked against the text.
type fakeEncoder struct{}

func (fakeEncoder) Encode(segs []llama.Segment) ([]int, []bool, error) {
	var ids []int
	var reply []bool
	for _, s := range segs {
		for i := 0; i < len(s.Text); i++ {
			ids = append(ids, int(s.Text[i]))
			reply = append(reply, s.Reply)
		}
	}
	return ids, reply, nil
}

func TestWriteMarksEveryReplyOfThePet(t *testing.T) {
	c := conv("x.conv:3#0", "My name is Lin.", "Hello, Lin!", "What's for dinner?", "Fish, I hope!")
	c.Mood = "hungry"
	var buf bytes.Buffer
	n, skipped, err := Write(&buf, []dataset.Conversation{c, conv("long", strings.Repeat("word ", 600), "mrrp")}, Options{}, fakeEncoder{}, 2000)
	if err != nil || n != 1 || skipped != 1 {
		t.Fatalf("Write: %d written, %d skipped, %v", n, skipped, err)
	}
	var rec Record
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		t.Fatal("no record")
	}
	if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.ID != c.ID || rec.Replies != 2 || len(rec.IDs) != len(rec.Text) || len(rec.Mask) != len(rec.IDs) {
		t.Fatalf("record %s: %d replies, %d ids for %d bytes, %d mask", rec.ID, rec.Replies, len(rec.IDs), len(rec.Text), len(rec.Mask))
	}
	var masked strings.Builder
	for i, m := range rec.Mask {
		if m == 1 {
			masked.WriteByte(rec.Text[i])
		}
	}
	if got := masked.String(); got != " Hello, Lin!\n Fish, I hope!\n" {
		t.Errorf("loss on %q, want the two replies and their line ends", got)
	}
	// The memory learnt from the first turn and the mood reach the prompt
	// of the last reply, as at run time.
	for _, want := range []string{"Owner: My name is Lin.\n", "Mochi (hungry): Fish, I hope!\n"} {
		if !strings.Contains(rec.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, rec.Text)
		}
	}
}
