package graph

import (
	"context"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/auditentry"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/graph/model"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/valueid"
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
	out := &model.Viewer{ID: viewerID(v), Organization: org, Role: v.Role, Organizations: []*ent.Organization{org}}
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

// viewerID identifies the viewer for client caches: the person (or the key) in the organization. A person who
// switches organizations gets another viewer record, not a mix of both organizations' fields.
func viewerID(v viewer.Viewer) string {
	if v.UserID != "" {
		return valueid.New("vwr", v.OrgID, "user", v.UserID)
	}
	return valueid.New("vwr", v.OrgID, "key", v.APIKeyID)
}

// highValueThreshold is the organization's high-value threshold in major units.
func highValueThreshold(org *ent.Organization) float64 {
	return money.Major(org.HighValueThreshold, org.Currency)
}

// keyCreator is the person who created key, null for the CLI's keys or a person no longer in the organization.
func (r *Resolver) keyCreator(ctx context.Context, key *ent.APIKey) (*ent.User, error) {
	if key.CreatedByID == nil {
		return nil, nil
	}
	u, err := r.client.User.Get(ctx, *key.CreatedByID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return u, err
}

// auditActor is the person or key of an entry; null for the system, or for a person no longer in the organization.
func (r *Resolver) auditActor(ctx context.Context, e *ent.AuditEntry) (ent.Noder, error) {
	switch {
	case e.ActorUserID != nil:
		return nilIfNotFound(r.client.User.Get(ctx, *e.ActorUserID))
	case e.ActorKeyID != nil:
		return nilIfNotFound(r.client.APIKey.Get(ctx, *e.ActorKeyID))
	}
	return nil, nil
}

// nilIfNotFound turns a row the viewer cannot see into null.
func nilIfNotFound[T ent.Noder](v T, err error) (ent.Noder, error) {
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}

// auditFilter narrows auditLog.
type auditFilter struct {
	actorID, action *string
	from, to        *time.Time
}

func (r *Resolver) auditLog(ctx context.Context, after *entgql.Cursor[string], first *int, before *entgql.Cursor[string], last *int, f auditFilter) (*ent.AuditEntryConnection, error) {
	q := r.client.AuditEntry.Query()
	if f.actorID != nil {
		q.Where(auditentry.Or(auditentry.ActorUserID(*f.actorID), auditentry.ActorKeyID(*f.actorID)))
	}
	if f.action != nil {
		q.Where(auditentry.Action(*f.action))
	}
	if f.from != nil {
		q.Where(auditentry.CreatedAtGTE(*f.from))
	}
	if f.to != nil {
		q.Where(auditentry.CreatedAtLT(*f.to))
	}
	return q.Paginate(ctx, after, first, before, last,
		ent.WithAuditEntryOrder(&ent.AuditEntryOrder{Direction: entgql.OrderDirectionDesc, Field: ent.AuditEntryOrderFieldCreatedAt}))
}
