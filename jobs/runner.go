// Package jobs runs MarketingOS's background jobs — the periodic social publication and ad-metrics sync — and
// records every run as a JobRun. A Runner runs one job at a time per name (a lock shared by every instance on
// PostgreSQL) and at most once per scheduled slot (a unique (job, slot) row), whether the run comes from the
// in-process Scheduler or from the cron HTTP endpoint.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/sqlgraph"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Names of the jobs that the scheduler and the cron endpoints run.
const (
	SocialPublish  = "social-publish"
	SyncAdsMetrics = "sync-ads-metrics"
)

// Func is the work of a job. It returns counts worth keeping with the run (stored as JSON) or the reason it failed.
// It must honour ctx: a cancelled ctx means the run is being abandoned (shutdown, timeout). It runs with ctx as
// given; a job that works across organizations takes viewer.SystemContext itself, so that privilege is visible
// where the job is defined.
type Func func(ctx context.Context) (stats map[string]any, err error)

// Trigger says what started a run.
type Trigger = jobrun.Trigger

// Triggers.
const (
	TriggerSchedule = jobrun.TriggerSCHEDULE // the scheduler, for a slot
	TriggerManual   = jobrun.TriggerMANUAL   // the cron endpoint or an operator
)

var (
	// ErrBusy means the job is already running (in this process or, on PostgreSQL, in another instance).
	ErrBusy = errors.New("jobs: job is already running")
	// ErrAlreadyRan means the scheduled slot has already been run (or is being run) by some instance.
	ErrAlreadyRan = errors.New("jobs: slot already ran")
	// ErrUnknownJob means no job is registered under the name.
	ErrUnknownJob = errors.New("jobs: unknown job")
)

// maxErrorLen is the longest error text a JobRun keeps (the schema's limit, in bytes).
const maxErrorLen = 4000

// recordTimeout bounds each write of a JobRun row. The writes use a context detached from the run's, so that a
// cancelled run is still recorded as such instead of staying RUNNING.
const recordTimeout = 30 * time.Second

// Option configures a Runner.
type Option func(*Runner)

// WithOnFailure calls hook after every failed run, once, after the run is recorded and its lock released (so a slow
// notification never holds the job). The hook's context keeps the run's values but not its cancellation.
func WithOnFailure(hook func(ctx context.Context, run *ent.JobRun)) Option {
	return func(r *Runner) { r.onFailure = hook }
}

// WithLocker replaces the lock that NewRunner picks for the database's dialect.
func WithLocker(l Locker) Option {
	return func(r *Runner) { r.locker = l }
}

// Runner runs registered jobs and records each run.
type Runner struct {
	db        *store.DB
	log       *slog.Logger
	locker    Locker
	onFailure func(ctx context.Context, run *ent.JobRun)

	mu      sync.Mutex
	jobs    map[string]Func
	running map[string]int
}

// NewRunner returns a Runner recording runs in db. Jobs are locked with PostgreSQL advisory locks, which every
// instance sharing the database sees, or in-process on SQLite (an SQLite file serves a single instance).
func NewRunner(db *store.DB, log *slog.Logger, opts ...Option) *Runner {
	r := &Runner{
		db:      db,
		log:     log,
		jobs:    map[string]Func{},
		running: map[string]int{},
	}
	if db.Dialect == dialect.Postgres {
		r.locker = NewPostgresLocker(db.SQL)
	} else {
		r.locker = NewLocalLocker()
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Register adds a job. It panics on an empty name, a nil fn or a name registered twice: those are wiring mistakes
// that must fail at start-up, not at the first run. Register jobs before creating a Scheduler.
func (r *Runner) Register(name string, fn Func) {
	if name == "" || fn == nil {
		panic("jobs: Register needs a name and a function")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.jobs[name]; dup {
		panic(fmt.Sprintf("jobs: job %q registered twice", name))
	}
	r.jobs[name] = fn
}

// Jobs returns the registered job names, sorted.
func (r *Runner) Jobs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.jobs))
	for n := range r.jobs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Running reports whether this process is running the job now (other instances' runs are not counted).
func (r *Runner) Running(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running[name] > 0
}

// Run runs the job now and returns its recorded run. A failure of the job itself is not an error of Run: the run
// comes back with status FAILED and its error text. Run returns
//   - ErrBusy when the job is already running, without waiting for it;
//   - ErrAlreadyRan when slot is not nil and a run for (name, slot) exists: each slot runs once across instances;
//   - ErrUnknownJob for a name never registered;
//   - another error when the run could not be started or recorded. When the job ran but its outcome could not be
//     saved, the returned run still describes the outcome (its row may stay RUNNING).
//
// A scheduled run (TriggerSchedule) must name its slot.
func (r *Runner) Run(ctx context.Context, name string, trigger Trigger, slot *time.Time) (*ent.JobRun, error) {
	r.mu.Lock()
	fn, ok := r.jobs[name]
	r.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownJob, name)
	}
	if trigger == TriggerSchedule && slot == nil {
		return nil, fmt.Errorf("jobs: run %s: a scheduled run needs a slot", name)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jobs: run %s: %w", name, err)
	}
	unlock, ok, err := r.locker.TryLock(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("jobs: lock %s: %w", name, err)
	}
	if !ok {
		return nil, ErrBusy
	}
	run, err := r.runLocked(ctx, name, fn, trigger, slot, unlock)
	if err != nil && run == nil {
		return nil, err
	}
	if run.Status == jobrun.StatusFAILED && r.onFailure != nil {
		r.notifyFailure(ctx, run)
	}
	return run, err
}

