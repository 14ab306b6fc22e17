package daemon

import "testing"

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
