package daemon

import (
	"testing"
	"time"
)

func TestOffScript(t *testing.T) {
	for _, tc := range []struct {
		sentence, lang string
		off            bool
	}{
		{"Mochi, I was going to eat.", "en", false},
		{"想豆看面！", "en", true},
		{"Привет, котик.", "en", true},
		{"我很开心！", "zh", false},
		{"I'm fine.", "zh", false}, // an English-only model may answer in English
		{"こんにちは。", "zh", true},
		{"...", "en", false},
		{"Oi, gatinho!", "pt", false},
	} {
		if got := offScript(tc.sentence, tc.lang); got != tc.off {
			t.Errorf("offScript(%q, %q) = %v, want %v", tc.sentence, tc.lang, got, tc.off)
		}
	}
}

// The filler fills only a real silence: at the first-token budget it goes
// out unless the brain has begun; a brain that has begun gets until the
// first-sentence budget.
func TestFillerWait(t *testing.T) {
	const sentence = 2 * time.Second
	for _, tc := range []struct {
		begun  bool
		waited time.Duration
		want   time.Duration
	}{
		{false, 1200 * time.Millisecond, 0},
		{true, 1200 * time.Millisecond, 800 * time.Millisecond},
		{true, sentence, 0},
		{true, 3 * time.Second, 0},
	} {
		if got := fillerWait(tc.begun, tc.waited, sentence); got != tc.want {
			t.Errorf("fillerWait(begun %v, waited %s) = %s, want %s", tc.begun, tc.waited, got, tc.want)
		}
	}
}
