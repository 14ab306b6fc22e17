package dialog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A long message keeps its start and its end: the question is at the end.
func TestValidateChatKeepsStartAndEnd(t *testing.T) {
	story := "So today I went to the market with my sister and we looked at fish. "
	var b strings.Builder
	b.WriteString("Hi Mochi, it's Lin. ")
	for b.Len() < 940 {
		b.WriteString(story)
	}
	b.WriteString("Anyway, what fish should I buy you?")
	long := b.String()
	if n := utf8.RuneCountInString(long); n < 900 || n > 1100 {
		t.Fatalf("test message is %d characters", n)
	}
	got, note, err := ValidateChat(long, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(got); n > DefaultMaxChatRunes {
		t.Errorf("shortened to %d characters, more than %d", n, DefaultMaxChatRunes)
	}
	if !strings.HasPrefix(got, "Hi Mochi, it's Lin.") || !strings.HasSuffix(got, "what fish should I buy you?") || !strings.Contains(got, " … ") {
		t.Errorf("shortened message lost its start or end: %q", got)
	}
	// Cut at sentence ends: no half sentence on either side of the gap.
	head, tail, _ := strings.Cut(got, " … ")
	if !strings.HasSuffix(head, ".") || !strings.HasPrefix(tail, "So today") && !strings.HasPrefix(tail, "Anyway") {
		t.Errorf("cut mid-sentence: head ends %q, tail starts %q", head[max(0, len(head)-20):], tail[:min(20, len(tail))])
	}
	if !strings.Contains(note, "shortened from") {
		t.Errorf("note %q", note)
	}

	zh := "我叫小林。" + strings.Repeat("今天天气很好，我们去了公园散步。", 60) + "你还记得我叫什么名字吗？"
	got, _, err = ValidateChat(zh, 200)
	if err != nil || utf8.RuneCountInString(got) > 200 || !strings.HasPrefix(got, "我叫小林。") || !strings.HasSuffix(got, "你还记得我叫什么名字吗？") {
		t.Errorf("Chinese: %q, %v", got, err)
	}
	// Short enough: untouched, no note.
	if got, note, _ := ValidateChat("what's my name?", 0); got != "what's my name?" || note != "" {
		t.Errorf("short message changed: %q %q", got, note)
	}
	// Tiny budgets still bound the text.
	for _, max := range []int{1, 3, 5, 6, 10} {
		if got, _, _ := ValidateChat("one two three four five six", max); utf8.RuneCountInString(got) > max || got == "" {
			t.Errorf("budget %d: %q", max, got)
		}
	}
}

func TestOverlongReply(t *testing.T) {
	if DetectLang(OverlongReply("zh")) != "zh" || DetectLang(OverlongReply("en")) != "en" {
		t.Error("overlong reply not in the owner's language")
	}
}
