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

// TestLossAndAcheGetTheComfortLines: by default (brain.comfort: rules)
// words of a loss or an ache get the rules brain's comfort line while a
// model runs, and the model is not asked; with comfort: model it is.
func TestLossAndAcheGetTheComfortLines(t *testing.T) {
	model := tinyModel(t)
	p := startProc(t, answerConfig(model))
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	awaitModelReady(t, p, ph)
	for _, tc := range []struct {
		id, text, comfort string
	}{
		{"k-loss", "My old friend Betty died last week.", "told_loss"},
		{"k-ache", "腰疼得厉害，早上翻了好几回身才坐起来。", "told_ache"},
		{"k-news", "My granddaughter passed her driving test today!", ""},
	} {
		data := chatCare(t, p, ph, tc.id, tc.text)
		brain, _ := data["brain"].(string)
		comfort, _ := data["comfort"].(string)
		asked := strings.HasPrefix(brain, "llama") || data["fallback"] != nil
		switch {
		case tc.comfort != "" && (brain != "rules" || comfort != tc.comfort || asked || data["text"] == ""):
			t.Errorf("%s: response data %v; want brain rules, comfort %s, the model not asked", tc.id, data, tc.comfort)
		case tc.comfort == "" && (comfort != "" || !asked):
			t.Errorf("%s: response data %v; want the model asked and no comfort", tc.id, data)
		}
	}

	off := startProc(t, strings.Replace(answerConfig(model), "kind: llama,", "kind: llama, comfort: model,", 1))
	off.waitNote("READY=1", 20*time.Second)
	ph = off.phone()
	awaitModelReady(t, off, ph)
	data := chatCare(t, off, ph, "off-loss", "My old friend Betty died last week.")
	if brain, _ := data["brain"].(string); data["comfort"] != nil || !(strings.HasPrefix(brain, "llama") || data["fallback"] != nil) {
		t.Errorf("brain.comfort: model: response data %v; want the model asked", data)
	}
}
