package people

import (
	"context"
	"fmt"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// UpdateRole gives the membership id of the viewer's organization the role. Making or unmaking an OWNER takes an
// OWNER (ErrOwnersOnly); the last OWNER keeps the role (ErrLastOwner). Another organization's membership is not
// found. The same role again changes nothing.
func (s *Service) UpdateRole(ctx context.Context, id string, role viewer.Role) (*ent.Membership, error) {
	if !role.Valid() {
		return nil, validation.Field("role", "must be one of OWNER, ADMIN, MARKETER, VIEWER")
	}
	var out *ent.Membership
	err := s.inOrganization(ctx, func(tx *ent.Tx) error {
		m, err := tx.Membership.Get(ctx, id)
		if err != nil {
			return err
		}
		if (m.Role == viewer.Owner || role == viewer.Owner) && !isOwner(ctx) {
			return ErrOwnersOnly
		}
		if m.Role == role {
			out = m
			return nil
		}
		if m.Role == viewer.Owner {
			if err := keepsAnOwner(ctx, tx); err != nil {
				return err
			}
		}
		out, err = tx.Membership.UpdateOne(m).SetRole(role).Save(ctx)
		if err != nil {
			return fmt.Errorf("people: update role: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveMember takes the membership id out of the viewer's organization. Removing an OWNER takes an OWNER
// (ErrOwnersOnly), and the last one stays (ErrLastOwner). The person's sessions resolve their memberships on every
// request, so from the next request on they can do nothing in the organization; their account, and their
// memberships of other organizations, stay.
func (s *Service) RemoveMember(ctx context.Context, id string) error {
	return s.inOrganization(ctx, func(tx *ent.Tx) error {
		m, err := tx.Membership.Get(ctx, id)
		if err != nil {
			return err
		}
		if m.Role == viewer.Owner {
			if !isOwner(ctx) {
				return ErrOwnersOnly
			}
			if err := keepsAnOwner(ctx, tx); err != nil {
				return err
			}
		}
		if err := tx.Membership.DeleteOne(m).Exec(ctx); err != nil {
			return fmt.Errorf("people: remove member: %w", err)
		}
		return nil
	})
}
