package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/campaignmetric"
	entcontent "github.com/marketingos/marketingos/ent/content"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/demo"
	"github.com/marketingos/marketingos/internal/viewer"
)

var sys = viewer.SystemContext(context.Background())

func productNames(t *testing.T, c *ent.Client, orgID string) []string {
	t.Helper()
	names, err := c.Product.Query().Where(product.OrganizationID(orgID)).Select(product.FieldName).Strings(sys)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// counts are the numbers of an organization's rows that Seed writes.
type counts struct{ products, campaigns, metrics, events, credits int }

func rowCounts(t *testing.T, c *ent.Client, orgID string) counts {
	t.Helper()
	n := count(t)
	return counts{
		products:  n(c.Product.Query().Where(product.OrganizationID(orgID)).Count(sys)),
		campaigns: n(c.Campaign.Query().Where(campaign.OrganizationID(orgID)).Count(sys)),
		metrics:   n(c.CampaignMetric.Query().Where(campaignmetric.OrganizationID(orgID)).Count(sys)),
		events:    n(c.AttributionEvent.Query().Where(attributionevent.OrganizationID(orgID)).Count(sys)),
		credits:   n(c.AttributionCredit.Query().Where(attributioncredit.OrganizationID(orgID)).Count(sys)),
	}
}

// count returns the count a query returned, failing the test on an error: count(t)(q.Count(ctx)).
func count(t *testing.T) func(int, error) int {
	return func(n int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// TestEnsure runs serve --demo's set-up twice on one database: the first creates the demo organization, the second
// finds it and replaces its key.
func TestEnsure(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	ctx := context.Background()
	var first *demo.Result

	t.Run("empty database", func(t *testing.T) {
		res, err := demo.Ensure(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if res.Organization == nil || !res.Created {
			t.Fatalf("Ensure on an empty database = %+v, want a created organization", res)
		}
		first = res
		org, err := c.Organization.Get(sys, res.Organization.ID)
		if err != nil {
			t.Fatalf("demo organization not stored: %v", err)
		}
		if org.Name != demo.OrgName || !org.Demo {
			t.Errorf("demo organization = %q demo=%v, want %q demo=true", org.Name, org.Demo, demo.OrgName)
		}
		names := productNames(t, c, org.ID)
		if len(names) == 0 {
			t.Error("the demo organization has no products")
		}
		v, err := account.Authenticate(ctx, c, res.APIKey)
		if err != nil {
			t.Fatalf("the printed demo key does not authenticate: %v", err)
		}
		if v.OrgID != org.ID {
			t.Errorf("demo key authenticates as %s, want %s", v.OrgID, org.ID)
		}
		// The demo data belongs to the demo organization: it sees it through its own viewer, not only the system.
		if n := count(t)(c.Product.Query().Count(viewer.ForOrganization(ctx, org.ID))); n != len(names) {
			t.Errorf("the demo organization sees %d of its %d products", n, len(names))
		}
	})

	t.Run("again issues a new key", func(t *testing.T) {
		if first == nil {
			t.Skip("the first Ensure failed")
		}
		productsBefore := productNames(t, c, first.Organization.ID)
		second, err := demo.Ensure(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if second.Organization == nil || second.Organization.ID != first.Organization.ID {
			t.Fatalf("second Ensure organization = %+v, want the existing %s", second.Organization, first.Organization.ID)
		}
		if second.Created {
			t.Error("second Ensure says it created the organization")
		}
		if second.APIKey == "" || second.APIKey == first.APIKey {
			t.Fatalf("second Ensure key = %q, want a new one", second.APIKey)
		}
		if _, err := account.Authenticate(ctx, c, first.APIKey); !errors.Is(err, account.ErrInvalidKey) {
			t.Errorf("the previous demo key: err = %v, want ErrInvalidKey", err)
		}
		v, err := account.Authenticate(ctx, c, second.APIKey)
		if err != nil || v.OrgID != first.Organization.ID {
			t.Errorf("the new demo key = %+v, %v; want the demo organization", v, err)
		}
		if n := count(t)(c.Organization.Query().Count(sys)); n != 1 {
			t.Errorf("organizations after two Ensure = %d, want 1", n)
		}
		if got := productNames(t, c, first.Organization.ID); len(got) != len(productsBefore) {
			t.Errorf("products after the second Ensure = %v, want %v", got, productsBefore)
		}
	})
}

func TestEnsureLeavesOtherOrganizationsAlone(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	ctx := context.Background()
	customer, err := account.CreateOrganization(ctx, c, "Customer", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Ensure(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if res == nil || res.Organization != nil || res.APIKey != "" || res.Created {
		t.Fatalf("Ensure with a non-demo organization = %+v, want an empty result", res)
	}
	if n := count(t)(c.Organization.Query().Count(sys)); n != 1 {
		t.Errorf("organizations = %d, want only the customer's", n)
	}
	if n := count(t)(c.Organization.Query().Where(organization.Demo(true)).Count(sys)); n != 0 {
		t.Errorf("demo organizations = %d, want 0", n)
	}
	if n := count(t)(c.Product.Query().Count(sys)); n != 0 {
		t.Errorf("products = %d, want 0", n)
	}
	if n := count(t)(c.APIKey.Query().Count(sys)); n != 1 {
		t.Errorf("API keys = %d, want only the customer's", n)
	}
	if _, err := account.Authenticate(ctx, c, customer.APIKey); err != nil {
		t.Errorf("the customer's key after Ensure: %v", err)
	}
}

func TestSeed(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	ctx := context.Background()
	a, err := account.CreateOrganization(ctx, c, "A", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := account.CreateOrganization(ctx, c, "B", account.Options{})
	if err != nil {
		t.Fatal(err)
	}

	if err := demo.Seed(ctx, c, a.Organization.ID); err != nil {
		t.Fatal(err)
	}
	first := productNames(t, c, a.Organization.ID)
	if len(first) == 0 {
		t.Fatal("Seed added no products")
	}
	seen := map[string]bool{}
	for _, n := range first {
		if seen[n] {
			t.Errorf("product %q seeded twice", n)
		}
		seen[n] = true
	}

	t.Run("twice adds nothing", func(t *testing.T) {
		before := rowCounts(t, c, a.Organization.ID)
		if err := demo.Seed(ctx, c, a.Organization.ID); err != nil {
			t.Fatal(err)
		}
		if again := productNames(t, c, a.Organization.ID); len(again) != len(first) {
			t.Errorf("products after a second Seed = %v, want %v", again, first)
		}
		if after := rowCounts(t, c, a.Organization.ID); after != before {
			t.Errorf("rows after a second Seed = %+v, want %+v", after, before)
		}
	})

	t.Run("other organizations are separate", func(t *testing.T) {
		if got := productNames(t, c, b.Organization.ID); len(got) != 0 {
			t.Fatalf("B has products %v after seeding A", got)
		}
		// A's products of the same names do not stop B from getting its own.
		if err := demo.Seed(ctx, c, b.Organization.ID); err != nil {
			t.Fatal(err)
		}
		if got := productNames(t, c, b.Organization.ID); len(got) != len(first) {
			t.Errorf("B's products after Seed = %v, want %d", got, len(first))
		}
		if got := productNames(t, c, a.Organization.ID); len(got) != len(first) {
			t.Errorf("A's products after seeding B = %v, want %v", got, first)
		}
	})

	t.Run("unknown organization", func(t *testing.T) {
		before := count(t)(c.Product.Query().Count(sys))
		for _, id := range []string{"org_doesnotexist", "", "prd_x"} {
			if err := demo.Seed(ctx, c, id); err == nil {
				t.Errorf("Seed(%q) succeeded", id)
			}
		}
		if after := count(t)(c.Product.Query().Count(sys)); after != before {
			t.Errorf("products = %d after failed seeds, want %d", after, before)
		}
	})
}

// TestSeedWritesNothingInTheFuture: every sample event, credit, metric and post is dated at or before the end of
// Seed — visitors that the story brings back after now are left out — while the last day still has traffic.
func TestSeedWritesNothingInTheFuture(t *testing.T) {
	db, _ := dbtest.Open(t)
	c := db.Client
	ctx := context.Background()
	org, err := account.CreateOrganization(ctx, c, "Acme", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, c, org.Organization.ID); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	n := count(t)
	id := org.Organization.ID
	for what, future := range map[string]int{
		"events":                n(c.AttributionEvent.Query().Where(attributionevent.OrganizationID(id), attributionevent.CreatedAtGT(now)).Count(sys)),
		"credits (converted)":   n(c.AttributionCredit.Query().Where(attributioncredit.OrganizationID(id), attributioncredit.ConvertedAtGT(now)).Count(sys)),
		"credits (created)":     n(c.AttributionCredit.Query().Where(attributioncredit.OrganizationID(id), attributioncredit.CreatedAtGT(now)).Count(sys)),
		"campaign metrics":      n(c.CampaignMetric.Query().Where(campaignmetric.OrganizationID(id), campaignmetric.DateGT(now)).Count(sys)),
		"campaigns (synced)":    n(c.Campaign.Query().Where(campaign.OrganizationID(id), campaign.MetricsSyncedAtGT(now)).Count(sys)),
		"posts (created)":       n(c.Content.Query().Where(entcontent.OrganizationID(id), entcontent.CreatedAtGT(now)).Count(sys)),
		"posts (published)":     n(c.Content.Query().Where(entcontent.OrganizationID(id), entcontent.PublishedAtGT(now)).Count(sys)),
		"posts (scheduled)":     n(c.Content.Query().Where(entcontent.OrganizationID(id), entcontent.ScheduledAtGT(now)).Count(sys)),
		"posts (last modified)": n(c.Content.Query().Where(entcontent.OrganizationID(id), entcontent.UpdatedAtGT(now)).Count(sys)),
	} {
		if future > 0 {
			t.Errorf("%d demo %s dated after now", future, what)
		}
	}
	// Not vacuous: the sample has posts, metrics, and purchases and visits up to the last day.
	dayAgo := now.Add(-24 * time.Hour)
	for what, recent := range map[string]int{
		"events of the last day": n(c.AttributionEvent.Query().Where(attributionevent.OrganizationID(id), attributionevent.CreatedAtGT(dayAgo)).Count(sys)),
		"purchases":              n(c.AttributionEvent.Query().Where(attributionevent.OrganizationID(id), attributionevent.EventType("purchase")).Count(sys)),
		"retargeting visits":     n(c.AttributionEvent.Query().Where(attributionevent.OrganizationID(id), attributionevent.Campaign("insights-retarget")).Count(sys)),
		"campaign metrics":       n(c.CampaignMetric.Query().Where(campaignmetric.OrganizationID(id)).Count(sys)),
		"posts":                  n(c.Content.Query().Where(entcontent.OrganizationID(id)).Count(sys)),
	} {
		if recent == 0 {
			t.Errorf("the demo has no %s", what)
		}
	}
}
