package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/mqtt"
	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/daemon/sd"
	"github.com/purrd/purrd/daemon/statedir"
	"github.com/purrd/purrd/daemon/web"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/persona"
	"github.com/purrd/purrd/dialog/rules"
	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/sim"
	"github.com/purrd/purrd/internal/lograte"
)

// daemon is the explicit struct of subsystems: everything the process owns
// is reachable from here and nothing lives in package variables.
type daemon struct {
	cfg     *config.Config
	log     *slog.Logger
	level   *slog.LevelVar
	inv     Invocation
	notify  *sd.Notifier
	state   *statedir.Dir
	started time.Time // when Run was called: uptime
	// processStart is when the process started (Run's start when not
	// known): startup_ms on the ready line.
	processStart time.Time
	ids          *mqtt.IDs
	now          func() time.Time
	// mindClock, when set, is the time the mind lives by instead of the
	// wall clock: `purrd eval` moves it a fixed step per owner turn, so
	// the mood a prompt tells of does not depend on how fast this machine
	// answered the turns before (RunOptions.MindClock).
	mindClock func() time.Time

	board *hal.Board
	sim   *sim.Board // nil unless the board is simulated
	body  *body
	link  *mqtt.Link
	web   *web.Server // the phone page; nil when off
	login phoneLogin  // the phone page's login (pair.go)
	// pageListen is the page's address as links give it (set once the
	// page listens; read by the broker's pairing reset).
	pageListen atomic.Pointer[string]

	persona     *persona.Persona
	personaPath string
	// modelOverride is `purrd run -model`: it wins over brain.model on
	// every reload too.
	modelOverride string
	// adapterOverride is `purrd run -adapter`, kept over reloads likewise.
	adapterOverride string
	// nameSet and personaSet: the owner chose these with cmd/set; only
	// such choices are saved and win over the config after a restart.
	nameSet, personaSet bool
	saves               chan []byte // snapshots for the saver goroutine
	ratingSaves         chan []byte // the ratings file, for the saver goroutine
	// ratings are the owner's ratings of the cat's replies (rating.go);
	// ratingsChanged says this run changed them.
	ratings        *ratings.Book
	ratingsChanged bool
	// ratingsUnreadable is why ratings.json could not be read (not
	// corrupt: moved aside then); rating is refused while it is set.
	ratingsUnreadable error
	// forgotAt is when the owner last had the cat forget everything:
	// words from before it are not kept with a rating.
	forgotAt time.Time
	mind     *dialog.Mind
	conv     *dialog.Conversation
	rules    *rules.Brain
	model    modelBrain // nil when no model is configured
	volume   float64
	petName  string

	// events is where hal inputs deliver; emit never blocks, it counts drops
	// and logs them at most once per dropLogEvery.
	events        chan hal.Event
	droppedEvents atomic.Uint64
	dropLog       *lograte.Limiter
	replies       chan replyMsg
	// brainChanged wakes the loop when the model brain's status changes,
	// so the state is published when it happens (one pending wake-up is
	// enough: the loop reads the status itself).
	brainChanged chan struct{}
	current      *replyJob
	care         careWindow // an owner in distress (care.go)
	remarker     *dialog.Remarker
	loopCtx      context.Context // the loop's context, for work it starts

	// lastEnv and lastBattery feed the MQTT state document.
	lastEnv     hal.Environment
	lastBattery *hal.Battery
	lastEvent   time.Time
	stall       chan struct{} // debug: closed never; the loop blocks on it
	stateDirty  bool

	// termLog is the text log's terminal (nil when the log goes elsewhere);
	// the sim keyboard's raw mode switches how lines are written to it.
	termLog *termLog
}

// modelBrain is a brain that loads in the background and can be closed.
type modelBrain interface {
	dialog.Brain
	Close() error
}

const (
	eventQueue   = 256
	tickEvery    = 5 * time.Second
	dropLogEvery = 10 * time.Second
)

func newDaemon(cfg *config.Config, log *slog.Logger, level *slog.LevelVar, inv Invocation) (*daemon, error) {
	d := &daemon{
		cfg:     cfg,
		log:     log,
		level:   level,
		inv:     inv,
		notify:  sd.NewNotifier(),
		ids:     mqtt.NewIDs(),
		now:     time.Now,
		events:  make(chan hal.Event, eventQueue),
		dropLog: lograte.New(dropLogEvery),
		replies: make(chan replyMsg, 64),
		// One slot: a change while one wake-up is pending is seen by it.
		brainChanged: make(chan struct{}, 1),
		volume:       1,
		stall:        make(chan struct{}),
		saves:        make(chan []byte, 1),
		ratingSaves:  make(chan []byte, 1),
		ratings:      &ratings.Book{},
	}
	d.remarker = &dialog.Remarker{Every: cfg.Brain.Spontaneous}
	dir := cfg.State.Dir
	if sdDir := os.Getenv("STATE_DIRECTORY"); sdDir != "" {
		dir = sdDir // systemd's StateDirectory= wins: it is what the sandbox lets us write
	}
	st, err := statedir.Open(dir)
	if err != nil {
		return nil, err
	}
	d.state = st
	if err := d.loadPersona(cfg.Persona); err != nil {
		return nil, &ExitError{Code: ExitConfig, Err: err}
	}
	return d, nil
}

