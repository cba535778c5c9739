package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// Slot returns the scheduled instant that t belongs to: t rounded down to a multiple of interval counted from the
// Unix epoch, in UTC. Every instance computes the same slots from the same interval, whatever its start time or
// time zone (for 6h: 00:00, 06:00, 12:00 and 18:00 UTC).
func Slot(t time.Time, interval time.Duration) time.Time {
	ns, d := t.UnixNano(), int64(interval)
	rem := ns % d
	if rem < 0 { // before 1970: round towards the past as well
		rem += d
	}
	return time.Unix(0, ns-rem).UTC()
}

// NextSlot returns the first slot strictly after t.
func NextSlot(t time.Time, interval time.Duration) time.Time {
	return Slot(t, interval).Add(interval)
}

// fireSlot is the slot a timer firing at fire runs. Timers fire late (load, GC) far more often than early, so the
// slot is found by rounding down — but a wall clock stepped back by NTP can make a timer fire a hair before its
// instant, so a small lead is tolerated: up to a tenth of the interval, at most a second.
func fireSlot(fire time.Time, interval time.Duration) time.Time {
	return Slot(fire.Add(min(interval/10, time.Second)), interval)
}

// cronStopTimeout bounds gocron's own wait for its goroutines at Shutdown. The Scheduler has drained its runs by
// then, so gocron has nothing to wait for; if the drain gave up, gocron should not wait (it polls while it does).
const cronStopTimeout = time.Second

// Scheduler runs every job registered with a Runner once per interval, at epoch-aligned slots. Several instances
// may run a Scheduler on the same database: each slot of each job runs once (see Runner.Run).
type Scheduler struct {
	runner     *Runner
	interval   time.Duration
	runTimeout time.Duration
	log        *slog.Logger
	cron       gocron.Scheduler

	// ctx is the parent of every scheduled run. It outlives Shutdown's ctx on purpose — runs are drained, not
	// cancelled — and is cancelled only when Shutdown gives up waiting.
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	stopping bool
	inflight int
	drained  chan struct{} // closed once stopping and no run is in flight

	cronStop sync.Once
	cronErr  error
}

// NewScheduler schedules every job registered with runner so far, every interval, starting at the next slot.
// Nothing runs before Start; Shutdown must be called in any case (gocron's goroutines start here).
func NewScheduler(runner *Runner, interval time.Duration, log *slog.Logger) (*Scheduler, error) {
	if interval <= 0 {
		return nil, fmt.Errorf("jobs: scheduler interval must be positive, got %s", interval)
	}
	cron, err := gocron.NewScheduler(
		gocron.WithLocation(time.UTC),
		gocron.WithLogger(log.With("component", "gocron")),
		gocron.WithStopTimeout(cronStopTimeout),
	)
	if err != nil {
		return nil, fmt.Errorf("jobs: scheduler: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Scheduler{
		runner:   runner,
		interval: interval,
		// A run that outlasts its interval has failed in practice (it makes the following slots skip); the
		// deadline ends it and records that. The floor leaves room for real work with very short test intervals.
		runTimeout: max(interval, time.Minute),
		log:        log,
		cron:       cron,
		ctx:        ctx,
		cancel:     cancel,
		drained:    make(chan struct{}),
	}
	// The start instant is aligned, and gocron moves a start that has passed forward by whole intervals, so the
	// timers stay on slots even when Start comes later.
	start := NextSlot(time.Now(), interval)
	for _, name := range runner.Jobs() {
		_, err := cron.NewJob(
			gocron.DurationJob(interval),
			gocron.NewTask(s.fire, name),
			gocron.WithName(name),
			// Reschedule: while this instance still runs the job, a new firing is dropped rather than queued.
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithStartAt(gocron.WithStartDateTimePast(start)),
		)
		if err != nil {
			cancel()
			_ = cron.Shutdown()
			return nil, fmt.Errorf("jobs: schedule %s: %w", name, err)
		}
	}
	return s, nil
}

// Start starts the timers.
func (s *Scheduler) Start() {
	s.cron.Start()
	s.log.Info("scheduler started", "jobs", s.runner.Jobs(), "interval", s.interval,
		"next_slot", NextSlot(time.Now(), s.interval))
}

// Shutdown stops scheduling runs and waits for the runs in progress to finish. If ctx ends first, it cancels their
// context (they are recorded as failed if they stop in time) and returns ctx's error.
func (s *Scheduler) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.stopping {
		s.stopping = true
		if s.inflight == 0 {
			close(s.drained)
		}
	}
	s.mu.Unlock()

	var err error
	select {
	case <-s.drained:
	case <-ctx.Done():
		err = fmt.Errorf("jobs: scheduler shutdown: runs still in progress: %w", ctx.Err())
	}
	// Cancelling is a no-op for drained runs and the last word for runs that would not finish in time.
	s.cancel()
	// gocron last: until now it kept firing, but fire refuses new runs once stopping, so its goroutines are idle.
	// Once only: a second gocron shutdown would wait for a stop signal that was already sent.
	s.cronStop.Do(func() { s.cronErr = s.cron.ShutdownWithContext(ctx) })
	if s.cronErr != nil && err == nil {
		err = fmt.Errorf("jobs: scheduler shutdown: %w", s.cronErr)
	}
	return err
}

// fire is the gocron task for one job: it runs the current slot unless the Scheduler is stopping.
func (s *Scheduler) fire(name string) {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return
	}
	s.inflight++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		if s.stopping && s.inflight == 0 {
			close(s.drained)
		}
		s.mu.Unlock()
	}()

	slot := fireSlot(time.Now(), s.interval)
	ctx, cancel := context.WithTimeout(s.ctx, s.runTimeout)
	defer cancel()
	_, err := s.runner.Run(ctx, name, TriggerSchedule, &slot)
	switch {
	case errors.Is(err, ErrAlreadyRan), errors.Is(err, ErrBusy):
		// Another instance has this slot (or this instance is still on an earlier one): expected, not news.
		s.log.Debug("scheduled run skipped", "job", name, "slot", slot, "reason", err)
	case err != nil:
		// The Runner logged the job's own failure; this is a failure to start or record it.
		s.log.Error("scheduled run", "job", name, "slot", slot, "err", err)
	}
}
