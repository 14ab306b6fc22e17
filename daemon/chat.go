package daemon

import (
	"context"
	"strings"
	"time"

	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/hal"
)

// replyJob is one reply in progress. Only the loop touches it; the brain
// goroutine talks to the loop through replyMsg.
type replyJob struct {
	id      string
	cmd     mqtt.Command
	req     dialog.Request
	cancel  context.CancelFunc
	filler  *time.Timer
	started time.Time
	brain   string

	seq      int
	text     strings.Builder
	spoke    bool // a real chunk arrived (no filler needed any more)
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
	FirstMS   int64  `json:"first_sentence_ms,omitempty"`
}

// startChat begins a reply to the owner's words. The response to the
// command is sent when the reply is complete, with the whole text.
func (d *daemon) startChat(ctx context.Context, c mqtt.Command) {
	text, note, err := dialog.ValidateChat(c.Text, dialog.DefaultMaxChatRunes)
	if err != nil {
		d.log.Warn("chat rejected", "component", "dialog", "id", c.ID, "err", err)
		d.link.Respond(c, nil, err)
		return
	}
	d.cancelReply("a new chat arrived")
	r := d.feel(dialog.Stimulus{Kind: dialog.StimChat, ID: c.ID})

	req := dialog.NewRequest(c.ID, text, d.persona, d.mind, d.conv)
	if c.Lang != "" {
		req.Lang = strings.ToLower(strings.SplitN(c.Lang, "-", 2)[0])
	}
	if d.cfg.Robot.Name != "" || d.petName != d.persona.Name {
		req.PetName = d.petName
	}
	for _, f := range d.conv.Add(dialog.Turn{Role: "owner", Text: text, Time: d.now()}) {
		d.log.Info("learned a fact", "component", "dialog", "event", "fact", "fact", f.Text, "id", c.ID)
	}

	jctx, cancel := context.WithCancel(ctx)
	if dl := d.cfg.Brain.Deadline; dl > 0 {
		jctx, cancel = context.WithTimeout(ctx, dl)
	}
	job := &replyJob{id: d.ids.next("reply"), cmd: c, req: req, cancel: cancel, started: d.now(), note: note, reaction: r}
	d.current = job
	brain := d.rules
	if d.model != nil && d.model.Status().State == "ready" {
		brain = d.model
	}
	job.brain = brain.Status().Name
	if budget := d.cfg.Brain.FirstSentence; budget > 0 {
		job.filler = time.AfterFunc(budget, func() { d.sendReplyMsg(ctx, replyMsg{job: job, filler: true}) })
	}
	go d.generate(ctx, jctx, job, brain)
}

// generate runs beside the loop: the brain may take seconds.
func (d *daemon) generate(runCtx, jctx context.Context, job *replyJob, brain dialog.Brain) {
	emit := func(ch dialog.Chunk) { d.sendReplyMsg(runCtx, replyMsg{job: job, chunk: &ch}) }
	err := brain.Reply(jctx, job.req, emit)
	if err != nil && brain != d.rules && (jctx.Err() == nil || jctx.Err() == context.DeadlineExceeded) {
		// The model failed (crashed, hung past the deadline, broken file):
		// the cat still answers, with the fallback.
		d.sendReplyMsg(runCtx, replyMsg{job: job, fallback: err.Error()})
		fctx, cancel := context.WithTimeout(runCtx, 5*time.Second)
		err = d.rules.Reply(fctx, job.req, emit)
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
		job.filled = true
		fillers := d.persona.FillersIn(job.req.Lang)
		text := fillers[int(d.ids.n)%len(fillers)]
		d.body.send(bodyCommand{ID: job.cmd.ID, Tune: tunePtr("mrrp"), Purr: purrPtr("soft")})
		d.link.PublishReply(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Text: text, Filler: true,
			Emotion: job.reaction.Emotion, Sound: "mrrp", Expression: job.reaction.Expression})
		job.seq++
		d.log.Info("brain slow, filler sent", "component", "dialog", "event", "filler", "id", job.cmd.ID, "brain", job.brain)
	case m.fallback != "":
		job.fallback = m.fallback
		job.brain = d.rules.Status().Name
		job.text.Reset()
		d.log.Warn("model failed, fallback answers", "component", "dialog", "event", "fallback", "id", job.cmd.ID, "err", m.fallback)
	case m.chunk != nil:
		if !job.spoke {
			job.spoke = true
			if job.filler != nil {
				job.filler.Stop()
			}
			d.log.Debug("first sentence", "component", "dialog", "id", job.cmd.ID, "ms", d.now().Sub(job.started).Milliseconds())
		}
		if t := m.chunk.Text; t != "" {
			if job.text.Len() > 0 {
				job.text.WriteByte(' ')
			}
			job.text.WriteString(t)
		}
		d.link.PublishReply(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Text: m.chunk.Text,
			Emotion: job.reaction.Emotion, Sound: job.reaction.Sound, Expression: job.reaction.Expression})
		job.seq++
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
	text := job.text.String()
	if err != nil && text == "" {
		d.log.Error("no reply", "component", "dialog", "id", job.cmd.ID, "err", err)
		d.link.Respond(job.cmd, nil, err)
		return
	}
	// Close the stream: the last chunk the phone sees has final set.
	d.link.PublishReply(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Final: true,
		Emotion: job.reaction.Emotion, Sound: job.reaction.Sound, Expression: job.reaction.Expression})
	d.conv.Add(dialog.Turn{Role: "pet", Text: text, Time: d.now()})
	d.link.Respond(job.cmd, chatResult{ReplyID: job.id, Text: text, Lang: job.req.Lang, Brain: job.brain,
		Fallback: job.fallback, Note: job.note}, nil)
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
	d.link.PublishReply(mqtt.Reply{ID: job.id, CommandID: job.cmd.ID, Seq: job.seq, Final: true})
	d.link.Respond(job.cmd, chatResult{ReplyID: job.id, Text: job.text.String(), Lang: job.req.Lang, Brain: job.brain, Cancelled: why}, nil)
	d.log.Info("reply cancelled", "component", "dialog", "event", "reply_cancelled", "id", job.cmd.ID, "why", why)
}

func tunePtr(name string) *hal.Tune {
	t, ok := tunes[name]
	if !ok {
		return nil
	}
	return &t
}

func purrPtr(name string) *hal.PurrPattern {
	p, ok := purrs[name]
	if !ok {
		return nil
	}
	return &p
}
