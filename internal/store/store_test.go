package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

func TestOpenUnknownDriver(t *testing.T) {
	if db, err := store.Open(context.Background(), "mysql", "whatever"); err == nil {
		_ = db.Close()
		t.Fatal("Open with an unknown driver succeeded")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, src := dbtest.Open(t) // migrated once already
	created, err := account.CreateOrganization(ctx, db.Client, "Kept", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate again (%d): %v", i+1, err)
		}
	}

	// A second client on the same database migrates too, and the data survives.
	other, err := store.Open(ctx, src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Migrate(ctx); err != nil {
		t.Fatalf("Migrate from a second client: %v", err)
	}
	got, err := other.Client.Organization.Get(viewer.SystemContext(ctx), created.Organization.ID)
	if err != nil {
		t.Fatalf("organization after re-migration: %v", err)
	}
	if got.Name != "Kept" {
		t.Errorf("name after re-migration = %q, want Kept", got.Name)
	}
}

func TestMigrateCreatesTheSchema(t *testing.T) {
	ctx := context.Background()
	src := dbtest.NewSource(t)
	db, err := store.Open(ctx, src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sys := viewer.SystemContext(ctx)
	if _, err := db.Client.Organization.Query().Count(sys); err == nil {
		t.Fatal("organizations table exists before Migrate")
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Client.Organization.Query().Count(sys); err != nil || n != 0 {
		t.Fatalf("organizations after Migrate = %d, %v; want 0, nil", n, err)
	}
}

func requirePostgres(t *testing.T, src dbtest.Source) {
	t.Helper()
	if src.Driver != store.Postgres {
		t.Skipf("needs PostgreSQL: set %s", dbtest.EnvURL)
	}
}

// TestConcurrentMigrate opens several clients on one empty database and migrates them all at once: every Migrate
// must succeed. On PostgreSQL they queue on the advisory lock; in any case ent's shared table descriptors must not
// be written concurrently (run with -race).
func TestConcurrentMigrate(t *testing.T) {
	src := dbtest.NewSource(t)
	ctx := context.Background()
	const instances = 4
	dbs := make([]*store.DB, instances)
	for i := range dbs {
		db, err := store.Open(ctx, src.Driver, src.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	start := make(chan struct{})
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() {
			<-start
			errs[i] = db.Migrate(ctx)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: Migrate: %v", i, err)
		}
	}
	if _, err := account.CreateOrganization(ctx, dbs[0].Client, "After", account.Options{}); err != nil {
		t.Fatalf("schema unusable after concurrent migrations: %v", err)
	}
}

// helperDSN names the variable that turns this test binary into a migrating instance, for
// TestConcurrentMigrateAcrossProcesses.
const helperDSN = "MARKETINGOS_TEST_MIGRATE_DSN"

// TestConcurrentMigrateAcrossProcesses is the real deployment: separate processes (this test binary, re-executed)
// start on one empty schema at once. Only the PostgreSQL advisory lock orders them; without it they collide on
// CREATE TABLE.
func TestConcurrentMigrateAcrossProcesses(t *testing.T) {
	src := dbtest.NewSource(t)
	requirePostgres(t, src)
	const instances = 4
	outs := make([][]byte, instances)
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMigrateHelperProcess$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), helperDSN+"="+src.DSN)
		wg.Go(func() { outs[i], errs[i] = cmd.CombinedOutput() })
	}
	wg.Wait()
	for i := range instances {
		if errs[i] != nil {
			t.Errorf("instance %d: %v\n%s", i, errs[i], outs[i])
		} else if !bytes.Contains(outs[i], []byte("--- PASS: TestMigrateHelperProcess")) {
			t.Errorf("instance %d did not migrate:\n%s", i, outs[i])
		}
	}
	db, err := store.Open(context.Background(), src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := account.CreateOrganization(context.Background(), db.Client, "After", account.Options{}); err != nil {
		t.Fatalf("schema unusable after concurrent migrations: %v", err)
	}
}

// TestMigrateHelperProcess is one instance of TestConcurrentMigrateAcrossProcesses; it does nothing on its own.
func TestMigrateHelperProcess(t *testing.T) {
	dsn := os.Getenv(helperDSN)
	if dsn == "" {
		t.Skip("runs only as a helper process of TestConcurrentMigrateAcrossProcesses")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Postgres, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateWaitsForTheAdvisoryLock holds the migration lock from another session and checks that Migrate waits
// for it, then completes once it is released.
func TestMigrateWaitsForTheAdvisoryLock(t *testing.T) {
	src := dbtest.NewSource(t)
	requirePostgres(t, src)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Name the migrating session so that its lock wait can be told apart from other tests' in pg_locks.
	appName := "mos_lock_test_" + time.Now().Format("150405.000000000")
	u, err := url.Parse(src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", appName)
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, src.Driver, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	holder, err := sql.Open("postgres", src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", store.MigrationLock); err != nil {
		t.Fatal(err)
	}
	locked := true
	unlock := func() {
		if locked {
			locked = false
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", store.MigrationLock); err != nil {
				t.Errorf("unlock: %v", err)
			}
		}
	}
	defer unlock() // other packages' tests migrate under the same lock: never leave it held

	done := make(chan error, 1)
	go func() { done <- db.Migrate(ctx) }()

	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for waiting := false; !waiting; {
		select {
		case err := <-done:
			t.Fatalf("Migrate finished (err = %v) while another session held the migration lock", err)
		case <-ctx.Done():
			t.Fatal("Migrate was never seen waiting for the migration lock")
		case <-tick.C:
			err := holder.QueryRowContext(ctx, `
				SELECT EXISTS (
					SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
					WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = $1)`,
				appName).Scan(&waiting)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Migrate after the lock was released: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Migrate did not finish after the lock was released")
	}
	if _, err := db.Client.Organization.Query().Count(viewer.SystemContext(ctx)); err != nil {
		t.Fatalf("schema after Migrate: %v", err)
	}
}

// TestMigrateGivesUpWhenCancelled: an instance waiting for another's migration stops waiting when its start-up is
// cancelled.
func TestMigrateGivesUpWhenCancelled(t *testing.T) {
	src := dbtest.NewSource(t)
	requirePostgres(t, src)
	ctx := context.Background()
	db, err := store.Open(ctx, src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder, err := sql.Open("postgres", src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", store.MigrationLock); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", store.MigrationLock) //nolint:errcheck

	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	err = db.Migrate(cctx)
	if err == nil {
		t.Fatal("Migrate succeeded while the lock was held")
	}
	if !errors.Is(err, context.DeadlineExceeded) && cctx.Err() == nil {
		t.Fatalf("Migrate failed before its context ended: %v", err)
	}
}
