//go:build llama

package llama

import (
	"reflect"
	"testing"

	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/llama/gguf"
)

// The training export tokenizes with Tokenizer; the brain process with its
// generator. They must give the same ids for the same prompt, or an adapter
// learns tokens it never meets.
func TestTokenizerMatchesTheBrain(t *testing.T) {
	model := tinyModel(t, gguf.Q8_0, false)
	tok, err := OpenTokenizer(model)
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	e, err := openEngine(engineConfig{Model: model, Threads: 1, Context: 512, Batch: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	g := &generator{t: e}
	s := dialog.NewScript(nil, dialog.Request{Text: "我回来了, Mochi!", Mood: "sleepy", Facts: []string{"owner's name is Lin"},
		History: []dialog.Turn{{Role: "owner", Text: "hi"}, {Role: "pet", Text: "Mrrp! Hello."}}}, dialog.ScriptOptions{})
	for _, tmpl := range []string{"", "<|im_start|>"} {
		prefix, rest := detectFormat(tmpl).render(s)
		pre, err := g.tokenizeAll(prefix, true)
		if err != nil {
			t.Fatal(err)
		}
		post, err := g.tokenizeAll(rest, len(pre) == 0)
		if err != nil {
			t.Fatal(err)
		}
		ids, reply, err := tok.Encode(Render(tmpl, s))
		if err != nil {
			t.Fatal(err)
		}
		if want := append(pre, post...); !reflect.DeepEqual(ids, want) {
			t.Fatalf("template %q: export ids differ from the brain's:\n%v\n%v", tmpl, ids, want)
		}
		n := 0
		for _, r := range reply {
			if r {
				n++
			}
		}
		if n == 0 || n == len(reply) {
			t.Errorf("template %q: %d of %d tokens marked as the pet's", tmpl, n, len(reply))
		}
	}
}
