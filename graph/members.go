package graph

import (
	"context"

	"entgo.io/contrib/entgql"

	"github.com/marketingos/marketingos/ent"
)

// invitations are the organization's invitations that can still be accepted, newest first.
func (r *Resolver) invitations(ctx context.Context, after *entgql.Cursor[string], first *int, before *entgql.Cursor[string], last *int) (*ent.InvitationConnection, error) {
	return r.client.Invitation.Query().Where(r.people.Pending()).Paginate(ctx, after, first, before, last,
		ent.WithInvitationOrder(&ent.InvitationOrder{Direction: entgql.OrderDirectionDesc, Field: ent.InvitationOrderFieldCreatedAt}))
}
