// Package account creates organizations and their keys and authenticates API keys. An API key secret
// (mos_sk_…) is shown once, when it is created; only its SHA-256 hash is stored.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/apikey"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

const (
	// SecretPrefix starts every API key secret.
	SecretPrefix = "mos_sk_"
	// TrackingKeyPrefix starts every public tracking key.
	TrackingKeyPrefix = "mos_pk_"

	secretChars   = 32 // ~190 bits from a 62-letter alphabet
	trackingChars = 24
	displayChars  = len(SecretPrefix) + 6
	// touchEvery bounds how often last_used_at is written for a busy key.
	touchEvery = time.Minute
)

// ErrInvalidKey is returned for a missing, malformed, unknown or revoked API key.
var ErrInvalidKey = errors.New("account: invalid API key")

// Created is a new organization together with the secret of its first API key — the only time it is available.
type Created struct {
	Organization *ent.Organization
	APIKey       string
}

// Options tune a new organization.
type Options struct {
	Demo    bool
	KeyName string // name of the first API key; "default" when empty
}

// CreateOrganization creates an organization with a tracking key and a first API key. It acts as the system:
// only the CLI and the demo set-up create organizations.
func CreateOrganization(ctx context.Context, client *ent.Client, name string, opts Options) (*Created, error) {
	ctx = viewer.SystemContext(ctx)
	var created *Created
	err := store.WithTx(ctx, client, func(tx *ent.Tx) error {
		org, err := tx.Organization.Create().
			SetName(strings.TrimSpace(name)).
			SetTrackingKey(TrackingKeyPrefix + randomString(trackingChars)).
			SetDemo(opts.Demo).
			Save(ctx)
		if err != nil {
			return err
		}
		keyName := opts.KeyName
		if keyName == "" {
			keyName = "default"
		}
		secret, err := issueKey(ctx, tx.Client(), org.ID, keyName)
		if err != nil {
			return err
		}
		created = &Created{Organization: org, APIKey: secret}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("account: create organization: %w", err)
	}
	return created, nil
}

// IssueKey creates a new API key for an organization and returns its secret.
func IssueKey(ctx context.Context, client *ent.Client, orgID, name string) (string, error) {
	return issueKey(viewer.SystemContext(ctx), client, orgID, name)
}

func issueKey(ctx context.Context, client *ent.Client, orgID, name string) (string, error) {
	secret := SecretPrefix + randomString(secretChars)
	err := client.APIKey.Create().
		SetOrganizationID(orgID).
		SetName(name).
		SetHash(Hash(secret)).
		SetPrefix(secret[:displayChars]).
		Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("account: issue key: %w", err)
	}
	return secret, nil
}

// RevokeKeys revokes every unrevoked key of the organization that has the given name.
func RevokeKeys(ctx context.Context, client *ent.Client, orgID, name string) error {
	return client.APIKey.Update().
		Where(apikey.OrganizationID(orgID), apikey.Name(name), apikey.RevokedAtIsNil()).
		SetRevokedAt(time.Now()).
		Exec(viewer.SystemContext(ctx))
}

// Hash is the stored form of a secret: hex SHA-256. The secrets are random, so no salt or slow hash is needed.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Authenticate resolves an API key secret to the viewer of its organization.
func Authenticate(ctx context.Context, client *ent.Client, secret string) (viewer.Viewer, error) {
	if !strings.HasPrefix(secret, SecretPrefix) || len(secret) != len(SecretPrefix)+secretChars {
		return viewer.Viewer{}, ErrInvalidKey
	}
	sys := viewer.SystemContext(ctx) // authentication runs before anyone is known
	want := Hash(secret)
	key, err := client.APIKey.Query().Where(apikey.Hash(want), apikey.RevokedAtIsNil()).Only(sys)
	switch {
	case ent.IsNotFound(err):
		return viewer.Viewer{}, ErrInvalidKey
	case err != nil:
		return viewer.Viewer{}, fmt.Errorf("account: authenticate: %w", err)
	}
	// The index found the row by hash; compare again in constant time so the decision itself leaks no timing.
	if subtle.ConstantTimeCompare([]byte(key.Hash), []byte(want)) != 1 {
		return viewer.Viewer{}, ErrInvalidKey
	}
	if key.LastUsedAt == nil || time.Since(*key.LastUsedAt) > touchEvery {
		// Best effort: a failed touch must not fail the request it belongs to.
		_ = client.APIKey.UpdateOneID(key.ID).SetLastUsedAt(time.Now()).Exec(sys)
	}
	return viewer.Viewer{OrgID: key.OrganizationID, APIKeyID: key.ID, Role: key.Role}, nil
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randomString(n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(fmt.Sprintf("account: crypto/rand failed: %v", err)) // the OS has no entropy: nothing safe to do
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}