func (d *daemon) loadPersona(path string) error {
	p := persona.Default()
	if path != "" {
		var err error
		if p, err = persona.Load(path); err != nil {
			return err
		}
	}
	d.persona = p
	d.personaPath = path
	d.petName = p.Name
	if d.cfg.Robot.Name != "" {
		d.petName = d.cfg.Robot.Name
	}
	return nil
}

// emit is the hal.Emit every input calls. It must never block an input
// goroutine (a button watcher that blocks misses edges), so a full queue
// drops the event and counts it.
func (d *daemon) emit(ev hal.Event) {
	select {
	case d.events <- ev:
	default:
		n := d.droppedEvents.Add(1)
		d.dropLog.Warn(d.log, "event-queue-full", "event queue full, dropping hardware events", "component", "daemon", "dropped", n)
	}
}

// run starts the subsystems, announces READY and runs the loop until ctx is
// done or a subsystem fails; then it stops everything within shutdownBudget.
func (d *daemon) run(ctx context.Context, hup <-chan os.Signal) error {
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	if err := d.openBoard(ctx); err != nil {
		return err
	}
	defer d.closeBoard()
	if err := d.openLink(); err != nil {
		return &ExitError{Code: ExitConfig, Err: err}
	}
	if err := d.openWeb(); err != nil {
		return &ExitError{Code: ExitConfig, Err: err}
	}
	d.openMind()
	d.openBrains()

	// The link outlives the loop so that "offline" and the last state are
	// published after the loop has stopped; inputs stop with the loop.
	linkCtx, stopLink := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLink()
	linkDone := make(chan error, 1)
	go func() { linkDone <- d.link.Run(linkCtx) }()

	inputs := map[string]func(context.Context) error{
		"body":        d.body.run,
		"state saver": d.runSaver,
	}
	if d.web != nil {
		inputs["phone page"] = d.web.Serve
	}
	for _, in := range d.board.Inputs {
		inputs["input "+in.Name()] = func(ctx context.Context) error { return d.watchInput(ctx, in) }
	}
	if d.sim != nil && d.simKeyboard() {
		inputs["keyboard"] = func(ctx context.Context) error {
			stopRaw := d.termLog.whileRaw(d.sim.StatusLine)
			err := d.sim.Keyboard(ctx, d.inv.Stdin, d.inv.Stderr)
			stopRaw()
			if errors.Is(err, sim.ErrQuit) {
				// In raw mode Ctrl-C is a key, not a SIGINT: treat q and
				// Ctrl-C as the same graceful stop.
				stopAll()
				return nil
			}
			return err
		}
	}
	if scenario := d.cfg.Hardware.Sim.Scenario; d.sim != nil && scenario != "" {
		inputs["scenario"] = func(ctx context.Context) error { return d.playScenario(ctx, scenario) }
	}
	loopCtx, cancelLoop := context.WithCancel(ctx)
	defer cancelLoop()
	gctx, wait := supervise(loopCtx, inputs)

	var loopErr error
	linkStopped := false
	if err := d.awaitLink(ctx, linkDone); err != nil {
		// The link failed before the cat was ready (the embedded broker
		// could not bind its port): no READY, so systemd sees a failed
		// start rather than a ready cat no phone can reach.
		linkStopped = true
		loopErr = fmt.Errorf("mqtt link: %w", err)
	} else if ctx.Err() == nil { // not asked to stop while starting
		d.publishState()
		if err := d.notify.Ready(d.statusLine()); err != nil {
			d.log.Warn("sd_notify READY failed", "component", "daemon", "err", err)
		}
		d.log.Info("ready", "component", "daemon", "event", "ready",
			"board", d.board.Kind, "mqtt", d.mqttDesc(), "brain", d.brainStatus().Name,
			"startup_ms", time.Since(d.processStart).Milliseconds())

		loopDone := d.loopResult(gctx, hup)
		select {
		case loopErr = <-loopDone:
		case err := <-linkDone:
			// The link gives up only on errors it cannot retry (a listener it
			// cannot bind): stop the loop first, then nothing else touches d.
			linkStopped = true
			loopErr = fmt.Errorf("mqtt link: %w", err)
			cancelLoop()
			<-loopDone
		}
	}
	if ctx.Err() != nil {
		loopErr = nil // asked to stop: not a failure
	}

	// Graceful stop: STOPPING, halt, save, offline — inside the budget.
	d.notify.Stopping()
	d.log.Info("stopping", "component", "daemon", "event", "stopping")
	cancelLoop()
	stopDeadline := time.Now().Add(shutdownBudget)
	brainClosed := make(chan struct{})
	go func() { d.closeBrains(); close(brainClosed) }() // the child may take a moment
	d.cancelReply("the cat is shutting down")           // its command still gets its one answer
	// Inputs and the body actor stop first, so nothing drives an output
	// after it has been halted.
	waitDone := make(chan error, 1)
	go func() { waitDone <- wait() }()
	select {
	case err := <-waitDone:
		if err != nil && loopErr == nil && ctx.Err() == nil {
			loopErr = err
		}
	case <-time.After(time.Until(stopDeadline) / 2):
		d.log.Warn("inputs did not stop in time", "component", "hal")
	}
	if err := d.board.Halt(); err != nil {
		d.log.Warn("halting outputs", "component", "hal", "err", err)
	}
	d.saveNow()
	d.saveRatingsNow()
	d.refuseQueued()
	select {
	case <-brainClosed:
	case <-time.After(time.Until(stopDeadline) / 2):
		d.log.Warn("brain process did not stop in time", "component", "brain")
	}
	d.refuseQueued()
	stopLink()
	if !linkStopped {
		select {
		case <-linkDone:
		case <-time.After(time.Until(stopDeadline)):
			d.log.Warn("mqtt link did not stop in time", "component", "mqtt")
		}
	}
	d.log.Info("stopped", "component", "daemon", "event", "stopped")
	return loopErr
}

