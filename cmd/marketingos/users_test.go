package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TestUserCommands: user create with a password on stdin and with a generated one, a second organization for an
// existing person, set-password ending the old password, and the refusals.
func TestUserCommands(t *testing.T) {
	db, src := dbtest.Open(t)
	env := environment(src)
	org, err := account.CreateOrganization(context.Background(), db.Client, "Acme", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := account.CreateOrganization(context.Background(), db.Client, "Other", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	signIn := auth.New(db.Client, config.Auth{SessionIdleTimeout: 1e12, SessionMaxAge: 2e12}, nil)
	signsIn := func(email, password string) bool {
		_, err := signIn.SignIn(context.Background(), email, password, "test")
		if err != nil && !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Fatal(err)
		}
		return err == nil
	}

	res := runCLIWithInput(t, env, strings.NewReader("plum tree in winter\n"),
		"user", "create", "--email", "Ana@Example.com", "--org", org.Organization.ID, "--role", "MARKETER", "--name", "Ana")
	if res.err != nil {
		t.Fatal(res.err)
	}
	if strings.Contains(res.stdout, "Password:") {
		t.Errorf("a password given on stdin was printed:\n%s", res.stdout)
	}
	if !signsIn("ana@example.com", "plum tree in winter") {
		t.Error("the password from stdin does not sign in")
	}

	res = runCLIWithInput(t, env, nil, "user", "create", "--email", "bo@example.com", "--org", org.Organization.ID, "--role", "VIEWER")
	if res.err != nil {
		t.Fatal(res.err)
	}
	m := regexp.MustCompile(`Password:\s+(\S+)`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("no generated password printed:\n%s", res.stdout)
	}
	if !signsIn("bo@example.com", m[1]) {
		t.Error("the generated password does not sign in")
	}

	// An existing person joins another organization; their password stays.
	res = runCLIWithInput(t, env, strings.NewReader("ignored password\n"), "user", "create", "--email", "ana@example.com", "--org", other.Organization.ID, "--role", "ADMIN")
	if res.err != nil {
		t.Fatal(res.err)
	}
	ms, err := db.Client.Membership.Query().Where(membership.HasUserWith()).All(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]viewer.Role{}
	for _, m := range ms {
		roles[m.OrganizationID+" "+m.UserID] = m.Role
	}
	if len(ms) != 3 {
		t.Errorf("%d memberships, want 3: %v", len(ms), roles)
	}
	if !signsIn("ana@example.com", "plum tree in winter") {
		t.Error("adding an existing person to an organization changed their password")
	}

	res = runCLIWithInput(t, env, strings.NewReader("a brand new secret\n"), "user", "set-password", "--email", "ANA@example.com")
	if res.err != nil {
		t.Fatal(res.err)
	}
	if signsIn("ana@example.com", "plum tree in winter") || !signsIn("ana@example.com", "a brand new secret") {
		t.Error("set-password did not replace the password")
	}

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"a common password", "password1234\n", []string{"user", "create", "--email", "cy@example.com", "--org", org.Organization.ID, "--role", "ADMIN"}, "common"},
		{"a short password", "short\n", []string{"user", "set-password", "--email", "ana@example.com"}, "at least 10"},
		{"an unknown person", "a brand new secret\n", []string{"user", "set-password", "--email", "nobody@example.com"}, "no user"},
		{"an unknown organization", "", []string{"user", "create", "--email", "cy@example.com", "--org", "org_nope", "--role", "ADMIN"}, "org_nope"},
	} {
		res := runCLIWithInput(t, env, strings.NewReader(tc.stdin), tc.args...)
		if res.err == nil || !strings.Contains(res.err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, res.err, tc.want)
		}
	}
	for _, args := range [][]string{
		{"user", "create", "--email", "cy@example.com", "--org", org.Organization.ID, "--role", "ROOT"},
		{"user", "set-password"},
		{"user"},
	} {
		if res := runCLIWithInput(t, env, strings.NewReader("x\n"), args...); !errors.Is(res.err, errUsage) {
			t.Errorf("marketingos %s: err = %v, want a usage error", strings.Join(args, " "), res.err)
		}
	}
	if _, err := auth.UserByEmail(context.Background(), db.Client, "cy@example.com"); err == nil {
		t.Error("a refused user create created the user")
	}
}