// runLocked records, runs and records again, holding the job's lock until it returns (even if fn exits the
// goroutine).
func (r *Runner) runLocked(ctx context.Context, name string, fn Func, trigger Trigger, slot *time.Time, unlock func()) (*ent.JobRun, error) {
	defer unlock()
	r.setRunning(name, +1)
	defer r.setRunning(name, -1)
	r.closeInterrupted(ctx, name)

	rec, cancel := recordContext(ctx)
	create := r.db.Client.JobRun.Create().
		SetJob(name).
		SetTrigger(trigger).
		SetStatus(jobrun.StatusRUNNING)
	if slot != nil {
		// UTC and no monotonic reading: every instance must write the same value for the unique index to compare.
		create.SetSlot(slot.UTC().Round(0))
	}
	run, err := create.Save(rec)
	cancel()
	switch {
	case err != nil && slot != nil && sqlgraph.IsUniqueConstraintError(err):
		return nil, ErrAlreadyRan
	case err != nil:
		return nil, fmt.Errorf("jobs: record start of %s: %w", name, err)
	}

	start := time.Now()
	r.log.Debug("job started", "job", name, "run", run.ID, "trigger", trigger)
	stats, stack, runErr := call(ctx, fn)
	return r.finish(ctx, run, time.Since(start), stats, runErr, stack)
}

// interrupted is the error of a run found RUNNING by the next run of its job.
const interrupted = "interrupted: the process stopped before the run finished"

// closeInterrupted marks FAILED the job's runs still RUNNING. The caller holds the job's lock (across instances on
// PostgreSQL), so no such run is in progress: each was cut short by a crash or a kill, and would otherwise stay
// RUNNING for good. Their slots are not run again; the next slot is.
func (r *Runner) closeInterrupted(ctx context.Context, name string) {
	rec, cancel := recordContext(ctx)
	defer cancel()
	n, err := r.db.Client.JobRun.Update().
		Where(jobrun.Job(name), jobrun.StatusEQ(jobrun.StatusRUNNING)).
		SetStatus(jobrun.StatusFAILED).
		SetFinishedAt(time.Now()).
		SetError(interrupted).
		Save(rec)
	switch {
	case err != nil:
		r.log.Warn("job: could not close interrupted runs", "job", name, "err", err)
	case n > 0:
		r.log.Warn("job runs left RUNNING by an earlier process marked failed", "job", name, "runs", n)
	}
}

// call runs fn, turning a panic into an error so that one bad job cannot crash the process.
func call(ctx context.Context, fn Func) (stats map[string]any, stack []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			stats, stack, err = nil, debug.Stack(), fmt.Errorf("panic: %v", p)
		}
	}()
	stats, err = fn(ctx)
	return stats, nil, err
}

// finish records the outcome of run and logs it, once.
func (r *Runner) finish(ctx context.Context, run *ent.JobRun, took time.Duration, stats map[string]any, runErr error, stack []byte) (*ent.JobRun, error) {
	if stats != nil {
		if _, err := json.Marshal(stats); err != nil {
			// The run's outcome matters more than its counts: keep the first, drop the second.
			r.log.Warn("job stats not encodable; dropped", "job", run.Job, "run", run.ID, "err", err)
			stats = nil
		}
	}
	status := jobrun.StatusSUCCEEDED
	var errText *string
	if runErr != nil {
		status = jobrun.StatusFAILED
		s := truncate(runErr.Error(), maxErrorLen)
		errText = &s
	}
	finished := time.Now()

	rec, cancel := recordContext(ctx)
	defer cancel()
	upd := r.db.Client.JobRun.UpdateOneID(run.ID).
		SetStatus(status).
		SetFinishedAt(finished).
		SetNillableError(errText)
	if stats != nil {
		upd.SetStats(stats)
	}
	saved, err := upd.Save(rec)

	attrs := []any{"job", run.Job, "run", run.ID, "trigger", run.Trigger, "status", status, "took", took}
	if run.Slot != nil {
		attrs = append(attrs, "slot", *run.Slot)
	}
	switch {
	case runErr != nil && stack != nil:
		r.log.Error("job panicked", append(attrs, "err", runErr, "stack", string(stack))...)
	case runErr != nil:
		r.log.Error("job failed", append(attrs, "err", runErr)...)
	default:
		r.log.Info("job finished", append(attrs, "stats", stats)...)
	}
	if err != nil {
		// Return what happened even though it is not saved: the caller (the cron endpoint) reports it.
		mem := *run
		mem.Status, mem.FinishedAt, mem.Error, mem.Stats = status, &finished, errText, stats
		return &mem, fmt.Errorf("jobs: record end of %s run %s: %w", run.Job, run.ID, err)
	}
	return saved, nil
}

func (r *Runner) notifyFailure(ctx context.Context, run *ent.JobRun) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("job failure hook panicked", "job", run.Job, "run", run.ID, "panic", p, "stack", string(debug.Stack()))
		}
	}()
	r.onFailure(context.WithoutCancel(ctx), run)
}

func (r *Runner) setRunning(name string, delta int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running[name] += delta
	if r.running[name] <= 0 {
		delete(r.running, name)
	}
}

// recordContext returns the context for writing a JobRun: the system viewer (only it may write runs), ctx's values,
// and a deadline of its own instead of ctx's cancellation.
func recordContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(viewer.SystemContext(context.WithoutCancel(ctx)), recordTimeout)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
