package daemon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/rules"
)

// replyJob is one reply in progress. Only the loop touches it; the brain
// goroutine talks to the loop through replyMsg.
type replyJob struct {
	id      string
	cmd     mqtt.Command
	req     dialog.Request
	cancel  context.CancelFunc
	runCtx  context.Context // the loop's: timers report to it
	filler  *time.Timer
	started time.Time
	brain   string

	seq      int
	filter   *dialog.ReplyFilter // persona cleaning and the whole-reply bound
	remark   bool                // unprompted: no command to answer
	begun    bool                // the brain has begun (first token): words are coming
	spoke    bool                // a real chunk arrived (no filler needed any more)
	firstMS  *int64              // chat to the first sentence on reply; nil until one is out
	filled   bool
	fallback string // why the fallback answered, "" if it did not
	note     string // input note (e.g. text was cut)
	reaction dialog.Reaction
}

// replyMsg is what the brain goroutine (and the filler timer) report.
type replyMsg struct {
	job      *replyJob
	chunk    *dialog.Chunk
	filler   bool
	fallback string // the model failed; the fallback takes over
	done     bool
	err      error
}

// chatResult is the data of the response to cmd/chat.
type chatResult struct {
	ReplyID   string `json:"reply_id"`
	Text      string `json:"text"`
	Lang      string `json:"lang"`
	Brain     string `json:"brain"`
	Fallback  string `json:"fallback,omitempty"`
	Cancelled string `json:"cancelled,omitempty"`
	Note      string `json:"note,omitempty"`
	Care      string `json:"care,omitempty"`    // brain "care" only: alert, repeat, follow_up, over (care.go)
	Refusal   string `json:"refusal,omitempty"` // brain "refusal" only: the dialog.HarmKind declined (refusal.go)
	Routine   string `json:"routine,omitempty"` // brain "rules" only: a few words of routine the rules brain answered while a model runs (routine.go)
	Comfort   string `json:"comfort,omitempty"` // brain "rules" only: a loss or an ache the rules brain comforted while a model runs (routine.go)
	// Question: brain "rules" only: the kind of question the rules brain
	// answered while a model runs (routine.go).
	Question string `json:"question,omitempty"`
	// Feeling: brain "rules" only: the owner's feeling the rules brain met
	// while a model runs (routine.go).
	Feeling string `json:"feeling,omitempty"`
	// FirstMS is set whenever a sentence of words went out on reply, even
	// at 0 ms: absent means the owner got no words.
	FirstMS *int64 `json:"first_sentence_ms,omitempty"`
}

// startChat begins a reply to the owner's words. The response to the
// command is sent when the reply is complete, with the whole text.
func (d *daemon) startChat(ctx context.Context, c mqtt.Command) {
	if c.Oversize > 0 {
		d.answerOverlong(c) // overlong.go
		return
	}
	text, note, err := dialog.ValidateChat(c.Text, dialog.DefaultMaxChatRunes)
	if err != nil {
		d.log.Warn("chat rejected", "component", "dialog", "id", c.ID, "err", err)
		d.link.Respond(c, nil, err)
		return
	}
	d.cancelReply("a new chat arrived")
	// Sad words get a quiet cat at once, before any brain's words: no
	// happy trill for a death or a fall (rules.Somber).
	r := d.feel(dialog.Stimulus{Kind: dialog.StimChat, ID: c.ID.String(), Somber: d.somber(text)})

	req, langNote := d.chatRequest(c.ID.String(), text, c.Lang)
	note = joinNotes(note, langNote)
	if d.answerDistress(c, req, note) { // care.go: a care line, never the model's words
		return
	}
	if d.answerHarmful(c, req, note) { // refusal.go: a refusal line, never the model's words
		return
	}
	if d.answerRulesPath(c, req, note) { // routine.go: the rules brain's line for a loss, an ache, or (brain.routine) routine words
		return
	}
	d.startReply(ctx, &replyJob{cmd: c, req: req, note: note, reaction: r})
}

