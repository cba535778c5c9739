package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/jobs"
)

// quiet is the logger of every test: the outcomes are asserted, not read.
var quiet = slog.New(slog.DiscardHandler)

// runsOf returns the recorded runs of job, oldest first.
func runsOf(t testing.TB, db *store.DB, job string) []*ent.JobRun {
	t.Helper()
	runs, err := db.Client.JobRun.Query().
		Where(jobrun.Job(job)).
		Order(ent.Asc(jobrun.FieldStartedAt), ent.Asc(jobrun.FieldID)).
		All(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatalf("query runs of %s: %v", job, err)
	}
	return runs
}

// jsonEqual compares values as JSON would store them (numbers become float64 on the way back).
func jsonEqual(t testing.TB, got, want any) bool {
	t.Helper()
	norm := func(v any) any {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("marshal %v: %v", v, err)
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return reflect.DeepEqual(norm(got), norm(want))
}

// failures collects the runs passed to the OnFailure hook.
type failures struct {
	mu   sync.Mutex
	runs []*ent.JobRun
}

func (f *failures) hook(_ context.Context, run *ent.JobRun) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs = append(f.runs, run)
}

func (f *failures) list() []*ent.JobRun {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*ent.JobRun(nil), f.runs...)
}

func TestRunnerRecordsOutcome(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	// 6001 bytes: over the 4000-byte column, and byte 4000 falls inside an "é", which must not be split.
	longErr := "x" + strings.Repeat("é", 3000)

	tests := []struct {
		name       string
		fn         jobs.Func
		wantStatus jobrun.Status
		wantStats  map[string]any
		wantErr    string
	}{
		{
			name: "success with stats",
			fn: func(context.Context) (map[string]any, error) {
				return map[string]any{"published": 3, "platforms": []string{"x", "linkedin"}}, nil
			},
			wantStatus: jobrun.StatusSUCCEEDED,
			wantStats:  map[string]any{"published": 3, "platforms": []string{"x", "linkedin"}},
		},
		{
			name:       "success without stats",
			fn:         func(context.Context) (map[string]any, error) { return nil, nil },
			wantStatus: jobrun.StatusSUCCEEDED,
		},
		{
			name: "failure keeps partial stats",
			fn: func(context.Context) (map[string]any, error) {
				return map[string]any{"synced": 1}, errors.New("meta: token expired")
			},
			wantStatus: jobrun.StatusFAILED,
			wantStats:  map[string]any{"synced": 1},
			wantErr:    "meta: token expired",
		},
		{
			name:       "panic",
			fn:         func(context.Context) (map[string]any, error) { panic("boom") },
			wantStatus: jobrun.StatusFAILED,
			wantErr:    "panic: boom",
		},
		{
			name:       "long error is truncated",
			fn:         func(context.Context) (map[string]any, error) { return nil, errors.New(longErr) },
			wantStatus: jobrun.StatusFAILED,
			wantErr:    longErr[:3999],
		},
		{
			name: "unencodable stats are dropped, the outcome kept",
			fn: func(context.Context) (map[string]any, error) {
				return map[string]any{"bad": func() {}}, nil
			},
			wantStatus: jobrun.StatusSUCCEEDED,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var failed failures
			r := jobs.NewRunner(db, quiet, jobs.WithOnFailure(failed.hook))
			job := strings.ReplaceAll(tt.name, " ", "-")
			r.Register(job, tt.fn)

			run, err := r.Run(context.Background(), job, jobs.TriggerManual, nil)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			stored := runsOf(t, db, job)
			if len(stored) != 1 {
				t.Fatalf("%d runs recorded, want 1", len(stored))
			}
			for _, got := range []*ent.JobRun{run, stored[0]} {
				if got.ID != stored[0].ID || got.Job != job || got.Trigger != jobs.TriggerManual || got.Slot != nil {
					t.Errorf("run = %s %s %s slot %v; want %s, MANUAL, no slot", got.ID, got.Job, got.Trigger, got.Slot, job)
				}
				if got.Status != tt.wantStatus {
					t.Errorf("status = %s, want %s", got.Status, tt.wantStatus)
				}
				if got.FinishedAt == nil || got.FinishedAt.Before(got.StartedAt) {
					t.Errorf("finished_at = %v, started_at = %v", got.FinishedAt, got.StartedAt)
				}
				if tt.wantStats == nil && len(got.Stats) != 0 || tt.wantStats != nil && !jsonEqual(t, got.Stats, tt.wantStats) {
					t.Errorf("stats = %v, want %v", got.Stats, tt.wantStats)
				}
				switch {
				case tt.wantErr == "" && got.Error != nil:
					t.Errorf("error = %q, want none", *got.Error)
				case tt.wantErr != "" && got.Error == nil:
					t.Errorf("no error recorded, want %q", tt.wantErr)
				case tt.wantErr != "" && *got.Error != tt.wantErr:
					t.Errorf("error = %.60q… (%d bytes, valid UTF-8 %t), want %.60q… (%d bytes)",
						*got.Error, len(*got.Error), utf8.ValidString(*got.Error), tt.wantErr, len(tt.wantErr))
				}
			}

			hooked := failed.list()
			if tt.wantStatus == jobrun.StatusFAILED {
				if len(hooked) != 1 || hooked[0].ID != run.ID || hooked[0].Status != jobrun.StatusFAILED {
					t.Errorf("OnFailure got %v, want run %s once, FAILED", hooked, run.ID)
				}
			} else if len(hooked) != 0 {
				t.Errorf("OnFailure called %d times for a successful run", len(hooked))
			}
			if r.Running(job) {
				t.Errorf("Running(%s) after the run", job)
			}
		})
	}
}

