package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/campaignmetric"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/period"
)

// TopSources is how many sources Dashboard.TopSources lists at most.
const TopSources = 5

// Compute returns the dashboard of org for the instants [from, to], with days in the organization's time zone
// and money in its currency, as the package comment defines it. ctx must carry a viewer that may read org's rows
// (the organization itself or the system); every query also names org explicitly, so a system context sees no
// other tenant's rows. now becomes UpdatedAt.
func Compute(ctx context.Context, client *ent.Client, org *ent.Organization, from, to, now time.Time) (*Dashboard, error) {
	cal := newCalendar(from, to, period.Location(org.Timezone))
	q := query{client: client, org: org, from: from.UTC(), to: to.UTC(), now: now, cal: cal}
	d := &Dashboard{From: from, To: to, Currency: org.Currency, UpdatedAt: now, Series: make([]Point, len(cal.days))}
	for i, day := range cal.days {
		d.Series[i].Date = day
	}

	credits, err := q.creditsByDay(ctx)
	if err != nil {
		return nil, err
	}
	var revenue int64
	var conversions float64
	for _, c := range credits {
		p := &d.Series[c.Day]
		p.Revenue = money.Major(c.Revenue, org.Currency)
		p.Conversions = attribution.RoundConversions(c.Conversions)
		revenue += c.Revenue
		conversions += c.Conversions
	}
	d.Revenue, d.Conversions = money.Major(revenue, org.Currency), attribution.RoundConversions(conversions)

	totals, err := q.creditTotals(ctx)
	if err != nil {
		return nil, err
	}
	d.TopSources = topSources(totals, org.Currency)

	spendByDay, err := q.spendByDay(ctx)
	if err != nil {
		return nil, err
	}
	var spend int64
	for _, s := range spendByDay {
		d.Series[s.Day].Spend = money.Major(s.Cost, org.Currency)
		spend += s.Cost
	}
	d.Spend = money.Major(spend, org.Currency)
	if spend > 0 {
		d.ROAS = ratio(float64(revenue), float64(spend))
	}
	if d.AverageROAS, err = q.averageROAS(ctx, totals); err != nil {
		return nil, err
	}

	visitors, err := q.visitors(ctx)
	if err != nil {
		return nil, err
	}
	d.Visitors = visitors.total
	for day, n := range visitors.byDay {
		d.Series[day].Visitors = n
	}
	if visitors.total > 0 {
		d.ConversionRate = ratio(float64(visitors.converting), float64(visitors.total))
	}

	active, err := client.Campaign.Query().
		Where(campaign.OrganizationID(org.ID), campaign.StatusEQ(campaign.StatusACTIVE)).
		Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: active campaigns: %w", err)
	}
	d.ActiveCampaigns = active
	return d, nil
}

// query holds what every query of one computation shares.
type query struct {
	client   *ent.Client
	org      *ent.Organization
	from, to time.Time // UTC: SQLite compares timestamps as text
	now      time.Time
	cal      calendar
}

// lastTouchCredits is the LAST_TOUCH credits of the range in the organization's currency: what the dashboard's
// revenue and conversions are made of.
func (q query) lastTouchCredits() *ent.AttributionCreditQuery {
	return q.client.AttributionCredit.Query().Where(
		attributioncredit.OrganizationID(q.org.ID),
		attributioncredit.ModelEQ(attributioncredit.ModelLAST_TOUCH),
		attributioncredit.ConvertedAtGTE(q.from),
		attributioncredit.ConvertedAtLTE(q.to),
		attributioncredit.Currency(q.org.Currency),
	)
}

type creditDay struct {
	Day         int     `json:"day"`
	Revenue     int64   `json:"revenue"`
	Conversions float64 `json:"conversions"`
}

// creditsByDay sums the credits per day of the range; days without credits are absent.
func (q query) creditsByDay(ctx context.Context) ([]creditDay, error) {
	var rows []creditDay
	err := q.lastTouchCredits().
		Modify(func(s *sql.Selector) {
			s.Select().
				AppendSelectExprAs(q.cal.dayOf(s.C(attributioncredit.FieldConvertedAt)), "day").
				AppendSelectExprAs(sql.Raw(sumOf(s.C(attributioncredit.FieldRevenue))), "revenue").
				AppendSelectExprAs(sql.Raw(sumOf(s.C(attributioncredit.FieldConversions))), "conversions").
				GroupBy("day")
		}).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("dashboard: revenue by day: %w", err)
	}
	return rows, nil
}

// creditTotal is the credits of the range for one source and campaign.
type creditTotal struct {
	Source      string  `json:"source"`
	Campaign    string  `json:"campaign"`
	Revenue     int64   `json:"revenue"`
	Conversions float64 `json:"conversions"`
}

