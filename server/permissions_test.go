package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/migrate"
	"github.com/marketingos/marketingos/graph"
	"github.com/marketingos/marketingos/internal/access"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// The permission matrix: every root field of the schema, the least role the roles table documents for it, and how
// to run it. Each row's vars builds fresh objects for one run (as the organization's ADMIN key), so that every
// allowed run can succeed. A root field without a row fails TestPermissionRowsCoverTheSchema.
type permissionRow struct {
	field string // Type.field
	least viewer.Role
	query string
	// vars prepares one run in org (objects created with admin, that organization's ADMIN key).
	vars func(t *testing.T, fx *permFixture, org *permOrg) map[string]any
	// crossOrg: the operation names an object by ID, so run with another organization's object it must answer
	// NOT_FOUND (or null, for node).
	crossOrg bool
	// allowedCode: an allowed run answers this code instead of data (replayWebhook of an unknown id).
	allowedCode string
}

var uniq atomic.Int64

func next(prefix string) string { return fmt.Sprintf("%s %d", prefix, uniq.Add(1)) }

func permissionRows(t *testing.T) []permissionRow {
	op := func(name string) string { return contractOp(t, name) }
	none := func(*testing.T, *permFixture, *permOrg) map[string]any { return nil }
	product := func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
		return map[string]any{"id": fx.product(t, o)}
	}
	campaign := func(status string) func(*testing.T, *permFixture, *permOrg) map[string]any {
		return func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
			return map[string]any{"id": fx.campaign(t, o, status)}
		}
	}
	content := func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
		return map[string]any{"id": fx.content(t, o)}
	}
	return []permissionRow{
		{field: "Query.viewer", least: viewer.ReadOnly, query: op("ViewerPeople"), vars: none},
		{field: "Query.node", least: viewer.ReadOnly, query: op("Node"), vars: product, crossOrg: true},
		{field: "Query.nodes", least: viewer.ReadOnly, query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"ids": []string{fx.product(t, o)}}
			}},
		{field: "Query.products", least: viewer.ReadOnly, query: op("Products"), vars: none},
		{field: "Query.campaigns", least: viewer.ReadOnly, query: op("Campaigns"), vars: none},
		{field: "Query.contents", least: viewer.ReadOnly, query: op("Contents"), vars: none},
		{field: "Query.attributionEvents", least: viewer.ReadOnly, query: op("Events"), vars: none},
		{field: "Query.jobRuns", least: viewer.ReadOnly, query: op("JobRuns"), vars: none},
		{field: "Query.dashboard", least: viewer.ReadOnly, query: op("Dashboard"), vars: none},
		{field: "Query.attributionReport", least: viewer.ReadOnly, query: op("AttributionReport"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any { return map[string]any{"model": "LINEAR"} }},
		{field: "Query.members", least: viewer.ReadOnly, query: op("Members"), vars: none},
		{field: "Query.invitations", least: viewer.Admin, query: `{ invitations(first: 10) { totalCount edges { node { id email } } } }`, vars: none},
		{field: "Query.apiKeys", least: viewer.Admin, query: op("ApiKeys"), vars: none},
		{field: "Query.auditLog", least: viewer.Admin, query: op("AuditLog"), vars: none},
		{field: "Query.webhookFailures", least: viewer.Admin, query: failuresQuery, vars: none},

		{field: "Mutation.createProduct", least: viewer.Marketer, query: op("CreateProduct"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"input": map[string]any{"name": next("Matrix product")}}
			}},
		{field: "Mutation.updateProduct", least: viewer.Marketer, query: op("UpdateProduct"), crossOrg: true,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"id": fx.product(t, o), "input": map[string]any{"description": "changed"}}
			}},
		{field: "Mutation.deleteProduct", least: viewer.Marketer, query: op("DeleteProduct"), vars: product, crossOrg: true},
		{field: "Mutation.createCampaign", least: viewer.Marketer, query: op("CreateCampaign"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"input": cmpGoogleInput(next("Matrix campaign"))}
			}},
		{field: "Mutation.pauseCampaign", least: viewer.Marketer, query: op("PauseCampaign"), vars: campaign("ACTIVE"), crossOrg: true},
		{field: "Mutation.resumeCampaign", least: viewer.Marketer, query: op("ResumeCampaign"), vars: campaign("DRAFT"), crossOrg: true},
		{field: "Mutation.syncCampaignMetrics", least: viewer.Marketer, query: op("SyncCampaignMetrics"), vars: campaign("ACTIVE"), crossOrg: true},
		{field: "Mutation.generateContent", least: viewer.Marketer, query: op("GenerateContent"),
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"input": map[string]any{"productId": fx.product(t, o), "platforms": []string{"X"}}}
			}},
		{field: "Mutation.publishContent", least: viewer.Marketer, query: op("PublishContent"), vars: content, crossOrg: true},
		{field: "Mutation.rejectContent", least: viewer.Marketer, query: op("RejectContent"), vars: content, crossOrg: true},
		{field: "Mutation.updateContent", least: viewer.Marketer, crossOrg: true,
			query: `mutation($id: ID!, $input: UpdateContentInput!) { updateContent(id: $id, input: $input) { id title } }`,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"id": fx.content(t, o), "input": map[string]any{"title": "Edited"}}
			}},
		{field: "Mutation.trackEvent", least: viewer.Marketer, query: op("TrackEvent"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"input": map[string]any{"eventType": "signup", "visitorId": "matrix-visitor"}}
			}},
		{field: "Mutation.replayWebhook", least: viewer.Admin, allowedCode: graph.CodeNotFound,
			query: `mutation($id: ID!) { replayWebhook(id: $id) { outcome } }`,
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"id": "whk_00000000000000000000000000"}
			}},
		{field: "Mutation.updateOrganization", least: viewer.Admin, query: op("UpdateOrganization"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"input": map[string]any{"dailyPostCap": int(uniq.Add(1) % 50)}}
			}},
		{field: "Mutation.inviteMember", least: viewer.Admin, query: op("InviteMember"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"input": map[string]any{"email": fmt.Sprintf("invitee-%d@example.com", uniq.Add(1)), "role": "MARKETER"}}
			}},
		{field: "Mutation.revokeInvitation", least: viewer.Admin, query: op("RevokeInvitation"), crossOrg: true,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"id": fx.invitation(t, o)}
			}},
		{field: "Mutation.updateMemberRole", least: viewer.Admin, query: op("UpdateMemberRole"), crossOrg: true,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"id": fx.membership(t, o), "role": "VIEWER"}
			}},
		{field: "Mutation.removeMember", least: viewer.Admin, query: op("RemoveMember"), crossOrg: true,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"id": fx.membership(t, o)}
			}},
		{field: "Mutation.createApiKey", least: viewer.Admin, query: op("CreateApiKey"),
			vars: func(*testing.T, *permFixture, *permOrg) map[string]any {
				return map[string]any{"input": map[string]any{"name": next("Matrix key"), "role": "VIEWER"}}
			}},
		{field: "Mutation.revokeApiKey", least: viewer.Admin, query: op("RevokeApiKey"), crossOrg: true,
			vars: func(t *testing.T, fx *permFixture, o *permOrg) map[string]any {
				return map[string]any{"id": fx.env.NewKeyID(t, o.org, viewer.ReadOnly)}
			}},
		{field: "Mutation.rotateTrackingKey", least: viewer.Admin, query: op("RotateTrackingKey"), vars: none},

		{field: "Subscription.dashboardUpdated", least: viewer.ReadOnly, query: op("DashboardUpdated"), vars: none},
		{field: "Subscription.eventTracked", least: viewer.ReadOnly, query: op("EventTracked"), vars: none},
		{field: "Subscription.campaignUpdated", least: viewer.ReadOnly, query: op("CampaignUpdated"), vars: none},
		{field: "Subscription.contentUpdated", least: viewer.ReadOnly, query: op("ContentUpdated"), vars: none},
	}
}