// TestRunnerPanicReleasesTheJob checks that a panicking job leaves the runner usable: the lock is released and the
// next run happens.
func TestRunnerPanicReleasesTheJob(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	r := jobs.NewRunner(db, quiet)
	var calls atomic.Int32
	r.Register("flaky", func(context.Context) (map[string]any, error) {
		if calls.Add(1) == 1 {
			var m map[string]int
			//lint:ignore SA5000 the runtime error is the point
			m["nil map"]++ // a runtime error panic, not just panic(string)
		}
		return map[string]any{"ok": true}, nil
	})
	first, err := r.Run(context.Background(), "flaky", jobs.TriggerManual, nil)
	if err != nil || first.Status != jobrun.StatusFAILED || first.Error == nil || !strings.HasPrefix(*first.Error, "panic: ") {
		t.Fatalf("first run = %+v, %v; want FAILED with panic", first, err)
	}
	second, err := r.Run(context.Background(), "flaky", jobs.TriggerManual, nil)
	if err != nil || second.Status != jobrun.StatusSUCCEEDED {
		t.Fatalf("second run = %+v, %v; want SUCCEEDED", second, err)
	}
}

// blockingJob is a job that signals when it starts and runs until released.
type blockingJob struct {
	started chan struct{}
	release chan struct{}
	calls   atomic.Int32
}

func newBlockingJob() *blockingJob {
	return &blockingJob{started: make(chan struct{}, 1), release: make(chan struct{})}
}

