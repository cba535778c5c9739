package attribution

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/period"
	"github.com/marketingos/marketingos/internal/valueid"
)

// Dimension is what a report groups by.
type Dimension string

const (
	BySource   Dimension = "SOURCE"
	ByMedium   Dimension = "MEDIUM"
	ByCampaign Dimension = "CAMPAIGN"
)

// Row is one group of a report. Only the grouped field is set.
type Row struct {
	Source      *string
	Medium      *string
	Campaign    *string
	Conversions float64
	Revenue     float64 // major units of the organization's currency
}

// Report is revenue and conversions credited by one model to each channel over a range.
type Report struct {
	// ID names the organization's report of the model, grouping and range as asked for (ReportForRange), for client
	// caches: the same arguments give the same ID, the default range keeping its ID as now moves on.
	ID               string
	Model            Model
	Currency         string    // the organization's
	From, To         time.Time // the range reported, in UTC
	Rows             []Row
	TotalRevenue     float64
	TotalConversions float64
}

// ReportForRange builds the organization's report for the optional range (default: the last 30 days in its time
// zone), grouped by source unless dim says otherwise.
func ReportForRange(ctx context.Context, client *ent.Client, orgID string, model Model, dim Dimension, from, to *time.Time) (*Report, error) {
	org, err := client.Organization.Get(ctx, orgID)
	if err != nil {
		return nil, err
	}
	start, end, err := period.Resolve(from, to, period.Location(org.Timezone), time.Now())
	if err != nil {
		return nil, err
	}
	if dim == "" {
		dim = BySource
	}
	rep, err := BuildReport(ctx, client, org, model, dim, start, end)
	if err != nil {
		return nil, err
	}
	// The grouping counts once defaulted: groupBy omitted and groupBy: SOURCE are one report.
	rep.ID = valueid.New("atr", orgID, string(model), string(dim), valueid.Instant(from), valueid.Instant(to))
	return rep, nil
}

// BuildReport sums the credits of conversions between from and to under model, grouped by dim. It is an
// aggregate over AttributionCredit: credits were computed once, when each conversion was recorded. Only credits
// in the organization's currency are summed; conversions in other currencies are left out (no exchange rates).
func BuildReport(ctx context.Context, client *ent.Client, org *ent.Organization, model Model, dim Dimension, from, to time.Time) (*Report, error) {
	column := map[Dimension]string{
		BySource: attributioncredit.FieldSource, ByMedium: attributioncredit.FieldMedium, ByCampaign: attributioncredit.FieldCampaign,
	}[dim]
	if column == "" {
		return nil, fmt.Errorf("attribution: unknown dimension %q", dim)
	}
	// The grouped column keeps its name in the result; the other two stay empty.
	var groups []struct {
		Source      string  `json:"source"`
		Medium      string  `json:"medium"`
		Campaign    string  `json:"campaign"`
		Revenue     int64   `json:"revenue"`
		Conversions float64 `json:"conversions"`
	}
	err := client.AttributionCredit.Query().
		Where(
			attributioncredit.OrganizationID(org.ID),
			attributioncredit.ModelEQ(attributioncredit.Model(model)),
			attributioncredit.ConvertedAtGTE(from),
			attributioncredit.ConvertedAtLTE(to),
			attributioncredit.Currency(org.Currency),
		).
		GroupBy(column).
		Aggregate(
			ent.As(ent.Sum(attributioncredit.FieldRevenue), "revenue"),
			ent.As(ent.Sum(attributioncredit.FieldConversions), "conversions"),
		).
		Scan(ctx, &groups)
	if err != nil {
		return nil, fmt.Errorf("attribution: report: %w", err)
	}
	rep := &Report{Model: model, Currency: org.Currency, From: from, To: to}
	var totalMinor int64
	for _, g := range groups {
		if g.Revenue == 0 && nearZero(g.Conversions) {
			continue // fully refunded channels would only add noise
		}
		key := g.Source + g.Medium + g.Campaign
		if key == "" {
			key = "(none)" // no campaign or medium: organic and direct visits
			if dim == BySource {
				key = Direct
			}
		}
		row := Row{Conversions: RoundConversions(g.Conversions), Revenue: money.Major(g.Revenue, org.Currency)}
		switch dim {
		case BySource:
			row.Source = &key
		case ByMedium:
			row.Medium = &key
		case ByCampaign:
			row.Campaign = &key
		}
		rep.Rows = append(rep.Rows, row)
		totalMinor += g.Revenue
		rep.TotalConversions += g.Conversions
	}
	rep.TotalRevenue = money.Major(totalMinor, org.Currency)
	rep.TotalConversions = RoundConversions(rep.TotalConversions)
	sort.SliceStable(rep.Rows, func(i, j int) bool { return rep.Rows[i].Revenue > rep.Rows[j].Revenue })
	return rep, nil
}

func nearZero(f float64) bool { return f < 1e-9 && f > -1e-9 }

// RoundConversions hides float noise in sums of fractional conversions (0.1+0.2): reports and the dashboard show
// conversions rounded alike.
func RoundConversions(f float64) float64 {
	r := math.Round(f*1e6) / 1e6
	if nearZero(r) {
		return 0
	}
	return r
}
