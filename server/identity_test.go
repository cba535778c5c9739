package server_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// dashboardFields is every field of Dashboard but updatedAt (the time of each computation).
const dashboardFields = `id from to revenue currency spend roas averageRoas conversionRate conversions visitors activeCampaigns
	series { date revenue spend visitors conversions } topSources { source revenue conversions }`

// unmarshalField decodes data (a GraphQL response's data) and returns its field.
func unmarshalField(t *testing.T, data json.RawMessage, field string) map[string]any {
	t.Helper()
	var m map[string]map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	if m[field] == nil {
		t.Fatalf("%s has no %s", data, field)
	}
	return m[field]
}

// TestDashboardIdentity: dashboard(from, to) and the dashboardUpdated(from, to) pushes of the same arguments carry
// one id and, for the same data, the same object, so that a client cache merges a push into the record the query
// put there; other ranges and other organizations have other ids. The default range keeps its id as now moves on.
func TestDashboardIdentity(t *testing.T) {
	env := apitest.New(t)
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	from := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	// The same instant written in another zone is the same range.
	fromMadrid := from.In(time.FixedZone("CEST", 2*3600)).Format(time.RFC3339)
	explicit := map[string]any{"from": from.Format(time.RFC3339)}
	query := func(key string, vars map[string]any) map[string]any {
		t.Helper()
		res := env.GraphQL(t, key, `query($from: Time, $to: Time) { dashboard(from: $from, to: $to) { `+dashboardFields+` } }`, vars)
		if len(res.Errors) > 0 {
			t.Fatalf("dashboard: %+v", res.Errors)
		}
		return unmarshalField(t, res.Data, "dashboard")
	}
	const sub = `subscription($from: Time, $to: Time) { dashboardUpdated(from: $from, to: $to) { ` + dashboardFields + ` } }`
	def := liveSubscribe(t, env, "default range", a.APIKey, sub, nil)
	ranged := liveSubscribe(t, env, "explicit range", a.APIKey, sub, explicit)
	subscribed(t, env.App, 0, 2)

	push := func(s *liveSub) map[string]any {
		t.Helper()
		n, ok := s.next(t, 10*time.Second)
		if !ok {
			t.Fatalf("%s: no push", s.name)
		}
		return unmarshalField(t, n.data, "dashboardUpdated")
	}
	// The default range ends now, so its bounds move between the query and the push: only they may differ.
	withoutBounds := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			if k != "from" && k != "to" {
				out[k] = v
			}
		}
		return out
	}
	firstDefault, firstRanged := push(def), push(ranged)
	if q := query(a.APIKey, nil); !reflect.DeepEqual(withoutBounds(q), withoutBounds(firstDefault)) {
		t.Errorf("default range: the query answered\n  %v\nthe subscription pushed\n  %v", q, firstDefault)
	}
	// The same instant written in another zone is the same range, and the same id.
	if q := query(a.APIKey, map[string]any{"from": fromMadrid}); !reflect.DeepEqual(withoutBounds(q), withoutBounds(firstRanged)) || q["from"] != firstRanged["from"] {
		t.Errorf("explicit range: the query answered\n  %v\nthe subscription pushed\n  %v", q, firstRanged)
	}
	ids := map[string]string{
		"default range":                 firstDefault["id"].(string),
		"explicit range":                firstRanged["id"].(string),
		"another organization, default": query(b.APIKey, nil)["id"].(string),
		"another range":                 query(a.APIKey, map[string]any{"from": from.Add(-time.Hour).Format(time.RFC3339)})["id"].(string),
		"the same from, with a to":      query(a.APIKey, map[string]any{"from": from.Format(time.RFC3339), "to": time.Now().Add(time.Hour).Format(time.RFC3339)})["id"].(string),
	}
	distinct(t, ids)

	// A purchase changes the numbers: the push that shows it keeps the id, and is what the query then answers.
	env.GraphQL(t, a.APIKey, `mutation($in: TrackEventInput!) { trackEvent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"eventType": "page_view", "visitorId": "v-id", "source": "google"}}).Decode(t, &struct{}{})
	env.GraphQL(t, a.APIKey, `mutation($in: TrackEventInput!) { trackEvent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"eventType": "purchase", "visitorId": "v-id", "value": 49, "idempotencyKey": "order-1"}}).Decode(t, &struct{}{})
	var changed map[string]any
	for changed == nil || changed["revenue"] == firstDefault["revenue"] {
		changed = push(def)
	}
	if changed["id"] != firstDefault["id"] {
		t.Errorf("the push after the purchase has id %v, the first %v: a cache would keep two dashboards", changed["id"], firstDefault["id"])
	}
	if q := query(a.APIKey, nil); !reflect.DeepEqual(withoutBounds(q), withoutBounds(changed)) {
		t.Errorf("after the purchase the query answered\n  %v\nthe subscription pushed\n  %v", q, changed)
	}
}