func (b *blockingJob) fn(ctx context.Context) (map[string]any, error) {
	n := b.calls.Add(1)
	b.started <- struct{}{}
	select {
	case <-b.release:
		return map[string]any{"call": n}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type runResult struct {
	run *ent.JobRun
	err error
}

func goRun(r *jobs.Runner, name string, trigger jobs.Trigger, slot *time.Time) <-chan runResult {
	ch := make(chan runResult, 1)
	go func() {
		run, err := r.Run(context.Background(), name, trigger, slot)
		ch <- runResult{run, err}
	}()
	return ch
}

func TestRunnerBusyWhileRunning(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	r := jobs.NewRunner(db, quiet)
	job := newBlockingJob()
	r.Register("sync", job.fn)

	first := goRun(r, "sync", jobs.TriggerManual, nil)
	<-job.started
	if !r.Running("sync") {
		t.Error("Running(sync) = false while it runs")
	}
	slot := time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		trigger jobs.Trigger
		slot    *time.Time
	}{{jobs.TriggerManual, nil}, {jobs.TriggerSchedule, &slot}} {
		if run, err := r.Run(context.Background(), "sync", tc.trigger, tc.slot); !errors.Is(err, jobs.ErrBusy) {
			t.Errorf("%s run while running = %v, %v; want ErrBusy", tc.trigger, run, err)
		}
	}
	close(job.release)
	res := <-first
	if res.err != nil || res.run.Status != jobrun.StatusSUCCEEDED {
		t.Fatalf("first run = %v, %v", res.run, res.err)
	}
	if r.Running("sync") {
		t.Error("Running(sync) = true after the run")
	}
	if n := job.calls.Load(); n != 1 {
		t.Errorf("job ran %d times, want 1", n)
	}
	if runs := runsOf(t, db, "sync"); len(runs) != 1 {
		t.Errorf("%d runs recorded, want 1: a busy run records nothing", len(runs))
	}
}

func TestRunnerDifferentJobsRunConcurrently(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	r := jobs.NewRunner(db, quiet)
	slow := newBlockingJob()
	r.Register("slow", slow.fn)
	r.Register("fast", func(context.Context) (map[string]any, error) { return nil, nil })

	pending := goRun(r, "slow", jobs.TriggerManual, nil)
	<-slow.started
	run, err := r.Run(context.Background(), "fast", jobs.TriggerManual, nil)
	if err != nil || run.Status != jobrun.StatusSUCCEEDED {
		t.Errorf("fast while slow runs = %v, %v; want SUCCEEDED", run, err)
	}
	close(slow.release)
	if res := <-pending; res.err != nil || res.run.Status != jobrun.StatusSUCCEEDED {
		t.Errorf("slow = %v, %v", res.run, res.err)
	}
}

func TestRunnerRunsASlotOnce(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	r := jobs.NewRunner(db, quiet)
	var calls atomic.Int32
	r.Register("publish", func(context.Context) (map[string]any, error) {
		calls.Add(1)
		return nil, nil
	})
	ctx := context.Background()
	slot := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if _, err := r.Run(ctx, "publish", jobs.TriggerSchedule, &slot); err != nil {
		t.Fatal(err)
	}
	// The same instant written in another zone is the same slot.
	sameSlot := slot.In(time.FixedZone("UTC+5:30", 5*3600+1800))
	if run, err := r.Run(ctx, "publish", jobs.TriggerSchedule, &sameSlot); !errors.Is(err, jobs.ErrAlreadyRan) {
		t.Fatalf("repeated slot = %v, %v; want ErrAlreadyRan", run, err)
	}
	next := slot.Add(6 * time.Hour)
	if _, err := r.Run(ctx, "publish", jobs.TriggerSchedule, &next); err != nil {
		t.Fatalf("next slot: %v", err)
	}
	// Manual runs have no slot and never collide.
	for range 2 {
		if _, err := r.Run(ctx, "publish", jobs.TriggerManual, nil); err != nil {
			t.Fatalf("manual run: %v", err)
		}
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("job ran %d times, want 4", n)
	}
	runs := runsOf(t, db, "publish")
	if len(runs) != 4 {
		t.Fatalf("%d runs recorded, want 4", len(runs))
	}
	if runs[0].Slot == nil || !runs[0].Slot.Equal(slot) || runs[0].Trigger != jobs.TriggerSchedule {
		t.Errorf("first run slot %v trigger %s, want %v SCHEDULE", runs[0].Slot, runs[0].Trigger, slot)
	}
}

// TestRunnerCancelledRunIsRecorded checks that cancelling a run's context ends it as FAILED in the database, not
// RUNNING forever, and frees the job.
func TestRunnerCancelledRunIsRecorded(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	var failed failures
	r := jobs.NewRunner(db, quiet, jobs.WithOnFailure(failed.hook))
	job := newBlockingJob()
	r.Register("sync", job.fn)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan runResult, 1)
	go func() {
		run, err := r.Run(ctx, "sync", jobs.TriggerManual, nil)
		done <- runResult{run, err}
	}()
	<-job.started
	cancel()
	res := <-done
	if res.err != nil || res.run.Status != jobrun.StatusFAILED || res.run.Error == nil || *res.run.Error != context.Canceled.Error() {
		t.Fatalf("cancelled run = %+v, %v; want FAILED: context canceled", res.run, res.err)
	}
	if stored := runsOf(t, db, "sync"); len(stored) != 1 || stored[0].Status != jobrun.StatusFAILED {
		t.Fatalf("stored = %v, want one FAILED run", stored)
	}
	if len(failed.list()) != 1 {
		t.Errorf("OnFailure called %d times, want 1", len(failed.list()))
	}
	close(job.release)
	if run, err := r.Run(context.Background(), "sync", jobs.TriggerManual, nil); err != nil || run.Status != jobrun.StatusSUCCEEDED {
		t.Errorf("run after a cancelled one = %v, %v", run, err)
	}
}

