package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
)

// TestSQLiteTransactionsTakeTurns: a writer that begins its next transaction as soon as it committed the last one
// (as a chunked background job does) does not starve another writer of the process: each of the other's
// transactions waits about one of the first's, not the seconds of SQLite's busy polling.
func TestSQLiteTransactionsTakeTurns(t *testing.T) {
	src := dbtest.NewSource(t)
	if src.Driver != store.SQLite {
		t.Skip("PostgreSQL runs writers side by side")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL.Exec("CREATE TABLE counts (who TEXT, n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	write := func(who string, hold time.Duration) error {
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO counts VALUES (?, 1)", who); err != nil {
			_ = tx.Rollback()
			return err
		}
		time.Sleep(hold)
		return tx.Commit()
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var greedy atomic.Int64
	wg.Go(func() {
		for !stop.Load() {
			if err := write("greedy", 5*time.Millisecond); err != nil {
				t.Error(err)
				return
			}
			greedy.Add(1)
		}
	})
	var worst time.Duration
	for range 20 {
		start := time.Now()
		if err := write("other", 0); err != nil {
			t.Fatal(err)
		}
		worst = max(worst, time.Since(start))
		time.Sleep(2 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("20 transactions beside %d back-to-back ones: the slowest took %v", greedy.Load(), worst)
	if worst > time.Second {
		t.Errorf("a transaction waited %v for one that holds the database 5ms at a time", worst)
	}
}