// TestPermissionRowsCoverTheSchema: the matrix has a row for every root field of the served schema, and each row's
// least role is the one the access table enforces — so a new operation cannot ship without a decided role.
func TestPermissionRowsCoverTheSchema(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var fields []string
	for _, typ := range []string{"Query", "Mutation", "Subscription"} {
		for _, f := range schema.Types[typ].Fields {
			if !strings.HasPrefix(f.Name, "__") {
				fields = append(fields, typ+"."+f.Name)
			}
		}
	}
	rows := map[string]viewer.Role{}
	for _, r := range permissionRows(t) {
		rows[r.field] = r.least
	}
	for _, f := range fields {
		least, ok := rows[f]
		if !ok {
			t.Errorf("%s has no row in the permission matrix (server/permissions_test.go)", f)
			continue
		}
		if rule, ok := access.Rule(f); !ok || rule != least {
			t.Errorf("%s: the access table says %q (present: %v), the matrix %s", f, rule, ok, least)
		}
	}
	tableOps := access.Operations()
	sort.Strings(tableOps)
	for _, op := range tableOps {
		if !slices.Contains(fields, op) {
			t.Errorf("the access table has a rule for %s, which the schema does not have", op)
		}
	}
}

// TestPermissionMatrix runs every operation as every role — people signed in with a session cookie and API keys of
// each role a key may have — in two organizations: allowed runs succeed, refused ones answer FORBIDDEN and leave
// the database as it was; an operation naming another organization's object answers NOT_FOUND, unchanged too.
func TestPermissionMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every operation as every role")
	}
	env := apitest.New(t)
	fx := &permFixture{env: env}
	a, b := fx.newOrg(t, "Matrix A"), fx.newOrg(t, "Matrix B")

	for _, row := range permissionRows(t) {
		t.Run(row.field, func(t *testing.T) {
			if strings.HasPrefix(row.field, "Subscription.") {
				fx.checkSubscription(t, row, a)
				return
			}
			for _, actor := range a.actors {
				vars := row.vars(t, fx, a)
				before := fx.snapshot(t)
				res := actor.do(t, row.query, vars)
				if actor.role.AtLeast(row.least) {
					if row.allowedCode != "" {
						if codes := res.Codes(); len(codes) == 0 || codes[0] != row.allowedCode {
							t.Errorf("%s: codes %v, want %s", actor.name, codes, row.allowedCode)
						}
						continue
					}
					if len(res.Errors) > 0 {
						t.Errorf("%s (%s may): %+v", actor.name, row.least, res.Errors)
					}
					continue
				}
				if codes := res.Codes(); len(codes) != 1 || codes[0] != graph.CodeForbidden {
					t.Errorf("%s (needs %s): codes %v, data %s, want FORBIDDEN", actor.name, row.least, codes, res.Data)
				}
				if after := fx.snapshot(t); !reflect.DeepEqual(before, after) {
					t.Errorf("%s was refused, but the database changed: %s", actor.name, diffSnapshots(before, after))
				}
			}
			if !row.crossOrg {
				return
			}
			// A's most powerful actor, with B's object.
			vars := row.vars(t, fx, b)
			before := fx.snapshot(t)
			res := a.actors[0].do(t, row.query, vars)
			after := fx.snapshot(t)
			switch codes := res.Codes(); {
			case row.field == "Query.node":
				if !strings.Contains(string(res.Data), `"node":null`) {
					t.Errorf("node of another organization's object: %s %v, want null", res.Data, codes)
				}
			case len(codes) != 1 || codes[0] != graph.CodeNotFound:
				t.Errorf("with another organization's object: codes %v, data %s, want NOT_FOUND", codes, res.Data)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("an operation on another organization's object changed the database: %s", diffSnapshots(before, after))
			}
		})
	}
}

