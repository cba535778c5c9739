package ads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/campaignmetric"
	"github.com/marketingos/marketingos/internal/period"
	"github.com/marketingos/marketingos/internal/viewer"
)

// SyncDays is how far back each sync reads: platforms keep revising recent days as late conversions come in.
const SyncDays = 30

// Sync reads a campaign's daily metrics from its platform, upserts them (a day is one row however often it is
// synced) and recomputes the campaign's totals. Revenue is what attribution credits to the campaign under
// LAST_TOUCH (matched on utm_campaign), or the platform's reported conversion value while nothing is credited.
func (s *Campaigns) Sync(ctx context.Context, id string) (*ent.Campaign, error) {
	c, err := s.client.Campaign.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.sync(ctx, c)
}

func (s *Campaigns) sync(ctx context.Context, c *ent.Campaign) (*ent.Campaign, error) {
	if c.ExternalID == nil || c.Status == campaign.StatusDRAFT || c.Status == campaign.StatusFAILED {
		return nil, fmt.Errorf("%w: a %s campaign has no platform metrics", ErrTransition, c.Status)
	}
	platform, err := s.platformFor(string(c.Platform), c.Mock)
	if err != nil {
		return nil, err
	}
	to := Day(s.now())
	from := to.AddDate(0, 0, -(SyncDays - 1))
	if c.StartDate != nil && Day(*c.StartDate).After(from) {
		from = Day(*c.StartDate)
	}
	var days []DailyMetric
	if !from.After(to) {
		if days, err = platform.DailyMetrics(ctx, *c.ExternalID, from, to); err != nil {
			return nil, &PlatformFailure{CampaignID: c.ID, Err: err}
		}
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	c, err = saveMetrics(ctx, tx.Client(), c, days, s.now())
	if err != nil {
		return nil, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s.checkROI(ctx, c)
	s.updated(ctx, c)
	return c, nil
}

// saveMetrics upserts the days and recomputes the totals, in the caller's transaction.
func saveMetrics(ctx context.Context, client *ent.Client, c *ent.Campaign, days []DailyMetric, now time.Time) (*ent.Campaign, error) {
	if len(days) > 0 {
		builders := make([]*ent.CampaignMetricCreate, len(days))
		for i, d := range days {
			currency := d.Currency
			if currency == "" {
				currency = c.Currency
			}
			builders[i] = client.CampaignMetric.Create().
				SetOrganizationID(c.OrganizationID).
				SetCampaignID(c.ID).
				SetDate(Day(d.Date)).
				SetImpressions(d.Impressions).
				SetClicks(d.Clicks).
				SetConversions(d.Conversions).
				SetCost(d.Cost).
				SetConversionValue(d.ConversionValue).
				SetCurrency(currency)
		}
		err := client.CampaignMetric.CreateBulk(builders...).
			OnConflictColumns(campaignmetric.FieldCampaignID, campaignmetric.FieldDate).
			UpdateNewValues().
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("ads: store metrics: %w", err)
		}
	}
	var totals []struct {
		Impressions     int64   `json:"impressions"`
		Clicks          int64   `json:"clicks"`
		Conversions     float64 `json:"conversions"`
		Cost            int64   `json:"cost"`
		ConversionValue int64   `json:"conversion_value"`
	}
	// Totals are in the campaign's currency: a day reported in another (an ad account billing in another
	// currency) is kept as a row but not added, since no exchange rates are kept.
	err := client.CampaignMetric.Query().
		Where(campaignmetric.CampaignID(c.ID), campaignmetric.Currency(c.Currency)).
		Aggregate(
			ent.As(ent.Sum(campaignmetric.FieldImpressions), "impressions"),
			ent.As(ent.Sum(campaignmetric.FieldClicks), "clicks"),
			ent.As(ent.Sum(campaignmetric.FieldConversions), "conversions"),
			ent.As(ent.Sum(campaignmetric.FieldCost), "cost"),
			ent.As(ent.Sum(campaignmetric.FieldConversionValue), "conversion_value"),
		).
		Scan(ctx, &totals)
	if err != nil {
		return nil, fmt.Errorf("ads: metric totals: %w", err)
	}
	revenue, credited, err := attributedRevenue(ctx, client, c)
	if err != nil {
		return nil, err
	}
	t := totals[0]
	if !credited {
		revenue = t.ConversionValue
	}
	return client.Campaign.UpdateOne(c).
		SetImpressions(t.Impressions).
		SetClicks(t.Clicks).
		SetConversions(t.Conversions).
		SetSpend(t.Cost).
		SetBudgetSpent(t.Cost).
		SetRevenue(revenue).
		SetMetricsSyncedAt(now).
		Save(ctx)
}

// attributedRevenue sums the LAST_TOUCH credits of conversions whose last marketing touch came through the
// campaign's utm_campaign, in the campaign's currency. credited is false when no conversion was credited at all.
func attributedRevenue(ctx context.Context, client *ent.Client, c *ent.Campaign) (int64, bool, error) {
	var sums []struct {
		Revenue *int64 `json:"revenue"`
		Rows    int    `json:"rows"`
	}
	err := client.AttributionCredit.Query().
		Where(
			attributioncredit.OrganizationID(c.OrganizationID),
			attributioncredit.ModelEQ(attributioncredit.ModelLAST_TOUCH),
			attributioncredit.Campaign(c.UtmCampaign),
			attributioncredit.Currency(c.Currency),
		).
		Aggregate(ent.As(ent.Sum(attributioncredit.FieldRevenue), "revenue"), ent.As(ent.Count(), "rows")).
		Scan(ctx, &sums)
	if err != nil {
		return 0, false, fmt.Errorf("ads: attributed revenue: %w", err)
	}
	if len(sums) == 0 || sums[0].Rows == 0 || sums[0].Revenue == nil {
		return 0, false, nil
	}
	return *sums[0].Revenue, true, nil
}

// checkROI raises the low-ROI notice when revenue is below spend, once per campaign per day in the organization's
// time zone. The conditional update decides, so that two instances syncing at once notify once.
func (s *Campaigns) checkROI(ctx context.Context, c *ent.Campaign) {
	perf := PerformanceOf(c)
	if perf.ROI == nil || *perf.ROI >= 0 || s.hooks.LowROI == nil {
		return
	}
	org, err := s.client.Organization.Get(ctx, c.OrganizationID)
	if err != nil {
		s.log.ErrorContext(ctx, "low-ROI check", "campaign", c.ID, "error", err)
		return
	}
	loc := period.Location(org.Timezone)
	y, m, d := s.now().In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	n, err := s.client.Campaign.Update().
		Where(campaign.ID(c.ID), campaign.Or(campaign.LowRoiNotifiedAtIsNil(), campaign.LowRoiNotifiedAtLT(today))).
		SetLowRoiNotifiedAt(s.now()).
		Save(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "low-ROI check", "campaign", c.ID, "error", err)
		return
	}
	if n == 1 {
		s.hooks.LowROI(ctx, org, c, perf)
	}
}

// SyncStats summarises a sync of all active campaigns.
type SyncStats struct {
	Campaigns int `json:"campaigns"`
	Synced    int `json:"synced"`
	Failed    int `json:"failed"`
}

// SyncActive syncs every ACTIVE campaign with a platform id, across organizations (the scheduled job). A failing
// campaign does not stop the others; their errors are joined.
func (s *Campaigns) SyncActive(ctx context.Context) (SyncStats, error) {
	sys := viewer.SystemContext(ctx) // a scheduled job: no tenant is asking
	list, err := s.client.Campaign.Query().
		Where(campaign.StatusEQ(campaign.StatusACTIVE), campaign.ExternalIDNotNil()).
		Order(campaign.ByOrganizationID(), campaign.ByID(sql.OrderAsc())).
		All(sys)
	if err != nil {
		return SyncStats{}, err
	}
	stats := SyncStats{Campaigns: len(list)}
	var errs []error
	for _, c := range list {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		if _, err := s.sync(viewer.ForOrganization(ctx, c.OrganizationID), c); err != nil {
			stats.Failed++
			errs = append(errs, fmt.Errorf("campaign %s: %w", c.ID, err))
			continue
		}
		stats.Synced++
	}
	return stats, errors.Join(errs...)
}
