package server_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/content"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

const nodesQuery = `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }`

// tenants is two organizations: A owns one row of every tenant-owned type, B owns one product, and one job run
// belongs to no organization.
type tenants struct {
	env  *apitest.Env
	a, b apitest.Org

	aProduct, aCampaign, aMetric, aContent, aEvent, aJob string
	bProduct, globalJob                                  string
}

// aIDs lists every ID that A may see and B may not, named by what it is.
func (f *tenants) aIDs() []struct{ name, id string } {
	return []struct{ name, id string }{
		{"organization", f.a.ID},
		{"product", f.aProduct},
		{"campaign", f.aCampaign},
		{"campaign metric", f.aMetric},
		{"content", f.aContent},
		{"attribution event", f.aEvent},
		{"job run", f.aJob},
	}
}

func newTenants(t *testing.T) *tenants {
	t.Helper()
	env := apitest.New(t)
	f := &tenants{env: env, a: env.NewOrg(t, "Org A"), b: env.NewOrg(t, "Org B")}

	f.aProduct = createProduct(t, httpClient(env, f.a.APIKey), map[string]any{
		"name": "A's product", "url": "https://a.example", "features": []string{"fast"},
	})
	f.bProduct = createProduct(t, httpClient(env, f.b.APIKey), map[string]any{"name": "B's product"})

	client := env.DB.Client
	ctxA := viewer.ForOrganization(context.Background(), f.a.ID)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	cmp, err := client.Campaign.Create().
		SetPlatform(campaign.PlatformGOOGLE).
		SetName("A's campaign").
		SetDailyBudget(2500).
		SetUtmCampaign("a-spring").
		SetProductID(f.aProduct).
		Save(ctxA)
	if err != nil {
		t.Fatalf("seed campaign: %v", err)
	}
	f.aCampaign = cmp.ID
	metric, err := client.CampaignMetric.Create().
		SetCampaignID(cmp.ID).
		SetDate(today).
		SetImpressions(1000).
		SetClicks(40).
		SetConversions(2).
		SetCost(1234).
		SetConversionValue(19900).
		Save(ctxA)
	if err != nil {
		t.Fatalf("seed campaign metric: %v", err)
	}
	f.aMetric = metric.ID
	cnt, err := client.Content.Create().
		SetTitle("A's post").
		SetStatus(content.StatusREADY).
		SetGuardsScore(80).
		SetProductID(f.aProduct).
		Save(ctxA)
	if err != nil {
		t.Fatalf("seed content: %v", err)
	}
	f.aContent = cnt.ID
	evt, err := client.AttributionEvent.Create().
		SetVisitorID("visitor-a").
		SetEventType("purchase").
		SetValue(9900).
		SetCurrency("USD").
		SetSource("google").
		SetCampaign("a-spring").
		Save(ctxA)
	if err != nil {
		t.Fatalf("seed attribution event: %v", err)
	}
	f.aEvent = evt.ID

	sys := viewer.SystemContext(context.Background())
	job, err := client.JobRun.Create().
		SetOrganizationID(f.a.ID).
		SetJob("social-publish").
		SetTrigger(jobrun.TriggerMANUAL).
		SetStatus(jobrun.StatusSUCCEEDED).
		SetFinishedAt(time.Now()).
		SetStats(map[string]any{"published": 1}).
		Save(sys)
	if err != nil {
		t.Fatalf("seed A's job run: %v", err)
	}
	f.aJob = job.ID
	global, err := client.JobRun.Create().
		SetJob("sync-ads-metrics").
		SetTrigger(jobrun.TriggerMANUAL).
		SetStatus(jobrun.StatusSUCCEEDED).
		SetFinishedAt(time.Now()).
		Save(sys)
	if err != nil {
		t.Fatalf("seed global job run: %v", err)
	}
	f.globalJob = global.ID
	return f
}

func createProduct(t testing.TB, c gqlClient, input map[string]any) string {
	t.Helper()
	var got struct{ CreateProduct struct{ ID string } }
	c(t, contractOp(t, "CreateProduct"), map[string]any{"input": input}).Decode(t, &got)
	if got.CreateProduct.ID == "" {
		t.Fatal("createProduct returned no id")
	}
	return got.CreateProduct.ID
}

// connection is the part of every connection the tenancy checks read.
type connection struct {
	TotalCount *int
	Edges      []struct {
		Node struct{ ID string }
	}
}

