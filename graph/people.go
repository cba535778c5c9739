package graph

import (
	"context"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/graph/model"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/viewer"
)

// viewer is who is asking: the organization, the person (null for a key), the role, and the person's
// organizations (a key's own).
func (r *Resolver) viewer(ctx context.Context) (*model.Viewer, error) {
	v, _ := viewer.FromContext(ctx)
	org, err := r.client.Organization.Get(ctx, v.OrgID)
	if err != nil {
		return nil, err
	}
	out := &model.Viewer{Organization: org, Role: v.Role, Organizations: []*ent.Organization{org}}
	if v.UserID == "" {
		return out, nil
	}
	if out.User, err = r.client.User.Get(ctx, v.UserID); err != nil {
		return nil, err
	}
	// The person's other organizations are outside this request's tenancy: read their names as the system, by
	// the memberships of this person only.
	sys := viewer.SystemContext(ctx)
	orgs, err := r.client.Organization.Query().
		Where(organization.HasMembershipsWith(membership.UserID(v.UserID))).
		Order(ent.Asc(organization.FieldName), ent.Asc(organization.FieldID)).
		All(sys)
	if err != nil {
		return nil, err
	}
	out.Organizations = orgs
	return out, nil
}

// highValueThreshold is the organization's high-value threshold in major units.
func highValueThreshold(org *ent.Organization) float64 {
	return money.Major(org.HighValueThreshold, org.Currency)
}
