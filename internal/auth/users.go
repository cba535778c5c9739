package auth

import (
	"context"
	"fmt"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/session"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// NewUser is a person to create. An empty Password makes a user who signs in only with single sign-on (or sets a
// password later).
type NewUser struct {
	Email, Name, Password string
}

// CreateUser creates a user; the e-mail must be new (case-insensitively) and the password must pass the policy.
func CreateUser(ctx context.Context, client *ent.Client, in NewUser) (*ent.User, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	if !validation.Text(in.Name) || len(in.Name) > 200 {
		return nil, validation.Field("name", "must be text of at most 200 bytes")
	}
	create := client.User.Create().SetEmail(email).SetName(in.Name)
	if in.Password != "" {
		if err := CheckPasswordPolicy(in.Password); err != nil {
			return nil, err
		}
		create.SetPasswordHash(hashPassword(in.Password))
	}
	u, err := create.Save(viewer.SystemContext(ctx))
	switch {
	case ent.IsConstraintError(err):
		return nil, validation.Field("email", "already has an account")
	case err != nil:
		return nil, fmt.Errorf("auth: create user: %w", err)
	}
	return u, nil
}

// UserByEmail finds a user by e-mail, case-insensitively.
func UserByEmail(ctx context.Context, client *ent.Client, email string) (*ent.User, error) {
	normalized, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	return client.User.Query().Where(user.Email(normalized)).Only(viewer.SystemContext(ctx))
}

// SetPassword gives the user a new password and ends every session of theirs except keep (the one that asked,
// when a signed-in person changes it; empty ends them all, as after a reset by an administrator).
func SetPassword(ctx context.Context, client *ent.Client, userID, password, keep string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	sys := viewer.SystemContext(ctx)
	return store.WithTx(sys, client, func(tx *ent.Tx) error {
		if err := tx.User.UpdateOneID(userID).SetPasswordHash(hashPassword(password)).Exec(sys); err != nil {
			return fmt.Errorf("auth: set password: %w", err)
		}
		revoke := tx.Session.Update().Where(session.UserID(userID), session.RevokedAtIsNil())
		if keep != "" {
			revoke.Where(session.IDNEQ(keep))
		}
		return revoke.SetRevokedAt(timeNow()).Exec(sys)
	})
}

// ChangePassword is a signed-in person changing their own password: the current one must match; their other
// sessions end.
func (s *Service) ChangePassword(ctx context.Context, sess *ent.Session, current, next string) error {
	u, err := s.client.User.Get(viewer.SystemContext(ctx), sess.UserID)
	if err != nil {
		return fmt.Errorf("auth: change password: %w", err)
	}
	hash := dummyHash()
	if u.PasswordHash != nil {
		hash = *u.PasswordHash
	}
	ok, err := passwordMatches(hash, current)
	if err != nil {
		return fmt.Errorf("auth: change password: %w", err)
	}
	if !ok || u.PasswordHash == nil {
		return validation.Field("currentPassword", "is not your current password")
	}
	return SetPassword(ctx, s.client, u.ID, next, sess.ID)
}

// AddMember puts the user in the organization with role, or changes their role there when they already belong.
func AddMember(ctx context.Context, client *ent.Client, orgID, userID string, role viewer.Role) (*ent.Membership, error) {
	if !role.Valid() {
		return nil, validation.Field("role", "must be one of OWNER, ADMIN, MARKETER, VIEWER")
	}
	sys := viewer.SystemContext(ctx)
	err := client.Membership.Create().
		SetOrganizationID(orgID).
		SetUserID(userID).
		SetRole(role).
		OnConflictColumns(membership.FieldOrganizationID, membership.FieldUserID).
		UpdateRole().
		Exec(sys)
	if err != nil {
		return nil, fmt.Errorf("auth: add member: %w", err)
	}
	return client.Membership.Query().Where(membership.OrganizationID(orgID), membership.UserID(userID)).Only(sys)
}
