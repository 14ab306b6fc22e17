package dialog

import (
	"slices"
	"testing"
)

func TestPhrasesToAvoid(t *testing.T) {
	req := Request{
		Text:  "What was my dog's name again? Test my memory.",
		Facts: []string{"The owner's grandson Owen comes on Sunday"},
		History: []Turn{
			{Role: "owner", Text: "Did I ever tell you about Biscuit? Scruffy terrier."},
			{Role: "pet", Text: "Biscuit! I'll sit by the bowl."},
			{Role: "owner", Text: "我孙子叫小宇，在深圳上班。"},
			{Role: "pet", Text: "喵，小宇！我陪着你。"},
			{Role: "owner", Text: "我们在5号楼。"},
			{Role: "pet", Text: "Owen comes Sunday, 5 sleeps!"},
		},
	}
	got := PhrasesToAvoid(req)
	want := []string{"·! I'll sit by the bowl.", "喵，·！我陪着你。", "· comes ·, · sleeps!"}
	// "Did", "Test" and "What" start the owner's sentences: not names.
	if !slices.Equal(got, want) {
		t.Errorf("PhrasesToAvoid = %q, want %q", got, want)
	}
	// The pet's own name: asked again, it says it again.
	for name, said := range map[string]string{"Mochi": "I'm Mochi, your Mochi.", "麻糬": "我叫麻糬，就是麻糬。"} {
		got := PhrasesToAvoid(Request{Text: "what's your name?", PetName: "Mochi", PetReplies: []string{said}}, "Mochi", "麻糬")
		if want := map[string]string{"Mochi": "I'm ·, your ·.", "麻糬": "我叫·，就是·。"}[name]; len(got) != 1 || got[0] != want {
			t.Errorf("pet %s: %q, want %q", name, got, want)
		}
	}
	if got := PhrasesToAvoid(Request{Text: "hi"}); got != nil {
		t.Errorf("no replies yet: %q", got)
	}
	// PetReplies, when given, are the replies (the history may be cut).
	req.PetReplies = []string{"I'll sit by Owen's chair."}
	if got := PhrasesToAvoid(req); !slices.Equal(got, []string{"I'll sit by ·'s chair."}) {
		t.Errorf("with PetReplies: %q", got)
	}
	req.PetReplies = []string{"Did you test it? What a dog."}
	if got := PhrasesToAvoid(req); !slices.Equal(got, req.PetReplies) {
		t.Errorf("with PetReplies: %q", got)
	}
}
