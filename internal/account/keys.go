package account

import (
	"context"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/predicate"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TrackingKeyGrace is how long a rotated-out tracking key keeps working, so landing pages can be updated.
const TrackingKeyGrace = 24 * time.Hour

// maxKeyRole is the most a key may do: owners are people, so that deleting the organization or managing owners
// always has a person behind it.
const maxKeyRole = viewer.Admin

// NewKey is an API key created in GraphQL, with its secret: the only time the secret is available.
type NewKey struct {
	Secret string
	Key    *ent.APIKey
}

// CreateKey creates an API key for the viewer's organization, recording the person who made it. Its role is at
// most ADMIN and at most the viewer's own.
func CreateKey(ctx context.Context, client *ent.Client, name string, role viewer.Role) (*NewKey, error) {
	v, _ := viewer.FromContext(ctx)
	switch {
	case !role.Valid():
		return nil, validation.Field("role", "must be one of ADMIN, MARKETER, VIEWER")
	case role.AtLeast(viewer.Owner) || !maxKeyRole.AtLeast(role):
		return nil, validation.Field("role", "a key's role is at most ADMIN; owners are people")
	case !v.System && !v.Role.AtLeast(role):
		return nil, viewer.ErrForbidden // nobody hands out more than they have
	}
	secret := SecretPrefix + randomString(secretChars)
	create := client.APIKey.Create().
		SetName(name).
		SetHash(Hash(secret)).
		SetPrefix(secret[:displayChars]).
		SetRole(role)
	if v.UserID != "" {
		create.SetCreatedByID(v.UserID)
	}
	key, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	return &NewKey{Secret: secret, Key: key}, nil
}

// RevokeKey revokes one of the viewer's organization's keys; revoking a revoked key changes nothing and returns it.
func RevokeKey(ctx context.Context, client *ent.Client, id string) (*ent.APIKey, error) {
	key, err := client.APIKey.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if key.RevokedAt != nil {
		return key, nil
	}
	return client.APIKey.UpdateOne(key).SetRevokedAt(time.Now()).Save(ctx)
}

// RotateTrackingKey gives the viewer's organization a new tracking key; the current one keeps working for
// TrackingKeyGrace (a key rotated out earlier stops at once).
func RotateTrackingKey(ctx context.Context, client *ent.Client) (*ent.Organization, error) {
	org, err := client.Organization.Get(ctx, viewer.OrgID(ctx))
	if err != nil {
		return nil, err
	}
	return client.Organization.UpdateOne(org).
		SetTrackingKey(TrackingKeyPrefix + randomString(trackingChars)).
		SetPreviousTrackingKey(org.TrackingKey).
		SetPreviousTrackingKeyExpiresAt(time.Now().Add(TrackingKeyGrace)).
		Save(ctx)
}

// ByTrackingKey is the organization a tracking key names at now: its current key, or the one it rotated out less
// than TrackingKeyGrace ago. Every look-up by tracking key uses it.
func ByTrackingKey(key string, now time.Time) predicate.Organization {
	return organization.Or(
		organization.TrackingKey(key),
		organization.And(organization.PreviousTrackingKey(key), organization.PreviousTrackingKeyExpiresAtGT(now)),
	)
}
