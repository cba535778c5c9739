package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

type dashboardAnswer struct {
	Revenue         float64
	Currency        string
	Spend           float64
	Roas            *float64
	AverageRoas     *float64
	ConversionRate  *float64
	Conversions     float64
	Visitors        int
	ActiveCampaigns int
	UpdatedAt       time.Time
	Series          []struct {
		Date                        time.Time
		Revenue, Spend, Conversions float64
		Visitors                    int
	}
	TopSources []struct {
		Source               string
		Revenue, Conversions float64
	}
}

// TestDashboardEndToEnd: visits through the pixel, purchases and a partial refund through Stripe's webhook, a
// campaign's spend, then the contract's Dashboard query over HTTP: the numbers add up, and revenue is the
// LAST_TOUCH attribution report's.
func TestDashboardEndToEnd(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")
	sys := viewer.SystemContext(context.Background())
	if err := env.DB.Client.Organization.UpdateOneID(org.ID).SetTimezone("America/New_York").Exec(sys); err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")

	for _, q := range []url.Values{
		{"k": {org.TrackingKey}, "vid": {"v1"}, "utm_source": {"google"}, "utm_medium": {"cpc"}, "utm_campaign": {"summer"}},
		{"k": {org.TrackingKey}, "vid": {"v2"}, "utm_source": {"facebook"}, "utm_medium": {"paid_social"}},
		{"k": {org.TrackingKey}, "vid": {"v3"}, "url": {"https://acme.example/"}},
	} {
		if res := hitPixel(t, env, q, browserUA, nil); res.status != http.StatusOK || res.dropped != "" {
			t.Fatalf("pixel hit: status %d dropped %q", res.status, res.dropped)
		}
	}
	paidAt := time.Now().Add(2 * time.Second) // the payments complete after the visits
	for _, p := range []struct {
		id, visitor string
		amount      int64
	}{{"evt_dash_1", "v1", 99700}, {"evt_dash_2", "v2", 5000}} {
		payload := checkoutCompleted(p.id, paidAt, p.amount, map[string]string{"visitor_id": p.visitor})
		if status := postStripe(t, env, payload, sign(payload, stripeSecret, time.Now())); status != http.StatusOK {
			t.Fatalf("stripe purchase %s: status %d", p.id, status)
		}
	}
	refund := chargeRefunded("evt_dash_r", "pi_evt_dash_2", paidAt.Add(time.Minute), 5000, 2000)
	if status := postStripe(t, env, refund, sign(refund, stripeSecret, time.Now())); status != http.StatusOK {
		t.Fatalf("stripe refund: status %d", status)
	}

	// 100.00 spent yesterday (New York) by the summer campaign, which is active.
	tenant := viewer.ForOrganization(context.Background(), org.ID)
	summer, err := env.DB.Client.Campaign.Create().SetName("Summer").SetPlatform(campaign.PlatformGOOGLE).
		SetDailyBudget(10000).SetUtmCampaign("summer").SetStatus(campaign.StatusACTIVE).Save(tenant)
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().In(ny).AddDate(0, 0, -1).Date()
	if err := env.DB.Client.CampaignMetric.Create().SetCampaign(summer).SetDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)).
		SetCost(10000).SetCurrency("USD").Exec(tenant); err != nil {
		t.Fatal(err)
	}

	// Up to an hour ahead, as attributionReport below: the payments are dated a moment after the visits.
	to := time.Now().Add(time.Hour).Format(time.RFC3339)
	var got struct{ Dashboard dashboardAnswer }
	env.GraphQL(t, org.APIKey, contractOp(t, "Dashboard"), map[string]any{"to": to}).Decode(t, &got)
	dash := got.Dashboard

	if !near(dash.Revenue, 1027) || dash.Currency != "USD" || !near(dash.Spend, 100) || !near(dash.Conversions, 2) ||
		dash.Visitors != 3 || dash.ActiveCampaigns != 1 {
		t.Errorf("dashboard = %+v, want revenue 1027 (997 + 50 − 20) USD, spend 100, 2 conversions, 3 visitors, 1 active campaign", dash)
	}
	if dash.Roas == nil || !near(*dash.Roas, 10.27) || dash.AverageRoas == nil || !near(*dash.AverageRoas, 9.97) ||
		dash.ConversionRate == nil || !near(*dash.ConversionRate, 2.0/3) {
		t.Errorf("roas %v, averageRoas %v, conversionRate %v; want 10.27, 9.97 and 2/3",
			ratioOrNil(dash.Roas), ratioOrNil(dash.AverageRoas), ratioOrNil(dash.ConversionRate))
	}
	if len(dash.Series) != 30 {
		t.Fatalf("series has %d points, want 30 (the default range)", len(dash.Series))
	}
	var seriesRevenue float64
	for i, p := range dash.Series {
		seriesRevenue += p.Revenue
		local := p.Date.In(ny)
		if local.Hour() != 0 || local.Minute() != 0 || (i > 0 && local.Sub(dash.Series[i-1].Date.In(ny)) < 23*time.Hour) {
			t.Errorf("point %d is dated %v, want consecutive New York midnights", i, p.Date)
		}
	}
	if !near(seriesRevenue, dash.Revenue) {
		t.Errorf("the series' revenue sums to %v, want %v", seriesRevenue, dash.Revenue)
	}
	if len(dash.TopSources) != 2 || dash.TopSources[0].Source != "google" || !near(dash.TopSources[0].Revenue, 997) ||
		dash.TopSources[1].Source != "facebook" || !near(dash.TopSources[1].Revenue, 30) {
		t.Errorf("top sources = %+v, want google 997 then facebook 30", dash.TopSources)
	}

	rep := attributionReport(t, env, org.APIKey, "LAST_TOUCH", "SOURCE")
	if !near(rep.TotalRevenue, dash.Revenue) || !near(rep.TotalConversions, dash.Conversions) {
		t.Errorf("attributionReport(LAST_TOUCH) totals %v / %v, dashboard %v / %v: they must agree",
			rep.TotalRevenue, rep.TotalConversions, dash.Revenue, dash.Conversions)
	}

	// Another organization sees none of it.
	other := env.NewOrg(t, "Globex")
	var empty struct{ Dashboard dashboardAnswer }
	env.GraphQL(t, other.APIKey, contractOp(t, "Dashboard"), map[string]any{"to": to}).Decode(t, &empty)
	if e := empty.Dashboard; e.Revenue != 0 || e.Spend != 0 || e.Visitors != 0 || e.Roas != nil || e.ConversionRate != nil ||
		len(e.TopSources) != 0 || len(e.Series) != 30 {
		t.Errorf("another organization's dashboard = %+v, want zeros over 30 days", e)
	}
}

func ratioOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
