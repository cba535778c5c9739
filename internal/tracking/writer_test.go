package tracking_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/tracking"
)

// TestWriterCommitsBesideAStalledCommit: while one batch waits on a lock (here its organization, locked FOR
// UPDATE as a time zone change does), the next batch is committed beside it once Stall has passed, instead of
// waiting behind it; the stalled one is committed when the lock goes. PostgreSQL only: SQLite has one writer.
func TestWriterCommitsBesideAStalledCommit(t *testing.T) {
	db, _ := dbtest.Open(t)
	if db.Dialect != dialect.Postgres {
		t.Skip("one commit at a time on SQLite")
	}
	ctx := context.Background()
	var orgs [2]string
	for i := range orgs {
		c, err := account.CreateOrganization(ctx, db.Client, "Org", account.Options{})
		if err != nil {
			t.Fatal(err)
		}
		orgs[i] = c.Organization.ID
	}
	w := tracking.NewWriter(db, tracking.WriterOptions{Stall: 20 * time.Millisecond})
	defer func() {
		if err := w.Close(ctx); err != nil {
			t.Error(err)
		}
	}()
	event := func(org string) tracking.Event {
		return tracking.Event{ID: prefixed.New("evt"), OrgID: org, VisitorID: "v-" + org, EventType: tracking.PageView, CreatedAt: time.Now().UTC()}
	}
	write := func(org string) <-chan error {
		done := make(chan error, 1)
		go func() { done <- w.Write(ctx, event(org)) }()
		return done
	}
	// Both organizations' zones are in the rollup's cache of hints, so the stalled batch waits on the lock
	// rather than on reading its zone.
	for _, org := range orgs {
		if err := <-write(org); err != nil {
			t.Fatal(err)
		}
	}

	lock, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback() }() // before the writer's Close, should the test fail with the lock held
	if _, err := lock.ExecContext(ctx, "SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", orgs[0]); err != nil {
		t.Fatal(err)
	}
	var locker int
	if err := lock.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&locker); err != nil {
		t.Fatal(err)
	}
	stalled := write(orgs[0])
	for waiting := false; !waiting; {
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))", locker).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-write(orgs[1]):
		if err != nil {
			t.Fatal(err)
		}
	case err := <-stalled:
		t.Fatalf("the stalled batch ended first (%v)", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the second organization's event waited behind the stalled batch")
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-stalled; err != nil {
		t.Fatalf("the stalled batch: %v", err)
	}
	for _, org := range orgs {
		var n int
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM attribution_events WHERE organization_id = $1", org).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("%s: %d events stored, want 2", org, n)
		}
	}
}
