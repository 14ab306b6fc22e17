//go:build llama

package daemon

import (
	"strings"
	"testing"
	"time"
)

// With brain.routine: rules, while a model runs, a few words of the
// day's routine said to the cat (a farewell, thanks, a game, a cuddle,
// how it is, bedtime) get the rules brain's line: the response names
// brain rules and the routine intent, and the model is not asked. A
// greeting, a remark and a long message are the model's (its reply, or
// the fallback's after it failed: either way it was asked). By default
// (brain.routine: model) the model is asked for everything.
func TestRoutineWordsGetTheRulesLines(t *testing.T) {
	model := tinyModel(t)
	p := startProc(t, strings.Replace(answerConfig(model), "kind: llama,", "kind: llama, routine: rules,", 1))
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	awaitModelReady(t, p, ph)
	for _, tc := range []struct {
		id, text, routine string
	}{
		{"r-bye", "Bye bye, I'll be back by six.", "bye"},
		{"r-thanks", "谢谢你陪着我。", "thanks"},
		{"r-play", "Wanna chase the feather?", "play"},
		{"r-night", "晚安，小家伙。", "sleep"},
		{"r-hello", "Good morning, Mochi!", ""},
		{"r-remark", "The kettle is slow this morning.", ""},
		{"r-long", "My grandson was in the school play today and he was a tree, and he waved at me from the stage the whole time.", ""},
	} {
		data := chatCare(t, p, ph, tc.id, tc.text)
		text, _ := data["text"].(string)
		brain, _ := data["brain"].(string)
		routine, _ := data["routine"].(string)
		asked := strings.HasPrefix(brain, "llama") || data["fallback"] != nil
		switch {
		case text == "":
			t.Errorf("%s: no words: %v", tc.id, data)
		case tc.routine != "" && (brain != "rules" || routine != tc.routine || asked):
			t.Errorf("%s: response data %v; want brain rules, routine %s, the model not asked", tc.id, data, tc.routine)
		case tc.routine == "" && (routine != "" || !asked):
			t.Errorf("%s: response data %v; want the model asked and no routine", tc.id, data)
		}
	}

	off := startProc(t, answerConfig(model))
	off.waitNote("READY=1", 20*time.Second)
	ph = off.phone()
	awaitModelReady(t, off, ph)
	data := chatCare(t, off, ph, "off-bye", "Bye bye, I'll be back by six.")
	if brain, _ := data["brain"].(string); data["routine"] != nil || !(strings.HasPrefix(brain, "llama") || data["fallback"] != nil) {
		t.Errorf("brain.routine by default: response data %v; want the model asked", data)
	}
}