func TestRunnerRefusesBadCalls(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	r := jobs.NewRunner(db, quiet)
	r.Register("known", func(context.Context) (map[string]any, error) { return nil, nil })
	ctx := context.Background()

	if _, err := r.Run(ctx, "unknown", jobs.TriggerManual, nil); !errors.Is(err, jobs.ErrUnknownJob) {
		t.Errorf("unknown job: %v, want ErrUnknownJob", err)
	}
	if _, err := r.Run(ctx, "known", jobs.TriggerSchedule, nil); err == nil {
		t.Error("scheduled run without a slot succeeded")
	}
	if runs := runsOf(t, db, "known"); len(runs) != 0 {
		t.Errorf("%d runs recorded by refused calls", len(runs))
	}
	for _, tc := range []struct {
		name string
		job  string
		fn   jobs.Func
	}{
		{"duplicate", "known", func(context.Context) (map[string]any, error) { return nil, nil }},
		{"empty name", "", func(context.Context) (map[string]any, error) { return nil, nil }},
		{"nil func", "other", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Register did not panic")
				}
			}()
			r.Register(tc.job, tc.fn)
		})
	}
	if got := r.Jobs(); !reflect.DeepEqual(got, []string{"known"}) {
		t.Errorf("Jobs() = %v", got)
	}
}

// TestRunnerClosesInterruptedRuns: a run left RUNNING by a process that died is marked FAILED as interrupted by
// the job's next run; another job's RUNNING run is left alone.
func TestRunnerClosesInterruptedRuns(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.Open(t)
	sys := viewer.SystemContext(context.Background())
	slot := time.Date(2026, time.March, 1, 6, 0, 0, 0, time.UTC)
	crashed := db.Client.JobRun.Create().SetJob("sync").SetStatus(jobrun.StatusRUNNING).SetSlot(slot).SaveX(sys)
	other := db.Client.JobRun.Create().SetJob("publish").SetStatus(jobrun.StatusRUNNING).SaveX(sys)

	r := jobs.NewRunner(db, quiet)
	r.Register("sync", func(context.Context) (map[string]any, error) { return nil, nil })
	run, err := r.Run(context.Background(), "sync", jobs.TriggerManual, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != jobrun.StatusSUCCEEDED {
		t.Errorf("the new run is %s, want SUCCEEDED", run.Status)
	}
	got := db.Client.JobRun.GetX(sys, crashed.ID)
	if got.Status != jobrun.StatusFAILED || got.FinishedAt == nil || got.Error == nil || !strings.HasPrefix(*got.Error, "interrupted") {
		t.Errorf("the crashed run is %s (finished %v, error %v), want FAILED as interrupted", got.Status, got.FinishedAt, got.Error)
	}
	if got := db.Client.JobRun.GetX(sys, other.ID); got.Status != jobrun.StatusRUNNING {
		t.Errorf("another job's run is %s, want it left RUNNING", got.Status)
	}
}
