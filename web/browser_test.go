package web_test

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// TestOverviewIsLive: the overview shows the dashboard query's numbers, and a landing-page hit and a Stripe
// purchase move visitors and revenue on screen within 2 s, without a reload.
func TestOverviewIsLive(t *testing.T) {
	d := newDashboard(t)
	p := d.newPage(t)
	p.signIn(t, d.demo.UserEmail, d.demo.UserPassword)
	p.waitFor(t, `document.querySelector('[data-testid=live-indicator]')?.dataset.state === 'live'`, 10*time.Second)

	from := p.text(t, `document.querySelector('[data-testid=range]').dataset.from`)
	var got struct {
		Dashboard struct {
			Revenue, Spend, Conversions float64
			Roas, ConversionRate        *float64
			Visitors, ActiveCampaigns   int
		}
	}
	d.graphQL(t, `query($from: Time) { dashboard(from: $from) { revenue spend roas conversionRate conversions visitors activeCampaigns } }`,
		map[string]any{"from": from}, &got)
	want := map[string]float64{
		"revenue": got.Dashboard.Revenue, "spend": got.Dashboard.Spend, "conversions": got.Dashboard.Conversions,
		"visitors": float64(got.Dashboard.Visitors), "activeCampaigns": float64(got.Dashboard.ActiveCampaigns),
		"roas": deref(got.Dashboard.Roas), "conversionRate": deref(got.Dashboard.ConversionRate),
	}
	for kpi, w := range want {
		if g := p.number(t, kpiValue(kpi)); !near(g, w) {
			t.Errorf("%s on screen %v, dashboard query %v", kpi, g, w)
		}
	}
	if got.Dashboard.Visitors == 0 || got.Dashboard.Revenue == 0 {
		t.Fatalf("the demo data has no visitors or revenue: %+v", got.Dashboard)
	}
	p.screenshot(t, "overview-live-before")

	p.eval(t, `window.__sameDocument = true`)
	visitor := fmt.Sprintf("vis_live_%d", time.Now().UnixNano())
	d.pixelHit(t, visitor)
	d.purchase(t, visitor, 12_345)
	wantVisitors, wantRevenue := want["visitors"]+1, want["revenue"]+123.45
	p.waitFor(t, fmt.Sprintf(`Number(document.querySelector(%q)?.dataset.value) === %v && Math.abs(Number(document.querySelector(%q)?.dataset.value) - %v) < 0.001`,
		kpiValue("visitors"), wantVisitors, kpiValue("revenue"), wantRevenue), 2*time.Second)
	if p.eval(t, `window.__sameDocument === true`) != true {
		t.Error("the page reloaded")
	}
}

func kpiValue(id string) string { return fmt.Sprintf("[data-testid=kpi-%s] .kpi-value", id) }

func deref(f *float64) float64 {
	if f == nil {
		return nan
	}
	return *f
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(b))
}