// chatRequest is what the brain is asked for the owner's words, built from
// the mind and the conversation before the words join it; the words are
// then remembered (and searched for facts). The training export builds its
// prompts the same way (a test holds them together). A language the
// persona does not speak (pt-BR asked, Russian written) is answered in the
// persona's own, and the note says so: the answer's lang must name the
// language the cat really spoke, not the one it was asked for.
func (d *daemon) chatRequest(id, text, lang string) (req dialog.Request, note string) {
	req = dialog.NewRequest(id, text, d.persona, d.mind, d.conv)
	if lang != "" {
		req.Lang = strings.ToLower(strings.SplitN(lang, "-", 2)[0])
	}
	if p := d.persona; p != nil && !p.Speaks(req.Lang) {
		asked := req.Lang
		if lang != "" {
			asked = lang
		}
		note = fmt.Sprintf("the cat does not speak %s; it answered in %s (it speaks %s)", asked, p.Language, strings.Join(p.Languages, ", "))
		req.Lang = p.Language
	}
	req.PetName = d.requestPetName(req.PetName)
	req.Unwanted = d.unwanted()
	for _, f := range d.conv.Add(dialog.Turn{Role: "owner", Text: text, Time: d.now()}) {
		d.log.Info("learned a fact", "component", "dialog", "event", "fact", "fact", f.Text, "id", id)
	}
	return req, note
}

// remarkRequest is what the brain is asked for a remark on k, built like
// a chat's (chatRequest) but with no owner words; false when k has none.
func (d *daemon) remarkRequest(id string, k dialog.StimulusKind) (dialog.Request, bool) {
	req, ok := dialog.NewRemarkRequest(id, k, d.persona, d.mind, d.conv)
	if !ok {
		return req, false
	}
	req.PetName = d.requestPetName(req.PetName)
	req.Unwanted = d.unwanted()
	return req, true
}

// joinNotes joins the notes of a chat answer that are not empty.
func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// startRemark lets the cat say something unprompted about what just
// happened (rarely: brain.spontaneous_every apart, never asleep, never over
// a conversation in progress).
func (d *daemon) startRemark(ctx context.Context, k dialog.StimulusKind, id string, r dialog.Reaction) {
	// No chatter while the owner is in distress: a cheerful remark next
	// to someone on the floor would be worse than silence.
	if d.current != nil || d.care.active(d.now()) || !d.remarker.Allow(d.now(), k, d.mind.Asleep()) {
		return
	}
	req, ok := d.remarkRequest(id, k)
	if !ok {
		return
	}
	d.startReply(ctx, &replyJob{cmd: mqtt.Command{ID: mqtt.TextID(id), Verb: "remark"}, req: req, reaction: r, remark: true})
}

// startReply runs a brain for job beside the loop.
func (d *daemon) startReply(ctx context.Context, job *replyJob) {
	// reply_deadline is how long a brain may stay silent: the model brain
	// detects that itself (and replaces a hung process). The whole reply
	// gets twice that, a hard cap for any brain.
	var jctx context.Context
	var cancel context.CancelFunc
	if dl := d.cfg.Brain.Deadline; dl > 0 {
		jctx, cancel = context.WithTimeout(ctx, 2*dl)
	} else {
		jctx, cancel = context.WithCancel(ctx)
	}
	job.id, job.cancel, job.started, job.runCtx = d.ids.Next("reply"), cancel, d.now(), ctx
	job.filter = dialog.NewCleaner(d.persona, dialog.NewScript(d.persona, job.req, d.scriptOptions()).PromptText()).NewReply()
	d.current = job
	var brain dialog.Brain = d.rules
	if d.model != nil && d.model.Status().State == "ready" {
		brain = d.model
	}
	job.brain = brain.Status().Name
	d.armFiller(job, d.cfg.Brain.FirstToken)
	go d.generate(ctx, jctx, job, brain, d.rules)
}