func (c connection) ids() []string {
	out := make([]string, 0, len(c.Edges))
	for _, e := range c.Edges {
		out = append(out, e.Node.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// TestTenancyTwoOrganizations checks that organization B sees none of A's rows and changes none of them, through
// every query and product mutation, over HTTP and over a WebSocket, while A sees its own (so that each "B sees
// nothing" could fail).
func TestTenancyTwoOrganizations(t *testing.T) {
	t.Parallel()
	f := newTenants(t)
	sys := viewer.SystemContext(context.Background())
	before, err := f.env.DB.Client.Product.Get(sys, f.aProduct)
	if err != nil {
		t.Fatal(err)
	}

	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			asA := tr.connect(t, f.env, f.a.APIKey)
			asB := tr.connect(t, f.env, f.b.APIKey)
			who := []struct {
				name   string
				client gqlClient
				org    apitest.Org
			}{{"A", asA, f.a}, {"B", asB, f.b}}

			t.Run("viewer", func(t *testing.T) {
				for _, w := range who {
					var got struct {
						Viewer struct {
							Organization struct{ ID, Name, TrackingKey string }
						}
					}
					w.client(t, contractOp(t, "Viewer"), nil).Decode(t, &got)
					if o := got.Viewer.Organization; o.ID != w.org.ID || o.Name != w.org.Name || o.TrackingKey != w.org.TrackingKey {
						t.Errorf("viewer as %s = %+v, want %s %q %s", w.name, o, w.org.ID, w.org.Name, w.org.TrackingKey)
					}
				}
			})

			t.Run("connections", func(t *testing.T) {
				const (
					productsWhere = `query($where: ProductWhereInput) { products(first: 50, where: $where) { totalCount edges { node { id } } } }`
					jobRunsCount  = `query { jobRuns(first: 50) { totalCount edges { node { id } } } }`
				)
				tests := []struct {
					name  string
					op    string // a contract operation, or
					query string // a query of this test's own (what the contract does not ask)
					field string
					vars  map[string]any
					wantA []string
					wantB []string
				}{
					{name: "products", op: "Products", field: "products", vars: map[string]any{"first": 50},
						wantA: sorted(f.aProduct), wantB: sorted(f.bProduct)},
					{name: "products where id", query: productsWhere, field: "products",
						vars:  map[string]any{"where": map[string]any{"id": f.aProduct}},
						wantA: sorted(f.aProduct), wantB: sorted()},
					{name: "campaigns", op: "Campaigns", field: "campaigns", vars: map[string]any{"first": 50},
						wantA: sorted(f.aCampaign), wantB: sorted()},
					{name: "campaigns where utmCampaign", op: "Campaigns", field: "campaigns",
						vars:  map[string]any{"first": 50, "where": map[string]any{"utmCampaign": "a-spring"}},
						wantA: sorted(f.aCampaign), wantB: sorted()},
					{name: "contents", op: "Contents", field: "contents", vars: map[string]any{"first": 50},
						wantA: sorted(f.aContent), wantB: sorted()},
					{name: "contents where id", op: "Contents", field: "contents",
						vars:  map[string]any{"first": 50, "where": map[string]any{"id": f.aContent}},
						wantA: sorted(f.aContent), wantB: sorted()},
					{name: "attribution events", op: "Events", field: "attributionEvents", vars: map[string]any{"first": 50},
						wantA: sorted(f.aEvent), wantB: sorted()},
					{name: "attribution events where visitor", op: "Events", field: "attributionEvents",
						vars:  map[string]any{"first": 50, "where": map[string]any{"visitorID": "visitor-a"}},
						wantA: sorted(f.aEvent), wantB: sorted()},
					{name: "job runs", op: "JobRuns", field: "jobRuns", vars: map[string]any{"first": 50},
						wantA: sorted(f.aJob, f.globalJob), wantB: sorted(f.globalJob)},
					{name: "job runs totalCount", query: jobRunsCount, field: "jobRuns",
						wantA: sorted(f.aJob, f.globalJob), wantB: sorted(f.globalJob)},
				}
				for _, tt := range tests {
					t.Run(tt.name, func(t *testing.T) {
						query := tt.query
						if tt.op != "" {
							query = contractOp(t, tt.op)
						}
						for _, w := range []struct {
							who    string
							client gqlClient
							want   []string
						}{{"A", asA, tt.wantA}, {"B", asB, tt.wantB}} {
							var data map[string]connection
							w.client(t, query, tt.vars).Decode(t, &data)
							conn, ok := data[tt.field]
							if !ok {
								t.Fatalf("as %s: no %s in response", w.who, tt.field)
							}
							if got := conn.ids(); !slices.Equal(got, w.want) {
								t.Errorf("as %s: %s = %v, want %v", w.who, tt.field, got, w.want)
							}
							if conn.TotalCount != nil && *conn.TotalCount != len(w.want) {
								t.Errorf("as %s: %s totalCount = %d, want %d", w.who, tt.field, *conn.TotalCount, len(w.want))
							}
						}
					})
				}
			})

			t.Run("node", func(t *testing.T) {
				for _, n := range f.aIDs() {
					t.Run(n.name, func(t *testing.T) {
						res := asB(t, contractOp(t, "Node"), map[string]any{"id": n.id})
						wantHidden(t, res, "node")

						var got struct{ Node *struct{ ID string } }
						asA(t, contractOp(t, "Node"), map[string]any{"id": n.id}).Decode(t, &got)
						if got.Node == nil || got.Node.ID != n.id {
							t.Errorf("node(%s) as A = %+v, want it", n.id, got.Node)
						}
					})
				}
				for _, id := range []string{f.b.ID, f.bProduct, f.globalJob} {
					var got struct{ Node *struct{ ID string } }
					asB(t, contractOp(t, "Node"), map[string]any{"id": id}).Decode(t, &got)
					if got.Node == nil || got.Node.ID != id {
						t.Errorf("node(%s) as B = %+v, want it (B's own or global)", id, got.Node)
					}
				}
			})

			t.Run("nodes", func(t *testing.T) {
				var ids []string
				for _, n := range f.aIDs() {
					ids = append(ids, n.id)
				}
				ids = append(ids, f.bProduct, f.globalJob)
				visible := map[string][]string{
					"A": append(sorted(ids[:len(ids)-2]...), f.globalJob),
					"B": {f.bProduct, f.globalJob},
				}
				for _, w := range []struct {
					who    string
					client gqlClient
				}{{"A", asA}, {"B", asB}} {
					res := w.client(t, nodesQuery, map[string]any{"ids": ids})
					for _, e := range res.Errors {
						if e.Code() != "NOT_FOUND" {
							t.Errorf("nodes as %s: error %q with code %q, want only NOT_FOUND", w.who, e.Message, e.Code())
						}
					}
					var got struct{ Nodes []*struct{ ID string } }
					if err := json.Unmarshal(res.Data, &got); err != nil || len(got.Nodes) != len(ids) {
						t.Fatalf("nodes as %s = %s (%v), want %d entries", w.who, res.Data, err, len(ids))
					}
					for i, id := range ids {
						want := slices.Contains(visible[w.who], id)
						switch n := got.Nodes[i]; {
						case want && (n == nil || n.ID != id):
							t.Errorf("nodes as %s: entry %d = %+v, want %s", w.who, i, n, id)
						case !want && n != nil:
							t.Errorf("nodes as %s: entry %d = %s, want null (not visible)", w.who, i, n.ID)
						}
					}
					if hidden := len(ids) - len(visible[w.who]); len(res.Errors) != 0 && len(res.Errors) != hidden {
						t.Errorf("nodes as %s: %d errors for %d hidden ids", w.who, len(res.Errors), hidden)
					}
				}
			})

			t.Run("campaign metrics", func(t *testing.T) {
				q := contractOp(t, "CampaignMetrics")
				wantHidden(t, asB(t, q, map[string]any{"id": f.aCampaign}), "node")

				var got struct {
					Node *struct {
						ID      string
						Metrics []struct {
							Impressions, Clicks   int
							Cost, ConversionValue float64
						}
					}
				}
				asA(t, q, map[string]any{"id": f.aCampaign}).Decode(t, &got)
				if got.Node == nil || got.Node.ID != f.aCampaign || len(got.Node.Metrics) != 1 {
					t.Fatalf("CampaignMetrics as A = %+v, want A's campaign with one day", got.Node)
				}
				if m := got.Node.Metrics[0]; m.Impressions != 1000 || m.Clicks != 40 || m.Cost != 12.34 || m.ConversionValue != 199 {
					t.Errorf("metric as A = %+v, want 1000 impressions, 40 clicks, cost 12.34, value 199", m)
				}
			})

			t.Run("product mutations", func(t *testing.T) {
				tests := []struct {
					name, op, field string
					vars            map[string]any
				}{
					{"updateProduct", "UpdateProduct", "updateProduct", map[string]any{
						"id": f.aProduct, "input": map[string]any{"name": "taken over by B", "autoPublish": true, "marketingEnabled": false},
					}},
					{"updateProduct clearing fields", "UpdateProduct", "updateProduct", map[string]any{
						"id": f.aProduct, "input": map[string]any{"clearURL": true, "clearFeatures": true},
					}},
					{"deleteProduct", "DeleteProduct", "deleteProduct", map[string]any{"id": f.aProduct}},
				}
				for _, tt := range tests {
					t.Run(tt.name, func(t *testing.T) {
						res := asB(t, contractOp(t, tt.op), tt.vars)
						wantError(t, res, "NOT_FOUND")
						wantNoDataFor(t, res, tt.field)
					})
				}
			})
		})
	}

	t.Run("A's product unchanged", func(t *testing.T) {
		after, err := f.env.DB.Client.Product.Get(sys, f.aProduct)
		if err != nil {
			t.Fatalf("A's product is gone: %v", err)
		}
		if after.Name != before.Name || after.AutoPublish != before.AutoPublish ||
			after.MarketingEnabled != before.MarketingEnabled || after.URL != before.URL ||
			!slices.Equal(after.Features, before.Features) || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("A's product changed:\n before %+v\n after  %+v", before, after)
		}
		var got struct{ Node *struct{ ID, Name string } }
		httpClient(f.env, f.a.APIKey)(t, contractOp(t, "Node"), map[string]any{"id": f.aProduct}).Decode(t, &got)
		if got.Node == nil || got.Node.Name != "A's product" {
			t.Errorf("A reads its product as %+v, want name %q", got.Node, "A's product")
		}
	})
}

