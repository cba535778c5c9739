package dashboard_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/period"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

// The benchmark's knobs, all environment variables, because it needs a PostgreSQL and minutes of loading:
//
//	DASHBOARD_BENCH_EVENTS   enables it; the number of events to load (empty: 1,000,000); purchases are 2% of it
//	DASHBOARD_BENCH_SCHEMA   a PostgreSQL schema to keep the loaded data in and reuse on the next run
//	DASHBOARD_BENCH_SQL      statements (separated by ;) run on the loaded data before timing, e.g. an index
//	DASHBOARD_BENCH_EXPLAIN  a file to write EXPLAIN ANALYZE of every query of one computation to
//
// go test ./internal/dashboard/ -run '^$' -bench Compute -benchtime 30x with TEST_DATABASE_URL set (make
// bench-dashboard).
const (
	benchOrgName = "bench"
	benchDays    = 30
)

// BenchmarkCompute times a 30-day dashboard over a realistic organization: 1M events from 50k visitors over 30
// days, 20k purchases with their credits under every model, 2% of them refunded, 20 campaigns with daily metrics,
// beside a smaller second organization. The visitors rollup is written as the tracking writer writes it. It
// reports the p50 and p99 latency of Compute for the default range (counted from the rollup), for a range whose
// first and last days are partial (Partial: those days counted from their events), of the default range's visitors
// counted from the events alone (RawVisitors, the baseline), and of the attribution report for each grouping.
func BenchmarkCompute(b *testing.B) {
	n, ok := os.LookupEnv("DASHBOARD_BENCH_EVENTS")
	if !ok || os.Getenv(dbtest.EnvURL) == "" {
		b.Skip("set TEST_DATABASE_URL and DASHBOARD_BENCH_EVENTS to run against PostgreSQL")
	}
	events := 1_000_000
	if n != "" {
		v, err := strconv.Atoi(n)
		if err != nil || v < 1000 {
			b.Fatalf("DASHBOARD_BENCH_EVENTS=%q: want a number ≥ 1000", n)
		}
		events = v
	}
	ctx := context.Background()
	db := benchDB(b)
	sys := viewer.SystemContext(ctx)
	org, err := db.Client.Organization.Query().Where(organization.Name(benchOrgName)).Only(sys)
	if ent.IsNotFound(err) {
		start := time.Now()
		org = loadBench(b, db, events)
		b.Logf("loaded %d events in %v", events, time.Since(start).Round(time.Second))
	} else if err != nil {
		b.Fatal(err)
	}
	for _, stmt := range strings.Split(os.Getenv("DASHBOARD_BENCH_SQL"), ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		start := time.Now()
		if _, err := db.SQL.ExecContext(ctx, stmt); err != nil {
			b.Fatalf("%s: %v", stmt, err)
		}
		b.Logf("%s: %v", strings.TrimSpace(stmt), time.Since(start).Round(time.Millisecond))
	}
	// Only this schema's tables: a bare VACUUM would visit every schema of the shared test database.
	if _, err := db.SQL.ExecContext(ctx, "VACUUM ANALYZE attribution_events, attribution_credits, campaign_metrics, campaigns, visitor_days, daily_visitors"); err != nil {
		b.Fatal(err)
	}

	tenant := viewer.ForOrganization(ctx, org.ID)
	now := time.Now()
	from, to, err := period.Resolve(nil, nil, period.Location(org.Timezone), now)
	if err != nil {
		b.Fatal(err)
	}
	client := db.Client
	if path := os.Getenv("DASHBOARD_BENCH_EXPLAIN"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		client = ent.NewClient(ent.Driver(explainDriver{Driver: entsql.OpenDB(dialect.Postgres, db.SQL), db: db.SQL, out: f}))
	}
	d, err := dashboard.Compute(tenant, client, org, from, to, now) // also warms the caches
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("visitors %d, converting rate %.4f, revenue %.2f %s, spend %.2f, conversions %.0f, %d days, top %v",
		d.Visitors, deref(d.ConversionRate), d.Revenue, d.Currency, d.Spend, d.Conversions, len(d.Series), d.TopSources)
	// The rollup must count what the events count (the range is whole days: it ends now).
	rolled, err := dashboard.CountVisitors(tenant, db.Client, org, from, to, now, false)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := dashboard.CountVisitors(tenant, db.Client, org, from, to, now, true)
	if err != nil {
		b.Fatal(err)
	}
	if rolled.Total != raw.Total || rolled.Converting != raw.Converting || !maps.Equal(rolled.ByDay, raw.ByDay) {
		b.Fatalf("rollup %+v, events %+v", rolled, raw)
	}

	// timeCompute times Compute of the range with the given now, with the time spent in each table's queries, to
	// show where an improvement must come from.
	timeCompute := func(b *testing.B, from, now time.Time) {
		timed := &timingDriver{Driver: entsql.OpenDB(dialect.Postgres, db.SQL), spent: map[string]time.Duration{}}
		client := ent.NewClient(ent.Driver(timed))
		var took []time.Duration
		parts := map[string][]time.Duration{}
		for b.Loop() {
			clear(timed.spent)
			start := time.Now()
			if _, err := dashboard.Compute(tenant, client, org, from, to, now); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
			for table, d := range timed.spent {
				parts[table] = append(parts[table], d)
			}
		}
		reportPercentiles(b, took)
		for table, ds := range parts {
			b.ReportMetric(percentile(ds, 0.5), table+"-p50-ms")
		}
	}
	// The default range, which ends now: visitors come from the rollup.
	b.Run("Compute", func(b *testing.B) { timeCompute(b, from, now) })
	// The range starting 90 minutes later and seen a second after it ended: its first and last days are partial,
	// counted from their events and joined with the rollup's whole days.
	b.Run("Partial", func(b *testing.B) { timeCompute(b, from.Add(90*time.Minute), to.Add(time.Second)) })
	// The baseline: the default range's visitors counted from the events alone, as every range was before the
	// rollup (the visitors only: they were nearly all of the dashboard's time).
	b.Run("RawVisitors", func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			if _, err := dashboard.CountVisitors(tenant, db.Client, org, from, to, now, true); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		reportPercentiles(b, took)
	})

	// The attributionReport query of the default range under LAST_TOUCH, for each grouping.
	for _, dim := range []attribution.Dimension{attribution.BySource, attribution.ByMedium, attribution.ByCampaign} {
		b.Run("Report/"+string(dim), func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				rep, err := attribution.ReportForRange(tenant, db.Client, org.ID, attribution.LastTouch, dim, nil, nil)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				if len(rep.Rows) == 0 {
					b.Fatal("empty report")
				}
			}
			reportPercentiles(b, took)
		})
	}
}

