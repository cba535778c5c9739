package account

import (
	"context"
	"strings"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Settings are the changes to an organization's settings (GraphQL's UpdateOrganizationInput): a nil field stays as
// it is. The ent schema validates each value; a refused one is an ent.ValidationError naming its field.
type Settings struct {
	Name                  *string  `json:"name"`
	Currency              *string  `json:"currency"`
	Timezone              *string  `json:"timezone"`
	AttributionWindowDays *int     `json:"attributionWindowDays"`
	RespectDnt            *bool    `json:"respectDnt"`
	AllowedOrigins        []string `json:"allowedOrigins"` // nil: unchanged; empty: any origin
	DailyPostCap          *int     `json:"dailyPostCap"`
	AutoPublishThreshold  *int     `json:"autoPublishThreshold"`
	HighValueThreshold    *float64 `json:"highValueThreshold"` // major units of the (new) currency
	SsoDomain             *string  `json:"ssoDomain"`          // "" clears it
}

// UpdateSettings applies s to the viewer's organization. A new time zone starts a new generation of its visitors
// rollup, which is rebuilt in the background after the commit (the schema's hook, internal/visitors).
func UpdateSettings(ctx context.Context, client *ent.Client, s Settings) (*ent.Organization, error) {
	org, err := client.Organization.Get(ctx, viewer.OrgID(ctx))
	if err != nil {
		return nil, err
	}
	u := client.Organization.UpdateOne(org).
		SetNillableName(trimmed(s.Name)).
		SetNillableCurrency(s.Currency).
		SetNillableTimezone(s.Timezone).
		SetNillableAttributionWindowDays(s.AttributionWindowDays).
		SetNillableRespectDnt(s.RespectDnt).
		SetNillableDailyPostCap(s.DailyPostCap).
		SetNillableAutoPublishThreshold(s.AutoPublishThreshold)
	if s.AllowedOrigins != nil {
		if len(s.AllowedOrigins) == 0 {
			u.ClearAllowedOrigins()
		} else {
			u.SetAllowedOrigins(s.AllowedOrigins)
		}
	}
	if s.HighValueThreshold != nil {
		currency := org.Currency
		if s.Currency != nil {
			currency = *s.Currency
		}
		minor, err := money.Minor(*s.HighValueThreshold, currency)
		if err != nil || minor < 0 {
			return nil, validation.Field("highValueThreshold", "must be an amount of at least 0 in %s", currency)
		}
		u.SetHighValueThreshold(minor)
	}
	if s.SsoDomain != nil {
		if d := strings.ToLower(strings.TrimSpace(*s.SsoDomain)); d == "" {
			u.ClearSSODomain()
		} else {
			u.SetSSODomain(d)
		}
	}
	return u.Save(ctx)
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}
