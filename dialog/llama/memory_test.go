package llama

import (
	"errors"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
)

// A reply to a question about what the owner told is held until whole,
// and refused, nothing said, when it names none of the remembered fact.
func TestReplyToAMemoryQuestionIsHeldAndChecked(t *testing.T) {
	facts := []string{"owner's name is Edna", "I'm Edna", "My grandson Alfie phones every Friday"}
	req := dialog.Request{Text: "Who phones me on Fridays?", Lang: "en", Facts: facts}
	for _, c := range []struct {
		model string
		want  error
	}{
		{"Edna! I'm Edna.", ErrMissesMemory},
		{"Mrrp! Alfie, your grandson.", nil},
		{"Your grandson does! Prrt.", nil},
	} {
		var got []string
		a, ok := dialog.AnswerInMemory(req.Text, dialog.KnownFacts(req))
		if !ok {
			t.Fatal("no memory answer found for the question")
		}
		out := replyOut{emit: func(ch dialog.Chunk) {
			if ch.Text != "" {
				got = append(got, ch.Text)
			}
		}, clean: cleanSentence, echo: dialog.NewEchoDetector("", nil), limit: 2, guard: dialog.NewReplyGuard(req), memory: &a}
		out.add(c.model)
		if len(got) != 0 {
			t.Errorf("%q: %q said before the reply was whole", c.model, got)
		}
		ok = out.finish(false)
		if !errors.Is(out.rejected, c.want) || ok != (c.want == nil) {
			t.Errorf("%q: finish %v, rejected %v; want %v", c.model, ok, out.rejected, c.want)
		}
		if c.want == nil && strings.Join(got, " ") != c.model {
			t.Errorf("%q: said %q", c.model, got)
		}
		if c.want != nil && len(got) != 0 {
			t.Errorf("%q: a refused reply still said %q", c.model, got)
		}
	}
}
