package store_test

// These tests check the tenancy rules of ent/schema/tenancy.go against a real database: whatever a tenant does
// through the ent client, it can neither see nor change another organization's rows.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/apikey"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/campaignmetric"
	"github.com/marketingos/marketingos/ent/content"
	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/ent/webhookevent"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// tenant is an organization of a test with a few rows of its own that other rows can point at.
type tenant struct {
	id         string
	ctx        context.Context // acts as this organization
	productID  string
	campaignID string
	eventID    string
}

// world is a database with two organizations, A and B.
type world struct {
	c    *ent.Client
	sys  context.Context
	a, b tenant
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db, _ := dbtest.Open(t)
	w := &world{c: db.Client, sys: viewer.SystemContext(context.Background())}
	w.a = w.newTenant(t, "Org A")
	w.b = w.newTenant(t, "Org B")
	return w
}

func (w *world) newTenant(t *testing.T, name string) tenant {
	t.Helper()
	created, err := account.CreateOrganization(context.Background(), w.c, name, account.Options{})
	if err != nil {
		t.Fatalf("create organization %s: %v", name, err)
	}
	tn := tenant{id: created.Organization.ID, ctx: viewer.NewContext(context.Background(), viewer.Viewer{OrgID: created.Organization.ID, Role: viewer.Admin})}
	p, err := w.c.Product.Create().SetName(name + " product").Save(tn.ctx)
	if err != nil {
		t.Fatalf("%s: create product: %v", name, err)
	}
	cmp, err := w.c.Campaign.Create().SetName(name + " campaign").SetPlatform(campaign.PlatformGOOGLE).
		SetDailyBudget(1000).SetUtmCampaign(unique("utm")).SetProductID(p.ID).Save(tn.ctx)
	if err != nil {
		t.Fatalf("%s: create campaign: %v", name, err)
	}
	evt, err := w.c.AttributionEvent.Create().SetVisitorID("v1").SetEventType("purchase").Save(tn.ctx)
	if err != nil {
		t.Fatalf("%s: create event: %v", name, err)
	}
	tn.productID, tn.campaignID, tn.eventID = p.ID, cmp.ID, evt.ID
	return tn
}

var uniqueN atomic.Int64

// unique returns a string no other call returns, for columns with unique indexes.
func unique(prefix string) string { return prefixed.New(prefix) }

// nextDay returns a distinct day for each call, for the unique (campaign, date) of campaign metrics.
func nextDay() time.Time {
	return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(uniqueN.Add(1)))
}

// row is what a test needs to know of any tenant-owned row: who owns it and the value of one mutable field.
type row struct {
	id, org, state string
}

// entityCase drives one tenant-owned entity through the same checks.
type entityCase struct {
	name string
	// create makes a row as the viewer in ctx, pointing at p's rows where it needs a parent. A non-empty org is set
	// explicitly as the row's organization.
	create func(ctx context.Context, c *ent.Client, p tenant, org string) (string, error)
	list   func(ctx context.Context, c *ent.Client) ([]row, error)
	count  func(ctx context.Context, c *ent.Client) (int, error)
	get    func(ctx context.Context, c *ent.Client, id string) (row, error)
	// updateWhere and updateOne change the mutable field to "hijacked" (or its numeric equivalent); nil for an
	// entity whose every field is immutable.
	updateWhere func(ctx context.Context, c *ent.Client, id string) (int, error)
	updateOne   func(ctx context.Context, c *ent.Client, id string) error
	deleteWhere func(ctx context.Context, c *ent.Client, id string) (int, error)
	deleteOne   func(ctx context.Context, c *ent.Client, id string) error
}

const hijacked = "hijacked"

