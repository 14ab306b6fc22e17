package daemon

import (
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/rules"
)

// A rules path: words the rules brain's line answers while a model runs,
// when its config key says rules. Four share the mechanism:
//
//   - comfort (brain.comfort, default rules): a loss or an ache the owner
//     tells of (rules.PathComfort); raters put the lines far above the
//     cat adapter's replies there (docs/models.md, *A loss or an ache: the
//     comfort path*).
//   - question (brain.questions, default rules): a short question the
//     rules brain has a cat's answer to: the cat's own tastes and skills,
//     the two of them, why it does cat things, the world it cannot know
//     ("Do you like the rain?", "你还生我气吗？", "Will it rain later?":
//     rules.PathQuestion); raters put the lines well above the
//     adapter's replies there (*The cat's own tastes*).
//   - feeling (brain.feelings, default rules): the owner telling how they
//     feel right now ("I'm a bit sad.", "好无聊啊。": rules.PathFeeling);
//     raters put the lines far above the adapter's replies there (*How the
//     owner feels right now*).
//   - routine (brain.routine, default model): a few words of the day's
//     routine said to the cat (a farewell, thanks, a game, a cuddle, how
//     it is, bedtime: rules.PathRoutine). Raters put those lines above
//     the adapter's replies on single messages but not inside
//     conversations (*The day's routine*); the key stays for a board whose
//     model is weaker than the adapter.
//
// Without a model the rules brain answers everything anyway, through the
// usual path.
type rulesPath struct {
	key     string                    // the config key, for `purrd chat`
	setting func(*daemon) string      // the config key's value: rules or model
	says    string                    // the log message
	mark    func(*chatResult, string) // names the intent in the response
}

// rulesPaths: the response field and log event of each is its rules.Path.
var rulesPaths = map[rules.Path]rulesPath{
	rules.PathComfort: {"brain.comfort", func(d *daemon) string { return d.cfg.Brain.Comfort },
		"a loss or an ache, the rules brain comforts", func(r *chatResult, in string) { r.Comfort = in }},
	rules.PathQuestion: {"brain.questions", func(d *daemon) string { return d.cfg.Brain.Questions },
		"a question the rules brain has a cat's answer to", func(r *chatResult, in string) { r.Question = in }},
	rules.PathFeeling: {"brain.feelings", func(d *daemon) string { return d.cfg.Brain.Feelings },
		"how the owner feels, the rules brain meets it", func(r *chatResult, in string) { r.Feeling = in }},
	rules.PathRoutine: {"brain.routine", func(d *daemon) string { return d.cfg.Brain.Routine },
		"routine words, the rules brain answers", func(r *chatResult, in string) { r.Routine = in }},
}

// answerRulesPath answers req on the first rules path that takes it (see
// rulesPath) and reports false, doing nothing, when none does.
func (d *daemon) answerRulesPath(c mqtt.Command, req dialog.Request, note string) bool {
	text, name, path, intent, ok := d.rulesPathAnswer(req)
	if !ok {
		return false
	}
	d.log.Debug(path.says, "component", "dialog", "event", string(name), "intent", intent, "id", c.ID, "lang", req.Lang)
	res := chatResult{Brain: "rules", Note: note}
	path.mark(&res, intent)
	d.sayLine(c, req, text, d.now(), res)
	return true
}

// rulesPathAnswer is the rules brain's line for req, the path and the
// intent when answerRulesPath would say it. The rules brain reads the
// words once for every path (rules.Brain.PathOf). Compose keeps the line
// from repeating the cat's last replies and advances the rules brain's
// choices, so it is asked only for words it will answer.
func (d *daemon) rulesPathAnswer(req dialog.Request) (text string, name rules.Path, path rulesPath, intent string, ok bool) {
	if d.model == nil || d.model.Status().State != "ready" {
		return "", "", rulesPath{}, "", false
	}
	name, intent = d.rules.PathOf(req)
	path, known := rulesPaths[name]
	if !known || path.setting(d) != "rules" {
		return "", "", rulesPath{}, "", false
	}
	_, text = d.rules.Compose(req)
	return text, name, path, intent, text != ""
}