// TestCampaignEmbeddedValuesFollowTheirCampaign: a campaign's budget and performance have no id of their own (they
// are embedded values); what identifies them is the campaign's id, which campaignUpdated pushes with them — the
// same id and the same values the campaigns query answers for the same data.
func TestCampaignEmbeddedValuesFollowTheirCampaign(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	const fields = `id status budget { daily currency spent limit } performance { impressions clicks conversions spend revenue ctr cpc cpa roas roi }`
	s := liveSubscribe(t, env, "campaignUpdated", org.APIKey, `subscription { campaignUpdated { `+fields+` } }`, nil)
	subscribed(t, env.App, 1, 0)

	created := cmpCreate(t, httpClient(env, org.APIKey), cmpGoogleInput("Identity"))
	cmpSetStatus(t, httpClient(env, org.APIKey), "ResumeCampaign", created.ID)
	cmpSync(t, httpClient(env, org.APIKey), created.ID)

	var pushed map[string]any
	for pushed == nil || pushed["performance"].(map[string]any)["impressions"] == float64(0) {
		n, ok := s.next(t, 10*time.Second)
		if !ok {
			t.Fatal("no campaignUpdated push with the synced performance")
		}
		pushed = unmarshalField(t, n.data, "campaignUpdated")
	}
	res := env.GraphQL(t, org.APIKey, `{ campaigns(first: 5) { edges { node { `+fields+` } } } }`, nil)
	var got struct {
		Campaigns struct {
			Edges []struct{ Node map[string]any }
		}
	}
	res.Decode(t, &got)
	if len(got.Campaigns.Edges) != 1 {
		t.Fatalf("campaigns = %+v, want the one created", got.Campaigns)
	}
	queried := got.Campaigns.Edges[0].Node
	if queried["id"] != created.ID || pushed["id"] != created.ID {
		t.Fatalf("query id %v, push id %v, want %s", queried["id"], pushed["id"], created.ID)
	}
	if !reflect.DeepEqual(queried, pushed) {
		t.Errorf("for the same data the query answered\n  %v\nthe subscription pushed\n  %v", queried, pushed)
	}
	for _, embedded := range []string{"budget", "performance"} {
		if _, has := pushed[embedded].(map[string]any)["id"]; has {
			t.Errorf("%s has an id: it is an embedded value of its campaign", embedded)
		}
	}
}

// TestComputedValueIDs: the viewer and attribution reports have ids derived from what they are computed from: the
// same for the same request, different for another key, person, organization or argument.
func TestComputedValueIDs(t *testing.T) {
	env := apitest.New(t)
	a, b := env.NewOrg(t, "Identity A"), env.NewOrg(t, "Identity B")
	viewerID := func(res *apitest.Response) string {
		t.Helper()
		var got struct{ Viewer struct{ ID string } }
		res.Decode(t, &got)
		if got.Viewer.ID == "" {
			t.Fatal("viewer has no id")
		}
		return got.Viewer.ID
	}
	const q = `{ viewer { id role } }`
	member := env.NewMember(t, a, viewer.Marketer)
	if _, err := auth.AddMember(context.Background(), env.DB.Client, b.ID, member.UserID, viewer.ReadOnly); err != nil {
		t.Fatal(err)
	}
	inB := *member // the same browser, acting in B (X-Organization-Id)
	inB.OrgID = b.ID
	ids := map[string]string{
		"A's key":              viewerID(env.GraphQL(t, a.APIKey, q, nil)),
		"A's other key":        viewerID(env.GraphQL(t, env.NewKey(t, a, viewer.ReadOnly), q, nil)),
		"B's key":              viewerID(env.GraphQL(t, b.APIKey, q, nil)),
		"the person in A":      viewerID(member.GraphQL(t, q, nil)),
		"the same person in B": viewerID(inB.GraphQL(t, q, nil)),
	}
	distinct(t, ids)
	// Another selection of the same viewer (the contract's Viewer and ViewerPeople) is the same record.
	if again := viewerID(env.GraphQL(t, a.APIKey, `{ viewer { id organization { id } } }`, nil)); again != ids["A's key"] {
		t.Errorf("A's key: viewer id %s, then %s", ids["A's key"], again)
	}
	if again := viewerID(member.GraphQL(t, `{ viewer { id user { email } organizations { id } } }`, nil)); again != ids["the person in A"] {
		t.Errorf("the person in A: viewer id %s, then %s", ids["the person in A"], again)
	}

	report := func(vars map[string]any) string {
		t.Helper()
		var got struct{ AttributionReport struct{ ID string } }
		env.GraphQL(t, a.APIKey, `query($model: AttributionModel!, $from: Time, $to: Time, $groupBy: AttributionDimension) {
			attributionReport(model: $model, from: $from, to: $to, groupBy: $groupBy) { id totalRevenue } }`, vars).Decode(t, &got)
		return got.AttributionReport.ID
	}
	from := time.Now().AddDate(0, 0, -10).UTC().Truncate(time.Second)
	base := report(map[string]any{"model": "LINEAR"})
	if again := report(map[string]any{"model": "LINEAR", "groupBy": "SOURCE"}); again != base {
		t.Errorf("groupBy omitted and SOURCE are one report: ids %s and %s", base, again)
	}
	ranged := report(map[string]any{"model": "LINEAR", "from": from.Format(time.RFC3339)})
	if again := report(map[string]any{"model": "LINEAR", "from": from.In(time.FixedZone("CET", 3600)).Format(time.RFC3339)}); again != ranged {
		t.Errorf("one from in two zones: ids %s and %s", ranged, again)
	}
	distinct(t, map[string]string{
		"LINEAR":             base,
		"LINEAR from":        ranged,
		"FIRST_TOUCH":        report(map[string]any{"model": "FIRST_TOUCH"}),
		"LINEAR by campaign": report(map[string]any{"model": "LINEAR", "groupBy": "CAMPAIGN"}),
	})
}

// distinct fails unless every id is set and none is shared.
func distinct(t *testing.T, ids map[string]string) {
	t.Helper()
	seen := map[string]string{}
	for what, id := range ids {
		if id == "" {
			t.Errorf("%s: empty id", what)
			continue
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share the id %s", what, other, id)
		}
		seen[id] = what
	}
}
