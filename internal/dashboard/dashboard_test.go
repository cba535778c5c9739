package dashboard_test

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// newYork is the fixture organization's time zone. In 2026 its clocks go forward on Sunday 8 March at 02:00 (that
// day has 23 hours) and back on Sunday 1 November at 02:00 (25 hours).
var newYork = mustLoad("America/New_York")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// ny is a wall-clock time in New York, as the instant it names. The fixture stores instants in UTC, as the
// tracking and payment code do.
func ny(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, newYork).UTC()
}

// nyMidnight is the start of a New York day, in New York (what Point.Date holds).
func nyMidnight(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 0, 0, 0, 0, newYork)
}

// utcDay is a platform's reporting day, as CampaignMetric.date holds it.
func utcDay(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 0, 0, 0, 0, time.UTC)
}

// fixture writes one organization's data through the same code paths production uses.
type fixture struct {
	t      *testing.T
	client *ent.Client
	org    *ent.Organization
	ctx    context.Context // the organization's tenant context
}

func newFixture(t *testing.T, client *ent.Client, name, timezone string) *fixture {
	t.Helper()
	c, err := account.CreateOrganization(context.Background(), client, name, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org, err := client.Organization.UpdateOne(c.Organization).SetTimezone(timezone).
		Save(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, client: client, org: org, ctx: viewer.ForOrganization(context.Background(), org.ID)}
}

// visit records a page view (or another event type) of visitor at, from source/medium/campaign.
func (f *fixture) visit(visitor string, at time.Time, source, medium, utm string) {
	f.event(visitor, "page_view", at, source, medium, utm)
}

func (f *fixture) event(visitor, eventType string, at time.Time, source, medium, utm string) {
	f.t.Helper()
	err := f.client.AttributionEvent.Create().SetVisitorID(visitor).SetEventType(eventType).
		SetSource(source).SetMedium(medium).SetCampaign(utm).SetCreatedAt(at).Exec(f.ctx)
	if err != nil {
		f.t.Fatalf("visit %s at %v: %v", visitor, at, err)
	}
}

// tx runs fn in a transaction, as the payment webhooks do.
func (f *fixture) tx(fn func(*ent.Client) error) {
	f.t.Helper()
	tx, err := f.client.Tx(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := fn(tx.Client()); err != nil {
		_ = tx.Rollback()
		f.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		f.t.Fatal(err)
	}
}

// buy records a purchase of value minor units, credited by the attribution models to visitor's touchpoints.
func (f *fixture) buy(visitor string, at time.Time, value int64, currency, payment string) {
	f.t.Helper()
	f.tx(func(c *ent.Client) error {
		_, _, err := attribution.RecordPurchase(f.ctx, c, attribution.Purchase{
			Org: f.org, VisitorID: visitor, Value: value, Currency: currency, At: at, ExternalRef: payment,
		})
		return err
	})
}

// refund records that refundedTotal minor units of payment have been refunded so far.
func (f *fixture) refund(payment string, refundedTotal int64, at time.Time) {
	f.t.Helper()
	f.tx(func(c *ent.Client) error {
		_, err := attribution.RecordRefund(f.ctx, c, attribution.Refund{Org: f.org, ExternalRef: payment, RefundedTotal: refundedTotal, At: at})
		return err
	})
}

// campaign creates a campaign with daily costs (minor units, in currency) by reporting day.
func (f *fixture) campaign(utm string, status campaign.Status, currency string, costs map[time.Time]int64) {
	f.t.Helper()
	c, err := f.client.Campaign.Create().SetName(utm).SetPlatform(campaign.PlatformGOOGLE).SetDailyBudget(10000).
		SetUtmCampaign(utm).SetStatus(status).Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	for day, cost := range costs {
		if err := f.client.CampaignMetric.Create().SetCampaignID(c.ID).SetDate(day).SetCost(cost).
			SetCurrency(currency).Exec(f.ctx); err != nil {
			f.t.Fatal(err)
		}
	}
}

// seedAcme writes the New York organization the expectations below are computed by hand from. Purchases are
// credited LAST_TOUCH to the buyer's last non-direct visit, or to (direct).
func seedAcme(t *testing.T, client *ent.Client) *fixture {
	f := newFixture(t, client, "Acme", "America/New_York")
	M, N := time.March, time.November

	// Visits around the spring-forward weekend (7–9 March), several a minute from local midnight.
	f.visit("v1", ny(M, 7, 10, 0), "google", "cpc", "g_spring")
	f.visit("v1", ny(M, 8, 9, 0), "facebook", "paid_social", "fb_retarget")
	f.visit("v1", ny(M, 9, 10, 0), "", "", "")
	f.visit("v2", ny(M, 7, 23, 59), "", "", "")                   // 7 March, EST
	f.visit("v2", ny(M, 8, 0, 1), "google", "cpc", "g_spring")    // 8 March, EST
	f.visit("v3", ny(M, 8, 23, 59), "newsletter", "email", "")    // 8 March, EDT: 03:59 UTC on the 9th
	f.visit("v3", ny(M, 9, 0, 1), "newsletter", "email", "")      // 9 March, EDT: 04:01 UTC
	f.visit("v4", ny(M, 9, 15, 0), "bing", "cpc", "b_brand")      // buys in EUR
	f.visit("v5", ny(M, 6, 23, 59), "google", "cpc", "g_spring")  // a minute before the range
	f.visit("v5", ny(M, 10, 0, 1), "google", "cpc", "g_spring")   // a minute after it
	f.visit("v7", ny(M, 7, 12, 0), "twitter", "social", "")       //
	f.event("v7", "signup", ny(M, 7, 12, 10), "", "", "")         // not a touchpoint, still a visit
	f.visit("v8", ny(M, 8, 12, 0), "twitter", "social", "")       //
	f.visit("v9", ny(M, 9, 12, 0), "google", "cpc", "g_spring")   //
	f.visit("v10", ny(M, 7, 11, 0), "linkedin", "social", "")     //
	f.visit("v10", ny(M, 9, 11, 0), "linkedin", "social", "")     //
	f.visit("v11", ny(M, 8, 14, 0), "reddit.com", "referral", "") //
	f.visit("v13", ny(M, 7, 9, 0), "google", "organic", "")       // never buys
	f.visit("v14", ny(M, 8, 16, 0), "", "", "")                   // never buys
	f.visit("v15", ny(M, 9, 16, 0), "facebook", "paid_social", "fb_retarget")

	f.buy("v1", ny(M, 6, 23, 59), 1000, "USD", "pi_p1")  // before the range: (direct)
	f.buy("v1", ny(M, 8, 9, 30), 10000, "USD", "pi_p2")  // facebook / fb_retarget
	f.buy("v2", ny(M, 8, 0, 30), 5000, "USD", "pi_p3")   // google / g_spring
	f.buy("v3", ny(M, 9, 0, 10), 8000, "USD", "pi_p4")   // newsletter
	f.buy("v4", ny(M, 9, 15, 30), 3000, "EUR", "pi_p5")  // another currency: left out of money and conversions
	f.buy("v6", ny(M, 9, 20, 0), 2500, "USD", "pi_p6")   // no visit: (direct)
	f.buy("v7", ny(M, 7, 12, 30), 1500, "USD", "pi_p7")  // twitter
	f.buy("v8", ny(M, 8, 12, 30), 500, "USD", "pi_p8")   // twitter
	f.buy("v9", ny(M, 9, 12, 30), 1200, "USD", "pi_p9")  // google / g_spring
	f.buy("v10", ny(M, 9, 13, 0), 800, "USD", "pi_p10")  // linkedin
	f.buy("v11", ny(M, 8, 14, 30), 300, "USD", "pi_p11") // reddit.com
	f.buy("v2", ny(M, 10, 0, 1), 4000, "USD", "pi_p12")  // a minute after the range
	f.refund("pi_p3", 2000, ny(M, 9, 12, 0))             // partial, a day later: nets against 8 March
	f.refund("pi_p4", 8000, ny(M, 9, 18, 0))             // full: revenue and conversion gone

	// A conversion credited to an empty source, as older data may hold: shown as (direct) with the others.
	p13, err := f.client.AttributionEvent.Create().SetVisitorID("v12").SetEventType(attribution.PurchaseEvent).
		SetValue(500).SetCurrency("USD").SetCreatedAt(ny(M, 7, 18, 0)).Save(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.client.AttributionCredit.Create().SetConversionID(p13.ID).SetModel(attributioncredit.ModelLAST_TOUCH).
		SetWeight(1).SetConversions(1).SetRevenue(500).SetCurrency("USD").SetConvertedAt(p13.CreatedAt).
		Exec(f.ctx); err != nil {
		t.Fatal(err)
	}

	// Around the fall-back night: 1 November has 25 hours and two 01:30s.
	f.visit("v20", ny(time.October, 31, 23, 59), "", "", "")                        // 31 October, EDT
	f.visit("v21", ny(N, 1, 0, 1), "", "", "")                                      // 1 November, EDT
	f.visit("v22", time.Date(2026, N, 1, 5, 30, 0, 0, time.UTC), "", "", "")        // 01:30 EDT
	f.visit("v23", time.Date(2026, N, 1, 6, 30, 0, 0, time.UTC), "bing", "cpc", "") // 01:30 EST, an hour later
	f.visit("v20", ny(N, 1, 23, 59), "", "", "")                                    // 1 November, EST: 04:59 UTC on the 2nd
	f.visit("v24", ny(N, 2, 0, 1), "", "", "")                                      // 2 November, EST
	f.buy("v23", ny(N, 1, 23, 30), 2000, "USD", "pi_p14")                           // bing, on 1 November

	// Campaigns: spend is counted by the platforms' reporting days that fall on the range's dates.
	f.campaign("g_spring", campaign.StatusACTIVE, "USD", map[time.Time]int64{
		utcDay(M, 6): 9900, utcDay(M, 7): 1000, utcDay(M, 8): 500, utcDay(M, 9): 500, utcDay(M, 10): 9900,
	})
	f.campaign("fb_retarget", campaign.StatusPAUSED, "USD", map[time.Time]int64{utcDay(M, 8): 4000})
	// The same campaign's spend reported in another currency on the 9th is left out.
	f.campaign("fb_retarget_eu", campaign.StatusPAUSED, "EUR", map[time.Time]int64{utcDay(M, 9): 700})
	f.campaign("old_promo", campaign.StatusENDED, "USD", map[time.Time]int64{utcDay(M, 8): 0}) // no spend
	f.campaign("b_brand", campaign.StatusACTIVE, "USD", nil)                                   // no metrics at all
	f.campaign("draft_x", campaign.StatusDRAFT, "USD", nil)
	return f
}

// endOf is the last instant of a New York day: ranges are inclusive.
func endOf(month time.Month, day int) time.Time {
	return nyMidnight(month, day+1).Add(-time.Nanosecond)
}

func ptr(f float64) *float64 { return &f }

// TestDashboardDefinitions checks every field against expectations computed by hand from seedAcme.
func TestDashboardDefinitions(t *testing.T) {
	db, _ := dbtest.Open(t)
	acme := seedAcme(t, db.Client)

	// Another tenant in the same tables, with the same visitor and campaign names, on the same days.
	globex := newFixture(t, db.Client, "Globex", "UTC")
	globex.visit("v1", time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC), "google", "cpc", "g_spring")
	globex.buy("v1", time.Date(2026, 3, 8, 11, 0, 0, 0, time.UTC), 99900, "USD", "pi_p2")
	globex.campaign("g_spring", campaign.StatusACTIVE, "USD", map[time.Time]int64{utcDay(time.March, 8): 100})

	M, N := time.March, time.November
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		f        *fixture
		ctx      context.Context // defaults to f's tenant context
		from, to time.Time
		want     dashboard.Dashboard
	}{{
		// Three days across the spring-forward night; every field computed by hand:
		//   7 Mar: v1 v2 v7 v10 v13 visit; v7 twitter 15.00 + v12 (empty source) 5.00; g_spring spent 10.00
		//   8 Mar: v1 v2 v3 v8 v11 v14; v1 facebook 100.00, v2 google 50.00−20.00 (refunded on the 9th),
		//          v8 twitter 5.00, v11 reddit.com 3.00; g_spring 5.00 + fb_retarget 40.00 + old_promo 0
		//   9 Mar: v1 v3 v4 v9 v10 v15 (refunds are not visits); v3 newsletter 80.00 fully refunded,
		//          v6 (direct) 25.00, v9 google 12.00, v10 linkedin 8.00, v4's EUR left out; g_spring 5.00
		// Buyers in range: v1 v2 v3 v4 v6 v7 v8 v9 v10 v11 v12 = 11 of 12 visitors.
		// averageRoas: g_spring (30+12)/20 = 2.1, fb_retarget 100/40 = 2.5 → 2.3.
		name: "three days across the spring DST change", f: acme,
		from: nyMidnight(M, 7), to: endOf(M, 9),
		want: dashboard.Dashboard{
			Revenue: 203, Currency: "USD", Spend: 60, ROAS: ptr(203.0 / 60), AverageROAS: ptr(2.3),
			ConversionRate: ptr(11.0 / 12), Conversions: 9, Visitors: 12, ActiveCampaigns: 2,
			Series: []dashboard.Point{
				{Date: nyMidnight(M, 7), Revenue: 20, Spend: 10, Visitors: 5, Conversions: 2},
				{Date: nyMidnight(M, 8), Revenue: 138, Spend: 45, Visitors: 6, Conversions: 4},
				{Date: nyMidnight(M, 9), Revenue: 45, Spend: 5, Visitors: 6, Conversions: 3},
			},
			TopSources: []dashboard.Source{
				{Source: "facebook", Revenue: 100, Conversions: 1},
				{Source: "google", Revenue: 42, Conversions: 2},
				{Source: "(direct)", Revenue: 30, Conversions: 2},
				{Source: "twitter", Revenue: 20, Conversions: 2},
				{Source: "linkedin", Revenue: 8, Conversions: 1},
				// reddit.com (3.00) is sixth; newsletter has nothing left after its refund.
			},
		},
	}, {
		name: "the same range seen by the system, which sees every tenant", f: acme,
		ctx:  viewer.SystemContext(context.Background()),
		from: nyMidnight(M, 7), to: endOf(M, 9),
		want: dashboard.Dashboard{
			Revenue: 203, Currency: "USD", Spend: 60, ROAS: ptr(203.0 / 60), AverageROAS: ptr(2.3),
			ConversionRate: ptr(11.0 / 12), Conversions: 9, Visitors: 12, ActiveCampaigns: 2,
			Series: []dashboard.Point{
				{Date: nyMidnight(M, 7), Revenue: 20, Spend: 10, Visitors: 5, Conversions: 2},
				{Date: nyMidnight(M, 8), Revenue: 138, Spend: 45, Visitors: 6, Conversions: 4},
				{Date: nyMidnight(M, 9), Revenue: 45, Spend: 5, Visitors: 6, Conversions: 3},
			},
			TopSources: []dashboard.Source{
				{Source: "facebook", Revenue: 100, Conversions: 1},
				{Source: "google", Revenue: 42, Conversions: 2},
				{Source: "(direct)", Revenue: 30, Conversions: 2},
				{Source: "twitter", Revenue: 20, Conversions: 2},
				{Source: "linkedin", Revenue: 8, Conversions: 1},
			},
		},
	}, {
		// The 23-hour day alone: buyers v1 v2 v8 v11 of 6 visitors; g_spring 30/5 = 6, fb_retarget 100/40 = 2.5.
		name: "the 23-hour day", f: acme,
		from: nyMidnight(M, 8), to: endOf(M, 8),
		want: dashboard.Dashboard{
			Revenue: 138, Currency: "USD", Spend: 45, ROAS: ptr(138.0 / 45), AverageROAS: ptr(4.25),
			ConversionRate: ptr(4.0 / 6), Conversions: 4, Visitors: 6, ActiveCampaigns: 2,
			Series: []dashboard.Point{{Date: nyMidnight(M, 8), Revenue: 138, Spend: 45, Visitors: 6, Conversions: 4}},
			TopSources: []dashboard.Source{
				{Source: "facebook", Revenue: 100, Conversions: 1},
				{Source: "google", Revenue: 30, Conversions: 1},
				{Source: "twitter", Revenue: 5, Conversions: 1},
				{Source: "reddit.com", Revenue: 3, Conversions: 1},
			},
		},
	}, {
		// From 12:15 on the 8th to 10:30 on the 9th: visits of v11 v14 v3 (8th), v3 v1 (9th), not v8's at 12:00;
		// purchases of v8 (12:30) and v11, and v3's refunded one; spend counts whole reporting days;
		// g_spring and fb_retarget earned nothing in the range: averageRoas 0, not nil.
		name: "partial first and last days", f: acme,
		from: time.Date(2026, M, 8, 12, 15, 0, 0, newYork), to: time.Date(2026, M, 9, 10, 30, 0, 0, newYork),
		want: dashboard.Dashboard{
			Revenue: 8, Currency: "USD", Spend: 50, ROAS: ptr(8.0 / 50), AverageROAS: ptr(0),
			ConversionRate: ptr(3.0 / 4), Conversions: 2, Visitors: 4, ActiveCampaigns: 2,
			Series: []dashboard.Point{
				{Date: nyMidnight(M, 8), Revenue: 8, Spend: 45, Visitors: 3, Conversions: 2},
				{Date: nyMidnight(M, 9), Revenue: 0, Spend: 5, Visitors: 2, Conversions: 0},
			},
			TopSources: []dashboard.Source{
				{Source: "twitter", Revenue: 5, Conversions: 1},
				{Source: "reddit.com", Revenue: 3, Conversions: 1},
			},
		},
	}, {
		// 31 Oct: v20 at 23:59 EDT. 1 Nov (25 hours): v21 00:01 EDT, v22 01:30 EDT, v23 01:30 EST, v20 23:59 EST
		// (04:59 UTC on the 2nd), and v23's purchase at 23:30 EST. 2 Nov: v24 at 00:01 EST.
		name: "three days across the fall DST change", f: acme,
		from: time.Date(2026, time.October, 31, 0, 0, 0, 0, newYork), to: endOf(N, 2),
		want: dashboard.Dashboard{
			Revenue: 20, Currency: "USD", ConversionRate: ptr(1.0 / 5), Conversions: 1, Visitors: 5, ActiveCampaigns: 2,
			Series: []dashboard.Point{
				{Date: time.Date(2026, time.October, 31, 0, 0, 0, 0, newYork), Visitors: 1},
				{Date: nyMidnight(N, 1), Revenue: 20, Visitors: 4, Conversions: 1},
				{Date: nyMidnight(N, 2), Visitors: 1},
			},
			TopSources: []dashboard.Source{{Source: "bing", Revenue: 20, Conversions: 1}},
		},
	}, {
		// All of 2026: 365 points, the DST changes both ways, the days around the first range included. google
		// has v12's 40.00 of 10 March too; twitter and bing tie at 20.00, twitter with more conversions.
		// averageRoas: g_spring (30+12+40)/(99+10+5+5+99), fb_retarget 100/40.
		name: "a whole year", f: acme,
		from: time.Date(2026, time.January, 1, 0, 0, 0, 0, newYork), to: endOf(time.December, 31),
		want: dashboard.Dashboard{
			Revenue: 273, Currency: "USD", Spend: 258, ROAS: ptr(273.0 / 258), AverageROAS: ptr((82.0/218 + 100.0/40) / 2),
			ConversionRate: ptr(12.0 / 18), Conversions: 12, Visitors: 18, ActiveCampaigns: 2,
			Series: withPoints(zeroPoints(time.Date(2026, time.January, 1, 0, 0, 0, 0, newYork), 365),
				dashboard.Point{Date: nyMidnight(M, 6), Revenue: 10, Spend: 99, Visitors: 1, Conversions: 1},
				dashboard.Point{Date: nyMidnight(M, 7), Revenue: 20, Spend: 10, Visitors: 5, Conversions: 2},
				dashboard.Point{Date: nyMidnight(M, 8), Revenue: 138, Spend: 45, Visitors: 6, Conversions: 4},
				dashboard.Point{Date: nyMidnight(M, 9), Revenue: 45, Spend: 5, Visitors: 6, Conversions: 3},
				dashboard.Point{Date: nyMidnight(M, 10), Revenue: 40, Spend: 99, Visitors: 1, Conversions: 1},
				dashboard.Point{Date: time.Date(2026, time.October, 31, 0, 0, 0, 0, newYork), Visitors: 1},
				dashboard.Point{Date: nyMidnight(N, 1), Revenue: 20, Visitors: 4, Conversions: 1},
				dashboard.Point{Date: nyMidnight(N, 2), Visitors: 1},
			),
			TopSources: []dashboard.Source{
				{Source: "facebook", Revenue: 100, Conversions: 1},
				{Source: "google", Revenue: 82, Conversions: 3},
				{Source: "(direct)", Revenue: 40, Conversions: 3},
				{Source: "twitter", Revenue: 20, Conversions: 2},
				{Source: "bing", Revenue: 20, Conversions: 1},
			},
		},
	}, {
		name: "a month without data", f: acme,
		from: time.Date(2025, time.January, 1, 0, 0, 0, 0, newYork), to: time.Date(2025, time.January, 31, 23, 59, 59, 0, newYork),
		want: dashboard.Dashboard{Currency: "USD", ActiveCampaigns: 2, Series: zeroPoints(time.Date(2025, time.January, 1, 0, 0, 0, 0, newYork), 31)},
	}, {
		name: "the other tenant sees only its own", f: globex,
		from: time.Date(2026, M, 7, 0, 0, 0, 0, time.UTC), to: time.Date(2026, M, 9, 23, 59, 59, 0, time.UTC),
		want: dashboard.Dashboard{
			Revenue: 999, Currency: "USD", Spend: 1, ROAS: ptr(999), AverageROAS: ptr(999),
			ConversionRate: ptr(1), Conversions: 1, Visitors: 1, ActiveCampaigns: 1,
			Series: []dashboard.Point{
				{Date: time.Date(2026, M, 7, 0, 0, 0, 0, time.UTC)},
				{Date: time.Date(2026, M, 8, 0, 0, 0, 0, time.UTC), Revenue: 999, Spend: 1, Visitors: 1, Conversions: 1},
				{Date: time.Date(2026, M, 9, 0, 0, 0, 0, time.UTC)},
			},
			TopSources: []dashboard.Source{{Source: "google", Revenue: 999, Conversions: 1}},
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = tc.f.ctx
			}
			got, err := dashboard.Compute(ctx, db.Client, tc.f.org, tc.from, tc.to, now)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			want.From, want.To, want.UpdatedAt = tc.from, tc.to, now
			checkDashboard(t, got, &want)

			// Revenue is the LAST_TOUCH attribution report's total over the same range. (The bounds are passed in
			// UTC: on SQLite, BuildReport compares them as text with timestamps stored in UTC.)
			rep, err := attribution.BuildReport(tc.f.ctx, db.Client, tc.f.org, attribution.LastTouch, attribution.BySource, tc.from.UTC(), tc.to.UTC())
			if err != nil {
				t.Fatal(err)
			}
			if rep.TotalRevenue != got.Revenue || rep.TotalConversions != got.Conversions {
				t.Errorf("attribution report: revenue %v, conversions %v; dashboard: %v, %v",
					rep.TotalRevenue, rep.TotalConversions, got.Revenue, got.Conversions)
			}
		})
	}
}