// permFixture holds the two organizations and makes fresh objects in them.
type permFixture struct {
	env *apitest.Env
}

type permOrg struct {
	org    apitest.Org
	admin  string // an ADMIN key, for preparing objects
	actors []permActor
}

// permActor is one caller: a person (with a session cookie) or an API key, with its role.
type permActor struct {
	name string
	role viewer.Role
	do   func(t *testing.T, query string, vars map[string]any) *apitest.Response
	ws   func(t *testing.T) (*apitest.WS, error)
}

func (fx *permFixture) newOrg(t *testing.T, name string) *permOrg {
	env := fx.env
	org := env.NewOrg(t, name)
	o := &permOrg{org: org, admin: org.APIKey}
	for _, role := range viewer.Roles {
		m := env.NewMember(t, org, role)
		o.actors = append(o.actors, permActor{
			name: "person " + string(role), role: role,
			do: func(t *testing.T, q string, v map[string]any) *apitest.Response { return m.GraphQL(t, q, v) },
			ws: func(t *testing.T) (*apitest.WS, error) { return m.DialWS(t) },
		})
	}
	for _, role := range []viewer.Role{viewer.Admin, viewer.Marketer, viewer.ReadOnly} {
		key := env.NewKey(t, org, role)
		o.actors = append(o.actors, permActor{
			name: "key " + string(role), role: role,
			do: func(t *testing.T, q string, v map[string]any) *apitest.Response { return env.GraphQL(t, key, q, v) },
			ws: func(t *testing.T) (*apitest.WS, error) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				return env.DialWS(ctx, key)
			},
		})
	}
	return o
}

func (fx *permFixture) run(t *testing.T, o *permOrg, query string, vars map[string]any, out any) {
	t.Helper()
	fx.env.GraphQL(t, o.admin, query, vars).Decode(t, out)
}

