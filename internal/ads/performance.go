// Package ads runs paid campaigns on the ad platforms and turns their numbers into the performance a marketer reads.
package ads

import (
	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/money"
)

// Budget is a campaign's budget in major units of its currency.
type Budget struct {
	Daily    float64
	Currency string
	Spent    float64
	Limit    *float64
}

// BudgetOf reads a campaign's budget.
func BudgetOf(c *ent.Campaign) Budget {
	return Budget{
		Daily:    money.Major(c.DailyBudget, c.Currency),
		Currency: c.Currency,
		Spent:    money.Major(c.BudgetSpent, c.Currency),
		Limit:    money.MajorPtr(c.BudgetLimit, c.Currency),
	}
}

// Performance is what a campaign returned for what it cost. Ratios are nil while their denominator is zero:
// a ROAS of 0 and "no spend yet" are different answers.
type Performance struct {
	Impressions int64
	Clicks      int64
	Conversions float64
	Spend       float64
	Revenue     float64
	CTR         *float64 // clicks ÷ impressions
	CPC         *float64 // spend ÷ clicks
	CPA         *float64 // spend ÷ conversions
	ROAS        *float64 // revenue ÷ spend
	ROI         *float64 // (revenue − spend) ÷ spend
}

// PerformanceOf computes a campaign's performance from its stored totals.
func PerformanceOf(c *ent.Campaign) Performance {
	spend := money.Major(c.Spend, c.Currency)
	revenue := money.Major(c.Revenue, c.Currency)
	return Performance{
		Impressions: c.Impressions,
		Clicks:      c.Clicks,
		Conversions: c.Conversions,
		Spend:       spend,
		Revenue:     revenue,
		CTR:         ratio(float64(c.Clicks), float64(c.Impressions)),
		CPC:         ratio(spend, float64(c.Clicks)),
		CPA:         ratio(spend, c.Conversions),
		ROAS:        ratio(revenue, spend),
		ROI:         ratio(revenue-spend, spend),
	}
}

func ratio(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}
