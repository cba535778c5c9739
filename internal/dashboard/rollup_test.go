package dashboard_test

import (
	"context"
	"log/slog"
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
	"github.com/marketingos/marketingos/internal/visitors"
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
					raw, err := dashboard.CountVisitors(acme.ctx, db.Client, org, start, end, time.Now(), true)
					if err != nil {
						t.Fatal(err)
					}
					rolled, err := dashboard.CountVisitors(acme.ctx, db.Client, org, start, end, time.Now(), false)
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

	// Kolkata is 9½ or 10½ hours ahead: most visits move to another day. Until the new zone's rollup is rebuilt,
	// the visitors are counted from the events; then from it.
	sys := viewer.SystemContext(context.Background())
	org, err := db.Client.Organization.UpdateOne(acme.org).SetTimezone("Asia/Kolkata").Save(sys)
	if err != nil {
		t.Fatal(err)
	}
	if visitors.Ready(org) {
		t.Fatal("the new zone's rollup is ready before its rebuild")
	}
	check(org, mustLoad("Asia/Kolkata"), weeks...)
	if err := visitors.NewRebuilder(db.SQL, db.Client, db.Dialect, slog.New(slog.DiscardHandler), visitors.RebuilderOptions{}).Pass(sys); err != nil {
		t.Fatal(err)
	}
	if org, err = db.Client.Organization.Get(sys, org.ID); err != nil || !visitors.Ready(org) {
		t.Fatalf("after the rebuild: %v, %v", org, err)
	}
	check(org, mustLoad("Asia/Kolkata"), weeks...)

	// The other tenant's rollup is its own, in its own zone.
	got, err := dashboard.CountVisitors(globex.ctx, db.Client, globex.org, nyMidnight(time.March, 1), endOf(time.March, 31), time.Now(), false)
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

// TestVisitorsSource checks where Compute counts visitors from: the rollup for the days a range covers whole, the
// events for its partial days, and nothing else.
func TestVisitorsSource(t *testing.T) {
	db, _ := dbtest.Open(t)
	acme := seedAcme(t, db.Client)
	read := &tablesRead{Driver: entsql.OpenDB(db.Dialect, db.SQL), tables: map[string]bool{}}
	client := ent.NewClient(ent.Driver(read))
	now := time.Date(2026, time.March, 9, 18, 0, 0, 0, time.UTC)
	cases := []struct {
		name           string
		from, to       time.Time
		rollup, events bool
	}{
		{"whole days", nyMidnight(time.March, 7), endOf(time.March, 9), true, false},
		{"to 23:59:59.999", nyMidnight(time.March, 7), nyMidnight(time.March, 10).Add(-time.Millisecond), true, false},
		{"to now", nyMidnight(time.March, 7), now, true, false},
		{"to 23:59:59 of today, after now", nyMidnight(time.March, 7), nyMidnight(time.March, 10).Add(-time.Second), true, false},
		{"to 23:59:59", nyMidnight(time.March, 7), nyMidnight(time.March, 9).Add(-time.Second), true, true},
		{"from 12:15", ny(time.March, 8, 12, 15), endOf(time.March, 9), true, true},
		{"to 10:30, before now", nyMidnight(time.March, 7), ny(time.March, 9, 10, 30), true, true},
		{"within one day", ny(time.March, 8, 9, 0), ny(time.March, 8, 17, 0), false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clear(read.tables)
			if _, err := dashboard.Compute(acme.ctx, client, acme.org, tc.from, tc.to, now); err != nil {
				t.Fatal(err)
			}
			if read.tables["daily_visitors"] != tc.rollup || read.tables["attribution_events"] != tc.events {
				t.Errorf("tables read: %v; want the rollup: %v, the events: %v", read.tables, tc.rollup, tc.events)
			}
		})
	}
}

// TestVisitorsPartialRangesMatchEvents compares the visitors Compute counts (the rollup for whole days, the events
// for partial ones) with those the events alone give, for ranges starting and ending at many hours of the
// fixture's DST weeks, some of them ending at 23:59:59.999.
func TestVisitorsPartialRangesMatchEvents(t *testing.T) {
	db, _ := dbtest.Open(t)
	acme := seedAcme(t, db.Client)
	// Visitors and buyers who come back on other days, across midnight and the DST change, so that partial and
	// whole days share visitors.
	for _, v := range []struct {
		visitor string
		at      []time.Time
	}{
		{"back1", []time.Time{ny(time.March, 6, 10, 0), ny(time.March, 7, 9, 0), ny(time.March, 8, 22, 0)}},
		{"back2", []time.Time{ny(time.March, 6, 23, 30), ny(time.March, 7, 0, 30), ny(time.March, 9, 23, 45)}},
		{"back3", []time.Time{ny(time.March, 5, 1, 0), ny(time.March, 11, 12, 0)}},
		{"back4", []time.Time{ny(time.October, 31, 1, 0), ny(time.November, 1, 1, 30), ny(time.November, 2, 23, 0)}},
	} {
		for _, at := range v.at {
			acme.visit(v.visitor, at, "google", "cpc", "")
		}
	}
	acme.buy("back1", ny(time.March, 6, 11, 0), 1000, "USD", "pi_back1a")
	acme.buy("back1", ny(time.March, 8, 23, 0), 1000, "USD", "pi_back1b")
	acme.buy("back4", ny(time.October, 31, 2, 0), 1000, "USD", "pi_back4a")
	acme.buy("back4", ny(time.November, 2, 23, 30), 1000, "USD", "pi_back4b")
	now := time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC) // after every event of the fixture
	compared, mixed := 0, 0
	for _, week := range [][2]time.Month{{time.March, time.March}, {time.October, time.November}} {
		first := nyMidnight(week[0], 5)
		if week[0] == time.October {
			first = nyMidnight(time.October, 30)
		}
		var bounds []time.Time // instants at several hours of each day of the week, and the end of each day
		for d := range 7 {
			y, m, day := first.Date()
			midnight := time.Date(y, m, day+d, 0, 0, 0, 0, newYork)
			for _, h := range []time.Duration{0, 90 * time.Minute, 10*time.Hour + 15*time.Minute, 23 * time.Hour} {
				bounds = append(bounds, midnight.Add(h))
			}
			bounds = append(bounds, time.Date(y, m, day+d+1, 0, 0, 0, 0, newYork).Add(-time.Millisecond))
		}
		for i, start := range bounds {
			for _, end := range bounds[i+1:] {
				raw, err := dashboard.CountVisitors(acme.ctx, db.Client, acme.org, start, end, now, true)
				if err != nil {
					t.Fatal(err)
				}
				got, err := dashboard.CountVisitors(acme.ctx, db.Client, acme.org, start, end, now, false)
				if err != nil {
					t.Fatal(err)
				}
				if got.Total != raw.Total || got.Converting != raw.Converting || !maps.Equal(got.ByDay, raw.ByDay) {
					t.Errorf("%s to %s: counted %+v, events %+v", start, end, got, raw)
				}
				compared++
				if start.Hour() != 0 || start.Minute() != 0 {
					mixed++
				}
			}
		}
	}
	t.Logf("%d ranges compared, %d of them starting within a day", compared, mixed)
}