// armFiller schedules the check for a filler. The filler fills a silence
// that is really long: no first token by brain.first_token_budget, or no
// first sentence by brain.first_sentence_budget once the brain has begun.
// A filler right before the words would only be noise.
func (d *daemon) armFiller(job *replyJob, after time.Duration) {
	if after <= 0 {
		return
	}
	job.filler = time.AfterFunc(after, func() { d.sendReplyMsg(job.runCtx, replyMsg{job: job, filler: true}) })
}

// generate runs beside the loop: the brain may take seconds.
// The brains are passed in: the loop may swap d.rules (a new persona) while
// this runs.
func (d *daemon) generate(runCtx, jctx context.Context, job *replyJob, brain, fallback dialog.Brain) {
	emit := func(ch dialog.Chunk) { d.sendReplyMsg(runCtx, replyMsg{job: job, chunk: &ch}) }
	err := brain.Reply(jctx, job.req, emit)
	if err != nil && brain != fallback && (jctx.Err() == nil || jctx.Err() == context.DeadlineExceeded) {
		// The model failed (crashed, hung past the deadline, broken file):
		// the cat still answers, with the fallback.
		d.sendReplyMsg(runCtx, replyMsg{job: job, fallback: err.Error()})
		fctx, cancel := context.WithTimeout(runCtx, 5*time.Second)
		err = fallback.Reply(fctx, job.req, emit)
		cancel()
	}
	d.sendReplyMsg(runCtx, replyMsg{job: job, done: true, err: err})
}

func (d *daemon) sendReplyMsg(ctx context.Context, m replyMsg) {
	select {
	case d.replies <- m:
	case <-ctx.Done():
	}
}

// fillerWait decides, when the first-token budget has run out with no
// sentence yet, how much longer to wait before the filler: 0 means send it
// now (the brain has not even begun); a brain that has begun gets until
// firstSentence for its sentence, since words are on the way.
func fillerWait(begun bool, waited, firstSentence time.Duration) time.Duration {
	if !begun || waited >= firstSentence {
		return 0
	}
	return firstSentence - waited
}

// onReply handles brain output in the loop.
func (d *daemon) onReply(m replyMsg) {
	job := m.job
	if job != d.current {
		return // cancelled or superseded: its output is stale
	}
	switch {
	case m.filler:
		if job.spoke || job.filled {
			return
		}
		if again := fillerWait(job.begun, d.now().Sub(job.started), d.cfg.Brain.FirstSentence); again > 0 {
			d.armFiller(job, again)
			return
		}
		job.filled = true
		r, text := d.mind.Filler(job.cmd.ID.String(), job.req.Lang)
		d.body.send(d.bodyFor(r))
		d.link.PublishReply(withReaction(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Text: text, Filler: true}, r))
		job.seq++
		d.log.Info("brain slow, filler sent", "component", "dialog", "event", "filler", "id", job.cmd.ID, "brain", job.brain)
	case m.fallback != "":
		job.fallback = m.fallback
		job.brain = d.rules.Status().Name
		d.log.Warn("model failed, fallback answers", "component", "dialog", "event", "fallback", "id", job.cmd.ID, "err", m.fallback)
	case m.chunk != nil && m.chunk.Text == "":
		// Markers without words: the brain has begun, or the reply's end
		// (the stream is closed by finishReply).
		if m.chunk.Started && !job.begun {
			job.begun = true
			d.log.Debug("first token", "component", "dialog", "id", job.cmd.ID, "ms", d.now().Sub(job.started).Milliseconds())
		}
	case m.chunk != nil:
		if !job.spoke {
			job.spoke = true
			if job.filler != nil {
				job.filler.Stop()
			}
			d.log.Debug("first sentence from the brain", "component", "dialog", "id", job.cmd.ID, "ms", d.now().Sub(job.started).Milliseconds())
		}
		text := m.chunk.Text
		if offScript(text, job.req.Lang) {
			d.log.Debug("dropped a sentence in another script", "component", "dialog", "id", job.cmd.ID, "lang", job.req.Lang, "text", text)
			text = ""
		}
		said := job.filter.Add(text)
		if said != "" && job.firstMS == nil {
			// Timed here, when words reach the phone, not when the brain
			// wrote a sentence the cleaning may still drop.
			ms := d.now().Sub(job.started).Milliseconds()
			job.firstMS = &ms
		}
		if said != "" {
			d.link.PublishReply(withReaction(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Text: said}, job.reaction))
			job.seq++
		}
		if job.filter.Done() {
			job.cancel() // the reply is as long as a cat's reply gets: stop generating
		}
	case m.done:
		d.finishReply(job, m.err)
	}
}

