package dashboard_test

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TestVisitorsRollupMatchesEvents compares, on the fixture's DST weeks, the visitors the rollup counts with those
// the events give, for every whole-day range; then again after the organization moved to another time zone.
func TestVisitorsRollupMatchesEvents(t *testing.T) {
	db, _ := dbtest.Open(t)
	acme := seedAcme(t, db.Client)
	globex := newFixture(t, db.Client, "Globex", "America/New_York") // same visitors, other tenant
	globex.visit("v1", ny(time.March, 8, 10, 0), "google", "cpc", "")
	globex.buy("v30", ny(time.March, 9, 11, 0), 100, "USD", "pi_g1")

	check := func(org *ent.Organization, loc *time.Location, weeks ...[2]time.Time) {
		t.Helper()
		for _, w := range weeks {
			for from := w[0]; !from.After(w[1]); from = from.AddDate(0, 0, 1) {
				for to := from; !to.After(w[1]); to = to.AddDate(0, 0, 1) {
					start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
					// 23:59:59.999, not a nanosecond before midnight: PostgreSQL would round that bound up to the
					// microsecond, midnight, and the events would count a purchase made at midnight (v11's, in
					// Kolkata) on the wrong day.
					end := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc).Add(-time.Millisecond)
					raw, err := dashboard.CountVisitors(acme.ctx, db.Client, org, start, end, false)
					if err != nil {
						t.Fatal(err)
					}
					rolled, err := dashboard.CountVisitors(acme.ctx, db.Client, org, start, end, true)
					if err != nil {
						t.Fatal(err)
					}
					if rolled.Total != raw.Total || rolled.Converting != raw.Converting || !maps.Equal(rolled.ByDay, raw.ByDay) {
						t.Errorf("%s, %s to %s: rollup %+v, events %+v", loc, from.Format(time.DateOnly), to.Format(time.DateOnly), rolled, raw)
					}
				}
			}
		}
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	weeks := [][2]time.Time{{day(time.March, 4), day(time.March, 12)}, {day(time.October, 29), day(time.November, 4)}}
	check(acme.org, newYork, weeks...)

	// Kolkata is 9½ or 10½ hours ahead: most visits move to another day.
	org, err := db.Client.Organization.UpdateOne(acme.org).SetTimezone("Asia/Kolkata").Save(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	check(org, mustLoad("Asia/Kolkata"), weeks...)

	// The other tenant's rollup is its own, in its own zone.
	got, err := dashboard.CountVisitors(globex.ctx, db.Client, globex.org, nyMidnight(time.March, 1), endOf(time.March, 31), true)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != 1 || got.Converting != 1 {
		t.Errorf("Globex: %+v, want one visitor and one buyer", got)
	}
}

// tablesRead records the tables a client's queries read.
type tablesRead struct {
	dialect.Driver
	mu     sync.Mutex
	tables map[string]bool
}

func (d *tablesRead) Query(ctx context.Context, query string, args, v any) error {
	for _, quote := range []string{`"`, "`"} {
		if _, rest, ok := strings.Cut(query, " FROM "+quote); ok {
			table, _, _ := strings.Cut(rest, quote)
			d.mu.Lock()
			d.tables[table] = true
			d.mu.Unlock()
		}
	}
	return d.Driver.Query(ctx, query, args, v)
}

// TestVisitorsSource checks which ranges Compute counts from the rollup: those made of whole local days.
func TestVisitorsSource(t *testing.T) {
	db, _ := dbtest.Open(t)
	acme := seedAcme(t, db.Client)
	read := &tablesRead{Driver: entsql.OpenDB(db.Dialect, db.SQL), tables: map[string]bool{}}
	client := ent.NewClient(ent.Driver(read))
	now := time.Date(2026, time.March, 9, 18, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		from, to time.Time
		rollup   bool
	}{
		{"whole days", nyMidnight(time.March, 7), endOf(time.March, 9), true},
		{"to 23:59:59.999", nyMidnight(time.March, 7), nyMidnight(time.March, 10).Add(-time.Millisecond), true},
		{"to now", nyMidnight(time.March, 7), now, true},
		{"to 23:59:59", nyMidnight(time.March, 7), nyMidnight(time.March, 9).Add(-time.Second), false},
		{"to 23:59:59 of today, after now", nyMidnight(time.March, 7), nyMidnight(time.March, 10).Add(-time.Second), true},
		{"from 12:15", ny(time.March, 8, 12, 15), endOf(time.March, 9), false},
		{"to 10:30, before now", nyMidnight(time.March, 7), ny(time.March, 9, 10, 30), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clear(read.tables)
			if _, err := dashboard.Compute(acme.ctx, client, acme.org, tc.from, tc.to, now); err != nil {
				t.Fatal(err)
			}
			if read.tables["daily_visitors"] != tc.rollup || read.tables["attribution_events"] == tc.rollup {
				t.Errorf("tables read: %v; want the rollup: %v", read.tables, tc.rollup)
			}
		})
	}
}
