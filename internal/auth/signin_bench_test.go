package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// BenchmarkSignInRefused compares the cost of refusing a wrong password with refusing an unknown e-mail: they must
// take the same time, or the time would tell which e-mails have accounts.
func BenchmarkSignInRefused(b *testing.B) {
	db, _ := dbtest.Open(b)
	ctx := context.Background()
	org, err := account.CreateOrganization(ctx, db.Client, "Bench", account.Options{})
	if err != nil {
		b.Fatal(err)
	}
	u, err := auth.CreateUser(ctx, db.Client, auth.NewUser{Email: "ana@example.com", Password: "plum tree in winter"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := auth.AddMember(ctx, db.Client, org.Organization.ID, u.ID, viewer.Admin); err != nil {
		b.Fatal(err)
	}
	svc := auth.New(db.Client, config.Auth{SessionIdleTimeout: time.Hour, SessionMaxAge: 2 * time.Hour}, nil)
	for _, email := range []string{"ana@example.com", "nobody@example.com"} {
		b.Run(email, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.SignIn(ctx, email, "not the password", "bench"); !errors.Is(err, auth.ErrInvalidCredentials) {
					b.Fatal(err)
				}
			}
		})
	}
}