func zeroPoints(first time.Time, n int) []dashboard.Point {
	out := make([]dashboard.Point, n)
	for i := range out {
		out[i].Date = first.AddDate(0, 0, i)
	}
	return out
}

// withPoints replaces the points of series that have the dates of points.
func withPoints(series []dashboard.Point, points ...dashboard.Point) []dashboard.Point {
	for _, p := range points {
		for i := range series {
			if series[i].Date.Equal(p.Date) {
				series[i] = p
			}
		}
	}
	return series
}

func checkDashboard(t *testing.T, got, want *dashboard.Dashboard) {
	t.Helper()
	if !got.From.Equal(want.From) || !got.To.Equal(want.To) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("from %v to %v updated %v, want %v, %v, %v", got.From, got.To, got.UpdatedAt, want.From, want.To, want.UpdatedAt)
	}
	if got.Currency != want.Currency {
		t.Errorf("currency = %q, want %q", got.Currency, want.Currency)
	}
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"revenue", got.Revenue, want.Revenue},
		{"spend", got.Spend, want.Spend},
		{"conversions", got.Conversions, want.Conversions},
		{"visitors", float64(got.Visitors), float64(want.Visitors)},
		{"activeCampaigns", float64(got.ActiveCampaigns), float64(want.ActiveCampaigns)},
	} {
		if !near(f.got, f.want) {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
	for _, f := range []struct {
		name      string
		got, want *float64
	}{
		{"roas", got.ROAS, want.ROAS},
		{"averageRoas", got.AverageROAS, want.AverageROAS},
		{"conversionRate", got.ConversionRate, want.ConversionRate},
	} {
		switch {
		case f.got == nil && f.want == nil:
		case f.got == nil || f.want == nil:
			t.Errorf("%s = %s, want %s", f.name, show(f.got), show(f.want))
		case !near(*f.got, *f.want):
			t.Errorf("%s = %v, want %v", f.name, *f.got, *f.want)
		}
	}
	if len(got.Series) != len(want.Series) {
		t.Errorf("series has %d points, want %d", len(got.Series), len(want.Series))
	}
	for i := range min(len(got.Series), len(want.Series)) {
		g, w := got.Series[i], want.Series[i]
		if !g.Date.Equal(w.Date) || !near(g.Revenue, w.Revenue) || !near(g.Spend, w.Spend) ||
			g.Visitors != w.Visitors || !near(g.Conversions, w.Conversions) {
			t.Errorf("point %d = %+v\n             want %+v", i, g, w)
		}
	}
	if len(got.TopSources) != len(want.TopSources) {
		t.Errorf("top sources = %+v, want %+v", got.TopSources, want.TopSources)
		return
	}
	for i, w := range want.TopSources {
		if g := got.TopSources[i]; g.Source != w.Source || !near(g.Revenue, w.Revenue) || !near(g.Conversions, w.Conversions) {
			t.Errorf("top source %d = %+v, want %+v", i, g, w)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func show(f *float64) string {
	if f == nil {
		return "nil"
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}