// percentile returns the p-th percentile of ds in milliseconds; it sorts ds.
func percentile(ds []time.Duration, p float64) float64 {
	slices.Sort(ds)
	return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
}

func reportPercentiles(b *testing.B, ds []time.Duration) {
	b.ReportMetric(percentile(ds, 0.50), "p50-ms")
	b.ReportMetric(percentile(ds, 0.99), "p99-ms")
}

// benchDB opens the benchmark's database: a fresh schema dropped afterwards, or the kept one that
// DASHBOARD_BENCH_SCHEMA names.
func benchDB(b *testing.B) *store.DB {
	keep := os.Getenv("DASHBOARD_BENCH_SCHEMA")
	if keep == "" {
		db, _ := dbtest.Open(b)
		return db
	}
	ctx := context.Background()
	admin, err := sql.Open("postgres", os.Getenv(dbtest.EnvURL))
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+pq.QuoteIdentifier(keep)); err != nil {
		b.Fatal(err)
	}
	u, err := url.Parse(os.Getenv(dbtest.EnvURL))
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", keep)
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, store.Postgres, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// source is a channel of the generated traffic with its share of sessions.
type source struct {
	name, medium string
	campaigns    int // how many of the paid campaigns it runs; 0 for none
	share        float64
}

var sources = []source{
	{"google", "cpc", 8, 0.30},
	{"", "", 0, 0.25}, // direct
	{"facebook", "paid_social", 8, 0.20},
	{"newsletter", "email", 0, 0.08},
	{"bing", "cpc", 4, 0.05},
	{"twitter", "social", 0, 0.04},
	{"linkedin", "social", 0, 0.03},
	{"news.ycombinator.com", "referral", 0, 0.03},
	{"reddit.com", "referral", 0, 0.02},
}

