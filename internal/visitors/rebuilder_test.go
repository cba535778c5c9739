package visitors_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/visitors"
)

// pass runs one pass of a Rebuilder of db.
func pass(t testing.TB, db *store.DB, opts visitors.RebuilderOptions) {
	t.Helper()
	if err := newRebuilder(db, opts).Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func newRebuilder(db *store.DB, opts visitors.RebuilderOptions) *visitors.Rebuilder {
	return visitors.NewRebuilder(db.SQL, db.Client, db.Dialect, slog.New(slog.DiscardHandler), opts)
}

// runs returns org's rebuild runs, oldest first.
func runs(t testing.TB, db *store.DB, org string) []*ent.JobRun {
	t.Helper()
	out, err := db.Client.JobRun.Query().Where(jobrun.Job(visitors.JobName), jobrun.OrganizationID(org)).
		Order(ent.Asc(jobrun.FieldStartedAt), ent.Asc(jobrun.FieldID)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkRun checks that org's last rebuild run is of generation gen and has status, and that org is ready when
// it succeeded.
func checkRun(t testing.TB, db *store.DB, org string, gen int64, status jobrun.Status) *ent.JobRun {
	t.Helper()
	all := runs(t, db, org)
	if len(all) == 0 {
		t.Fatalf("no %s run", visitors.JobName)
	}
	run := all[len(all)-1]
	if g, _ := run.Stats["generation"].(float64); run.Status != status || int64(g) != gen {
		t.Fatalf("last run: %s of generation %v (%v), want %s of %d", run.Status, run.Stats["generation"], run.Error, status, gen)
	}
	if status == jobrun.StatusSUCCEEDED {
		o, err := db.Client.Organization.Get(sys, org)
		if err != nil {
			t.Fatal(err)
		}
		if !visitors.Ready(o) || o.VisitorsGeneration != gen {
			t.Fatalf("after the run: ready %v, generation %d; want ready, %d", visitors.Ready(o), o.VisitorsGeneration, gen)
		}
	}
	return run
}

// checkOlderDeleted checks that org has no rows of another generation than its current one.
func checkOlderDeleted(t testing.TB, db *store.DB, org string) {
	t.Helper()
	gen := generation(t, db, org)
	for _, tc := range []struct{ table, org, gen string }{
		{visitorday.Table, visitorday.FieldOrganizationID, visitorday.FieldGeneration},
		{dailyvisitors.Table, dailyvisitors.FieldOrganizationID, dailyvisitors.FieldGeneration},
	} {
		query, args := sql.Dialect(db.Dialect).SelectExpr(sql.Raw("COUNT(*)")).From(sql.Table(tc.table)).
			Where(sql.And(sql.EQ(tc.org, org), sql.NEQ(tc.gen, gen))).Query()
		var n int
		if err := db.SQL.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows of older generations left", tc.table, n)
		}
	}
}

// trafficWriter writes random events of an organization's visitors, as the tracking writer does: each batch
// stored and recorded in one transaction, new visitors' first touches marked as minted (visitors.Touch.First).
type trafficWriter struct {
	db      *store.DB
	org     string
	loc     *time.Location
	minted  atomic.Int64
	batches atomic.Int64
}

// batch writes one batch of n events: returning visitors v0…v(visitors-1) on the dates first to first+days-1,
// and new ones.
func (w *trafficWriter) batch(r *rand.Rand, n, visitorCount, first, days int) error {
	events := randomEvents(r, w.loc, n, visitorCount, first, days)
	minted := map[string]bool{}
	for i := range events {
		if r.IntN(4) == 0 {
			events[i].visitor = fmt.Sprintf("n%d", w.minted.Add(1))
			events[i].typ = "page_view"
			minted[events[i].visitor] = true
		}
	}
	ctx := context.Background()
	tx, err := w.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := insertRaw(ctx, tx, w.db.Dialect, w.org, events); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	ts := touches(w.org, events)
	for i := range ts {
		ts[i].First = minted[ts[i].VisitorID]
	}
	rec, err := visitors.Record(ctx, tx, w.db.Dialect, ts)
	if err != nil {
		return errors.Join(err, tx.Rollback())
	}
	w.batches.Add(1)
	return rec.Commit(tx.Commit)
}

// TestRebuildWhileTracking: events tracked while the new zone's generation is rebuilt, by visitors the rebuild
// has done, is doing and has yet to do, and by new ones, are each counted once: the rollup equals one rebuilt from
// scratch, row for row, and counts what the events count. Writers run beside the rebuild and, to be sure of the
// interleaving, also between its chunks.
func TestRebuildWhileTracking(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "Europe/Paris")
	paris, _ := time.LoadLocation("Europe/Paris")
	r := rand.New(rand.NewPCG(11, 12))
	w := &trafficWriter{db: db, org: org, loc: paris}
	for range 6 {
		if err := w.batch(r, 200, 300, 20, 14); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("America/New_York").Save(sys); err != nil {
		t.Fatal(err)
	}
	w.loc, _ = time.LoadLocation("America/New_York")

	opts := visitors.RebuilderOptions{Rest: 0.5}
	visitors.ChunkEvents(&opts, 100)
	chunks := 0
	visitors.AfterChunk(&opts, func(_ context.Context, _ string, n int) error {
		chunks = n
		return w.batch(rand.New(rand.NewPCG(uint64(n), 13)), 20, 300, 20, 14)
	})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 2 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 14))
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := w.batch(r, 1+r.IntN(20), 300, 20, 14); err != nil {
					errs <- err
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	err := newRebuilder(db, opts).Pass(context.Background())
	close(stop)
	wg.Wait()
	close(errs)
	if err != nil {
		t.Fatal(err)
	}
	for err := range errs {
		t.Fatal(err)
	}
	if chunks < 5 {
		t.Fatalf("the rebuild took %d chunks; the test needs several", chunks)
	}
	t.Logf("%d chunks, %d batches written", chunks, w.batches.Load())
	run := checkRun(t, db, org, 2, jobrun.StatusSUCCEEDED) // Paris was 1
	if v, _ := run.Stats["visitors"].(float64); v < 250 {
		t.Errorf("the run's stats: %v, want the visitors counted", run.Stats)
	}
	checkOlderDeleted(t, db, org)
	r = rand.New(rand.NewPCG(1, 2))
	for range 15 {
		from := date(19 + r.IntN(16))
		checkRange(t, db, org, w.loc, from, from.AddDate(0, 0, r.IntN(8)))
	}
	checkRebuild(t, db, org)
}

// TestZoneChangeDuringRebuild: a second change while the first one's generation is being rebuilt ends that
// rebuild (FAILED, superseded) and rebuilds the newest zone's generation, here the zone the organization started
// in: generations, not zones, name the rows, so the old rows of that zone are not reused.
func TestZoneChangeDuringRebuild(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "UTC")
	r := rand.New(rand.NewPCG(21, 22))
	w := &trafficWriter{db: db, org: org, loc: time.UTC}
	for range 5 {
		if err := w.batch(r, 200, 200, 5, 8); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("Asia/Kolkata").Save(sys); err != nil {
		t.Fatal(err)
	}
	opts := visitors.RebuilderOptions{Rest: 0.1}
	visitors.ChunkEvents(&opts, 100)
	changed := false
	visitors.AfterChunk(&opts, func(_ context.Context, _ string, n int) error {
		if n == 2 && !changed {
			changed = true
			if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("UTC").Save(sys); err != nil {
				return err
			}
			return w.batch(r, 50, 200, 5, 8)
		}
		return nil
	})
	pass(t, db, opts)
	if !changed {
		t.Fatal("the rebuild ended before the second change")
	}
	all := runs(t, db, org)
	if len(all) != 2 || all[0].Status != jobrun.StatusFAILED || all[0].Error == nil ||
		!strings.Contains(*all[0].Error, "superseded") {
		t.Fatalf("runs %v, want the first FAILED (superseded), then the second", all)
	}
	checkRun(t, db, org, 2, jobrun.StatusSUCCEEDED)
	checkOlderDeleted(t, db, org)
	checkRanges(t, db, org, "UTC", date(5), date(11))
	checkRebuild(t, db, org)
}

// TestRebuildResumes: a rebuild cut short (its process stopped) leaves its run RUNNING with its progress; the next
// Rebuilder takes the run over where it stopped, and the events tracked in between are counted once. A run that
// stopped while deleting the older generations' rows finishes that.
func TestRebuildResumes(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "Australia/Sydney")
	r := rand.New(rand.NewPCG(31, 32))
	w := &trafficWriter{db: db, org: org, loc: time.UTC}
	for range 5 {
		if err := w.batch(r, 200, 200, 5, 8); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("America/Sao_Paulo").Save(sys); err != nil {
		t.Fatal(err)
	}
	// The first process stops after its third chunk: its progress is saved on the way out.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := visitors.RebuilderOptions{Rest: 0.1}
	visitors.ChunkEvents(&opts, 100)
	visitors.AfterChunk(&opts, func(ctx context.Context, _ string, n int) error {
		if n == 3 {
			cancel()
			return ctx.Err()
		}
		return nil
	})
	if err := newRebuilder(db, opts).Pass(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("the stopped pass: %v, want context.Canceled", err)
	}
	stopped := checkRun(t, db, org, 2, jobrun.StatusRUNNING) // Sydney was 1
	if after, _ := stopped.Stats["after"].(string); after == "" {
		t.Fatalf("the stopped run saved no progress: %v", stopped.Stats)
	}
	if o, err := db.Client.Organization.Get(sys, org); err != nil || visitors.Ready(o) {
		t.Fatalf("after the stop: ready %v, %v; want still rebuilding", o != nil && visitors.Ready(o), err)
	}
	for range 3 {
		if err := w.batch(r, 50, 200, 5, 8); err != nil {
			t.Fatal(err)
		}
	}

	// The next process.
	next := visitors.RebuilderOptions{}
	visitors.ChunkEvents(&next, 100)
	pass(t, db, next)
	all := runs(t, db, org)
	if len(all) != 1 {
		t.Fatalf("%d runs, want the stopped one taken over", len(all))
	}
	run := checkRun(t, db, org, 2, jobrun.StatusSUCCEEDED)
	if n, _ := run.Stats["resumed"].(float64); n != 1 {
		t.Errorf("stats %v, want resumed once", run.Stats)
	}
	checkOlderDeleted(t, db, org)
	checkRanges(t, db, org, "America/Sao_Paulo", date(5), date(11))
	checkRebuild(t, db, org)

	// A run stopped after its generation was complete, while the older rows were being deleted.
	if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("Europe/Lisbon").Save(sys); err != nil {
		t.Fatal(err)
	}
	pass(t, db, visitors.RebuilderOptions{})
	older := visitorday.DefaultID()
	query, args := sql.Dialect(db.Dialect).Insert(visitorday.Table).Columns(visitorday.FieldID, visitorday.FieldOrganizationID,
		visitorday.FieldGeneration, visitorday.FieldKind, visitorday.FieldVisitorID, visitorday.FieldDay).
		Values(older, org, 2, visitors.Visit, "left-over", date(9)).Query()
	if _, err := db.SQL.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
	last := checkRun(t, db, org, 3, jobrun.StatusSUCCEEDED)
	stats := last.Stats
	stats["complete"] = true
	if _, err := db.Client.JobRun.Create().SetOrganizationID(org).SetJob(visitors.JobName).SetTrigger(jobrun.TriggerMANUAL).
		SetStats(stats).Save(sys); err != nil {
		t.Fatal(err)
	}
	pass(t, db, visitors.RebuilderOptions{})
	if all := runs(t, db, org); len(all) != 3 {
		t.Fatalf("%d runs, want 3", len(all))
	}
	checkRun(t, db, org, 3, jobrun.StatusSUCCEEDED)
	checkOlderDeleted(t, db, org)
	checkRanges(t, db, org, "Europe/Lisbon", date(5), date(11))
}

// TestRebuilderStartsAndStops: a started Rebuilder rebuilds, without being asked, what a change of this process
// commits, and Close stops it.
func TestRebuilderStartsAndStops(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "UTC")
	w := &trafficWriter{db: db, org: org, loc: time.UTC}
	if err := w.batch(rand.New(rand.NewPCG(41, 42)), 300, 100, 5, 8); err != nil {
		t.Fatal(err)
	}
	rb := newRebuilder(db, visitors.RebuilderOptions{})
	rb.Start()
	t.Cleanup(func() {
		if err := rb.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("Asia/Tokyo").Save(sys); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		o, err := db.Client.Organization.Get(sys, org)
		if err != nil {
			t.Fatal(err)
		}
		if visitors.Ready(o) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not rebuilt within a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	checkRanges(t, db, org, "Asia/Tokyo", date(5), date(11))
}

// TestRebuildGoesOnAfterAFailure: a rebuild that fails (a database error) is recorded FAILED; the next pass
// starts a new run that goes on from the chunks the failed one committed.
func TestRebuildGoesOnAfterAFailure(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "UTC")
	w := &trafficWriter{db: db, org: org, loc: time.UTC}
	if err := w.batch(rand.New(rand.NewPCG(51, 52)), 600, 150, 5, 8); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Client.Organization.UpdateOneID(org).SetTimezone("Asia/Tokyo").Save(sys); err != nil {
		t.Fatal(err)
	}
	failing := errors.New("the database went away")
	opts := visitors.RebuilderOptions{}
	visitors.ChunkEvents(&opts, 100)
	visitors.AfterChunk(&opts, func(context.Context, string, int) error { return failing })
	if err := newRebuilder(db, opts).Pass(context.Background()); !errors.Is(err, failing) {
		t.Fatalf("the failing pass: %v", err)
	}
	failed := checkRun(t, db, org, 1, jobrun.StatusFAILED)
	if failed.Error == nil || !strings.Contains(*failed.Error, failing.Error()) {
		t.Fatalf("the failed run's error: %v", failed.Error)
	}
	next := visitors.RebuilderOptions{}
	visitors.ChunkEvents(&next, 100)
	pass(t, db, next)
	run := checkRun(t, db, org, 1, jobrun.StatusSUCCEEDED)
	if n, _ := run.Stats["resumed"].(float64); n != 1 || run.Stats["visitors"].(float64) < 150 {
		t.Errorf("stats %v, want resumed once and every visitor counted", run.Stats)
	}
	checkRanges(t, db, org, "Asia/Tokyo", date(5), date(11))
	checkRebuild(t, db, org)
}
