package jobs_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/jobs"
)

// TestRunnersOnTwoInstancesRunEachSlotOnce races two instances (two Runners, each with its own connection pool to one
// database) on the same slots of the same jobs: each slot of each job must run once and be recorded once. It runs
// with the default locks (advisory locks on PostgreSQL) and with locks each instance keeps to itself, which leaves
// the decision to the unique (job, slot) index alone: the guarantee must not depend on the lock.
func TestRunnersOnTwoInstancesRunEachSlotOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		unshared bool // each instance locks in-process only
	}{
		{"default locks", false},
		{"unshared locks", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbA, dbB := openTwice(t)
			names := []string{jobs.SocialPublish, jobs.SyncAdsMetrics}
			calls := map[string]*atomic.Int32{}
			for _, n := range names {
				calls[n] = new(atomic.Int32)
			}
			var instances []*jobs.Runner
			for _, db := range []*store.DB{dbA, dbB} {
				var opts []jobs.Option
				if tc.unshared {
					opts = []jobs.Option{jobs.WithLocker(jobs.NewLocalLocker())}
				}
				r := jobs.NewRunner(db, quiet, opts...)
				for _, n := range names {
					r.Register(n, func(context.Context) (map[string]any, error) {
						calls[n].Add(1)
						return nil, nil
					})
				}
				instances = append(instances, r)
			}

			base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
			const slots = 5
			for i := range slots {
				slot := base.Add(time.Duration(i) * 6 * time.Hour)
				before := map[string]int32{}
				for _, n := range names {
					before[n] = calls[n].Load()
				}

				// Every instance runs every job for this slot at once.
				start := make(chan struct{})
				var (
					wg      sync.WaitGroup
					mu      sync.Mutex
					outcome = map[string][]error{}
				)
				for _, r := range instances {
					for _, n := range names {
						wg.Go(func() {
							<-start
							s := slot // each call gets its own copy, as the scheduler passes it
							_, err := r.Run(context.Background(), n, jobs.TriggerSchedule, &s)
							mu.Lock()
							outcome[n] = append(outcome[n], err)
							mu.Unlock()
						})
					}
				}
				close(start)
				wg.Wait()

				for _, n := range names {
					ran := 0
					for _, err := range outcome[n] {
						switch {
						case err == nil:
							ran++
						case errors.Is(err, jobs.ErrBusy), errors.Is(err, jobs.ErrAlreadyRan):
						default:
							t.Errorf("slot %d %s: unexpected error %v", i, n, err)
						}
					}
					if ran != 1 {
						t.Errorf("slot %d %s: %d instances report a run, want 1 (%v)", i, n, ran, outcome[n])
					}
					if got := calls[n].Load() - before[n]; got != 1 {
						t.Errorf("slot %d %s: the job ran %d times, want 1", i, n, got)
					}
				}
			}

			for _, n := range names {
				runs := runsOf(t, dbA, n)
				if len(runs) != slots {
					t.Errorf("%s: %d runs recorded, want %d", n, len(runs), slots)
				}
				seen := map[time.Time]bool{}
				for _, run := range runs {
					if run.Slot == nil || run.Status != jobrun.StatusSUCCEEDED {
						t.Errorf("%s: run %s slot %v status %s", n, run.ID, run.Slot, run.Status)
						continue
					}
					if seen[run.Slot.UTC()] {
						t.Errorf("%s: slot %v recorded twice", n, run.Slot)
					}
					seen[run.Slot.UTC()] = true
				}
			}
		})
	}
}