// linkReadyWait bounds how long READY waits for the MQTT link: the embedded
// broker connects in milliseconds; an external broker that is down must
// not keep the cat from starting (the outbox holds what it says meanwhile).
const linkReadyWait = 3 * time.Second

// awaitLink waits, at start-up only, until the link is connected, the link
// has failed (its error is returned), ctx is done, or linkReadyWait has
// passed.
func (d *daemon) awaitLink(ctx context.Context, linkDone <-chan error) error {
	deadline := time.Now().Add(linkReadyWait)
	for d.link.Status() != "connected" && time.Now().Before(deadline) {
		select {
		case err := <-linkDone:
			if err == nil {
				err = errors.New("stopped before it connected")
			}
			return err
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Millisecond):
		}
	}
	if d.link.Status() != "connected" {
		d.log.Warn("mqtt not connected yet; starting anyway, messages wait in the outbox", "component", "mqtt", "broker", d.mqttDesc())
	}
	return nil
}

// loopResult runs the loop in this goroutine's stead and reports its end.
func (d *daemon) loopResult(ctx context.Context, hup <-chan os.Signal) <-chan error {
	c := make(chan error, 1)
	go func() { c <- d.loop(ctx, hup) }()
	return c
}

// playScenario plays hardware.sim.scenario once the daemon is up; a bad
// scenario is logged, it never stops the cat.
func (d *daemon) playScenario(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		d.log.Error("sim scenario", "component", "hal", "err", err)
		return nil
	}
	defer f.Close()
	if err := d.sim.PlayScenario(ctx, f); err != nil && ctx.Err() == nil {
		d.log.Error("sim scenario", "component", "hal", "file", path, "err", err)
		return nil
	}
	d.log.Info("sim scenario played", "component", "hal", "file", path)
	return nil
}

// refuseQueued answers commands still queued when the loop has stopped:
// every command gets exactly one answer, even at shutdown.
func (d *daemon) refuseQueued() {
	for {
		select {
		case c := <-d.link.Commands():
			d.link.Respond(c, nil, errShuttingDown)
		default:
			return
		}
	}
}

var errShuttingDown = errors.New("the cat is shutting down; try again when it is back online")

// watchInput runs one input and keeps the daemon alive when an optional
// part fails: the failure becomes a health event instead.
func (d *daemon) watchInput(ctx context.Context, in hal.Input) error {
	err := in.Watch(ctx, d.emit)
	if err == nil || ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return nil
	}
	d.log.Error("input stopped", "component", "hal", "device", in.Name(), "err", err)
	d.emit(hal.Event{Kind: hal.DeviceFailed, Time: d.now(), Device: in.Name(), Err: err.Error()})
	return nil
}