func pickSource(r *rand.Rand) source {
	x := r.Float64()
	for _, s := range sources {
		if x < s.share {
			return s
		}
		x -= s.share
	}
	return sources[0]
}

// loadBench writes the benchmark's organizations and returns the measured one.
func loadBench(b *testing.B, db *store.DB, events int) *ent.Organization {
	ctx := context.Background()
	sys := viewer.SystemContext(ctx)
	var org *ent.Organization
	for i, name := range []string{benchOrgName, "neighbour"} {
		c, err := account.CreateOrganization(ctx, db.Client, name, account.Options{})
		if err != nil {
			b.Fatal(err)
		}
		o, err := db.Client.Organization.UpdateOne(c.Organization).SetTimezone("America/New_York").Save(sys)
		if err != nil {
			b.Fatal(err)
		}
		n := events
		if i == 1 {
			n = events / 5 // another tenant in the same tables
		} else {
			org = o
		}
		loadOrg(b, db, o, n, uint64(i+1))
	}
	// What a time zone change (or Backfill, on an upgraded database) costs: the rollup rebuilt from the events.
	start := time.Now()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := visitors.Rebuild(ctx, tx, dialect.Postgres, org.ID); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: rebuilt the visitors rollup of %d events in %v", org.Name, events, time.Since(start).Round(time.Millisecond))
	return org
}

// touch is a session's channel, with its first and last hits (the same event for a one-page session).
type touch struct {
	id, lastID, source, medium, campaign string
}

