package dialog

import (
	"slices"
	"strings"
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
		// Cantonese asks with 咩, 乜, 边个 and A-唔-A.
		{"咁考下你：个后生仔叫咩名，礼拜几嚟？", []string{"个后生仔叫咩名", "礼拜几嚟？"}},
		{"你识唔识佢，今朝见过嘅", []string{"你识唔识佢"}},
		{"我唔想去，好攰。", nil},
	} {
		if got := QuestionClauses(c.text); !slices.Equal(got, c.want) {
			t.Errorf("QuestionClauses(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// Clauses cuts at sentence ends, then at commas and semicolons, in either
// language, and leaves no empty clause.
func TestClauses(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Good morning, Mochi. The kettle is on; tea soon!", []string{"Good morning", "Mochi.", "The kettle is on", "tea soon!"}},
		{"麻糬，早上好！我回来了、你呢？", []string{"麻糬", "早上好！", "我回来了", "你呢？"}},
		{" , ;", nil},
		// The comma of a figure cuts nothing; one before a figure does.
		{"I'm at 71,300 words, so 8,700 to go.", []string{"I'm at 71,300 words", "so 8,700 to go."}},
		{"Counted 3, 4,5 of them", []string{"Counted 3", "4,5 of them"}},
	} {
		if got := Clauses(c.text); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Clauses(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
