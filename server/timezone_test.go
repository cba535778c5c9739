package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

// tzTestEvents is how many events TestTimezoneChangeDoesNotHoldTracking loads: TZ_TEST_EVENTS, or by default
// 200,000 on PostgreSQL and 50,000 on SQLite, a tenth of that under the race detector (and a tenth again with
// -short), so that the test stays well under a minute in CI. The figures of the README (1,000,000 events) come
// from TZ_TEST_EVENTS=1000000 without -race.
func tzTestEvents(t *testing.T, dia string) int {
	if s := os.Getenv("TZ_TEST_EVENTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			t.Fatalf("TZ_TEST_EVENTS=%q: want a number ≥ 1000", s)
		}
		return n
	}
	n := 50_000
	if dia == dialect.Postgres {
		n = 200_000
	}
	if raceEnabled {
		n /= 10
	}
	if testing.Short() {
		n /= 10
	}
	return n
}

// hit is one pixel request of the load.
type hit struct {
	start  time.Time
	took   time.Duration
	status int
	stored bool // answered 200 without an X-MarketingOS-Dropped reason
	err    error
}

// pixelLoad sends pixel hits through the real route from several clients until stopped: half from returning
// visitors (a mos_vid cookie of the loaded ones), half from new ones.
type pixelLoad struct {
	mu   sync.Mutex
	hits []hit
	stop chan struct{}
	wg   sync.WaitGroup
}

func startPixelLoad(env *apitest.Env, key string, population int, clients int, pace time.Duration) *pixelLoad {
	l := &pixelLoad{stop: make(chan struct{})}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	for c := range clients {
		l.wg.Go(func() {
			defer client.CloseIdleConnections()
			r := rand.New(rand.NewPCG(uint64(c), 99))
			tick := time.NewTicker(pace)
			defer tick.Stop()
			for {
				select {
				case <-l.stop:
					return
				case <-tick.C:
				}
				q := url.Values{"k": {key}, "url": {fmt.Sprintf("https://acme.example/page/%d", r.IntN(50))}}
				req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/api/tracking/pixel.gif?"+q.Encode(), nil)
				req.Header.Set("User-Agent", browserUA)
				if r.IntN(2) == 0 {
					req.AddCookie(&http.Cookie{Name: "mos_vid", Value: loadedVisitor(r.IntN(population))})
				}
				h := hit{start: time.Now()}
				res, err := client.Do(req)
				h.took = time.Since(h.start)
				if err != nil {
					h.err = err
				} else {
					h.status = res.StatusCode
					h.stored = res.StatusCode == http.StatusOK && res.Header.Get("X-MarketingOS-Dropped") == ""
					res.Body.Close()
				}
				l.mu.Lock()
				l.hits = append(l.hits, h)
				l.mu.Unlock()
			}
		})
	}
	return l
}

// halt stops the clients and returns every hit.
func (l *pixelLoad) halt() []hit {
	close(l.stop)
	l.wg.Wait()
	return l.hits
}

func (l *pixelLoad) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hits)
}

// latencies summarises the hits that started in [from, to).
type latencies struct {
	n, failed     int
	p50, p99, max time.Duration
}

func summarise(hits []hit, from, to time.Time) latencies {
	var ds []time.Duration
	var s latencies
	for _, h := range hits {
		if h.start.Before(from) || !h.start.Before(to) {
			continue
		}
		ds = append(ds, h.took)
		if !h.stored {
			s.failed++
		}
	}
	s.n = len(ds)
	if s.n == 0 {
		return s
	}
	slices.Sort(ds)
	s.p50, s.p99, s.max = ds[s.n/2], ds[min(s.n-1, s.n*99/100)], ds[s.n-1]
	return s
}

func (s latencies) String() string {
	return fmt.Sprintf("%d hits (%d not stored), p50 %v, p99 %v, max %v", s.n, s.failed,
		s.p50.Round(100*time.Microsecond), s.p99.Round(100*time.Microsecond), s.max.Round(100*time.Microsecond))
}

func loadedVisitor(i int) string { return fmt.Sprintf("v_%07d", i) }

