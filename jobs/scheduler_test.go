package jobs_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/jobs"
)

// testInterval is short so that a test sees several slots; config's minimum applies to SCHEDULE_INTERVAL only.
const testInterval = time.Second

func newScheduler(t *testing.T, r *jobs.Runner) *jobs.Scheduler {
	t.Helper()
	s, err := jobs.NewScheduler(r, testInterval, quiet)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func shutdown(t *testing.T, s *jobs.Scheduler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// waitNoSchedulerGoroutines fails the test if goroutines of gocron outlive Shutdown. gocron's last goroutines
// exit just after Shutdown returns, so it polls, within a deadline. The scheduler tests do not run in parallel.
func waitNoSchedulerGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for ; ; <-tick.C {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var left []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "go-co-op/gocron") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d scheduler goroutines left after Shutdown:\n%s", len(left), strings.Join(left, "\n\n"))
		}
	}
}

// TestTwoSchedulersRunEachSlotOnce runs two instances' schedulers on one database for a few slots: every slot of
// every job between the first and the last must be recorded exactly once, and each job function must have run
// exactly as many times as there are records.
func TestTwoSchedulersRunEachSlotOnce(t *testing.T) {
	dbA, dbB := openTwice(t)
	names := []string{jobs.SocialPublish, jobs.SyncAdsMetrics}
	calls := map[string]*atomic.Int32{}
	for _, n := range names {
		calls[n] = new(atomic.Int32)
	}
	var schedulers []*jobs.Scheduler
	for _, db := range []*store.DB{dbA, dbB} {
		r := jobs.NewRunner(db, quiet)
		for _, n := range names {
			r.Register(n, func(context.Context) (map[string]any, error) {
				calls[n].Add(1)
				return map[string]any{"ok": true}, nil
			})
		}
		s := newScheduler(t, r)
		schedulers = append(schedulers, s)
	}
	for _, s := range schedulers {
		s.Start()
	}

	// Wait for three slots of every job. Polling is the signal here: the runs happen in the schedulers' goroutines.
	const want = 3
	deadline := time.After(15 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-deadline:
			t.Fatalf("no %d runs of every job before the deadline: %v", want, countRuns(t, dbA, names))
		case <-tick.C:
			done = true
			for _, n := range countRuns(t, dbA, names) {
				done = done && n >= want
			}
		}
	}
	for _, s := range schedulers {
		shutdown(t, s)
	}
	waitNoSchedulerGoroutines(t)

	for _, n := range names {
		runs := runsOf(t, dbA, n)
		slots := make([]time.Time, 0, len(runs))
		for _, run := range runs {
			if run.Slot == nil || run.Trigger != jobs.TriggerSchedule || run.Status != jobrun.StatusSUCCEEDED {
				t.Errorf("%s: run %s slot %v trigger %s status %s", n, run.ID, run.Slot, run.Trigger, run.Status)
				continue
			}
			if !run.Slot.Equal(jobs.Slot(*run.Slot, testInterval)) {
				t.Errorf("%s: slot %v is not aligned to %v", n, run.Slot, testInterval)
			}
			slots = append(slots, run.Slot.UTC())
		}
		slices.SortFunc(slots, time.Time.Compare)
		for i := 1; i < len(slots); i++ {
			switch gap := slots[i].Sub(slots[i-1]); {
			case gap == 0:
				t.Errorf("%s: slot %v ran twice", n, slots[i])
			case gap != testInterval:
				t.Errorf("%s: slots missing between %v and %v", n, slots[i-1], slots[i])
			}
		}
		if got := int(calls[n].Load()); got != len(runs) {
			t.Errorf("%s: the job ran %d times for %d recorded runs", n, got, len(runs))
		}
		t.Logf("%s: %d slots, %v … %v", n, len(slots), slots[0].Format(time.StampMilli), slots[len(slots)-1].Format(time.StampMilli))
	}
}

func countRuns(t *testing.T, db *store.DB, names []string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, n := range names {
		counts[n] = len(runsOf(t, db, n))
	}
	return counts
}

// TestSchedulerShutdownDrains checks that Shutdown waits for a run in progress and lets it finish normally.
func TestSchedulerShutdownDrains(t *testing.T) {
	db, _ := dbtest.Open(t)
	r := jobs.NewRunner(db, quiet)
	job := newBlockingJob()
	var finished atomic.Bool
	r.Register("drain", func(ctx context.Context) (map[string]any, error) {
		stats, err := job.fn(ctx)
		finished.Store(true)
		return stats, err
	})
	s := newScheduler(t, r)
	s.Start()
	<-job.started

	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stopped <- s.Shutdown(ctx)
	}()
	close(job.release)
	if err := <-stopped; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if !finished.Load() {
		t.Fatal("Shutdown returned before the run finished")
	}
	waitNoSchedulerGoroutines(t)
	runs := runsOf(t, db, "drain")
	if len(runs) != 1 || runs[0].Status != jobrun.StatusSUCCEEDED {
		t.Fatalf("runs = %v, want one SUCCEEDED", runs)
	}
	if n := job.calls.Load(); n != 1 {
		t.Errorf("job ran %d times; nothing may start after Shutdown", n)
	}
}

// TestSchedulerShutdownGivesUp checks that when Shutdown's context ends first, the run is cancelled, recorded as
// failed, and Shutdown reports it.
func TestSchedulerShutdownGivesUp(t *testing.T) {
	db, _ := dbtest.Open(t)
	failedRuns := make(chan *ent.JobRun, 1)
	r := jobs.NewRunner(db, quiet, jobs.WithOnFailure(func(_ context.Context, run *ent.JobRun) { failedRuns <- run }))
	job := newBlockingJob() // never released: it ends only when its context does
	r.Register("stuck", job.fn)
	s := newScheduler(t, r)
	s.Start()
	<-job.started

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled", err)
	}
	select {
	case run := <-failedRuns:
		if run.Status != jobrun.StatusFAILED || run.Error == nil || *run.Error != context.Canceled.Error() {
			t.Errorf("cancelled run = %s %v", run.Status, run.Error)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled run was not recorded as failed")
	}
	waitNoSchedulerGoroutines(t)
}

func TestNewSchedulerRejectsBadInterval(t *testing.T) {
	db, _ := dbtest.Open(t)
	for _, d := range []time.Duration{0, -time.Second} {
		if _, err := jobs.NewScheduler(jobs.NewRunner(db, quiet), d, quiet); err == nil {
			t.Errorf("NewScheduler(%v) succeeded", d)
		}
	}
}
