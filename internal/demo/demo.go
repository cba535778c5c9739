// Package demo fills a database with believable sample data, so that a first `make run` shows a working product.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// OrgName is the name of the organization `serve --demo` creates.
const OrgName = "Acme Analytics (demo)"

// keyName names the demo organization's API key; each start replaces it.
const keyName = "demo"

// Result is what `serve --demo` prints.
type Result struct {
	Organization *ent.Organization
	APIKey       string // empty when nothing was done
	Created      bool   // the organization was created now (else a fresh key was issued for it)
	// UserEmail and UserPassword sign in the demo organization's owner; the password is new at every Ensure.
	UserEmail, UserPassword string
}

// UserEmail is the demo organization's owner.
const UserEmail = "demo@example.com"

// Ensure makes sure the database has the demo organization: on an empty database it creates it with sample data;
// when it exists already it revokes its previous demo key and issues a new one, because a secret is shown only
// once and the developer restarting `make run` needs one. A database holding only other organizations is left
// alone (Result.Organization is nil).
func Ensure(ctx context.Context, client *ent.Client) (*Result, error) {
	sys := viewer.SystemContext(ctx)
	org, err := client.Organization.Query().Where(organization.Demo(true)).First(sys)
	switch {
	case err == nil:
		if err := account.RevokeKeys(sys, client, org.ID, keyName); err != nil {
			return nil, err
		}
		secret, err := account.IssueKey(sys, client, org.ID, keyName)
		if err != nil {
			return nil, err
		}
		return withOwner(ctx, client, &Result{Organization: org, APIKey: secret})
	case !ent.IsNotFound(err):
		return nil, fmt.Errorf("demo: %w", err)
	}
	if n, err := client.Organization.Query().Count(sys); err != nil || n > 0 {
		return &Result{}, err
	}
	created, err := account.CreateOrganization(sys, client, OrgName, account.Options{Demo: true, KeyName: keyName})
	if err != nil {
		return nil, err
	}
	if err := Seed(ctx, client, created.Organization.ID); err != nil {
		return nil, err
	}
	return withOwner(ctx, client, &Result{Organization: created.Organization, APIKey: created.APIKey, Created: true})
}

// withOwner gives the demo organization its owner, demo@example.com, with a fresh password (ending the owner's
// earlier sessions), and records the password in res: shown once, like the key.
func withOwner(ctx context.Context, client *ent.Client, res *Result) (*Result, error) {
	password := auth.GeneratePassword()
	u, err := auth.UserByEmail(ctx, client, UserEmail)
	switch {
	case ent.IsNotFound(err):
		u, err = auth.CreateUser(ctx, client, auth.NewUser{Email: UserEmail, Name: "Demo Owner", Password: password})
	case err == nil:
		err = auth.SetPassword(ctx, client, u.ID, password, "")
	}
	if err != nil {
		return nil, fmt.Errorf("demo: owner: %w", err)
	}
	if _, err := auth.AddMember(ctx, client, res.Organization.ID, u.ID, viewer.Owner); err != nil {
		return nil, fmt.Errorf("demo: owner: %w", err)
	}
	res.UserEmail, res.UserPassword = UserEmail, password
	return res, nil
}

// Seed adds sample data to an existing organization: products, mock campaigns with Days of metrics, and Days of
// visits, signups and attributed purchases. Running it again adds nothing that is already there.
func Seed(ctx context.Context, client *ent.Client, orgID string) error {
	ctx = viewer.ForOrganization(ctx, orgID)
	org, err := client.Organization.Get(ctx, orgID)
	if err != nil {
		return fmt.Errorf("demo: organization %s: %w", orgID, err)
	}
	if err := seedProducts(ctx, client); err != nil {
		return err
	}
	campaigns, err := seedCampaigns(ctx, client)
	if err != nil {
		return err
	}
	if err := seedTraffic(ctx, client, org, time.Now()); err != nil {
		return fmt.Errorf("demo: traffic: %w", err)
	}
	if err := syncCampaigns(ctx, client, campaigns); err != nil {
		return err
	}
	return seedContent(ctx, client)
}

func seedProducts(ctx context.Context, client *ent.Client) error {
	for _, p := range sampleProducts {
		exists, err := client.Product.Query().Where(product.Name(p.Name)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if exists {
			continue
		}
		if err := client.Product.Create().SetInput(p).Exec(ctx); err != nil {
			return fmt.Errorf("demo: product %q: %w", p.Name, err)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

var sampleProducts = []ent.CreateProductInput{
	{
		Name:             "Acme Insights",
		Description:      ptr("Product analytics that tells a SaaS team which features keep customers."),
		TargetAudience:   ptr("Product managers at B2B SaaS companies with 10–200 employees"),
		Usp:              ptr("Retention answers in minutes, without a data team"),
		Pricing:          map[string]any{"currency": "USD", "plans": []any{map[string]any{"name": "Starter", "monthly": 49}, map[string]any{"name": "Growth", "monthly": 199}}},
		Features:         []string{"Retention cohorts", "Feature adoption funnels", "Slack digests"},
		MarketingEnabled: ptr(true),
		AutoPublish:      ptr(true),
		URL:              ptr("https://insights.example.com"),
	},
	{
		Name:             "Acme Forms",
		Description:      ptr("Embeddable forms that sync leads straight into the CRM."),
		TargetAudience:   ptr("Growth marketers"),
		Usp:              ptr("No-code forms with built-in enrichment"),
		Pricing:          map[string]any{"currency": "USD", "plans": []any{map[string]any{"name": "Pro", "monthly": 29}}},
		Features:         []string{"CRM sync", "Lead enrichment", "A/B tests"},
		MarketingEnabled: ptr(true),
		AutoPublish:      ptr(false),
		URL:              ptr("https://forms.example.com"),
	},
	{
		Name:             "Acme Status",
		Description:      ptr("Status pages and uptime alerts for small SaaS teams."),
		TargetAudience:   ptr("CTOs of early-stage startups"),
		Usp:              ptr("Set up in five minutes, free for one page"),
		Features:         []string{"Status pages", "Incident updates", "Uptime checks"},
		MarketingEnabled: ptr(false),
		URL:              ptr("https://status.example.com"),
	},
}
