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
	checkRulesPath(t, strings.Replace(answerConfig(model), "kind: llama,", "kind: llama, routine: rules,", 1), "routine", []rulesPathCase{
		{"r-bye", "Bye bye, I'll be back by six.", "bye"},
		{"r-thanks", "谢谢你陪着我。", "thanks"},
		{"r-play", "Wanna chase the feather?", "play"},
		{"r-night", "晚安，小家伙。", "sleep"},
		{"r-hello", "Good morning, Mochi!", ""},
		{"r-remark", "The kettle is slow this morning.", ""},
		{"r-long", "My grandson was in the school play today and he was a tree, and he waved at me from the stage the whole time.", ""},
	})
	// By default the model is asked.
	checkRulesPath(t, answerConfig(model), "routine", []rulesPathCase{{"off-bye", "Bye bye, I'll be back by six.", ""}})
}

// TestLossAndAcheGetTheComfortLines: by default (brain.comfort: rules)
// words of a loss or an ache get the rules brain's comfort line while a
// model runs, and the model is not asked; with comfort: model it is.
func TestLossAndAcheGetTheComfortLines(t *testing.T) {
	model := tinyModel(t)
	checkRulesPath(t, answerConfig(model), "comfort", []rulesPathCase{
		{"k-loss", "My old friend Betty died last week.", "told_loss"},
		{"k-ache", "腰疼得厉害，早上翻了好几回身才坐起来。", "told_ache"},
		{"k-news", "My granddaughter passed her driving test today!", ""},
	})
	checkRulesPath(t, strings.Replace(answerConfig(model), "kind: llama,", "kind: llama, comfort: model,", 1), "comfort",
		[]rulesPathCase{{"off-loss", "My old friend Betty died last week.", ""}})
}

// TestQuestionsGetTheRulesLines: by default (brain.questions: rules) a
// short question the rules brain has a cat's answer to (the cat's own
// tastes and skills, the two of them, why it does cat things, the world)
// gets its line while a model runs, and the model is not asked; an offer,
// a name question and a long story ending in a question are the model's;
// with questions: model so is everything.
func TestQuestionsGetTheRulesLines(t *testing.T) {
	model := tinyModel(t)
	checkRulesPath(t, answerConfig(model), "question", []rulesPathCase{
		{"s-rain", "Do you like the rain?", "likes_no"},
		{"s-thunder", "打雷了，你怕不怕？", "fears_yes"},
		{"s-swim", "你会游泳吗？", "can_no"},
		{"s-cross", "Are you still cross with me?", "bond_no"},
		{"s-me", "Do I look all right for the doctor's?", "asked_me"},
		{"s-why", "Why do you always sit on my newspaper?", "why_cat"},
		{"s-date", "今天星期几来着？", "asked_world"},
		{"s-offer", "I saved you a bit of chicken. Would you like it?", ""},
		{"s-name", "What's your name?", ""},
		{"s-long", "My son rang from the station this morning and said the trains were all late again, and he had to wait two hours in the cold with nothing to eat, and then his phone died, and he only got home at nine. Do you think I worry too much?", ""},
	})
	checkRulesPath(t, strings.Replace(answerConfig(model), "kind: llama,", "kind: llama, questions: model,", 1), "question",
		[]rulesPathCase{{"off-rain", "Do you like the rain?", ""}})
}

// TestFeelingsGetTheRulesLines: by default (brain.feelings: rules) the
// owner telling how they feel right now gets the rules brain's line while
// a model runs, and the model is not asked; someone else's feeling and a
// long story are the model's; with feelings: model so is everything.
func TestFeelingsGetTheRulesLines(t *testing.T) {
	model := tinyModel(t)
	checkRulesPath(t, answerConfig(model), "feeling", []rulesPathCase{
		{"f-sad", "I'm a bit sad today.", "felt_sad"},
		{"f-bored", "好无聊啊。", "felt_bored"},
		{"f-cold", "I'm cold.", "felt_cold"},
		{"f-son", "My son is so sad about the match.", ""},
		{"f-long", "We went to the seaside with the whole family, and the little ones built a sandcastle, and my daughter made a picnic, and we stayed until the sun went down. I'm so happy today.", ""},
	})
	checkRulesPath(t, strings.Replace(answerConfig(model), "kind: llama,", "kind: llama, feelings: model,", 1), "feeling",
		[]rulesPathCase{{"off-sad", "I'm a bit sad today.", ""}})
}

// rulesPathCase is owner's words and the intent a rules path (routine.go)
// should answer them with; "" when the model should be asked.
type rulesPathCase struct{ id, text, intent string }

// checkRulesPath runs a daemon on cfg and chats each case: with an
// intent, the response must name brain rules and that intent in field,
// and the model must not have been asked; without one, the model must
// have been asked (its reply, or the fallback's after it failed) and
// field must be absent. Every case must get words.
func checkRulesPath(t *testing.T, cfg, field string, cases []rulesPathCase) {
	t.Helper()
	p := startProc(t, cfg)
	p.waitNote("READY=1", 20*time.Second)
	ph := p.phone()
	awaitModelReady(t, p, ph)
	for _, tc := range cases {
		data := chatCare(t, p, ph, tc.id, tc.text)
		text, _ := data["text"].(string)
		brain, _ := data["brain"].(string)
		got, _ := data[field].(string)
		asked := strings.HasPrefix(brain, "llama") || data["fallback"] != nil
		switch {
		case text == "":
			t.Errorf("%s: no words: %v", tc.id, data)
		case tc.intent != "" && (brain != "rules" || got != tc.intent || asked):
			t.Errorf("%s: response data %v; want brain rules, %s %s, the model not asked", tc.id, data, field, tc.intent)
		case tc.intent == "" && (data[field] != nil || !asked):
			t.Errorf("%s: response data %v; want the model asked and no %s", tc.id, data, field)
		}
	}
}
