package ads

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/schema/jsontype"
)

// Platform names, spelled as the campaign.Platform enum so that a stored campaign finds its client by name.
const (
	Google   = string(campaign.PlatformGOOGLE)
	Facebook = string(campaign.PlatformFACEBOOK)
)

// DefaultTimeout bounds every HTTP call a platform client makes, so that a provider that stops answering cannot hold
// a GraphQL request or a sync job forever.
const DefaultTimeout = 30 * time.Second

// Platform is one ad network. Implementations are safe for concurrent use.
type Platform interface {
	// Name is Google or Facebook.
	Name() string
	// Mock reports whether this is the offline stand-in used when no credentials are configured.
	Mock() bool
	// CreateCampaign creates the campaign and everything it needs to deliver, paused: nothing spends money until
	// ResumeCampaign. It either creates it completely or returns an error; a *PartialCreateError says what could not
	// be cleaned up.
	CreateCampaign(ctx context.Context, spec CampaignSpec) (Created, error)
	// PauseCampaign stops delivery of a campaign created by CreateCampaign.
	PauseCampaign(ctx context.Context, externalID string) error
	// ResumeCampaign starts (or restarts) delivery.
	ResumeCampaign(ctx context.Context, externalID string) error
	// DailyMetrics returns one row per day with data between the calendar dates of from and to, both included,
	// ordered by date.
	DailyMetrics(ctx context.Context, externalID string, from, to time.Time) ([]DailyMetric, error)
}

// CampaignSpec is what a marketer asked for. Amounts are in minor units of Currency, which must be the ad account's
// currency.
type CampaignSpec struct {
	Name        string
	Objective   string
	Currency    string
	UTMCampaign string // tagged on landing-page URLs so tracked visits join the campaign
	DailyBudget int64  // minor units
	Keywords    []string
	Creatives   []jsontype.Creative
	Targeting   jsontype.Targeting
	StartDate   *time.Time // calendar date; nil starts at once
	EndDate     *time.Time // calendar date, included; nil runs until paused
}

// Validate checks what every platform needs; each client checks its own extra requirements.
func (s CampaignSpec) Validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return &InputError{Field: "name", Message: "a campaign needs a name"}
	case s.DailyBudget <= 0:
		return &InputError{Field: "dailyBudget", Message: "the daily budget must be positive"}
	case !isCurrencyCode(s.Currency):
		return &InputError{Field: "currency", Message: fmt.Sprintf("%q is not an ISO 4217 currency code", s.Currency)}
	case s.StartDate != nil && s.EndDate != nil && Day(*s.EndDate).Before(Day(*s.StartDate)):
		return &InputError{Field: "endDate", Message: "the end date is before the start date"}
	}
	t := s.Targeting
	if t.AgeMin != nil && t.AgeMax != nil && *t.AgeMin > *t.AgeMax {
		return &InputError{Field: "targeting.ageMax", Message: "the maximum age is below the minimum age"}
	}
	return nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// Created identifies what CreateCampaign made on the platform.
type Created struct {
	// ExternalID is the platform's campaign id, the one the other Platform methods take.
	ExternalID string
	// Resources lists every remote object created (resource names for Google, "kind/id" for Meta), for the record
	// and for whoever has to clean up by hand.
	Resources []string
}

// DailyMetric is one day of a campaign's delivery.
type DailyMetric struct {
	Date            time.Time // midnight UTC of the day
	Impressions     int64
	Clicks          int64
	Conversions     float64 // platforms report fractional (modelled) conversions
	Cost            int64   // minor units of Currency
	ConversionValue int64   // minor units of Currency
	// Currency is the ad account's currency as the platform reported it; empty when it did not say (the mock), in
	// which case the amounts are in the campaign's own currency.
	Currency string
}

// Day returns midnight UTC of t's calendar date in t's own location, the form DailyMetric.Date and the platforms'
// date ranges use.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CheckRange validates a DailyMetrics date range and returns its first and last day.
func CheckRange(from, to time.Time) (first, last time.Time, err error) {
	first, last = Day(from), Day(to)
	if last.Before(first) {
		return first, last, &InputError{Field: "to", Message: "the end of the range is before its start"}
	}
	return first, last, nil
}
