package jobs_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/jobs"
)

// openTwice opens two clients on one fresh, migrated database: two instances of the service.
func openTwice(t *testing.T) (a, b *store.DB) {
	t.Helper()
	src := dbtest.NewSource(t)
	ctx := context.Background()
	dbs := make([]*store.DB, 2)
	for i := range dbs {
		db, err := store.Open(ctx, src.Driver, src.DSN)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		dbs[i] = db
	}
	if err := dbs[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return dbs[0], dbs[1]
}

func requirePostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skipf("needs PostgreSQL: set %s", dbtest.EnvURL)
	}
}

func TestJobLockers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// lockers returns two lockers that must exclude each other, and a check run after every lock is released.
		lockers func(t *testing.T) (jobs.Locker, jobs.Locker, func(t *testing.T))
	}{
		{"local", func(*testing.T) (jobs.Locker, jobs.Locker, func(*testing.T)) {
			l := jobs.NewLocalLocker()
			return l, l, func(*testing.T) {}
		}},
		{"postgres across instances", func(t *testing.T) (jobs.Locker, jobs.Locker, func(*testing.T)) {
			requirePostgres(t)
			a, b := openTwice(t)
			return jobs.NewPostgresLocker(a.SQL), jobs.NewPostgresLocker(b.SQL), func(t *testing.T) {
				// Every connection set aside for a lock went back to its pool.
				for i, db := range []*store.DB{a, b} {
					if n := db.SQL.Stats().InUse; n != 0 {
						t.Errorf("instance %d: %d connections still in use", i, n)
					}
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, check := tt.lockers(t)
			ctx := context.Background()

			unlockA, ok, err := a.TryLock(ctx, "sync")
			if err != nil || !ok {
				t.Fatalf("first TryLock = %t, %v", ok, err)
			}
			if _, ok, err := b.TryLock(ctx, "sync"); err != nil || ok {
				t.Fatalf("TryLock of a held key = %t, %v; want false", ok, err)
			}
			unlockOther, ok, err := b.TryLock(ctx, "publish")
			if err != nil || !ok {
				t.Fatalf("TryLock of another key = %t, %v", ok, err)
			}
			unlockA()
			unlockA() // idempotent: must not release someone else's lock
			unlockB, ok, err := b.TryLock(ctx, "sync")
			if err != nil || !ok {
				t.Fatalf("TryLock after unlock = %t, %v", ok, err)
			}
			if _, ok, _ := a.TryLock(ctx, "sync"); ok {
				t.Fatal("a second unlock released the new holder's lock")
			}
			unlockB()
			unlockOther()

			// A cancelled context gets an error or a refusal, and leaves nothing held.
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if unlock, ok, err := a.TryLock(cancelled, "sync"); ok {
				unlock() // the local lock ignores ctx: taking it is fine, keeping it is not
			} else if !errors.Is(err, context.Canceled) {
				t.Errorf("TryLock with a cancelled context = %t, %v; want the lock or context.Canceled", ok, err)
			}
			unlock, ok, err := b.TryLock(ctx, "sync")
			if err != nil || !ok {
				t.Fatalf("TryLock after a cancelled attempt = %t, %v", ok, err)
			}
			unlock()
			check(t)
		})
	}
}
