// Package dashboard computes the KPIs a marketer reads first: revenue against ad spend, ROAS, conversion rate,
// visitors, with a daily series and the best sources, in the organization's currency and time zone.
package dashboard

import (
	"time"

	"github.com/marketingos/marketingos/internal/valueid"
)

// Dashboard is the KPI summary of one range. Money is in major units of Currency.
type Dashboard struct {
	// ID names the organization's dashboard of the range as asked for (see ID), the same in a query's answer and in
	// every push of the subscription with the same arguments, so that client caches merge them.
	ID              string
	From, To        time.Time
	Revenue         float64  // net of refunds
	Currency        string   // the organization's
	Spend           float64  // from the platforms' daily metrics
	ROAS            *float64 // revenue ÷ spend; nil without spend
	AverageROAS     *float64 // mean of the ROAS of the campaigns with spend in the range
	ConversionRate  *float64 // converting visitors ÷ visitors; nil without visitors
	Conversions     float64
	Visitors        int
	ActiveCampaigns int
	Series          []Point // one per day of the range, in the organization's time zone, without gaps
	TopSources      []Source
	UpdatedAt       time.Time
}

// Point is one day.
type Point struct {
	Date        time.Time // midnight of the day in the organization's time zone
	Revenue     float64
	Spend       float64
	Visitors    int
	Conversions float64
}

// Source is a traffic source's contribution.
type Source struct {
	Source      string
	Revenue     float64
	Conversions float64
}

// ID is the ID of the organization's dashboard of the range from, to as a client asks for it: an absent bound is the
// moving default, so the default range keeps one ID while now moves on, and two requests of the same instants (in
// whatever time zone) share one. Subscribers of the same ID share one feed (Hub).
func ID(orgID string, from, to *time.Time) string {
	return valueid.New("dsh", orgID, valueid.Instant(from), valueid.Instant(to))
}
