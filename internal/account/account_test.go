package account_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/apikey"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/viewer"
)

var sys = viewer.SystemContext(context.Background())

func keysOf(t *testing.T, c *ent.Client, orgID string) []*ent.APIKey {
	t.Helper()
	keys, err := c.APIKey.Query().Where(apikey.OrganizationID(orgID)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestCreateOrganization(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	created, err := account.CreateOrganization(context.Background(), c, "  Acme Inc.  ", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org, secret := created.Organization, created.APIKey

	if !strings.HasPrefix(org.ID, "org_") {
		t.Errorf("organization id %q does not start with org_", org.ID)
	}
	if org.Name != "Acme Inc." {
		t.Errorf("name = %q, want the trimmed Acme Inc.", org.Name)
	}
	if org.Demo {
		t.Error("a plain organization is marked demo")
	}
	if !strings.HasPrefix(org.TrackingKey, account.TrackingKeyPrefix) || len(org.TrackingKey) <= len(account.TrackingKeyPrefix)+16 {
		t.Errorf("tracking key %q: want mos_pk_ and a long random tail", org.TrackingKey)
	}
	if !strings.HasPrefix(secret, account.SecretPrefix) || len(secret) <= len(account.SecretPrefix)+24 {
		t.Errorf("API key %q: want mos_sk_ and a long random tail", secret)
	}

	stored, err := c.Organization.Get(sys, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.TrackingKey != org.TrackingKey || stored.Name != org.Name {
		t.Errorf("stored organization %q/%q differs from the returned %q/%q", stored.Name, stored.TrackingKey, org.Name, org.TrackingKey)
	}

	keys := keysOf(t, c, org.ID)
	if len(keys) != 1 {
		t.Fatalf("organization has %d keys, want 1", len(keys))
	}
	key := keys[0]
	sum := sha256.Sum256([]byte(secret))
	wantHash := hex.EncodeToString(sum[:])
	switch {
	case key.Hash == secret:
		t.Error("the secret itself is stored")
	case key.Hash != account.Hash(secret):
		t.Errorf("stored hash %q != account.Hash(secret) %q", key.Hash, account.Hash(secret))
	case key.Hash != wantHash:
		t.Errorf("stored hash %q is not the hex SHA-256 of the secret (%q)", key.Hash, wantHash)
	}
	if key.Name != "default" {
		t.Errorf("first key name = %q, want default", key.Name)
	}
	if !strings.HasPrefix(secret, key.Prefix) || len(key.Prefix) <= len(account.SecretPrefix) || len(key.Prefix) >= len(secret)/2 {
		t.Errorf("stored prefix %q: want a short beginning of the secret, beyond mos_sk_", key.Prefix)
	}
	if key.RevokedAt != nil || key.LastUsedAt != nil {
		t.Errorf("new key revoked_at = %v, last_used_at = %v; want both nil", key.RevokedAt, key.LastUsedAt)
	}
	// The struct hides the hash when printed (Sensitive), so it never reaches a log.
	if s := key.String(); strings.Contains(s, key.Hash) {
		t.Errorf("APIKey.String() reveals the hash: %s", s)
	}

	// A second organization gets different secrets.
	other, err := account.CreateOrganization(context.Background(), c, "Other", account.Options{Demo: true, KeyName: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	if other.APIKey == secret || other.Organization.TrackingKey == org.TrackingKey {
		t.Error("two organizations share a secret or tracking key")
	}
	if !other.Organization.Demo {
		t.Error("Options.Demo was not stored")
	}
	if ks := keysOf(t, c, other.Organization.ID); len(ks) != 1 || ks[0].Name != "ci" {
		t.Errorf("keys of the second organization = %v, want one named ci", ks)
	}
}

func TestCreateOrganizationRejectsBadInput(t *testing.T) {
	db, _ := dbtest.Open(t)
	for _, name := range []string{"", "   ", strings.Repeat("x", 201)} {
		if _, err := account.CreateOrganization(context.Background(), db.Client, name, account.Options{}); err == nil {
			t.Errorf("CreateOrganization(%q) succeeded", name)
		}
	}
	if n, err := db.Client.Organization.Query().Count(sys); err != nil || n != 0 {
		t.Errorf("organizations after refused creates = %d, %v; want 0", n, err)
	}
	if n, err := db.Client.APIKey.Query().Count(sys); err != nil || n != 0 {
		t.Errorf("API keys after refused creates = %d, %v; want 0", n, err)
	}
}

func TestAuthenticate(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	ctx := context.Background()
	acme, err := account.CreateOrganization(ctx, c, "Acme", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	globex, err := account.CreateOrganization(ctx, c, "Globex", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acmeKey := keysOf(t, c, acme.Organization.ID)[0]
	secret := acme.APIKey
	wellFormedUnknown := account.SecretPrefix + strings.Repeat("A", len(secret)-len(account.SecretPrefix))

	t.Run("valid keys", func(t *testing.T) {
		v, err := account.Authenticate(ctx, c, secret)
		if err != nil {
			t.Fatalf("Authenticate(valid key): %v", err)
		}
		if v.OrgID != acme.Organization.ID || v.APIKeyID != acmeKey.ID || v.System {
			t.Errorf("viewer = %+v, want org %s key %s, not system", v, acme.Organization.ID, acmeKey.ID)
		}
		v, err = account.Authenticate(ctx, c, globex.APIKey)
		if err != nil || v.OrgID != globex.Organization.ID {
			t.Errorf("Authenticate(Globex key) = %+v, %v; want Globex", v, err)
		}
	})

	t.Run("invalid keys", func(t *testing.T) {
		for _, tc := range []struct{ name, key string }{
			{"empty", ""},
			{"well-formed but unknown", wellFormedUnknown},
			{"prefix only", account.SecretPrefix},
			{"too short", secret[:len(secret)-1]},
			{"too long", secret + "A"},
			{"one letter changed", secret[:len(secret)-1] + flip(secret[len(secret)-1])},
			{"with Bearer", "Bearer " + secret},
			{"surrounding space", " " + secret},
			{"upper-case prefix", strings.ToUpper(account.SecretPrefix) + secret[len(account.SecretPrefix):]},
			{"tracking key", acme.Organization.TrackingKey},
			{"the stored hash", acmeKey.Hash},
			{"the stored prefix", acmeKey.Prefix},
		} {
			v, err := account.Authenticate(ctx, c, tc.key)
			if !errors.Is(err, account.ErrInvalidKey) {
				t.Errorf("%s: err = %v, want ErrInvalidKey", tc.name, err)
			}
			if v != (viewer.Viewer{}) {
				t.Errorf("%s: viewer = %+v, want none", tc.name, v)
			}
		}
	})

	t.Run("revoked keys", func(t *testing.T) {
		ci, err := account.IssueKey(ctx, c, acme.Organization.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if err := account.RevokeKeys(ctx, c, acme.Organization.ID, "default"); err != nil {
			t.Fatal(err)
		}
		if _, err := account.Authenticate(ctx, c, secret); !errors.Is(err, account.ErrInvalidKey) {
			t.Errorf("revoked key: err = %v, want ErrInvalidKey", err)
		}
		got, err := c.APIKey.Get(sys, acmeKey.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RevokedAt == nil {
			t.Error("revoked key has no revoked_at")
		}
		// Only keys of that name and organization are revoked.
		if v, err := account.Authenticate(ctx, c, ci); err != nil || v.OrgID != acme.Organization.ID {
			t.Errorf("Acme's other key after revoking default = %+v, %v; want still valid", v, err)
		}
		if v, err := account.Authenticate(ctx, c, globex.APIKey); err != nil || v.OrgID != globex.Organization.ID {
			t.Errorf("Globex's default key after revoking Acme's = %+v, %v; want still valid", v, err)
		}
	})
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func TestAuthenticateRecordsUse(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	ctx := context.Background()
	created, err := account.CreateOrganization(ctx, c, "Acme", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key := keysOf(t, c, created.Organization.ID)[0]
	if key.LastUsedAt != nil {
		t.Fatalf("last_used_at = %v before any use", key.LastUsedAt)
	}
	before := time.Now().Add(-time.Second) // databases may truncate to whole seconds or microseconds
	if _, err := account.Authenticate(ctx, c, created.APIKey); err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(time.Second)
	got, err := c.APIKey.Get(sys, key.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastUsedAt == nil {
		t.Fatal("last_used_at is still nil after Authenticate")
	}
	if got.LastUsedAt.Before(before) || got.LastUsedAt.After(after) {
		t.Errorf("last_used_at = %v, want between %v and %v", got.LastUsedAt, before, after)
	}

	// A failed authentication touches nothing.
	other, err := account.CreateOrganization(ctx, c, "Other", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.Authenticate(ctx, c, other.APIKey+"x"); !errors.Is(err, account.ErrInvalidKey) {
		t.Fatalf("err = %v, want ErrInvalidKey", err)
	}
	if k := keysOf(t, c, other.Organization.ID)[0]; k.LastUsedAt != nil {
		t.Errorf("last_used_at = %v after a failed authentication", k.LastUsedAt)
	}
}

func TestIssueKeyForUnknownOrganization(t *testing.T) {
	db, _ := dbtest.Open(t)
	if secret, err := account.IssueKey(context.Background(), db.Client, "org_doesnotexist", "x"); err == nil {
		t.Errorf("IssueKey for a missing organization returned %q", secret)
	}
	if n, err := db.Client.APIKey.Query().Count(sys); err != nil || n != 0 {
		t.Errorf("API keys = %d, %v; want 0", n, err)
	}
}

func TestHash(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	} {
		if got := account.Hash(tc.in); got != tc.want {
			t.Errorf("Hash(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