// creditTotals sums the credits of the range per source and campaign: one pass gives both the top sources and the
// revenue of each campaign.
func (q query) creditTotals(ctx context.Context) ([]creditTotal, error) {
	var rows []creditTotal
	err := q.lastTouchCredits().
		GroupBy(attributioncredit.FieldSource, attributioncredit.FieldCampaign).
		Aggregate(
			ent.As(ent.Sum(attributioncredit.FieldRevenue), "revenue"),
			ent.As(ent.Sum(attributioncredit.FieldConversions), "conversions"),
		).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("dashboard: revenue by source: %w", err)
	}
	return rows, nil
}

// topSources returns the TopSources sources with the most revenue, direct traffic (an empty source too) as
// attribution.Direct. Sources whose conversions were all refunded (nothing left of either) are not listed.
func topSources(totals []creditTotal, currency string) []Source {
	type total struct {
		revenue     int64
		conversions float64
	}
	bySource := map[string]*total{}
	for _, r := range totals {
		name := r.Source
		if name == "" {
			name = attribution.Direct
		}
		t := bySource[name]
		if t == nil {
			t = &total{}
			bySource[name] = t
		}
		t.revenue += r.Revenue
		t.conversions += r.Conversions
	}
	type ranked struct {
		name string
		total
	}
	all := make([]ranked, 0, len(bySource))
	for name, t := range bySource {
		if t.revenue == 0 && attribution.RoundConversions(t.conversions) == 0 {
			continue
		}
		all = append(all, ranked{name, *t})
	}
	slices.SortFunc(all, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.revenue, a.revenue), cmp.Compare(b.conversions, a.conversions), cmp.Compare(a.name, b.name))
	})
	out := make([]Source, 0, min(len(all), TopSources))
	for _, r := range all[:min(len(all), TopSources)] {
		out = append(out, Source{Source: r.name, Revenue: money.Major(r.revenue, currency), Conversions: attribution.RoundConversions(r.conversions)})
	}
	return out
}

// metrics is the platforms' daily metrics of the range's calendar dates, in the organization's currency.
func (q query) metrics() *ent.CampaignMetricQuery {
	last := len(q.cal.days)
	return q.client.CampaignMetric.Query().Where(
		campaignmetric.OrganizationID(q.org.ID),
		campaignmetric.DateGTE(q.cal.utcDays[0]),
		campaignmetric.DateLT(q.cal.utcDays[last]),
		campaignmetric.Currency(q.org.Currency),
	)
}

type spendDay struct {
	Day  int   `json:"day"`
	Cost int64 `json:"cost"`
}

// spendByDay sums the platforms' cost per day of the range; days without metrics are absent.
func (q query) spendByDay(ctx context.Context) ([]spendDay, error) {
	var rows []spendDay
	err := q.metrics().
		Modify(func(s *sql.Selector) {
			s.Select().
				AppendSelectExprAs(q.cal.metricDayOf(s.C(campaignmetric.FieldDate)), "day").
				AppendSelectExprAs(sql.Raw(sumOf(s.C(campaignmetric.FieldCost))), "cost").
				GroupBy("day")
		}).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("dashboard: spend by day: %w", err)
	}
	return rows, nil
}

// averageROAS is the mean, over the campaigns that spent in the range, of the revenue credited to the campaign
// (credits whose campaign is its utm_campaign) divided by its spend; nil when no campaign spent.
func (q query) averageROAS(ctx context.Context, totals []creditTotal) (*float64, error) {
	var spends []struct {
		CampaignID string `json:"campaign_id"`
		Cost       int64  `json:"cost"`
	}
	err := q.metrics().
		GroupBy(campaignmetric.FieldCampaignID).
		Aggregate(ent.As(ent.Sum(campaignmetric.FieldCost), "cost")).
		Scan(ctx, &spends)
	if err != nil {
		return nil, fmt.Errorf("dashboard: spend by campaign: %w", err)
	}
	spendOf := map[string]int64{}
	for _, s := range spends {
		if s.Cost > 0 {
			spendOf[s.CampaignID] = s.Cost
		}
	}
	if len(spendOf) == 0 {
		return nil, nil
	}
	campaigns, err := q.client.Campaign.Query().
		Where(campaign.OrganizationID(q.org.ID), campaign.IDIn(slices.Sorted(maps.Keys(spendOf))...)).
		Select(campaign.FieldID, campaign.FieldUtmCampaign).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: campaigns: %w", err)
	}
	if len(campaigns) == 0 {
		return nil, nil
	}
	revenueOf := map[string]int64{}
	for _, t := range totals {
		revenueOf[t.Campaign] += t.Revenue
	}
	var sum float64
	for _, c := range campaigns {
		sum += float64(revenueOf[c.UtmCampaign]) / float64(spendOf[c.ID])
	}
	return ratio(sum, float64(len(campaigns))), nil
}

// sumOf is SUM(column), 0 rather than NULL over no rows.
func sumOf(column string) string { return "COALESCE(SUM(" + column + "), 0)" }

func ratio(a, b float64) *float64 {
	r := a / b
	return &r
}