// wantHidden accepts the two ways a hidden object may be answered: null without errors, or null with NOT_FOUND.
func wantHidden(t testing.TB, res *apitest.Response, field string) {
	t.Helper()
	for _, e := range res.Errors {
		if e.Code() != "NOT_FOUND" {
			t.Errorf("%s: error %q with code %q, want null or NOT_FOUND", field, e.Message, e.Code())
		}
	}
	wantNoDataFor(t, res, field)
}

// TestTenancyEntLayer checks the same isolation below the API: an ent client acting as B reads none of A's rows,
// and its updates and deletes of them affect nothing.
func TestTenancyEntLayer(t *testing.T) {
	t.Parallel()
	f := newTenants(t)
	client := f.env.DB.Client
	ctxB := viewer.ForOrganization(context.Background(), f.b.ID)

	counts := []struct {
		name  string
		count func(context.Context) (int, error)
	}{
		{"products", client.Product.Query().Count},
		{"campaigns", client.Campaign.Query().Count},
		{"campaign metrics", client.CampaignMetric.Query().Count},
		{"contents", client.Content.Query().Count},
		{"attribution events", client.AttributionEvent.Query().Count},
		{"job runs", client.JobRun.Query().Count},
		{"organizations", client.Organization.Query().Count},
	}
	wantB := map[string]int{"products": 1, "job runs": 1, "organizations": 1}
	for _, c := range counts {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.count(ctxB)
			if err != nil {
				t.Fatal(err)
			}
			if got != wantB[c.name] {
				t.Errorf("B counts %d %s, want %d", got, c.name, wantB[c.name])
			}
		})
	}

	t.Run("update and delete", func(t *testing.T) {
		if n, err := client.Product.Update().SetName("mass rename").Save(ctxB); err != nil || n != 1 {
			t.Errorf("B's bulk update touched %d products (%v), want only its own", n, err)
		}
		if err := client.Product.UpdateOneID(f.aProduct).SetName("x").Exec(ctxB); !ent.IsNotFound(err) {
			t.Errorf("B updating A's product: %v, want not found", err)
		}
		if err := client.Product.DeleteOneID(f.aProduct).Exec(ctxB); !ent.IsNotFound(err) {
			t.Errorf("B deleting A's product: %v, want not found", err)
		}
		if err := client.Campaign.DeleteOneID(f.aCampaign).Exec(ctxB); !ent.IsNotFound(err) {
			t.Errorf("B deleting A's campaign: %v, want not found", err)
		}
		if err := client.JobRun.DeleteOneID(f.globalJob).Exec(ctxB); err == nil {
			t.Error("B deleted the global job run; only the system may write job runs")
		}
		sys := viewer.SystemContext(context.Background())
		p, err := client.Product.Get(sys, f.aProduct)
		if err != nil || p.Name != "A's product" {
			t.Errorf("A's product after B's writes = %+v (%v), want unchanged", p, err)
		}
		if _, err := client.Campaign.Get(sys, f.aCampaign); err != nil {
			t.Errorf("A's campaign after B's delete: %v", err)
		}
	})
}
