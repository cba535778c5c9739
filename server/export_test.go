package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/auditentry"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/export"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

const exportPath = "/api/export/events.csv"

// exportAnswer is a response of the export route, its body read.
type exportAnswer struct {
	res  *http.Response
	body string
}

// rows parses the CSV body; the first row is the header.
func (a exportAnswer) rows(t *testing.T) [][]string {
	t.Helper()
	if a.res.StatusCode != http.StatusOK {
		t.Fatalf("export: %s %s", a.res.Status, a.body)
	}
	rows, err := csv.NewReader(strings.NewReader(a.body)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, a.body)
	}
	if len(rows) == 0 || rows[0][0] != "id" {
		t.Fatalf("export has no header row: %q", a.body)
	}
	return rows
}

// ids are the first column of the data rows.
func (a exportAnswer) ids(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range a.rows(t)[1:] {
		out = append(out, r[0])
	}
	return out
}

// wantError fails unless the answer is status with a REST error body of code.
func (a exportAnswer) wantError(t *testing.T, what string, status int, code string) errorAnswer {
	t.Helper()
	var body errorAnswer
	if err := json.Unmarshal([]byte(a.body), &body); err != nil || a.res.StatusCode != status || body.Error.Code != code {
		t.Errorf("%s: %s %s, want %d with a JSON error %s", what, a.res.Status, a.body, status, code)
	}
	if ct := a.res.Header.Get("Content-Type"); a.res.StatusCode >= 400 && ct != "application/json" {
		t.Errorf("%s: error with Content-Type %q", what, ct)
	}
	return body
}

type errorAnswer struct {
	Error struct{ Code, Message, Field string }
}

// exportWith GETs the export with query, from client, with header (no Origin unless header has one).
func exportWith(t *testing.T, env *apitest.Env, client *http.Client, query string, header http.Header) exportAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.Server.URL+exportPath+"?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return exportAnswer{res: res, body: string(body)}
}

func exportAs(t *testing.T, env *apitest.Env, key, query string) exportAnswer {
	t.Helper()
	return exportWith(t, env, env.Server.Client(), query, http.Header{"Authorization": {"Bearer " + key}})
}

