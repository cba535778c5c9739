package visitors_test

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

var sys = viewer.SystemContext(context.Background())

// event is a stored event, reduced to what the rollup reads.
type event struct {
	visitor, typ string
	at           time.Time
}

func newOrg(t *testing.T, db *store.DB, name, timezone string) string {
	t.Helper()
	c, err := account.CreateOrganization(context.Background(), db.Client, name, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Client.Organization.UpdateOneID(c.Organization.ID).SetTimezone(timezone).Exec(sys); err != nil {
		t.Fatal(err)
	}
	return c.Organization.ID
}

// insertRaw writes events in tx as the tracking writer's COPY does: without ent, so without its hooks.
func insertRaw(ctx context.Context, tx visitors.ExecQuerier, dia, org string, events []event) error {
	ins := sql.Dialect(dia).Insert(attributionevent.Table).Columns(attributionevent.FieldID,
		attributionevent.FieldOrganizationID, attributionevent.FieldVisitorID, attributionevent.FieldEventType,
		attributionevent.FieldCreatedAt)
	for _, e := range events {
		ins.Values(prefixed.New("evt"), org, e.visitor, e.typ, e.at.UTC())
	}
	query, args := ins.Query()
	_, err := tx.ExecContext(ctx, query, args...)
	return err
}

func touches(org string, events []event) []visitors.Touch {
	var out []visitors.Touch
	for _, e := range events {
		if kind, ok := visitors.KindOf(e.typ); ok {
			out = append(out, visitors.Touch{OrgID: org, Kind: kind, VisitorID: e.visitor, At: e.at})
		}
	}
	return out
}

// write stores events and records them in one transaction, as the tracking writer does.
func write(t testing.TB, db *store.DB, org string, events []event) {
	t.Helper()
	if err := writeErr(db, map[string][]event{org: events}); err != nil {
		t.Fatal(err)
	}
}

// writeErr stores the events of several organizations and records them in one transaction.
func writeErr(db *store.DB, byOrg map[string][]event) error {
	ctx := context.Background()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	var all []visitors.Touch
	for org, events := range byOrg {
		if err := insertRaw(ctx, tx, db.Dialect, org, events); err != nil {
			_ = tx.Rollback()
			return err
		}
		all = append(all, touches(org, events)...)
	}
	rec, err := visitors.Record(ctx, tx, db.Dialect, all)
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return rec.Commit(tx.Commit)
}

// date is midnight UTC of a date of March 2026 (day may overflow into April).
func date(day int) time.Time { return time.Date(2026, time.March, day, 0, 0, 0, 0, time.UTC) }

// rawCounts counts the distinct visitors of org's local dates first to last from its events, as the dashboard's
// reference path does: COUNT(DISTINCT visitor_id) between local midnights.
func rawCounts(t testing.TB, db *store.DB, org string, loc *time.Location, first, last time.Time) visitors.Counts {
	t.Helper()
	bound := func(d time.Time, plus int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day()+plus, 0, 0, 0, 0, loc).UTC()
	}
	distinct := func(purchases bool, from, to time.Time) int {
		kind := sql.NotIn(attributionevent.FieldEventType, attribution.PurchaseEvent, attribution.RefundEvent)
		if purchases {
			kind = sql.EQ(attributionevent.FieldEventType, attribution.PurchaseEvent)
		}
		query, args := sql.Dialect(db.Dialect).SelectExpr(sql.Raw("COUNT(DISTINCT visitor_id)")).
			From(sql.Table(attributionevent.Table)).
			Where(sql.And(sql.EQ(attributionevent.FieldOrganizationID, org), kind,
				sql.GTE(attributionevent.FieldCreatedAt, from), sql.LT(attributionevent.FieldCreatedAt, to))).
			Query()
		var n int
		if err := db.SQL.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	c := visitors.Counts{
		Visitors:   distinct(false, bound(first, 0), bound(last, 1)),
		Converting: distinct(true, bound(first, 0), bound(last, 1)),
		ByDay:      map[time.Time]int{},
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if n := distinct(false, bound(d, 0), bound(d, 1)); n > 0 {
			c.ByDay[d] = n
		}
	}
	return c
}

func count(t testing.TB, db *store.DB, org string, first, last time.Time) visitors.Counts {
	t.Helper()
	o, err := db.Client.Organization.Get(sys, org)
	if err != nil {
		t.Fatal(err)
	}
	c, err := visitors.Count(sys, db.Client, o, first, last)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkRanges compares Count with the raw counts for every range of the dates first to last.
func checkRanges(t *testing.T, db *store.DB, org, timezone string, first, last time.Time) {
	t.Helper()
	loc, err := time.LoadLocation(timezone)
	if err != nil {
		t.Fatal(err)
	}
	for from := first; !from.After(last); from = from.AddDate(0, 0, 1) {
		for to := from; !to.After(last); to = to.AddDate(0, 0, 1) {
			checkRange(t, db, org, loc, from, to)
		}
	}
}

func checkRange(t testing.TB, db *store.DB, org string, loc *time.Location, from, to time.Time) {
	t.Helper()
	got, want := count(t, db, org, from, to), rawCounts(t, db, org, loc, from, to)
	if got.Visitors != want.Visitors || got.Converting != want.Converting || !maps.Equal(got.ByDay, want.ByDay) {
		t.Errorf("%s to %s: rollup %+v, events %+v", from.Format(time.DateOnly), to.Format(time.DateOnly), got, want)
	}
}

// state is an organization's rollup: its visitor days and the non-zero sums of its histogram, in its current
// generation.
type state struct {
	days map[string]bool
	hist map[string]int64
}

// generation is org's current generation of the rollup.
func generation(t testing.TB, db *store.DB, org string) int64 {
	t.Helper()
	o, err := db.Client.Organization.Get(sys, org)
	if err != nil {
		t.Fatal(err)
	}
	return o.VisitorsGeneration
}

func rollup(t testing.TB, db *store.DB, org string) state {
	t.Helper()
	gen := generation(t, db, org)
	s := state{days: map[string]bool{}, hist: map[string]int64{}}
	query, args := sql.Dialect(db.Dialect).
		Select(visitorday.FieldKind, visitorday.FieldVisitorID, visitorday.FieldDay).
		From(sql.Table(visitorday.Table)).
		Where(sql.And(sql.EQ(visitorday.FieldOrganizationID, org), sql.EQ(visitorday.FieldGeneration, gen))).Query()
	rows, err := db.SQL.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind, visitor string
		var day time.Time
		if err := rows.Scan(&kind, &visitor, &day); err != nil {
			t.Fatal(err)
		}
		s.days[fmt.Sprintf("%s %s %s", kind, visitor, day.UTC().Format(time.DateOnly))] = true
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	query, args = sql.Dialect(db.Dialect).
		Select(dailyvisitors.FieldKind, dailyvisitors.FieldDay, dailyvisitors.FieldPrevDay, dailyvisitors.FieldVisitors).
		From(sql.Table(dailyvisitors.Table)).
		Where(sql.And(sql.EQ(dailyvisitors.FieldOrganizationID, org), sql.EQ(dailyvisitors.FieldGeneration, gen))).Query()
	rows, err = db.SQL.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind string
		var day, prev time.Time
		var n int64
		if err := rows.Scan(&kind, &day, &prev, &n); err != nil {
			t.Fatal(err)
		}
		s.hist[fmt.Sprintf("%s %s after %s", kind, day.UTC().Format(time.DateOnly), prev.UTC().Format(time.DateOnly))] += n
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	maps.DeleteFunc(s.hist, func(_ string, n int64) bool { return n == 0 })
	return s
}

func rebuild(t testing.TB, db *store.DB, org string) {
	t.Helper()
	tx, err := db.SQL.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := visitors.Rebuild(context.Background(), tx, db.Dialect, org); err != nil {
		_ = tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// checkRebuild checks that rebuilding org's rollup from its events changes nothing: the histogram is a function of
// the visitor days, so incremental and rebuilt ones must be equal row for row.
func checkRebuild(t *testing.T, db *store.DB, org string) {
	t.Helper()
	before := rollup(t, db, org)
	rebuild(t, db, org)
	after := rollup(t, db, org)
	if !maps.Equal(before.days, after.days) {
		t.Errorf("visitor days: recorded %v, rebuilt %v", slices.Sorted(maps.Keys(before.days)), slices.Sorted(maps.Keys(after.days)))
	}
	if !maps.Equal(before.hist, after.hist) {
		t.Errorf("histogram: recorded %v, rebuilt %v", before.hist, after.hist)
	}
}

// at is a wall-clock time in loc on a date of March 2026.
func at(loc *time.Location, day, hour, minute int) time.Time {
	return time.Date(2026, time.March, day, hour, minute, 0, 0, loc)
}

func TestRecord(t *testing.T) {
	db, _ := dbtest.Open(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		batches [][]event // each in a transaction of its own, in this order
		want    visitors.Counts
	}{{
		name: "days out of order",
		batches: [][]event{
			{{"v1", "page_view", at(ny, 10, 12, 0)}},
			{{"v1", "page_view", at(ny, 6, 12, 0)}},  // before the first
			{{"v1", "page_view", at(ny, 8, 23, 59)}}, // between them (the 23-hour day, just before midnight)
			{{"v1", "signup", at(ny, 12, 0, 1)}},
			{{"v1", "page_view", at(ny, 7, 9, 0)}, {"v1", "page_view", at(ny, 11, 9, 0)}},
		},
		want: visitors.Counts{Visitors: 1, ByDay: map[time.Time]int{
			date(6): 1, date(7): 1, date(8): 1, date(10): 1, date(11): 1, date(12): 1,
		}},
	}, {
		name: "repeated touches",
		batches: [][]event{
			{{"v1", "page_view", at(ny, 8, 9, 0)}, {"v1", "page_view", at(ny, 8, 9, 5)}, {"v1", "page_view", at(ny, 8, 9, 5)}},
			{{"v1", "page_view", at(ny, 8, 18, 0)}},
			{{"v1", "purchase", at(ny, 8, 18, 5)}, {"v1", "purchase", at(ny, 8, 19, 0)}},
			{{"v1", "refund", at(ny, 9, 10, 0)}}, // neither a visit nor a purchase
		},
		want: visitors.Counts{Visitors: 1, Converting: 1, ByDay: map[time.Time]int{date(8): 1}},
	}, {
		name: "several visitors",
		batches: [][]event{
			{{"v1", "page_view", at(ny, 7, 10, 0)}, {"v2", "page_view", at(ny, 7, 11, 0)}, {"v3", "purchase", at(ny, 7, 12, 0)}},
			{{"v2", "page_view", at(ny, 9, 0, 30)}, {"v3", "page_view", at(ny, 9, 1, 0)}, {"v1", "purchase", at(ny, 9, 2, 0)}},
			{{"v4", "custom_event", at(ny, 8, 4, 0)}, {"v2", "page_view", at(ny, 8, 23, 0)}},
		},
		want: visitors.Counts{Visitors: 4, Converting: 2, ByDay: map[time.Time]int{date(7): 2, date(8): 2, date(9): 2}},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			org := newOrg(t, db, tc.name, "America/New_York")
			// Another tenant with the same visitors on the same days, recorded before: untouched by org's.
			other := newOrg(t, db, tc.name+" neighbour", "UTC")
			write(t, db, other, []event{{"v1", "page_view", at(time.UTC, 8, 12, 0)}, {"v1", "purchase", at(time.UTC, 9, 12, 0)}})
			neighbour := rollup(t, db, other)

			for _, b := range tc.batches {
				write(t, db, org, b)
			}
			if got := count(t, db, org, date(1), date(31)); got.Visitors != tc.want.Visitors ||
				got.Converting != tc.want.Converting || !maps.Equal(got.ByDay, tc.want.ByDay) {
				t.Errorf("March: %+v, want %+v", got, tc.want)
			}
			checkRanges(t, db, org, "America/New_York", date(5), date(13))
			checkRebuild(t, db, org)

			if after := rollup(t, db, other); !maps.Equal(after.days, neighbour.days) || !maps.Equal(after.hist, neighbour.hist) {
				t.Errorf("the other organization's rollup changed: %+v, was %+v", after, neighbour)
			}
			if got := count(t, db, other, date(1), date(31)); got.Visitors != 1 || got.Converting != 1 {
				t.Errorf("the other organization counts %+v", got)
			}
		})
	}
}

// randomEvents returns n events of visitors v0…v(visitors-1) on the dates first to first+days-1 in loc, mostly
// page views, with purchases and refunds.
func randomEvents(r *rand.Rand, loc *time.Location, n, visitors, first, days int) []event {
	types := []string{"page_view", "page_view", "page_view", "page_view", "signup", "purchase", "purchase", "refund"}
	out := make([]event, n)
	for i := range out {
		out[i] = event{
			visitor: fmt.Sprintf("v%d", r.IntN(visitors)),
			typ:     types[r.IntN(len(types))],
			at:      at(loc, first+r.IntN(days), r.IntN(24), r.IntN(60)),
		}
	}
	return out
}

// TestConcurrentRecord records overlapping batches (the same visitors on the same and on different days) from
// several transactions at once; the rollup must come out as if they had run one after the other.
func TestConcurrentRecord(t *testing.T) {
	db, _ := dbtest.Open(t)
	const timezone = "Europe/Paris" // 29 March 2026 has 23 hours
	loc, err := time.LoadLocation(timezone)
	if err != nil {
		t.Fatal(err)
	}
	orgs := []string{newOrg(t, db, "Acme", timezone), newOrg(t, db, "Globex", timezone)}
	const workers, batches = 8, 12
	var wg sync.WaitGroup
	errs := make(chan error, workers*batches)
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for range batches {
				// One organization or both, in one transaction.
				b := map[string][]event{}
				for _, org := range orgs {
					if r.IntN(3) > 0 {
						b[org] = randomEvents(r, loc, 1+r.IntN(30), 25, 24, 10)
					}
				}
				if err := writeErr(db, b); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, org := range orgs {
		for range 40 {
			from := date(23 + r.IntN(12))
			checkRange(t, db, org, loc, from, from.AddDate(0, 0, r.IntN(8)))
		}
		checkRebuild(t, db, org)
	}
}

// countingTx counts the statements sent through a transaction.
type countingTx struct {
	visitors.ExecQuerier
	execs, queries int
}

func (c *countingTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	c.execs++
	return c.ExecQuerier.ExecContext(ctx, query, args...)
}

func (c *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	c.queries++
	return c.ExecQuerier.QueryContext(ctx, query, args...)
}

func TestRecordRemembersCommittedDays(t *testing.T) {
	db, _ := dbtest.Open(t)
	ctx := context.Background()
	org := newOrg(t, db, "Acme", "UTC")
	batch := touches(org, []event{
		{"v1", "page_view", at(time.UTC, 8, 9, 0)}, {"v2", "page_view", at(time.UTC, 8, 10, 0)},
		{"v1", "purchase", at(time.UTC, 9, 9, 0)},
	})
	record := func(commit bool) *countingTx {
		t.Helper()
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &countingTx{ExecQuerier: tx}
		rec, err := visitors.Record(ctx, c, db.Dialect, batch)
		if err != nil {
			t.Fatal(err)
		}
		if !commit {
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if err := rec.Commit(tx.Commit); err != nil {
			t.Fatal(err)
		}
		return c
	}
	want := visitors.Counts{Visitors: 2, Converting: 1, ByDay: map[time.Time]int{date(8): 2}}
	check := func(when string) {
		t.Helper()
		if got := count(t, db, org, date(8), date(9)); got.Visitors != want.Visitors || got.Converting != want.Converting || !maps.Equal(got.ByDay, want.ByDay) {
			t.Errorf("%s: %+v, want %+v", when, got, want)
		}
	}

	if c := record(false); c.execs == 0 {
		t.Fatalf("first batch wrote nothing")
	}
	// The rolled-back batch must not be remembered: recording it again writes it.
	if c := record(true); c.queries+c.execs < 2 {
		t.Errorf("after a rollback, %d queries and %d statements: the batch was skipped", c.queries, c.execs)
	}
	check("after the commit")
	// Committed: the same batch again costs the time zone read and nothing else.
	if c := record(true); c.execs != 0 || c.queries != 1 {
		t.Errorf("an already recorded batch: %d statements and %d queries, want 0 and 1", c.execs, c.queries)
	}
	check("after the repeat")
}

// TestTimezoneChangeRebuilds: a time zone change starts a new generation of the rollup, which the Rebuilder builds
// from the events; until then Count refuses to read it (the dashboard counts from the events), afterwards it
// counts in the new zone, and the older generations' rows are gone.
func TestTimezoneChangeRebuilds(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "UTC")
	r := rand.New(rand.NewPCG(3, 4))
	write(t, db, org, randomEvents(r, time.UTC, 300, 20, 5, 8))
	checkRanges(t, db, org, "UTC", date(4), date(13))

	// Outside a transaction: the hook runs the update in one of its own; the organization it returns still works
	// after that transaction ended, and says its new generation is being rebuilt.
	o, err := db.Client.Organization.UpdateOneID(org).SetTimezone("Asia/Kolkata").Save(sys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.QueryAttributionEvents().Count(sys); err != nil {
		t.Fatalf("the updated organization: %v", err)
	}
	if visitors.Ready(o) || o.VisitorsGeneration != 1 {
		t.Fatalf("after the change: ready %v, generation %d; want a rebuild of generation 1", visitors.Ready(o), o.VisitorsGeneration)
	}
	if _, err := visitors.Count(sys, db.Client, o, date(4), date(13)); !errors.Is(err, visitors.ErrRebuilding) {
		t.Fatalf("Count during the rebuild: %v, want ErrRebuilding", err)
	}
	// Events recorded before the rebuild runs count in the new zone.
	write(t, db, org, randomEvents(r, time.UTC, 50, 30, 5, 8))
	pass(t, db, visitors.RebuilderOptions{})
	checkRanges(t, db, org, "Asia/Kolkata", date(4), date(13))
	checkRun(t, db, org, 1, jobrun.StatusSUCCEEDED)
	checkOlderDeleted(t, db, org)

	// Events recorded after it too.
	write(t, db, org, randomEvents(r, time.UTC, 50, 30, 5, 8))
	checkRanges(t, db, org, "Asia/Kolkata", date(4), date(13))

	// In the caller's transaction: rolled back, nothing changes; committed, the rollup follows.
	tx, err := db.Client.Tx(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Organization.UpdateOneID(org).SetTimezone("Pacific/Kiritimati").Exec(sys); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	checkRanges(t, db, org, "Asia/Kolkata", date(4), date(13))
	tx, err = db.Client.Tx(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Organization.UpdateOneID(org).SetTimezone("America/Los_Angeles").SetName("Acme US").Exec(sys); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	pass(t, db, visitors.RebuilderOptions{})
	checkRanges(t, db, org, "America/Los_Angeles", date(4), date(13))
	checkRun(t, db, org, 2, jobrun.StatusSUCCEEDED)
	checkOlderDeleted(t, db, org)
	checkRebuild(t, db, org)

	// The same zone again changes nothing; an organization without events needs no rebuild.
	o, err = db.Client.Organization.UpdateOneID(org).SetTimezone("America/Los_Angeles").Save(sys)
	if err != nil || !visitors.Ready(o) || o.VisitorsGeneration != 2 {
		t.Fatalf("the same zone: ready %v, generation %d, %v; want generation 2, ready", visitors.Ready(o), o.VisitorsGeneration, err)
	}
	empty := newOrg(t, db, "Empty", "Asia/Tokyo")
	if o, err := db.Client.Organization.Get(sys, empty); err != nil || !visitors.Ready(o) || o.VisitorsGeneration != 1 {
		t.Fatalf("an organization without events: %+v, %v; want generation 1, ready", o, err)
	}
}

func TestBackfill(t *testing.T) {
	db, _ := dbtest.Open(t)
	ctx := context.Background()
	orgs := []string{newOrg(t, db, "Acme", "America/New_York"), newOrg(t, db, "Globex", "UTC")}
	ny, _ := time.LoadLocation("America/New_York")
	r := rand.New(rand.NewPCG(5, 6))
	// Events written by a version without the rollup.
	for _, org := range orgs {
		tx, err := db.SQL.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if err := insertRaw(ctx, tx, db.Dialect, org, randomEvents(r, ny, 200, 15, 6, 5)); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// An organization with refunds only has nothing to backfill.
	refunds := newOrg(t, db, "Refunds only", "UTC")
	write(t, db, refunds, []event{{"v1", "refund", at(time.UTC, 8, 0, 0)}})

	// An upgraded database: Migrate fills the rollup.
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	checkRanges(t, db, orgs[0], "America/New_York", date(5), date(11))
	checkRanges(t, db, orgs[1], "UTC", date(5), date(11))
	checkRebuild(t, db, orgs[0])
	if n, err := visitors.Backfill(ctx, db.SQL, db.Dialect); err != nil || n != 0 {
		t.Fatalf("Backfill after Migrate = %d, %v; want nothing to do", n, err)
	}
}

// insertCounter counts the statements that store visitor days, sent through its transactions.
type insertCounter struct {
	*sql.Driver
	inserts *atomic.Int64
}

func (d insertCounter) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return countedTx{Tx: tx.(*sql.Tx), inserts: d.inserts}, nil
}

type countedTx struct {
	*sql.Tx
	inserts *atomic.Int64
}

// QueryContext and ExecContext count the statements that write visitor days: an INSERT on SQLite, a call of the
// rollup's function on PostgreSQL.
func (t countedTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	t.count(query)
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t countedTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	t.count(query)
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t countedTx) count(query string) {
	if (strings.HasPrefix(query, "INSERT INTO ") && strings.Contains(query, visitorday.Table)) ||
		strings.HasPrefix(query, "SELECT marketingos_visitors_") {
		t.inserts.Add(1)
	}
}

// TestRecordEvents checks the schema's hook: events created through ent are recorded with their transaction, and
// only those actually stored.
func TestRecordEvents(t *testing.T) {
	db, _ := dbtest.Open(t)
	org := newOrg(t, db, "Acme", "Europe/Paris")
	ctx := viewer.ForOrganization(context.Background(), org)
	paris, _ := time.LoadLocation("Europe/Paris")
	var inserts atomic.Int64
	client := ent.NewClient(ent.Driver(insertCounter{Driver: sql.OpenDB(db.Dialect, db.SQL), inserts: &inserts}))
	// Instants are stored in UTC, as the tracking and payment code store them: SQLite compares them as text.
	create := func(c *ent.Client, e event) *ent.AttributionEventCreate {
		return c.AttributionEvent.Create().SetVisitorID(e.visitor).SetEventType(e.typ).SetCreatedAt(e.at.UTC())
	}

	// Outside a transaction.
	if err := create(client, event{"solo", "page_view", at(paris, 28, 23, 30)}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// An idempotent insert that finds its key taken stores nothing, so records nothing.
	for _, e := range []event{{"first", "page_view", at(paris, 29, 10, 0)}, {"repeat", "purchase", at(paris, 30, 10, 0)}} {
		err := create(client, e).SetIdempotencyKey("k1").
			OnConflict(sql.ConflictColumns(attributionevent.FieldOrganizationID, attributionevent.FieldIdempotencyKey),
				sql.ConflictWhere(sql.NotNull(attributionevent.FieldIdempotencyKey))).
			DoNothing().Exec(ctx)
		if err != nil && !errors.Is(err, stdsql.ErrNoRows) {
			t.Fatal(err)
		}
	}
	// Rolled back: nothing.
	tx, err := client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := create(tx.Client(), event{"rolled-back", "purchase", at(paris, 29, 12, 0)}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	// In bulk, in a transaction: one Record per bulk when batched, one per event otherwise.
	r := rand.New(rand.NewPCG(8, 9))
	bulk := func(batched bool) int64 {
		t.Helper()
		tx, err := client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var builders []*ent.AttributionEventCreate
		for _, e := range randomEvents(r, paris, 120, 30, 26, 6) {
			builders = append(builders, create(tx.Client(), e))
		}
		bctx := ctx
		if batched {
			bctx = visitors.Batched(ctx)
		}
		inserts.Store(0)
		if err := tx.AttributionEvent.CreateBulk(builders...).Exec(bctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return inserts.Load()
	}
	if n := bulk(true); n != 1 {
		t.Errorf("a batched bulk of 120 events stored visitor days in %d statements, want 1", n)
	}
	if n := bulk(false); n < 10 {
		t.Errorf("an unbatched bulk of 120 events stored visitor days in %d statements, want one per new day", n)
	}

	checkRanges(t, db, org, "Europe/Paris", date(25), date(31))
	checkRebuild(t, db, org)
	got := rollup(t, db, org)
	if !got.days["VISIT solo 2026-03-28"] || !got.days["VISIT first 2026-03-29"] {
		t.Errorf("visitor days of stored events missing: %v", slices.Sorted(maps.Keys(got.days)))
	}
	if got.days["PURCHASE repeat 2026-03-30"] || got.days["PURCHASE rolled-back 2026-03-29"] {
		t.Errorf("visitor days of events that were not stored: %v", slices.Sorted(maps.Keys(got.days)))
	}
}

// TestRecordFirstVisits: touches of visitors whose ids were just minted are counted without reading their days
// (no other day can exist) and give the same rollup as a rebuild from the events.
func TestRecordFirstVisits(t *testing.T) {
	db, _ := dbtest.Open(t)
	ctx := context.Background()
	org := newOrg(t, db, "Acme", "Europe/Madrid")
	loc, _ := time.LoadLocation("Europe/Madrid")
	// Returning visitors first, then a batch of new ones, one of which also makes a purchase-free second visit
	// the next day (as a returning visitor, without First).
	write(t, db, org, []event{{"old1", "page_view", at(loc, 8, 9, 0)}, {"old2", "page_view", at(loc, 9, 9, 0)}})
	fresh := []event{
		{"new1", "page_view", at(loc, 9, 10, 0)}, {"new2", "page_view", at(loc, 9, 23, 30)},
		{"new3", "signup", at(loc, 10, 0, 30)},
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertRaw(ctx, tx, db.Dialect, org, fresh); err != nil {
		t.Fatal(err)
	}
	batch := touches(org, fresh)
	for i := range batch {
		batch[i].First = true
	}
	c := &countingTx{ExecQuerier: tx}
	rec, err := visitors.Record(ctx, c, db.Dialect, batch)
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect == dialect.Postgres {
		// The time zones, then the rollup's function, which takes no visitor's lock for first visits.
		if c.queries != 1 || c.execs != 1 {
			t.Errorf("first visits: %d queries and %d statements, want 1 and 1", c.queries, c.execs)
		}
		if n := advisoryLocks(t, tx); n != 0 {
			t.Errorf("first visits: %d advisory locks held, want none", n)
		}
	} else if c.queries != 2 || c.execs != 1 {
		// The time zones, the visitor days, the histogram: no read of the visitors' days.
		t.Errorf("first visits: %d queries and %d statements, want 2 and 1", c.queries, c.execs)
	}
	if err := rec.Commit(tx.Commit); err != nil {
		t.Fatal(err)
	}
	// new1 comes back: a returning visitor's new day reads its days under the visitor's lock.
	again := []event{{"new1", "page_view", at(loc, 11, 12, 0)}}
	tx, err = db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertRaw(ctx, tx, db.Dialect, org, again); err != nil {
		t.Fatal(err)
	}
	if rec, err = visitors.Record(ctx, tx, db.Dialect, touches(org, again)); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == dialect.Postgres {
		if n := advisoryLocks(t, tx); n != 1 {
			t.Errorf("a returning visitor's new day: %d advisory locks held, want 1", n)
		}
	}
	if err := rec.Commit(tx.Commit); err != nil {
		t.Fatal(err)
	}
	checkRebuild(t, db, org)
	checkRanges(t, db, org, "Europe/Madrid", date(7), date(12))
}

// advisoryLocks counts the advisory locks tx's session holds (PostgreSQL).
func advisoryLocks(t *testing.T, tx *stdsql.Tx) int {
	t.Helper()
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPostgresCallWaitsForZoneChange: a statement that records days computed in a time zone that a transaction is
// changing waits for that transaction, then refuses the days (StaleZone) rather than record them in the old zone;
// built again, it records them in the new one. PostgreSQL only: the function and its locks are PostgreSQL's.
func TestPostgresCallWaitsForZoneChange(t *testing.T) {
	db, _ := dbtest.Open(t)
	if db.Dialect != dialect.Postgres {
		t.Skip("the rollup's function is PostgreSQL's; SQLite records in Go")
	}
	ctx := context.Background()
	org := newOrg(t, db, "Acme", "UTC")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	write(t, db, org, []event{{"v1", "page_view", at(time.UTC, 9, 10, 0)}, {"v2", "page_view", at(time.UTC, 9, 20, 0)}})
	// Stores one event and records its day in one statement, as the tracking writer does.
	store := func(visitor string, when time.Time) (attempts int, err error) {
		for {
			attempts++
			touch := []visitors.Touch{{OrgID: org, Kind: visitors.Visit, VisitorID: visitor, At: when}}
			call, err := visitors.PostgresCall(ctx, db.SQL, touch, 6, true)
			if err != nil {
				return attempts, err
			}
			_, err = db.SQL.ExecContext(ctx, "WITH stored AS (INSERT INTO attribution_events (id, organization_id, visitor_id, event_type, created_at) "+
				"VALUES ($1, $2, $3, $4, $5)) SELECT "+call.SQL,
				append([]any{prefixed.New("evt"), org, visitor, "page_view", when.UTC()}, call.Args...)...)
			if !visitors.StaleZone(err) {
				if err == nil {
					call.Recorded.Remember()
				}
				return attempts, err
			}
			visitors.ForgetZones()
		}
	}
	// The zone is in the cache of hints now.
	if _, err := store("v3", at(time.UTC, 9, 12, 0)); err != nil {
		t.Fatal(err)
	}

	tx, err := db.Client.Tx(sys)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := tx.Organization.UpdateOneID(org).SetTimezone("Asia/Tokyo").Exec(sys); err != nil {
		t.Fatal(err)
	}
	changer := backendPID(t, tx)
	// 9 March 20:00 UTC is the 9th in UTC and the 10th in Tokyo.
	type result struct {
		attempts int
		err      error
	}
	done := make(chan result, 1)
	go func() {
		n, err := store("v4", at(time.UTC, 9, 20, 0))
		done <- result{n, err}
	}()
	for waiting := false; !waiting; {
		select {
		case r := <-done:
			t.Fatalf("recorded while the zone change was uncommitted (attempts %d, error %v)", r.attempts, r.err)
		default:
		}
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))", changer).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.attempts != 2 {
		t.Fatalf("after the zone change: %d attempts, error %v; want 2 attempts (refused once), no error", r.attempts, r.err)
	}
	got := rollup(t, db, org)
	if !got.days["VISIT v4 "+at(tokyo, 10, 0, 0).Format(time.DateOnly)] {
		t.Errorf("v4's day in Tokyo missing: %v", slices.Sorted(maps.Keys(got.days)))
	}
	// The new generation holds only v4's day until the Rebuilder has added the others'.
	pass(t, db, visitors.RebuilderOptions{})
	checkRebuild(t, db, org)
}

// backendPID is the PostgreSQL backend that runs tx.
func backendPID(t *testing.T, tx *ent.Tx) int {
	t.Helper()
	rows, err := tx.QueryContext(sys, "SELECT pg_backend_pid()")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var pid int
	for rows.Next() {
		if err := rows.Scan(&pid); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return pid
}