// loadEvents writes n events of org over the last 30 days straight into the table (COPY on PostgreSQL, multi-row
// INSERTs on SQLite), from n/20 visitors of whom a few come back often, 2% of them purchases, then fills the
// visitors rollup as a database that predates it is (visitors.Backfill). It returns the population.
func loadEvents(t *testing.T, db *store.DB, org string, n int) int {
	t.Helper()
	ctx := context.Background()
	population := max(n/20, 10)
	r := rand.New(rand.NewPCG(7, 7))
	now := time.Now().UTC()
	columns := []string{attributionevent.FieldID, attributionevent.FieldOrganizationID, attributionevent.FieldVisitorID,
		attributionevent.FieldEventType, attributionevent.FieldValue, attributionevent.FieldCurrency,
		attributionevent.FieldURL, attributionevent.FieldCreatedAt}
	row := func() []any {
		visitor := loadedVisitor(int(float64(population) * r.Float64() * r.Float64()))
		at := now.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
		if r.IntN(50) == 0 {
			return []any{prefixed.New("evt"), org, visitor, attribution.PurchaseEvent, int64(1000 + r.IntN(9000)), "USD", nil, at}
		}
		return []any{prefixed.New("evt"), org, visitor, "page_view", nil, nil, fmt.Sprintf("https://acme.example/page/%d", r.IntN(50)), at}
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect == dialect.Postgres {
		stmt, err := tx.PrepareContext(ctx, "COPY "+attributionevent.Table+" ("+strings.Join(columns, ", ")+") FROM STDIN")
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			if _, err := stmt.ExecContext(ctx, row()...); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			t.Fatal(err)
		}
		if err := stmt.Close(); err != nil {
			t.Fatal(err)
		}
	} else {
		for left := n; left > 0; left -= 100 {
			ins := entsql.Dialect(db.Dialect).Insert(attributionevent.Table).Columns(columns...)
			for range min(left, 100) {
				ins.Values(row()...)
			}
			query, args := ins.Query()
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == dialect.Postgres {
		if _, err := db.SQL.ExecContext(ctx, "ANALYZE attribution_events"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := visitors.Backfill(ctx, db.SQL, db.Dialect); err != nil {
		t.Fatal(err)
	}
	return population
}

// TestTimezoneChangeDoesNotHoldTracking: an ADMIN changes the time zone of an organization with many events while
// pixel hits arrive. The change answers at once and no hit fails or waits for the rebuild of the visitors
// rollup, which runs in the background (a visitors-rebuild JobRun); once it has succeeded, the dashboard's
// visitors are those the events give, and a rebuild from scratch changes none of them. For comparison the old way,
// the rebuild in the change's transaction, is timed on the same data and load: how long it held the hits.
func TestTimezoneChangeDoesNotHoldTracking(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRACKING_RATE_PER_IP", "0"), apitest.WithEnv("TRACKING_RATE_PER_KEY", "0"))
	org := env.NewOrg(t, "Acme")
	admin := env.NewMember(t, org, viewer.Admin)
	sys := viewer.SystemContext(context.Background())
	n := tzTestEvents(t, env.DB.Dialect)
	start := time.Now()
	population := loadEvents(t, env.DB, org.ID, n)
	t.Logf("%s: loaded %d events of %d visitors and their rollup in %v", env.DB.Dialect, n, population, time.Since(start).Round(time.Millisecond))

	// About 200 hits a second (less when the machine cannot keep up), half of them from returning visitors.
	clients, pace := 4, 20*time.Millisecond
	load := startPixelLoad(env, org.TrackingKey, population, clients, pace)
	halted := false
	defer func() {
		if !halted {
			load.halt()
		}
	}()
	// A second of traffic without a change, for comparison (after the first hits have warmed the caches).
	for load.count() < clients {
		time.Sleep(5 * time.Millisecond)
	}
	quiet := time.Now()
	time.Sleep(time.Second)

	changed := time.Now()
	var updated struct{ UpdateOrganization struct{ Timezone string } }
	admin.GraphQL(t, contractOp(t, "UpdateOrganization"), map[string]any{"input": map[string]any{"timezone": "America/New_York"}}).Decode(t, &updated)
	changeLatency := time.Since(changed)
	if updated.UpdateOrganization.Timezone != "America/New_York" {
		t.Fatalf("updateOrganization: %+v", updated)
	}

	// Wait for the rebuild's run to end (polling the JobRun), then read it as an administrator sees it.
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		n, err := env.DB.Client.JobRun.Query().Where(jobrun.Job(visitors.JobName), jobrun.OrganizationID(org.ID),
			jobrun.StatusNEQ(jobrun.StatusRUNNING)).Count(sys)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the rebuild did not end within five minutes")
		}
	}
	rebuilt := time.Now()
	hits := load.halt()
	halted = true
	var runs struct {
		JobRuns struct {
			Edges []struct {
				Node struct {
					Job        string
					Status     string
					StartedAt  time.Time
					FinishedAt *time.Time
					Stats      map[string]any
					Error      *string
				}
			}
		}
	}
	admin.GraphQL(t, contractOp(t, "JobRuns"), map[string]any{"first": 1}).Decode(t, &runs)
	if len(runs.JobRuns.Edges) != 1 {
		t.Fatalf("jobRuns: %+v", runs)
	}
	run := runs.JobRuns.Edges[0].Node
	if run.Job != visitors.JobName || run.Status != "SUCCEEDED" || run.FinishedAt == nil || run.Stats["zone"] != "America/New_York" {
		t.Fatalf("the rebuild's run: %+v", run)
	}
	before, during := summarise(hits, quiet, changed), summarise(hits, changed, rebuilt)
	t.Logf("%s, %d events: time zone change answered in %v; rebuild %v in the background (%v visitors, %v chunks, %v older rows deleted)",
		env.DB.Dialect, n, changeLatency.Round(100*time.Microsecond), run.FinishedAt.Sub(run.StartedAt).Round(time.Millisecond),
		run.Stats["visitors"], run.Stats["chunks"], run.Stats["deleted"])
	t.Logf("hits without a change: %v", before)
	t.Logf("hits from the change to the end of the rebuild: %v", during)
	for _, h := range hits {
		if !h.stored {
			t.Errorf("a hit at %v was not stored: status %d, error %v", h.start.Sub(changed).Round(time.Millisecond), h.status, h.err)
		}
	}
	if during.n == 0 {
		t.Error("no hit was sent during the rebuild")
	}
	if changeLatency > 2*time.Second {
		t.Errorf("the time zone change took %v to answer", changeLatency)
	}

	// The dashboard's visitors, now from the new zone's rollup, are those of the events, for ranges of whole days
	// (from the rollup alone) and of partial ones (joined with the events).
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	o, err := env.DB.Client.Organization.Get(sys, org.ID)
	if err != nil || !visitors.Ready(o) {
		t.Fatalf("after the rebuild: %+v, %v", o, err)
	}
	today := time.Now().In(ny)
	midnight := func(daysAgo int) time.Time {
		return time.Date(today.Year(), today.Month(), today.Day()-daysAgo, 0, 0, 0, 0, ny)
	}
	ranges := [][2]time.Time{
		{midnight(29), midnight(0).AddDate(0, 0, 1).Add(-time.Millisecond)},  // the last 30 days
		{midnight(13), midnight(6).Add(-time.Millisecond)},                   // a week
		{midnight(3), midnight(2).Add(-time.Millisecond)},                    // a day
		{midnight(20).Add(90 * time.Minute), midnight(2).Add(5 * time.Hour)}, // partial first and last days
	}
	dashboards := func() []dashboardVisitors {
		out := make([]dashboardVisitors, len(ranges))
		for i, rg := range ranges {
			out[i] = dashboardOf(t, admin, rg[0], rg[1])
		}
		return out
	}
	got := dashboards()
	for i, rg := range ranges {
		want := eventVisitors(t, env.DB, org.ID, ny, rg[0], rg[1])
		if !slices.Equal(got[i].series, want.series) || got[i].visitors != want.visitors {
			t.Errorf("%v to %v: dashboard %d visitors %v, events %d %v", rg[0], rg[1], got[i].visitors, got[i].series, want.visitors, want.series)
		}
	}
	// A rebuild from scratch, in a transaction, changes none of the numbers.
	tx, err := env.DB.SQL.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := visitors.Rebuild(context.Background(), tx, env.DB.Dialect, org.ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, again := range dashboards() {
		if !slices.Equal(again.series, got[i].series) || again.visitors != got[i].visitors {
			t.Errorf("%v to %v: %d %v after a rebuild from scratch, %d %v before", ranges[i][0], ranges[i][1], again.visitors, again.series, got[i].visitors, got[i].series)
		}
	}

	// The old way, for comparison: the zone changed and the rollup rebuilt in one transaction that holds the
	// organization (on SQLite, every write) meanwhile.
	load = startPixelLoad(env, org.TrackingKey, population, clients, pace)
	halted = false
	time.Sleep(200 * time.Millisecond)
	held := time.Now()
	oldWay(t, env.DB, org.ID, "Asia/Kolkata")
	released := time.Now()
	time.Sleep(200 * time.Millisecond)
	hits = load.halt()
	halted = true
	t.Logf("the old way (rebuild in the change's transaction): held tracking %v; hits meanwhile: %v",
		released.Sub(held).Round(time.Millisecond), summarise(hits, held, released))
}

// oldWay changes org's time zone as the hook did before the background rebuild: in one transaction, the
// organization locked FOR UPDATE, its rollup rebuilt from the events before the commit.
func oldWay(t *testing.T, db *store.DB, org, zone string) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	lock := ""
	if db.Dialect == dialect.Postgres {
		lock = " FOR UPDATE"
	}
	b := entsql.Dialect(db.Dialect)
	query, args := b.Select(organization.FieldID).From(entsql.Table(organization.Table)).
		Where(entsql.EQ(organization.FieldID, org)).Query()
	if _, err := tx.ExecContext(ctx, query+lock, args...); err != nil {
		t.Fatal(err)
	}
	query, args = b.Update(organization.Table).Set(organization.FieldTimezone, zone).
		Add(organization.FieldVisitorsGeneration, 1).Where(entsql.EQ(organization.FieldID, org)).Query()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		t.Fatal(err)
	}
	if err := visitors.Rebuild(ctx, tx, db.Dialect, org); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// dashboardVisitors is what the dashboard says of a range's visitors.
type dashboardVisitors struct {
	visitors int
	series   []int // per day of the range
}

func dashboardOf(t *testing.T, m *apitest.Member, from, to time.Time) dashboardVisitors {
	t.Helper()
	var res struct {
		Dashboard struct {
			Visitors int
			Series   []struct{ Visitors int }
		}
	}
	m.GraphQL(t, contractOp(t, "Dashboard"), map[string]any{"from": from, "to": to}).Decode(t, &res)
	out := dashboardVisitors{visitors: res.Dashboard.Visitors}
	for _, p := range res.Dashboard.Series {
		out.series = append(out.series, p.Visitors)
	}
	return out
}

// eventVisitors counts the distinct visitors of org's events in [from, to], in total and per local day of loc, as
// the dashboard defines them, straight from the events.
func eventVisitors(t *testing.T, db *store.DB, org string, loc *time.Location, from, to time.Time) dashboardVisitors {
	t.Helper()
	count := func(from, to time.Time) int {
		query, args := entsql.Dialect(db.Dialect).SelectExpr(entsql.Raw("COUNT(DISTINCT visitor_id)")).
			From(entsql.Table(attributionevent.Table)).
			Where(entsql.And(entsql.EQ(attributionevent.FieldOrganizationID, org),
				entsql.NotIn(attributionevent.FieldEventType, attribution.PurchaseEvent, attribution.RefundEvent),
				entsql.GTE(attributionevent.FieldCreatedAt, from.UTC()), entsql.LTE(attributionevent.FieldCreatedAt, to.UTC()))).
			Query()
		var n int
		if err := db.SQL.QueryRow(query, args...).Scan(&n); err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		return n
	}
	out := dashboardVisitors{visitors: count(from, to)}
	local := from.In(loc)
	for day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc); !day.After(to); day = day.AddDate(0, 0, 1) {
		next := day.AddDate(0, 0, 1)
		out.series = append(out.series, count(maxTime(day, from), minTime(next.Add(-time.Nanosecond), to)))
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