func (fx *permFixture) product(t *testing.T, o *permOrg) string {
	var got struct{ CreateProduct struct{ ID string } }
	fx.run(t, o, contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": next("Fixture product")}}, &got)
	return got.CreateProduct.ID
}

func (fx *permFixture) campaign(t *testing.T, o *permOrg, status string) string {
	var got struct{ CreateCampaign struct{ ID string } }
	fx.run(t, o, contractOp(t, "CreateCampaign"), map[string]any{"input": cmpGoogleInput(next("Fixture campaign"))}, &got)
	if status == "ACTIVE" {
		fx.run(t, o, contractOp(t, "ResumeCampaign"), map[string]any{"id": got.CreateCampaign.ID}, &struct{}{})
	}
	return got.CreateCampaign.ID
}

func (fx *permFixture) content(t *testing.T, o *permOrg) string {
	var got struct{ GenerateContent struct{ ID, Status string } }
	fx.run(t, o, contractOp(t, "GenerateContent"), map[string]any{"input": map[string]any{"productId": fx.product(t, o), "platforms": []string{"X"}}}, &got)
	if got.GenerateContent.Status != "READY" {
		t.Fatalf("fixture content is %s, want READY", got.GenerateContent.Status)
	}
	return got.GenerateContent.ID
}

func (fx *permFixture) invitation(t *testing.T, o *permOrg) string {
	var got struct{ InviteMember struct{ ID string } }
	fx.run(t, o, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{
		"email": fmt.Sprintf("fixture-%d@example.com", uniq.Add(1)), "role": "VIEWER"}}, &got)
	return got.InviteMember.ID
}

func (fx *permFixture) membership(t *testing.T, o *permOrg) string {
	m := fx.env.NewMember(t, o.org, viewer.Marketer)
	id, err := fx.env.MembershipID(m)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// checkSubscription subscribes as every actor (every role may), makes the change the subscription reports, and
// expects each to hear of it.
func (fx *permFixture) checkSubscription(t *testing.T, row permissionRow, o *permOrg) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type sub struct {
		actor permActor
		ws    *apitest.WS
		id    string
	}
	var subs []sub
	waitFor(t, 10*time.Second, "the earlier rows' subscriptions to end", func() bool { return fx.env.App.Follows.Followers() == 0 })
	for _, actor := range o.actors {
		ws, err := actor.ws(t)
		if err != nil {
			t.Fatalf("%s: dial: %v", actor.name, err)
		}
		t.Cleanup(func() { _ = ws.Close() })
		id, err := ws.Subscribe(ctx, row.query, nil)
		if err != nil {
			t.Fatalf("%s: subscribe: %v", actor.name, err)
		}
		subs = append(subs, sub{actor, ws, id})
	}
	// gqlgen resolves each subscription in a goroutine of its own: wait until all are registered. The dashboard
	// answers at once; the others need a change.
	if row.field != "Subscription.dashboardUpdated" {
		subscribed(t, fx.env.App, len(subs), 0)
	}
	switch row.field {
	case "Subscription.eventTracked":
		fx.run(t, o, contractOp(t, "TrackEvent"), map[string]any{"input": map[string]any{"eventType": "signup", "visitorId": "sub-visitor"}}, &struct{}{})
	case "Subscription.campaignUpdated":
		fx.campaign(t, o, "DRAFT")
	case "Subscription.contentUpdated":
		fx.content(t, o)
	}
	for _, s := range subs {
		var data json.RawMessage
		nextData(t, ctx, s.ws, s.id, &data)
		if len(data) == 0 || string(data) == "null" {
			t.Errorf("%s heard nothing on %s", s.actor.name, row.field)
		}
	}
}

// snapshot is what a refused operation must not change: the number of rows of every table, and the columns the
// operations of the matrix write.
type snapshot map[string]string

func (fx *permFixture) snapshot(t *testing.T) snapshot {
	t.Helper()
	db := fx.env.DB.SQL
	out := snapshot{}
	for _, table := range migrate.Tables {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table.Name).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table.Name, err)
		}
		out[table.Name] = fmt.Sprint(n)
	}
	for name, q := range map[string]string{
		"products":      "SELECT id, COALESCE(description, '') FROM products ORDER BY id",
		"campaigns":     "SELECT id, status FROM campaigns ORDER BY id",
		"contents":      "SELECT id, status || COALESCE(title, '') FROM contents ORDER BY id",
		"memberships":   "SELECT id, role FROM memberships ORDER BY id",
		"api_keys":      "SELECT id, CASE WHEN revoked_at IS NULL THEN 'live' ELSE 'revoked' END FROM api_keys ORDER BY id",
		"invitations":   "SELECT id, CASE WHEN revoked_at IS NULL THEN 'open' ELSE 'revoked' END FROM invitations ORDER BY id",
		"organizations": "SELECT id, tracking_key || ' ' || daily_post_cap || ' ' || name FROM organizations ORDER BY id",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("snapshot %s: %v", name, err)
		}
		var b strings.Builder
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s=%s;", id, v)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		out[name+" rows"] = b.String()
	}
	return out
}

func diffSnapshots(a, b snapshot) string {
	var diffs []string
	for k, v := range a {
		if b[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: %s → %s", k, v, b[k]))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}