func (d *daemon) finishReply(job *replyJob, err error) {
	d.current = nil
	job.cancel()
	if job.filler != nil {
		job.filler.Stop()
	}
	text := job.filter.Text()
	if text == "" {
		// Nothing sayable came out (a failed brain, or everything was
		// cleaned away): the cat still answers, with a sound and a filler.
		if err != nil && !job.filter.Done() {
			d.log.Warn("no words from the brain", "component", "dialog", "id", job.cmd.ID, "brain", job.brain, "err", err)
		}
		r, filler := d.mind.Filler(job.cmd.ID.String(), job.req.Lang)
		d.body.send(d.bodyFor(r))
		text = filler
		d.link.PublishReply(withReaction(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Text: text}, r))
		job.seq++
	}
	// Close the stream: the last chunk the phone sees has final set and
	// the whole reply, so a widget showing the topic's latest message ends
	// on the cat's words rather than blank.
	d.link.PublishReply(withReaction(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Final: true, Text: text}, job.reaction))
	d.conv.Add(dialog.Turn{Role: "pet", Text: text, Time: d.now()})
	d.log.Info("replied", "component", "dialog", "event", "reply", "id", job.cmd.ID, "brain", job.brain,
		"ms", d.now().Sub(job.started).Milliseconds(), "chars", len(text))
	if job.remark {
		return
	}
	d.remember(job, text)
	d.link.Respond(job.cmd, chatResult{ReplyID: job.id, Text: text, Lang: job.req.Lang, Brain: job.brain,
		Fallback: job.fallback, Note: job.note, FirstMS: job.firstMS}, nil)
	d.stateDirty = true
}

// cancelReply stops the reply in progress, if any, and answers its command.
func (d *daemon) cancelReply(why string) {
	job := d.current
	if job == nil {
		return
	}
	d.current = nil
	job.cancel()
	if job.filler != nil {
		job.filler.Stop()
	}
	d.link.PublishReply(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Final: true, Text: job.filter.Text()})
	if !job.remark {
		d.link.Respond(job.cmd, chatResult{ReplyID: job.id, Text: job.filter.Text(), Lang: job.req.Lang, Brain: job.brain, Cancelled: why,
			FirstMS: job.firstMS}, nil)
	}
	d.log.Info("reply cancelled", "component", "dialog", "event", "reply_cancelled", "id", job.cmd.ID, "why", why)
}

// offScript reports a sentence written in another script than the owner's
// language: small models drift into stray Chinese (or Latin) fragments,
// which a speaker would read out as noise. Only Latin-script and Chinese
// owners are judged; a model that cannot write the owner's language at
// all still gets to answer in the one it has, rather than not at all, so
// only sentences in a third script, or Han in an English reply, go.
func offScript(sentence, lang string) bool {
	got := dialog.DetectLangOr(sentence, lang)
	switch lang {
	case "en":
		return got != "en"
	case "zh":
		return got != "zh" && got != "en"
	}
	return false
}

// somber reports sad owner's words (rules.Somber) by any name the cat
// answers to.
func (d *daemon) somber(text string) bool {
	return rules.Somber(text, d.petName, d.persona.NameIn("en"), d.persona.NameIn("zh"))
}

// requestPetName is the name the brain is told: the owner's or the config's
// choice when there is one, else the persona's name in the reply language.
func (d *daemon) requestPetName(personaName string) string {
	if d.cfg.Robot.Name != "" || d.petName != d.persona.Name {
		return d.petName
	}
	return personaName
}