func rowsOf[T any](items []T, err error, f func(T) row) ([]row, error) {
	if err != nil {
		return nil, err
	}
	out := make([]row, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out, nil
}

func oneRow[T any](item T, err error, f func(T) row) (row, error) {
	if err != nil {
		return row{}, err
	}
	return f(item), nil
}

func entityCases() []entityCase {
	productRow := func(p *ent.Product) row { return row{p.ID, p.OrganizationID, p.Name} }
	campaignRow := func(x *ent.Campaign) row { return row{x.ID, x.OrganizationID, x.Name} }
	metricRow := func(x *ent.CampaignMetric) row {
		return row{x.ID, x.OrganizationID, strconv.FormatInt(x.Impressions, 10)}
	}
	contentRow := func(x *ent.Content) row { return row{x.ID, x.OrganizationID, x.Title} }
	eventRow := func(x *ent.AttributionEvent) row { return row{x.ID, x.OrganizationID, x.Source} }
	creditRow := func(x *ent.AttributionCredit) row { return row{x.ID, x.OrganizationID, x.Source} }
	keyRow := func(x *ent.APIKey) row { return row{x.ID, x.OrganizationID, x.Name} }
	visitorDayRow := func(x *ent.VisitorDay) row { return row{x.ID, x.OrganizationID, x.VisitorID} }
	dailyVisitorsRow := func(x *ent.DailyVisitors) row {
		return row{x.ID, x.OrganizationID, strconv.FormatInt(x.Visitors, 10)}
	}

	return []entityCase{
		{
			name: "Product",
			create: func(ctx context.Context, c *ent.Client, _ tenant, org string) (string, error) {
				q := c.Product.Create().SetName("original")
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.Product) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.Product.Query().All(ctx)
				return rowsOf(v, err, productRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.Product.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.Product.Get(ctx, id)
				return oneRow(v, err, productRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.Product.Update().Where(product.ID(id)).SetName(hijacked).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.Product.UpdateOneID(id).SetName(hijacked).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.Product.Delete().Where(product.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.Product.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "Campaign",
			create: func(ctx context.Context, c *ent.Client, p tenant, org string) (string, error) {
				q := c.Campaign.Create().SetName("original").SetPlatform(campaign.PlatformFACEBOOK).
					SetDailyBudget(500).SetUtmCampaign(unique("utm")).SetProductID(p.productID)
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.Campaign) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.Campaign.Query().All(ctx)
				return rowsOf(v, err, campaignRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.Campaign.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.Campaign.Get(ctx, id)
				return oneRow(v, err, campaignRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.Campaign.Update().Where(campaign.ID(id)).SetName(hijacked).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.Campaign.UpdateOneID(id).SetName(hijacked).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.Campaign.Delete().Where(campaign.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.Campaign.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "CampaignMetric",
			create: func(ctx context.Context, c *ent.Client, p tenant, org string) (string, error) {
				q := c.CampaignMetric.Create().SetCampaignID(p.campaignID).SetDate(nextDay()).SetImpressions(1)
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.CampaignMetric) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.CampaignMetric.Query().All(ctx)
				return rowsOf(v, err, metricRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.CampaignMetric.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.CampaignMetric.Get(ctx, id)
				return oneRow(v, err, metricRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.CampaignMetric.Update().Where(campaignmetric.ID(id)).SetImpressions(666).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.CampaignMetric.UpdateOneID(id).SetImpressions(666).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.CampaignMetric.Delete().Where(campaignmetric.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.CampaignMetric.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			// Written by the system in production (the visitors rollup), but tenant-owned like the rest.
			name: "VisitorDay",
			create: func(ctx context.Context, c *ent.Client, _ tenant, org string) (string, error) {
				q := c.VisitorDay.Create().SetKind(visitorday.KindVISIT).SetVisitorID("original").SetDay(nextDay())
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.VisitorDay) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.VisitorDay.Query().All(ctx)
				return rowsOf(v, err, visitorDayRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.VisitorDay.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.VisitorDay.Get(ctx, id)
				return oneRow(v, err, visitorDayRow)
			},
			// Every field is immutable: there is no update to refuse.
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.VisitorDay.Delete().Where(visitorday.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.VisitorDay.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "DailyVisitors",
			create: func(ctx context.Context, c *ent.Client, _ tenant, org string) (string, error) {
				q := c.DailyVisitors.Create().SetKind(dailyvisitors.KindVISIT).SetDay(nextDay()).
					SetPrevDay(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)).SetVisitors(1)
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.DailyVisitors) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.DailyVisitors.Query().All(ctx)
				return rowsOf(v, err, dailyVisitorsRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.DailyVisitors.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.DailyVisitors.Get(ctx, id)
				return oneRow(v, err, dailyVisitorsRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.DailyVisitors.Update().Where(dailyvisitors.ID(id)).SetVisitors(666).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.DailyVisitors.UpdateOneID(id).SetVisitors(666).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.DailyVisitors.Delete().Where(dailyvisitors.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.DailyVisitors.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "Content",
			create: func(ctx context.Context, c *ent.Client, p tenant, org string) (string, error) {
				q := c.Content.Create().SetTitle("original").SetProductID(p.productID)
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.Content) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.Content.Query().All(ctx)
				return rowsOf(v, err, contentRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.Content.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.Content.Get(ctx, id)
				return oneRow(v, err, contentRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.Content.Update().Where(content.ID(id)).SetTitle(hijacked).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.Content.UpdateOneID(id).SetTitle(hijacked).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.Content.Delete().Where(content.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.Content.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "AttributionEvent",
			create: func(ctx context.Context, c *ent.Client, _ tenant, org string) (string, error) {
				q := c.AttributionEvent.Create().SetVisitorID("visitor").SetEventType("page_view").SetSource("original")
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.AttributionEvent) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.AttributionEvent.Query().All(ctx)
				return rowsOf(v, err, eventRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.AttributionEvent.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.AttributionEvent.Get(ctx, id)
				return oneRow(v, err, eventRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.AttributionEvent.Update().Where(attributionevent.ID(id)).SetSource(hijacked).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.AttributionEvent.UpdateOneID(id).SetSource(hijacked).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.AttributionEvent.Delete().Where(attributionevent.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.AttributionEvent.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "AttributionCredit",
			create: func(ctx context.Context, c *ent.Client, p tenant, org string) (string, error) {
				q := c.AttributionCredit.Create().SetConversionID(p.eventID).SetModel(attributioncredit.ModelLINEAR).
					SetWeight(1).SetConversions(1).SetRevenue(9900).SetCurrency("USD").
					SetConvertedAt(time.Now()).SetSource("original")
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.AttributionCredit) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.AttributionCredit.Query().All(ctx)
				return rowsOf(v, err, creditRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.AttributionCredit.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.AttributionCredit.Get(ctx, id)
				return oneRow(v, err, creditRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.AttributionCredit.Update().Where(attributioncredit.ID(id)).SetSource(hijacked).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.AttributionCredit.UpdateOneID(id).SetSource(hijacked).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.AttributionCredit.Delete().Where(attributioncredit.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.AttributionCredit.DeleteOneID(id).Exec(ctx)
			},
		},
		{
			name: "APIKey",
			create: func(ctx context.Context, c *ent.Client, _ tenant, org string) (string, error) {
				secret := account.SecretPrefix + unique("s")
				q := c.APIKey.Create().SetName("original").SetHash(account.Hash(secret)).SetPrefix(secret[:10])
				if org != "" {
					q.SetOrganizationID(org)
				}
				x, err := q.Save(ctx)
				return idOf(x, err, func(x *ent.APIKey) string { return x.ID })
			},
			list: func(ctx context.Context, c *ent.Client) ([]row, error) {
				v, err := c.APIKey.Query().All(ctx)
				return rowsOf(v, err, keyRow)
			},
			count: func(ctx context.Context, c *ent.Client) (int, error) { return c.APIKey.Query().Count(ctx) },
			get: func(ctx context.Context, c *ent.Client, id string) (row, error) {
				v, err := c.APIKey.Get(ctx, id)
				return oneRow(v, err, keyRow)
			},
			updateWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.APIKey.Update().Where(apikey.ID(id)).SetName(hijacked).Save(ctx)
			},
			updateOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.APIKey.UpdateOneID(id).SetName(hijacked).Exec(ctx)
			},
			deleteWhere: func(ctx context.Context, c *ent.Client, id string) (int, error) {
				return c.APIKey.Delete().Where(apikey.ID(id)).Exec(ctx)
			},
			deleteOne: func(ctx context.Context, c *ent.Client, id string) error {
				return c.APIKey.DeleteOneID(id).Exec(ctx)
			},
		},
	}
}

func idOf[T any](x T, err error, id func(T) string) (string, error) {
	if err != nil {
		return "", err
	}
	return id(x), nil
}

func ids(rows []row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.id
	}
	return out
}

// noViewers are contexts that do not say who is asking.
var noViewers = []struct {
	name string
	ctx  context.Context
}{
	{"no viewer", context.Background()},
	{"zero viewer", viewer.NewContext(context.Background(), viewer.Viewer{})},
	{"viewer with only an API key", viewer.NewContext(context.Background(), viewer.Viewer{APIKeyID: "key_x"})},
}

func TestTenantOwnedEntities(t *testing.T) {
	// One database for every entity: each case works on its own table and checks only that table.
	w := newWorld(t)
	c, a, b := w.c, w.a, w.b
	for _, tc := range entityCases() {
		t.Run(tc.name, func(t *testing.T) {

			idA, err := tc.create(a.ctx, c, a, "")
			if err != nil {
				t.Fatalf("A creates: %v", err)
			}
			idB, err := tc.create(b.ctx, c, b, "")
			if err != nil {
				t.Fatalf("B creates: %v", err)
			}
			// Creates are stamped with the creator's organization.
			for id, want := range map[string]string{idA: a.id, idB: b.id} {
				r, err := tc.get(w.sys, c, id)
				if err != nil {
					t.Fatalf("system get %s: %v", id, err)
				}
				if r.org != want {
					t.Errorf("row %s has organization %q, want %q (stamped from the viewer)", id, r.org, want)
				}
			}
			before, err := tc.get(w.sys, c, idA)
			if err != nil {
				t.Fatal(err)
			}
			totalBefore, err := tc.count(w.sys, c)
			if err != nil {
				t.Fatal(err)
			}

			t.Run("visibility", func(t *testing.T) {
				for _, v := range []struct {
					name        string
					me          tenant
					mine, other string
				}{{"A", a, idA, idB}, {"B", b, idB, idA}} {
					rows, err := tc.list(v.me.ctx, c)
					if err != nil {
						t.Fatalf("%s: All: %v", v.name, err)
					}
					if !slices.Contains(ids(rows), v.mine) {
						t.Errorf("%s: All misses its own row %s", v.name, v.mine)
					}
					if slices.Contains(ids(rows), v.other) {
						t.Errorf("%s: All returns the other organization's row %s", v.name, v.other)
					}
					for _, r := range rows {
						if r.org != v.me.id {
							t.Errorf("%s: All returns row %s of organization %s", v.name, r.id, r.org)
						}
					}
					n, err := tc.count(v.me.ctx, c)
					if err != nil {
						t.Fatalf("%s: Count: %v", v.name, err)
					}
					if n != len(rows) {
						t.Errorf("%s: Count = %d, All returned %d rows", v.name, n, len(rows))
					}
					if _, err := tc.get(v.me.ctx, c, v.mine); err != nil {
						t.Errorf("%s: Get own row: %v", v.name, err)
					}
					if _, err := tc.get(v.me.ctx, c, v.other); !ent.IsNotFound(err) {
						t.Errorf("%s: Get other organization's row: err = %v, want NotFound", v.name, err)
					}
				}
			})

			t.Run("other organization cannot change rows", func(t *testing.T) {
				if tc.updateWhere != nil {
					if n, err := tc.updateWhere(b.ctx, c, idA); err != nil || n != 0 {
						t.Errorf("B Update().Where(A's id) = %d, %v; want 0 rows, nil", n, err)
					}
					if err := tc.updateOne(b.ctx, c, idA); !ent.IsNotFound(err) {
						t.Errorf("B UpdateOneID(A's id): err = %v, want NotFound", err)
					}
				}
				if n, err := tc.deleteWhere(b.ctx, c, idA); err != nil || n != 0 {
					t.Errorf("B Delete().Where(A's id) = %d, %v; want 0 rows, nil", n, err)
				}
				if err := tc.deleteOne(b.ctx, c, idA); !ent.IsNotFound(err) {
					t.Errorf("B DeleteOneID(A's id): err = %v, want NotFound", err)
				}
				after, err := tc.get(w.sys, c, idA)
				if err != nil {
					t.Fatalf("A's row after B's attempts: %v", err)
				}
				if after != before {
					t.Errorf("A's row changed: %+v, was %+v", after, before)
				}
			})

			t.Run("create naming another organization is forbidden", func(t *testing.T) {
				if _, err := tc.create(b.ctx, c, b, a.id); !errors.Is(err, viewer.ErrForbidden) {
					t.Errorf("B creates with A's organization id: err = %v, want ErrForbidden", err)
				}
				if n, err := tc.count(w.sys, c); err != nil || n != totalBefore {
					t.Errorf("rows after the refused create = %d, %v; want %d", n, err, totalBefore)
				}
				// Naming one's own organization is allowed.
				id, err := tc.create(b.ctx, c, b, b.id)
				if err != nil {
					t.Fatalf("B creates with its own organization id: %v", err)
				}
				if err := tc.deleteOne(b.ctx, c, id); err != nil {
					t.Fatalf("B deletes its own row: %v", err)
				}
			})

			t.Run("no viewer", func(t *testing.T) {
				for _, nv := range noViewers {
					check := func(op string, err error) {
						t.Helper()
						if !errors.Is(err, viewer.ErrNoViewer) {
							t.Errorf("%s: %s: err = %v, want ErrNoViewer", nv.name, op, err)
						}
					}
					_, err := tc.list(nv.ctx, c)
					check("All", err)
					_, err = tc.count(nv.ctx, c)
					check("Count", err)
					_, err = tc.get(nv.ctx, c, idA)
					check("Get", err)
					_, err = tc.create(nv.ctx, c, a, "")
					check("Create", err)
					_, err = tc.create(nv.ctx, c, a, a.id)
					check("Create naming an organization", err)
					if tc.updateWhere != nil {
						_, err = tc.updateWhere(nv.ctx, c, idA)
						check("Update", err)
						check("UpdateOne", tc.updateOne(nv.ctx, c, idA))
					}
					_, err = tc.deleteWhere(nv.ctx, c, idA)
					check("Delete", err)
					check("DeleteOne", tc.deleteOne(nv.ctx, c, idA))
				}
				after, err := tc.get(w.sys, c, idA)
				if err != nil || after != before {
					t.Errorf("A's row after viewerless attempts = %+v, %v; want %+v", after, err, before)
				}
				if n, err := tc.count(w.sys, c); err != nil || n != totalBefore {
					t.Errorf("rows after viewerless attempts = %d, %v; want %d", n, err, totalBefore)
				}
			})

			t.Run("system sees every organization", func(t *testing.T) {
				rows, err := tc.list(w.sys, c)
				if err != nil {
					t.Fatal(err)
				}
				got := ids(rows)
				if !slices.Contains(got, idA) || !slices.Contains(got, idB) {
					t.Errorf("system All = %v, want both %s and %s", got, idA, idB)
				}
				orgs := map[string]bool{}
				for _, r := range rows {
					orgs[r.org] = true
				}
				if !orgs[a.id] || !orgs[b.id] {
					t.Errorf("system All covers organizations %v, want both", orgs)
				}
			})

			// The owner can do what was refused to B: the refusals above were tenancy, not broken operations.
			t.Run("owner can change its rows", func(t *testing.T) {
				if tc.updateWhere != nil {
					if n, err := tc.updateWhere(a.ctx, c, idA); err != nil || n != 1 {
						t.Fatalf("A Update().Where(own id) = %d, %v; want 1 row", n, err)
					}
					changed, err := tc.get(w.sys, c, idA)
					if err != nil {
						t.Fatal(err)
					}
					if changed.state == before.state {
						t.Errorf("A's update did not change the row: %+v", changed)
					}
					if err := tc.updateOne(a.ctx, c, idA); err != nil {
						t.Errorf("A UpdateOneID(own id): %v", err)
					}
				}
				if err := tc.deleteOne(a.ctx, c, idA); err != nil {
					t.Fatalf("A DeleteOneID(own id): %v", err)
				}
				if _, err := tc.get(w.sys, c, idA); !ent.IsNotFound(err) {
					t.Errorf("A's row after its delete: err = %v, want NotFound", err)
				}
				if _, err := tc.get(w.sys, c, idB); err != nil {
					t.Errorf("B's row after A's delete: %v", err)
				}
			})
		})
	}
}

// dump renders every tenant-owned row with its owner and references, as the system sees them, so that a test can
// check that a refused operation changed nothing at all.
func dump(t *testing.T, w *world) string {
	t.Helper()
	ctx, c := w.sys, w.c
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	orgs, err := c.Organization.Query().All(ctx)
	must(t, err)
	for _, o := range orgs {
		add("org %s %s", o.ID, o.Name)
	}
	products, err := c.Product.Query().All(ctx)
	must(t, err)
	for _, p := range products {
		add("product %s org=%s %s", p.ID, p.OrganizationID, p.Name)
	}
	campaigns, err := c.Campaign.Query().All(ctx)
	must(t, err)
	for _, x := range campaigns {
		add("campaign %s org=%s product=%s %s", x.ID, x.OrganizationID, deref(x.ProductID), x.Name)
	}
	metrics, err := c.CampaignMetric.Query().All(ctx)
	must(t, err)
	for _, x := range metrics {
		add("metric %s org=%s campaign=%s", x.ID, x.OrganizationID, x.CampaignID)
	}
	contents, err := c.Content.Query().All(ctx)
	must(t, err)
	for _, x := range contents {
		add("content %s org=%s product=%s", x.ID, x.OrganizationID, deref(x.ProductID))
	}
	events, err := c.AttributionEvent.Query().All(ctx)
	must(t, err)
	for _, x := range events {
		add("event %s org=%s", x.ID, x.OrganizationID)
	}
	credits, err := c.AttributionCredit.Query().All(ctx)
	must(t, err)
	for _, x := range credits {
		add("credit %s org=%s conversion=%s touchpoint=%s", x.ID, x.OrganizationID, x.ConversionID, deref(x.TouchpointID))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestReferencesAcrossOrganizations: a tenant cannot point its rows at another organization's rows, neither when
// creating nor when updating, from either side of an edge.
func TestReferencesAcrossOrganizations(t *testing.T) {
	credit := func(c *ent.Client) *ent.AttributionCreditCreate {
		return c.AttributionCredit.Create().SetModel(attributioncredit.ModelFIRST_TOUCH).SetWeight(1).
			SetConversions(1).SetRevenue(100).SetCurrency("USD").SetConvertedAt(time.Now())
	}
	newCampaign := func(c *ent.Client) *ent.CampaignCreate {
		return c.Campaign.Create().SetName("x").SetPlatform(campaign.PlatformGOOGLE).SetDailyBudget(100).
			SetUtmCampaign(unique("utm"))
	}
	cases := []struct {
		name string
		// do runs as B; other is A, mine is B.
		do func(ctx context.Context, c *ent.Client, other, mine tenant) error
	}{
		{"create campaign with other's product", func(ctx context.Context, c *ent.Client, other, _ tenant) error {
			return newCampaign(c).SetProductID(other.productID).Exec(ctx)
		}},
		{"create content with other's product", func(ctx context.Context, c *ent.Client, other, _ tenant) error {
			return c.Content.Create().SetProductID(other.productID).Exec(ctx)
		}},
		{"create metric of other's campaign", func(ctx context.Context, c *ent.Client, other, _ tenant) error {
			return c.CampaignMetric.Create().SetCampaignID(other.campaignID).SetDate(nextDay()).Exec(ctx)
		}},
		{"create credit of other's conversion", func(ctx context.Context, c *ent.Client, other, _ tenant) error {
			return credit(c).SetConversionID(other.eventID).Exec(ctx)
		}},
		{"create credit to other's touchpoint", func(ctx context.Context, c *ent.Client, other, mine tenant) error {
			return credit(c).SetConversionID(mine.eventID).SetTouchpointID(other.eventID).Exec(ctx)
		}},
		{"move own campaign to other's product", func(ctx context.Context, c *ent.Client, other, mine tenant) error {
			return c.Campaign.UpdateOneID(mine.campaignID).SetProductID(other.productID).Exec(ctx)
		}},
		{"move own campaigns to other's product in bulk", func(ctx context.Context, c *ent.Client, other, _ tenant) error {
			return c.Campaign.Update().SetProductID(other.productID).Exec(ctx)
		}},
		{"attach other's campaign to own product", func(ctx context.Context, c *ent.Client, other, mine tenant) error {
			return c.Product.UpdateOneID(mine.productID).AddCampaignIDs(other.campaignID).Exec(ctx)
		}},
		{"attach other's product to own organization", func(ctx context.Context, c *ent.Client, other, mine tenant) error {
			return c.Organization.UpdateOneID(mine.id).AddProductIDs(other.productID).Exec(ctx)
		}},
		{"create campaign with other's product in a transaction", func(ctx context.Context, c *ent.Client, other, _ tenant) error {
			tx, err := c.Tx(ctx)
			if err != nil {
				return fmt.Errorf("begin: %w", errors.Join(err, errTxSetup))
			}
			err = newCampaign(tx.Client()).SetProductID(other.productID).Exec(ctx)
			if err != nil {
				return errors.Join(err, tx.Rollback())
			}
			return tx.Commit()
		}},
	}
	w := newWorld(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := dump(t, w)
			err := tc.do(w.b.ctx, w.c, w.a, w.b)
			if errors.Is(err, errTxSetup) {
				t.Fatal(err)
			}
			if !ent.IsNotFound(err) {
				t.Errorf("err = %v, want NotFound", err)
			}
			if after := dump(t, w); after != before {
				t.Errorf("the refused operation changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}

	// The same operations with B's own rows succeed: the refusals above are about ownership.
	t.Run("own references are accepted", func(t *testing.T) {
		b := w.b
		ok := []struct {
			name string
			do   func() error
		}{
			{"campaign with own product", func() error { return newCampaign(w.c).SetProductID(b.productID).Exec(b.ctx) }},
			{"content with own product", func() error { return w.c.Content.Create().SetProductID(b.productID).Exec(b.ctx) }},
			{"metric of own campaign", func() error {
				return w.c.CampaignMetric.Create().SetCampaignID(b.campaignID).SetDate(nextDay()).Exec(b.ctx)
			}},
			{"credit of own conversion and touchpoint", func() error {
				return credit(w.c).SetConversionID(b.eventID).SetTouchpointID(b.eventID).Exec(b.ctx)
			}},
			{"own campaign to own product", func() error {
				return w.c.Campaign.UpdateOneID(b.campaignID).SetProductID(b.productID).Exec(b.ctx)
			}},
		}
		for _, o := range ok {
			if err := o.do(); err != nil {
				t.Errorf("%s: %v", o.name, err)
			}
		}
	})
}

var errTxSetup = errors.New("transaction set-up failed")

func TestOrganizationTenancy(t *testing.T) {
	w := newWorld(t)
	c, a, b := w.c, w.a, w.b
	aBefore, err := c.Organization.Get(w.sys, a.id)
	must(t, err)

	t.Run("a tenant sees only itself", func(t *testing.T) {
		orgs, err := c.Organization.Query().All(b.ctx)
		must(t, err)
		if len(orgs) != 1 || orgs[0].ID != b.id {
			t.Errorf("B sees organizations %v, want only %s", orgs, b.id)
		}
		if n, err := c.Organization.Query().Count(b.ctx); err != nil || n != 1 {
			t.Errorf("B Count = %d, %v; want 1", n, err)
		}
		if _, err := c.Organization.Get(b.ctx, a.id); !ent.IsNotFound(err) {
			t.Errorf("B Get(A): err = %v, want NotFound", err)
		}
		if n, err := c.Organization.Query().Where(organization.ID(a.id)).Count(b.ctx); err != nil || n != 0 {
			t.Errorf("B Count(where id = A) = %d, %v; want 0", n, err)
		}
	})

	t.Run("a tenant cannot change another organization", func(t *testing.T) {
		if err := c.Organization.UpdateOneID(a.id).SetName(hijacked).Exec(b.ctx); !ent.IsNotFound(err) {
			t.Errorf("B UpdateOneID(A): err = %v, want NotFound", err)
		}
		if n, err := c.Organization.Update().Where(organization.ID(a.id)).SetName(hijacked).Save(b.ctx); err != nil || n != 0 {
			t.Errorf("B Update().Where(A) = %d, %v; want 0 rows", n, err)
		}
		if n, err := c.Organization.Update().SetDailyPostCap(99).Save(b.ctx); err != nil || n != 1 {
			t.Errorf("B Update() of every organization it sees = %d, %v; want 1 row (itself)", n, err)
		}
		got, err := c.Organization.Get(w.sys, a.id)
		must(t, err)
		if got.Name != aBefore.Name || got.DailyPostCap != aBefore.DailyPostCap {
			t.Errorf("A changed: name %q cap %d, was %q cap %d", got.Name, got.DailyPostCap, aBefore.Name, aBefore.DailyPostCap)
		}
	})

	t.Run("a tenant may update itself", func(t *testing.T) {
		if err := c.Organization.UpdateOneID(b.id).SetName("B renamed").Exec(b.ctx); err != nil {
			t.Fatalf("B renames itself: %v", err)
		}
		got, err := c.Organization.Get(w.sys, b.id)
		must(t, err)
		if got.Name != "B renamed" {
			t.Errorf("B's name = %q, want B renamed", got.Name)
		}
	})

	t.Run("a tenant cannot create or delete organizations", func(t *testing.T) {
		ops := []struct {
			name string
			do   func(context.Context) error
		}{
			{"create", func(ctx context.Context) error {
				return c.Organization.Create().SetName("Intruder").SetTrackingKey(unique("mos_pk")).Exec(ctx)
			}},
			{"delete other", func(ctx context.Context) error { return c.Organization.DeleteOneID(a.id).Exec(ctx) }},
			{"delete self", func(ctx context.Context) error { return c.Organization.DeleteOneID(b.id).Exec(ctx) }},
			{"delete all", func(ctx context.Context) error { _, err := c.Organization.Delete().Exec(ctx); return err }},
		}
		for _, op := range ops {
			if err := op.do(b.ctx); !errors.Is(err, viewer.ErrForbidden) {
				t.Errorf("B %s: err = %v, want ErrForbidden", op.name, err)
			}
		}
		if n, err := c.Organization.Query().Count(w.sys); err != nil || n != 2 {
			t.Errorf("organizations after refused creates and deletes = %d, %v; want 2", n, err)
		}
	})

	t.Run("no viewer", func(t *testing.T) {
		for _, nv := range noViewers {
			if _, err := c.Organization.Query().All(nv.ctx); !errors.Is(err, viewer.ErrNoViewer) {
				t.Errorf("%s: All: err = %v, want ErrNoViewer", nv.name, err)
			}
			if _, err := c.Organization.Get(nv.ctx, a.id); !errors.Is(err, viewer.ErrNoViewer) {
				t.Errorf("%s: Get: err = %v, want ErrNoViewer", nv.name, err)
			}
			if err := c.Organization.UpdateOneID(a.id).SetName(hijacked).Exec(nv.ctx); !errors.Is(err, viewer.ErrNoViewer) {
				t.Errorf("%s: UpdateOneID: err = %v, want ErrNoViewer", nv.name, err)
			}
			// Creating and deleting organizations is refused to anyone but the system.
			err := c.Organization.Create().SetName("Ghost").SetTrackingKey(unique("mos_pk")).Exec(nv.ctx)
			if !errors.Is(err, viewer.ErrNoViewer) && !errors.Is(err, viewer.ErrForbidden) {
				t.Errorf("%s: Create: err = %v, want a refusal", nv.name, err)
			}
			if err := c.Organization.DeleteOneID(a.id).Exec(nv.ctx); !errors.Is(err, viewer.ErrNoViewer) && !errors.Is(err, viewer.ErrForbidden) {
				t.Errorf("%s: DeleteOneID: err = %v, want a refusal", nv.name, err)
			}
		}
		got, err := c.Organization.Get(w.sys, a.id)
		must(t, err)
		if got.Name != aBefore.Name {
			t.Errorf("A's name = %q after viewerless update, want %q", got.Name, aBefore.Name)
		}
		if n, err := c.Organization.Query().Count(w.sys); err != nil || n != 2 {
			t.Errorf("organizations = %d, %v; want 2", n, err)
		}
	})

	t.Run("system sees both", func(t *testing.T) {
		orgs, err := c.Organization.Query().All(w.sys)
		must(t, err)
		var got []string
		for _, o := range orgs {
			got = append(got, o.ID)
		}
		if len(got) != 2 || !slices.Contains(got, a.id) || !slices.Contains(got, b.id) {
			t.Errorf("system sees %v, want %s and %s", got, a.id, b.id)
		}
	})
}

// TestWebhookEventTenancy: only the system writes webhook deliveries; a tenant reads the failures it may have to
// replay (its own, and those no organization could be found for), nothing else.
func TestWebhookEventTenancy(t *testing.T) {
	w := newWorld(t)
	c := w.c
	deliver := func(id string, org *string, failed bool) *ent.WebhookEvent {
		t.Helper()
		create := c.WebhookEvent.Create().SetProvider("stripe").SetEventID(id).SetType("checkout.session.completed").
			SetNillableOrganizationID(org)
		if failed {
			create.SetFailureReason("metadata.tracking_key names no organization").SetFailedAt(time.Now()).SetPayload([]byte("{}"))
		}
		evt, err := create.Save(w.sys)
		if err != nil {
			t.Fatalf("system creates webhook event %s: %v", id, err)
		}
		return evt
	}
	applied := deliver("evt_1", &w.a.id, false)
	deliver("evt_fail_a", &w.a.id, true)
	deliver("evt_fail_b", &w.b.id, true)
	deliver("evt_fail_nobody", nil, true)

	reads := []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"system", w.sys, []string{"evt_1", "evt_fail_a", "evt_fail_b", "evt_fail_nobody"}},
		{"tenant A", w.a.ctx, []string{"evt_fail_a", "evt_fail_nobody"}},
		{"tenant B", w.b.ctx, []string{"evt_fail_b", "evt_fail_nobody"}},
	}
	for _, r := range reads {
		got, err := c.WebhookEvent.Query().Order(webhookevent.ByEventID()).Select(webhookevent.FieldEventID).Strings(r.ctx)
		if err != nil || !slices.Equal(got, r.want) {
			t.Errorf("%s reads %v, %v; want %v", r.name, got, err, r.want)
		}
	}
	if _, err := c.WebhookEvent.Get(w.a.ctx, applied.ID); !ent.IsNotFound(err) {
		t.Errorf("tenant A gets its applied delivery: err = %v, want not found", err)
	}
	if _, err := c.WebhookEvent.Query().All(context.Background()); !errors.Is(err, viewer.ErrNoViewer) {
		t.Errorf("no viewer reads: err = %v, want ErrNoViewer", err)
	}

	writes := []struct {
		name string
		do   func(context.Context) error
	}{
		{"Create", func(ctx context.Context) error {
			return c.WebhookEvent.Create().SetProvider("stripe").SetEventID("evt_2").SetType("x").Exec(ctx)
		}},
		{"UpdateOne", func(ctx context.Context) error {
			return c.WebhookEvent.UpdateOneID(applied.ID).SetOrganizationID(w.b.id).Exec(ctx)
		}},
		{"Update", func(ctx context.Context) error {
			_, err := c.WebhookEvent.Update().ClearFailureReason().Save(ctx)
			return err
		}},
		{"DeleteOne", func(ctx context.Context) error { return c.WebhookEvent.DeleteOneID(applied.ID).Exec(ctx) }},
		{"Delete", func(ctx context.Context) error { _, err := c.WebhookEvent.Delete().Exec(ctx); return err }},
	}
	writers := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"owning tenant", w.a.ctx, viewer.ErrForbidden},
		{"other tenant", w.b.ctx, viewer.ErrForbidden},
		{"no viewer", context.Background(), viewer.ErrNoViewer},
	}
	for _, v := range writers {
		t.Run(v.name, func(t *testing.T) {
			for _, op := range writes {
				if err := op.do(v.ctx); !errors.Is(err, v.want) {
					t.Errorf("%s: err = %v, want %v", op.name, err, v.want)
				}
			}
		})
	}
	failed, err := c.WebhookEvent.Query().Where(webhookevent.FailureReasonNotNil()).Count(w.sys)
	must(t, err)
	if n, err := c.WebhookEvent.Query().Count(w.sys); err != nil || n != 4 || failed != 3 {
		t.Errorf("after refused writes: %d deliveries (%v), %d failed; want the 4, 3 failed, unchanged", n, err, failed)
	}
	if got := c.WebhookEvent.GetX(w.sys, applied.ID); got.OrganizationID == nil || *got.OrganizationID != w.a.id {
		t.Errorf("evt_1 after refused writes: organization %v, want A's", got.OrganizationID)
	}
}

func TestJobRunTenancy(t *testing.T) {
	w := newWorld(t)
	c, a, b := w.c, w.a, w.b
	create := func(job string, org *string) *ent.JobRun {
		t.Helper()
		r, err := c.JobRun.Create().SetJob(job).SetNillableOrganizationID(org).SetTrigger(jobrun.TriggerMANUAL).Save(w.sys)
		if err != nil {
			t.Fatalf("system creates job run %s: %v", job, err)
		}
		return r
	}
	global := create("sync-ads-metrics", nil)
	runA := create("social-publish", &a.id)
	runB := create("social-publish", &b.id)

	t.Run("visibility", func(t *testing.T) {
		for _, v := range []struct {
			name       string
			ctx        context.Context
			want, hide []string
		}{
			{"A", a.ctx, []string{global.ID, runA.ID}, []string{runB.ID}},
			{"B", b.ctx, []string{global.ID, runB.ID}, []string{runA.ID}},
			{"system", w.sys, []string{global.ID, runA.ID, runB.ID}, nil},
		} {
			runs, err := c.JobRun.Query().All(v.ctx)
			if err != nil {
				t.Fatalf("%s: All: %v", v.name, err)
			}
			var got []string
			for _, r := range runs {
				got = append(got, r.ID)
			}
			slices.Sort(got)
			want := slices.Clone(v.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s sees %v, want %v", v.name, got, want)
			}
			if n, err := c.JobRun.Query().Count(v.ctx); err != nil || n != len(want) {
				t.Errorf("%s: Count = %d, %v; want %d", v.name, n, err, len(want))
			}
			if _, err := c.JobRun.Get(v.ctx, global.ID); err != nil {
				t.Errorf("%s: Get(global run): %v", v.name, err)
			}
			for _, id := range v.hide {
				if _, err := c.JobRun.Get(v.ctx, id); !ent.IsNotFound(err) {
					t.Errorf("%s: Get(%s): err = %v, want NotFound", v.name, id, err)
				}
			}
		}
	})

	t.Run("tenants cannot write", func(t *testing.T) {
		ops := []struct {
			name string
			do   func(context.Context) error
		}{
			{"create global", func(ctx context.Context) error { return c.JobRun.Create().SetJob("x").Exec(ctx) }},
			{"create own", func(ctx context.Context) error {
				return c.JobRun.Create().SetJob("x").SetOrganizationID(b.id).Exec(ctx)
			}},
			{"update own", func(ctx context.Context) error {
				return c.JobRun.UpdateOneID(runB.ID).SetStatus(jobrun.StatusFAILED).Exec(ctx)
			}},
			{"update global", func(ctx context.Context) error {
				return c.JobRun.UpdateOneID(global.ID).SetStatus(jobrun.StatusFAILED).Exec(ctx)
			}},
			{"update all", func(ctx context.Context) error {
				_, err := c.JobRun.Update().SetStatus(jobrun.StatusFAILED).Save(ctx)
				return err
			}},
			{"delete own", func(ctx context.Context) error { return c.JobRun.DeleteOneID(runB.ID).Exec(ctx) }},
			{"delete global", func(ctx context.Context) error { return c.JobRun.DeleteOneID(global.ID).Exec(ctx) }},
		}
		for _, op := range ops {
			if err := op.do(b.ctx); !errors.Is(err, viewer.ErrForbidden) {
				t.Errorf("B %s: err = %v, want ErrForbidden", op.name, err)
			}
			if err := op.do(context.Background()); !errors.Is(err, viewer.ErrNoViewer) {
				t.Errorf("no viewer %s: err = %v, want ErrNoViewer", op.name, err)
			}
		}
		if _, err := c.JobRun.Query().All(context.Background()); !errors.Is(err, viewer.ErrNoViewer) {
			t.Errorf("no viewer All: err = %v, want ErrNoViewer", err)
		}
		runs, err := c.JobRun.Query().All(w.sys)
		must(t, err)
		if len(runs) != 3 {
			t.Errorf("job runs after refused writes = %d, want 3", len(runs))
		}
		for _, r := range runs {
			if r.Status != jobrun.StatusRUNNING {
				t.Errorf("job run %s status = %s, want RUNNING (unchanged)", r.ID, r.Status)
			}
		}
		// The system (the scheduler) may finish a run.
		if err := c.JobRun.UpdateOneID(runB.ID).SetStatus(jobrun.StatusSUCCEEDED).Exec(w.sys); err != nil {
			t.Errorf("system updates a run: %v", err)
		}
	})
}