// TestExportEvents: GET /api/export/events.csv streams the organization's events as CSV — every one, over several
// pages, newest first, its own organization's only — with the attributionEvents query's filters and the same
// answer for the same filter; text is escaped for spreadsheets; MARKETERs and ADMINs may export, with a key or a
// session, VIEWERs may not; bad filters are 400s naming the parameter.
func TestExportEvents(t *testing.T) {
	env := apitest.New(t)
	a, b := env.NewOrg(t, "Export A"), env.NewOrg(t, "Export B")
	track := func(key string, in map[string]any) string {
		t.Helper()
		var got struct{ TrackEvent struct{ ID string } }
		env.GraphQL(t, key, `mutation($in: TrackEventInput!) { trackEvent(input: $in) { id } }`, map[string]any{"in": in}).Decode(t, &got)
		return got.TrackEvent.ID
	}
	visit := track(a.APIKey, map[string]any{"eventType": "page_view", "visitorId": "v1", "source": `=HYPERLINK("http://evil.example","x")`,
		"medium": "cpc", "campaign": "summer", "url": `https://acme.example/?q="a,b"`, "metadata": map[string]any{"plan": "pro, annual\nsecond line"}})
	purchase := track(a.APIKey, map[string]any{"eventType": "purchase", "visitorId": "v1", "value": 997, "currency": "USD",
		"source": "google", "idempotencyKey": "order-1"})
	signup := track(a.APIKey, map[string]any{"eventType": "signup", "visitorId": "v2", "userId": "@admin", "source": "+1 555", "medium": "-x"})
	track(b.APIKey, map[string]any{"eventType": "page_view", "visitorId": "b-visitor", "campaign": "summer"})

	// More than a page of events, older than the tracked ones, so that the export has to page.
	bulk := export.PageSize + 150
	ctx := visitors.Batched(viewer.ForOrganization(context.Background(), a.ID))
	builders := make([]*ent.AttributionEventCreate, bulk)
	base := time.Now().Add(-2 * time.Hour)
	for i := range builders {
		builders[i] = env.DB.Client.AttributionEvent.Create().SetID(prefixed.New("evt")).SetOrganizationID(a.ID).
			SetVisitorID(fmt.Sprintf("bulk-%d", i)).SetEventType("page_view").SetCampaign("bulk").
			SetCreatedAt(base.Add(time.Duration(i/3) * time.Second)) // three by three at one instant, across pages too
	}
	for i := 0; i < bulk; i += 300 {
		if err := env.DB.Client.AttributionEvent.CreateBulk(builders[i:min(i+300, bulk)]...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("everything, as CSV", func(t *testing.T) {
		ans := exportAs(t, env, a.APIKey, "")
		rows := ans.rows(t)
		if ct := ans.res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q, want text/csv; charset=utf-8", ct)
		}
		disposition, params, err := mime.ParseMediaType(ans.res.Header.Get("Content-Disposition"))
		if err != nil || disposition != "attachment" || !strings.HasPrefix(params["filename"], "events-") || !strings.HasSuffix(params["filename"], ".csv") {
			t.Errorf("Content-Disposition %q, want an attachment named events-….csv", ans.res.Header.Get("Content-Disposition"))
		}
		if got := ans.res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", got)
		}
		if len(rows)-1 != bulk+3 {
			t.Fatalf("%d events exported, want the organization's %d", len(rows)-1, bulk+3)
		}
		seen := map[string]bool{}
		for i, r := range rows[1:] {
			if seen[r[0]] {
				t.Fatalf("event %s exported twice", r[0])
			}
			seen[r[0]] = true
			if r[3] == "b-visitor" {
				t.Fatalf("B's event is in A's export: %v", r)
			}
			if i > 0 && r[1] > rows[i][1] {
				t.Fatalf("row %d (%s) is newer than row %d (%s): want newest first", i+2, r[1], i+1, rows[i][1])
			}
		}
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		byID := map[string][]string{}
		for _, r := range rows[1:4] {
			byID[r[0]] = r
		}
		v, p, s := byID[visit], byID[purchase], byID[signup]
		if v == nil || p == nil || s == nil {
			t.Fatalf("the tracked events are not the newest three: %v", rows[1:4])
		}
		for _, c := range []struct{ name, got, want string }{
			{"formula in source", v[col["source"]], `'=HYPERLINK("http://evil.example","x")`},
			{"quotes and commas in url", v[col["url"]], `https://acme.example/?q="a,b"`},
			{"metadata", v[col["metadata"]], `{"plan":"pro, annual\nsecond line"}`},
			{"campaign", v[col["campaign"]], "summer"},
			{"value", p[col["value"]], "997.00"},
			{"currency", p[col["currency"]], "USD"},
			{"event type", p[col["eventType"]], "purchase"},
			{"@ in userId", s[col["userId"]], "'@admin"},
			{"+ in source", s[col["source"]], "'+1 555"},
			{"- in medium", s[col["medium"]], "'-x"},
			{"no value", s[col["value"]], ""},
		} {
			if c.got != c.want {
				t.Errorf("%s: cell %q, want %q", c.name, c.got, c.want)
			}
		}
		if _, err := time.Parse(time.RFC3339, p[col["createdAt"]]); err != nil {
			t.Errorf("createdAt %q is not RFC 3339", p[col["createdAt"]])
		}
	})

	t.Run("filters match the attributionEvents query's", func(t *testing.T) {
		from := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		for _, tc := range []struct {
			name, query string
			where       map[string]any
			want        []string
		}{
			{"campaign", "campaign=summer", map[string]any{"campaign": "summer"}, []string{visit}},
			{"event types", "eventType=purchase&eventType=signup", map[string]any{"eventTypeIn": []string{"purchase", "signup"}}, []string{signup, purchase}},
			{"time range and visitor", "from=" + url.QueryEscape(from) + "&visitorId=v1", map[string]any{"createdAtGTE": from, "visitorID": "v1"}, []string{purchase, visit}},
			{"where, as the query takes it", "where=" + url.QueryEscape(`{"or":[{"userID":"@admin"},{"eventType":"purchase"}]}`),
				map[string]any{"or": []any{map[string]any{"userID": "@admin"}, map[string]any{"eventType": "purchase"}}}, []string{signup, purchase}},
			{"where and a shorthand", "medium=cpc&where=" + url.QueryEscape(`{"campaign":"summer"}`), map[string]any{"medium": "cpc", "campaign": "summer"}, []string{visit}},
			{"B's ids", "where=" + url.QueryEscape(`{"visitorID":"b-visitor"}`), map[string]any{"visitorID": "b-visitor"}, nil},
		} {
			got := exportAs(t, env, a.APIKey, tc.query).ids(t)
			var q struct {
				AttributionEvents struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
			env.GraphQL(t, a.APIKey, `query($where: AttributionEventWhereInput) {
				attributionEvents(first: 50, where: $where, orderBy: {field: CREATED_AT, direction: DESC}) { edges { node { id } } } }`,
				map[string]any{"where": tc.where}).Decode(t, &q)
			var fromQuery []string
			for _, e := range q.AttributionEvents.Edges {
				fromQuery = append(fromQuery, e.Node.ID)
			}
			if !slices.Equal(got, tc.want) || !slices.Equal(got, fromQuery) {
				t.Errorf("%s: export %v, attributionEvents %v, want %v", tc.name, got, fromQuery, tc.want)
			}
		}
		// B's export is B's.
		if got := exportAs(t, env, b.APIKey, "").rows(t); len(got) != 2 || got[1][3] != "b-visitor" {
			t.Errorf("B's export = %v, want its one event", got)
		}
	})

	t.Run("roles, keys and sessions", func(t *testing.T) {
		for _, role := range []viewer.Role{viewer.Admin, viewer.Marketer} {
			if got := exportAs(t, env, env.NewKey(t, a, role), "campaign=summer").ids(t); !slices.Equal(got, []string{visit}) {
				t.Errorf("%s key: %v, want the summer visit", role, got)
			}
			m := env.NewMember(t, a, role)
			res, body := env.Do(t, m.Browser, http.MethodGet, exportPath+"?campaign=summer", "", nil, nil)
			if got := (exportAnswer{res, string(body)}).ids(t); !slices.Equal(got, []string{visit}) {
				t.Errorf("%s session: %v, want the summer visit", role, got)
			}
			// A link the dashboard renders: a navigation, without Origin.
			if got := exportWith(t, env, m.Browser, "campaign=summer", nil).ids(t); !slices.Equal(got, []string{visit}) {
				t.Errorf("%s session, link without Origin: %v, want the summer visit", role, got)
			}
		}
		exportAs(t, env, env.NewKey(t, a, viewer.ReadOnly), "").wantError(t, "VIEWER key", http.StatusForbidden, "FORBIDDEN")
		viewerMember := env.NewMember(t, a, viewer.ReadOnly)
		exportWith(t, env, viewerMember.Browser, "", http.Header{"Origin": {env.Server.URL}}).wantError(t, "VIEWER session", http.StatusForbidden, "FORBIDDEN")
		marketer := env.NewMember(t, a, viewer.Marketer)
		exportWith(t, env, marketer.Browser, "", http.Header{"Origin": {evilOrigin}}).wantError(t, "session from a foreign origin", http.StatusForbidden, "FORBIDDEN")
		exportWith(t, env, marketer.Browser, "", http.Header{"Sec-Fetch-Site": {"cross-site"}}).wantError(t, "session, cross-site navigation", http.StatusForbidden, "FORBIDDEN")
		exportWith(t, env, env.Server.Client(), "", nil).wantError(t, "no credentials", http.StatusUnauthorized, "UNAUTHENTICATED")
		exportAs(t, env, "mos_sk_wrong", "").wantError(t, "unknown key", http.StatusUnauthorized, "UNAUTHENTICATED")
	})

	t.Run("bad filters", func(t *testing.T) {
		for _, tc := range []struct{ query, field string }{
			{"limit=10", "limit"},
			{"from=yesterday", "from"},
			{"where=" + url.QueryEscape(`{"campain":"summer"}`), "where"},
			{"from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z", "to"},
		} {
			if e := exportAs(t, env, a.APIKey, tc.query).wantError(t, tc.query, http.StatusBadRequest, "BAD_USER_INPUT"); e.Error.Field != tc.field {
				t.Errorf("%s: field %q, want %q", tc.query, e.Error.Field, tc.field)
			}
		}
	})

	t.Run("audited", func(t *testing.T) {
		entries, err := env.DB.Client.AuditEntry.Query().
			Where(auditentry.OrganizationID(a.ID), auditentry.Action(audit.EventsExported)).All(viewer.SystemContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		filtered := 0
		for _, e := range entries {
			if e.Changes["campaign"] == "summer" {
				filtered++
			}
		}
		if len(entries) == 0 || filtered == 0 {
			t.Errorf("%d export entries in A's audit log (%d with campaign=summer), want the exports with their filters", len(entries), filtered)
		}
	})
}
