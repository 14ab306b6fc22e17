package dialog

import (
	"slices"
	"testing"
)

// QuestionClauses keeps what asks and leaves what tells, clause by clause.
func TestQuestionClauses(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"What do I like?", []string{"What do I like?"}},
		{"I like fish, do you?", []string{"do you?"}},
		{"I live in Paris.", nil},
		{"Mochi, where do I live", []string{"where do I live"}},
		{"我喜欢鱼，你呢？", []string{"你呢？"}},
		{"你还记得我喜欢什么吗？", []string{"你还记得我喜欢什么吗？"}},
		{"我住在上海。我住在哪儿？", []string{"我住在哪儿？"}},
	} {
		if got := QuestionClauses(c.text); !slices.Equal(got, c.want) {
			t.Errorf("QuestionClauses(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