// loadOrg writes events sessions of a few page views each, from visitors who come back (a skewed few come back
// often), then purchases after a session, with credits, and campaigns with 30 days of metrics.
func loadOrg(b *testing.B, db *store.DB, org *ent.Organization, events int, seed uint64) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 42))
	population := max(events/20, 10)
	end := time.Now().UTC()
	start := end.Add(-benchDays * 24 * time.Hour)
	campaignName := func(s source, i int) string { return fmt.Sprintf("%s_campaign_%d", s.name, i) }

	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	// No deferred Rollback: lib/pq cannot roll back in the middle of a COPY; a failed load abandons the
	// connection and the schema.
	stmt, err := tx.PrepareContext(ctx, copyFrom(attributionevent.Table,
		attributionevent.FieldID, attributionevent.FieldOrganizationID, attributionevent.FieldVisitorID,
		attributionevent.FieldSessionID, attributionevent.FieldEventType, attributionevent.FieldValue,
		attributionevent.FieldCurrency, attributionevent.FieldSource, attributionevent.FieldMedium,
		attributionevent.FieldCampaign, attributionevent.FieldURL, attributionevent.FieldExternalRef,
		attributionevent.FieldCreatedAt))
	if err != nil {
		b.Fatal(err)
	}
	type session struct {
		visitor string
		end     time.Time
		touch   touch
	}
	var sessions []session
	var touches []visitors.Touch // refunds are none
	purchases := events / 50
	written := 0
	for written < events-2*purchases {
		// Zipf-like: a few visitors return often, most once or twice.
		v := int(float64(population) * r.Float64() * r.Float64())
		visitor := fmt.Sprintf("v_%07d", v)
		sessionID := fmt.Sprintf("s_%d", len(sessions))
		at := start.Add(time.Duration(r.Int64N(int64(end.Sub(start) - time.Hour))))
		s := pickSource(r)
		var camp string
		if s.campaigns > 0 {
			camp = campaignName(s, r.IntN(s.campaigns))
		}
		var first touch
		pages := 1 + r.IntN(8)
		for p := range pages {
			typ := "page_view"
			if p == pages-1 && r.IntN(30) == 0 {
				typ = "signup"
			}
			id := prefixed.New("evt")
			if p == 0 {
				first = touch{id: id, source: s.name, medium: s.medium, campaign: camp}
			}
			first.lastID = id
			if _, err := stmt.ExecContext(ctx, id, org.ID, visitor, sessionID, typ, nil, nil, nullable(s.name),
				nullable(s.medium), nullable(camp), fmt.Sprintf("https://acme.example/page/%d", r.IntN(50)), nil, at); err != nil {
				b.Fatal(err)
			}
			touches = append(touches, visitors.Touch{OrgID: org.ID, Kind: visitors.Visit, VisitorID: visitor, At: at})
			at = at.Add(time.Duration(5+r.IntN(120)) * time.Second)
			written++
		}
		sessions = append(sessions, session{visitor, at, first})
	}

	type purchase struct {
		id       string
		at       time.Time
		value    int64
		currency string
		touch    touch
		refundID string // the refund event, when refunded
	}
	bought := make([]purchase, 0, purchases)
	for i := range purchases {
		s := sessions[r.IntN(len(sessions))]
		p := purchase{id: prefixed.New("evt"), at: s.end.Add(time.Minute), value: int64(1000 + r.IntN(49000)),
			currency: "USD", touch: s.touch}
		if r.IntN(50) == 0 {
			p.currency = "EUR"
		}
		if p.at.After(end) {
			p.at = end
		}
		ref := fmt.Sprintf("pi_%d_%d", seed, i)
		if _, err := stmt.ExecContext(ctx, p.id, org.ID, s.visitor, nil, "purchase", p.value, p.currency, nil, nil,
			nil, nil, ref, p.at); err != nil {
			b.Fatal(err)
		}
		touches = append(touches, visitors.Touch{OrgID: org.ID, Kind: visitors.Purchase, VisitorID: s.visitor, At: p.at})
		if r.IntN(50) == 0 {
			p.refundID = prefixed.New("evt")
			if _, err := stmt.ExecContext(ctx, p.refundID, org.ID, s.visitor, nil, "refund", p.value,
				p.currency, nil, nil, nil, nil, ref, p.at.Add(24*time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
		bought = append(bought, p)
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		b.Fatal(err)
	}
	if err := stmt.Close(); err != nil {
		b.Fatal(err)
	}
	// Credits: one per model, LINEAR, TIME_DECAY and POSITION_BASED split over two touchpoints as longer paths are;
	// a refund negates them all with the purchase's conversion time.
	stmt, err = tx.PrepareContext(ctx, copyFrom(attributioncredit.Table,
		attributioncredit.FieldID, attributioncredit.FieldOrganizationID, attributioncredit.FieldConversionID,
		attributioncredit.FieldTouchpointID, attributioncredit.FieldModel, attributioncredit.FieldWeight,
		attributioncredit.FieldConversions, attributioncredit.FieldRevenue, attributioncredit.FieldCurrency,
		attributioncredit.FieldSource, attributioncredit.FieldMedium, attributioncredit.FieldCampaign,
		attributioncredit.FieldConvertedAt, attributioncredit.FieldCreatedAt))
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range bought {
		src := p.touch.source
		if src == "" {
			src = "(direct)"
		}
		write := func(model, touchpoint string, weight float64, sign int64) {
			conv := weight
			if sign < 0 {
				conv = -weight
			}
			conversion := p.id
			if sign < 0 {
				conversion = p.refundID
			}
			if _, err := stmt.ExecContext(ctx, prefixed.New("crd"), org.ID, conversion, nullable(touchpoint), model, weight, conv,
				sign*int64(float64(p.value)*weight), p.currency, src, p.touch.medium, p.touch.campaign, p.at, p.at); err != nil {
				b.Fatal(err)
			}
		}
		for _, sign := range []int64{1, -1} {
			if sign < 0 && p.refundID == "" {
				break
			}
			write("FIRST_TOUCH", p.touch.id, 1, sign)
			write("LAST_TOUCH", p.touch.id, 1, sign)
			second := ""
			if p.touch.lastID != p.touch.id {
				second = p.touch.lastID
			}
			for _, m := range []string{"LINEAR", "TIME_DECAY", "POSITION_BASED"} {
				write(m, p.touch.id, 0.5, sign)
				write(m, second, 0.5, sign)
			}
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		b.Fatal(err)
	}
	if err := stmt.Close(); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	recordBench(b, db, org, touches)

	// Campaigns: every paid source's, three in four active, each with a metric per day.
	sys := viewer.SystemContext(ctx)
	for _, s := range sources {
		for i := range s.campaigns {
			status := campaign.StatusACTIVE
			if i%4 == 3 {
				status = campaign.StatusPAUSED
			}
			platform := campaign.PlatformGOOGLE
			if s.name == "facebook" {
				platform = campaign.PlatformFACEBOOK
			}
			c, err := db.Client.Campaign.Create().SetOrganizationID(org.ID).SetName(campaignName(s, i)).
				SetPlatform(platform).SetStatus(status).SetDailyBudget(10000).
				SetUtmCampaign(campaignName(s, i)).Save(sys)
			if err != nil {
				b.Fatal(err)
			}
			var metrics []*ent.CampaignMetricCreate
			for d := range benchDays + 1 {
				day := time.Date(end.Year(), end.Month(), end.Day()-d, 0, 0, 0, 0, time.UTC)
				metrics = append(metrics, db.Client.CampaignMetric.Create().SetOrganizationID(org.ID).
					SetCampaignID(c.ID).SetDate(day).SetCost(int64(2000+r.IntN(8000))).SetCurrency("USD"))
			}
			if err := db.Client.CampaignMetric.CreateBulk(metrics...).Exec(sys); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// recordBench writes the visitors rollup of the loaded events as the tracking writer would have: one Record per
// batch of 1,000 events, each in a transaction of its own. A batch's events are spread over the 30 days, so most of
// its days arrive out of order.
func recordBench(b *testing.B, db *store.DB, org *ent.Organization, touches []visitors.Touch) {
	ctx := context.Background()
	start := time.Now()
	var took []time.Duration
	for batch := range slices.Chunk(touches, 1000) {
		t := time.Now()
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		rec, err := visitors.Record(ctx, tx, dialect.Postgres, batch)
		if err != nil {
			b.Fatal(err)
		}
		if err := rec.Commit(tx.Commit); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t))
	}
	b.Logf("%s: recorded the visitors rollup of %d events in %v: %d batches of 1,000, p50 %.1f ms, p99 %.1f ms",
		org.Name, len(touches), time.Since(start).Round(time.Millisecond), len(took), percentile(took, 0.5), percentile(took, 0.99))
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// explainDriver writes the plan and timing of every query to out before running it.
type explainDriver struct {
	dialect.Driver
	db  *sql.DB
	out io.Writer
}

func (d explainDriver) Query(ctx context.Context, query string, args, v any) error {
	a, _ := args.([]any)
	rows, err := d.db.QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+query, a...)
	if err != nil {
		return err
	}
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		plan.WriteString(line + "\n")
	}
	if err := rows.Close(); err != nil {
		return err
	}
	fmt.Fprintf(d.out, "%s\n%v\n%s\n", query, a, plan.String())
	return d.Driver.Query(ctx, query, args, v)
}

// timingDriver adds up the time of the queries of each table (the first one the statement reads from).
type timingDriver struct {
	dialect.Driver
	spent map[string]time.Duration
}

func (d *timingDriver) Query(ctx context.Context, query string, args, v any) error {
	start := time.Now()
	err := d.Driver.Query(ctx, query, args, v)
	table := "other"
	if _, rest, ok := strings.Cut(query, ` FROM "`); ok {
		table, _, _ = strings.Cut(rest, `"`)
	}
	d.spent[table] += time.Since(start)
	return err
}

// copyFrom is the COPY … FROM STDIN statement lib/pq streams rows into, for table's columns.
func copyFrom(table string, columns ...string) string {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = pq.QuoteIdentifier(c)
	}
	return fmt.Sprintf("COPY %s (%s) FROM STDIN", pq.QuoteIdentifier(table), strings.Join(quoted, ", "))
}
