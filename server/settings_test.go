package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/auditentry"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/viewer"
)

const orgSettings = `{ viewer { organization { id name currency timezone attributionWindowDays respectDnt allowedOrigins
  dailyPostCap autoPublishThreshold highValueThreshold ssoDomain } } }`

// TestUpdateOrganization: every setting changes, and each bad value answers BAD_USER_INPUT naming its field and
// changes nothing.
func TestUpdateOrganization(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	admin := env.NewMember(t, org, viewer.Admin)
	settings := func() string {
		res := admin.GraphQL(t, orgSettings, nil)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return string(res.Data)
	}

	in := map[string]any{
		"name": "Acme Inc", "currency": "EUR", "timezone": "Europe/Madrid", "attributionWindowDays": 90,
		"respectDnt": true, "allowedOrigins": []string{"https://www.acme.example", "acme.example"}, "dailyPostCap": 8,
		"autoPublishThreshold": 75, "highValueThreshold": 250.5, "ssoDomain": "Acme.Example",
	}
	var got struct {
		UpdateOrganization map[string]any
	}
	admin.GraphQL(t, contractOp(t, "UpdateOrganization"), map[string]any{"input": in}).Decode(t, &got)
	for k, want := range in {
		g, _ := json.Marshal(got.UpdateOrganization[k])
		w, _ := json.Marshal(want)
		if k == "ssoDomain" {
			w = []byte(`"acme.example"`) // stored lower-cased
		}
		if string(g) != string(w) {
			t.Errorf("%s = %s, want %s", k, g, w)
		}
	}

	before := settings()
	for _, tc := range []struct {
		field string
		value any
	}{
		{"currency", "euro"}, {"timezone", "Mars/Olympus"}, {"attributionWindowDays", 0}, {"attributionWindowDays", 366},
		{"allowedOrigins", []string{"https://*.acme.example"}}, {"allowedOrigins", []string{"https://acme.example/"}},
		{"dailyPostCap", -1}, {"autoPublishThreshold", 101}, {"highValueThreshold", -1}, {"highValueThreshold", 1e300},
		{"ssoDomain", "not a domain"}, {"name", ""},
	} {
		// Each refused input also carries a valid change, which must not be applied either.
		input := map[string]any{"autoPublishThreshold": 10}
		if tc.field == "autoPublishThreshold" {
			input = map[string]any{"dailyPostCap": 3}
		}
		input[tc.field] = tc.value
		res := admin.GraphQL(t, contractOp(t, "UpdateOrganization"), map[string]any{"input": input})
		if len(res.Errors) == 0 {
			t.Errorf("%s = %v was accepted: %s", tc.field, tc.value, res.Data)
			continue
		}
		e := wantError(t, res, "BAD_USER_INPUT")
		if e.Extensions["field"] != tc.field {
			t.Errorf("%s = %v: field %v (%s), want %s", tc.field, tc.value, e.Extensions["field"], e.Message, tc.field)
		}
	}
	if after := settings(); after != before {
		t.Errorf("refused updates changed the settings:\n%s\n%s", before, after)
	}
	// An empty list allows any origin again; an empty SSO domain clears it.
	admin.GraphQL(t, contractOp(t, "UpdateOrganization"), map[string]any{"input": map[string]any{"allowedOrigins": []string{}, "ssoDomain": ""}}).Decode(t, &got)
	if got.UpdateOrganization["allowedOrigins"] != nil || got.UpdateOrganization["ssoDomain"] != nil {
		t.Errorf("cleared settings read %v and %v, want null", got.UpdateOrganization["allowedOrigins"], got.UpdateOrganization["ssoDomain"])
	}
}

// TestAPIKeys: a key made in GraphQL shows its secret once, works with its role, lists without any secret, and
// stops working when revoked; a key's role is at most ADMIN.
func TestAPIKeys(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	admin := env.NewMember(t, org, viewer.Admin)

	var created struct {
		CreateApiKey struct {
			Secret string
			ApiKey struct{ ID, Name, Prefix, Role string }
		}
	}
	admin.GraphQL(t, contractOp(t, "CreateApiKey"), map[string]any{"input": map[string]any{"name": "BI tool", "role": "VIEWER"}}).Decode(t, &created)
	key := created.CreateApiKey
	if !strings.HasPrefix(key.Secret, "mos_sk_") || !strings.HasPrefix(key.Secret, key.ApiKey.Prefix) || key.ApiKey.Role != "VIEWER" {
		t.Fatalf("createApiKey answered %+v", key)
	}
	var v viewerOut
	env.GraphQL(t, key.Secret, viewerQuery, nil).Decode(t, &v)
	if v.Viewer.Role != "VIEWER" || v.Viewer.User != nil || v.Viewer.Organization.ID != org.ID {
		t.Errorf("the new key's viewer: %+v, want a VIEWER key of %s", v.Viewer, org.ID)
	}
	wantError(t, env.GraphQL(t, key.Secret, contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": "No"}}), "FORBIDDEN")
	if a := postEvent(t, env, `{"eventType":"signup","visitorId":"v1"}`, map[string]string{"Authorization": "Bearer " + key.Secret}); a.status != http.StatusForbidden {
		t.Errorf("a VIEWER key sent an event: %d %v, want 403", a.status, a.body)
	}

	res := admin.GraphQL(t, `{ apiKeys(first: 10) { totalCount edges { node { id name prefix role createdBy { email } revokedAt } } } }`, nil)
	if len(res.Errors) > 0 || strings.Contains(string(res.Data), key.Secret) || !strings.Contains(string(res.Data), admin.Email) {
		t.Errorf("apiKeys: %s %v, want the keys with their creator and no secret", res.Data, res.Errors)
	}
	audit := admin.GraphQL(t, `{ auditLog(first: 50) { edges { node { action changes } } } }`, nil)
	if strings.Contains(string(audit.Data), key.Secret) || !strings.Contains(string(audit.Data), "createApiKey") {
		t.Errorf("audit log: %s, want createApiKey without the secret", audit.Data)
	}

	for _, role := range []string{"OWNER", "ROOT"} {
		if res := admin.GraphQL(t, contractOp(t, "CreateApiKey"), map[string]any{"input": map[string]any{"name": "x", "role": role}}); len(res.Errors) == 0 {
			t.Errorf("a key with role %s was created", role)
		}
	}

	var revoked struct {
		RevokeApiKey struct{ ID, RevokedAt string }
	}
	admin.GraphQL(t, contractOp(t, "RevokeApiKey"), map[string]any{"id": key.ApiKey.ID}).Decode(t, &revoked)
	if revoked.RevokeApiKey.RevokedAt == "" {
		t.Error("revokeApiKey answered no revokedAt")
	}
	if got := env.GraphQL(t, key.Secret, viewerQuery, nil); got.Status != http.StatusUnauthorized {
		t.Errorf("a revoked key: status %d, want 401", got.Status)
	}
}

// TestRotateTrackingKey: after a rotation both keys track, the old one until its day of grace ends.
func TestRotateTrackingKey(t *testing.T) {
	env := apitest.New(t)
	ctx := viewer.SystemContext(context.Background())
	for _, expired := range []bool{false, true} {
		org := env.NewOrg(t, "Acme")
		var got struct {
			RotateTrackingKey struct{ ID, TrackingKey string }
		}
		env.GraphQL(t, org.APIKey, contractOp(t, "RotateTrackingKey"), nil).Decode(t, &got)
		fresh := got.RotateTrackingKey.TrackingKey
		if fresh == org.TrackingKey || !strings.HasPrefix(fresh, "mos_pk_") {
			t.Fatalf("rotation gave %q (was %q)", fresh, org.TrackingKey)
		}
		if expired {
			env.DB.Client.Organization.UpdateOneID(org.ID).SetPreviousTrackingKeyExpiresAt(time.Now().Add(-time.Second)).ExecX(ctx)
		}
		hitPixel(t, env, url.Values{"k": {fresh}, "vid": {"new"}}, browserUA, nil)
		hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"old"}}, browserUA, nil)
		var events struct {
			AttributionEvents struct {
				Edges []struct{ Node struct{ VisitorID string } }
			}
		}
		env.GraphQL(t, org.APIKey, eventsCountQ, nil).Decode(t, &events)
		var seen []string
		for _, e := range events.AttributionEvents.Edges {
			seen = append(seen, e.Node.VisitorID)
		}
		want := "new old"
		if expired {
			want = "new"
		}
		if strings.Join(sorted(seen...), " ") != want {
			t.Errorf("grace over: %v; visitors tracked %v, want %s", expired, seen, want)
		}
	}
}

// TestAuditLog: mutations by people and keys, sign-ins and failed sign-ins are recorded with their actor, the
// fields they set and the request, never a password; the log filters by actor, action and time.
func TestAuditLog(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRACKING_IP_SALT", "a salt of sixteen or more"))
	org := env.NewOrg(t, "Acme")
	admin := env.NewMember(t, org, viewer.Admin)
	env.SignIn(t, env.NewBrowser(t), admin.Email, "not the password at all")
	// A failed sign-in is recorded right after its answer is sent (server/auth.go), not before.
	waitFor(t, 10*time.Second, "the failed sign-in recorded", func() bool {
		return env.DB.Client.AuditEntry.Query().Where(auditentry.Action(audit.SignInFailed)).
			ExistX(viewer.SystemContext(context.Background()))
	})
	var p struct{ CreateProduct struct{ ID string } }
	admin.GraphQL(t, contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": "Audited"}}).Decode(t, &p)
	env.GraphQL(t, org.APIKey, contractOp(t, "UpdateProduct"), map[string]any{"id": p.CreateProduct.ID, "input": map[string]any{"description": "by key"}}).Decode(t, &struct{}{})
	wantError(t, admin.GraphQL(t, contractOp(t, "UpdateOrganization"), map[string]any{"input": map[string]any{"currency": "no"}}), "BAD_USER_INPUT")

	type entry struct {
		Action, ObjectID, RequestID string
		Changes                     map[string]any
		Actor                       *struct {
			Typename string `json:"__typename"`
			Email    string
			Name     string
		}
	}
	read := func(args string) []entry {
		var out struct {
			AuditLog struct{ Edges []struct{ Node entry } }
		}
		admin.GraphQL(t, `{ auditLog(first: 50`+args+`) { edges { node { action objectId requestId changes actor { __typename ... on User { email } ... on ApiKey { name } } } } } }`, nil).Decode(t, &out)
		var es []entry
		for _, e := range out.AuditLog.Edges {
			es = append(es, e.Node)
		}
		return es
	}
	all := read("")
	var actions []string
	for _, e := range all {
		actions = append(actions, e.Action)
	}
	if want := "updateProduct createProduct auth.signInFailed auth.signIn"; strings.Join(actions, " ") != want {
		t.Fatalf("audit log, newest first: %v, want %s (the refused updateOrganization is not there)", actions, want)
	}
	byKey, created := all[0], all[1]
	if byKey.Actor == nil || byKey.Actor.Typename != "ApiKey" || byKey.ObjectID != p.CreateProduct.ID || byKey.RequestID == "" {
		t.Errorf("updateProduct entry: %+v", byKey)
	}
	if created.Actor == nil || created.Actor.Email != admin.Email || created.ObjectID != p.CreateProduct.ID {
		t.Errorf("createProduct entry: %+v", created)
	}
	if in, _ := created.Changes["input"].(map[string]any); in["name"] != "Audited" {
		t.Errorf("createProduct changes: %v", created.Changes)
	}
	n, err := env.DB.Client.AuditEntry.Query().Where(auditentry.IPHashNotNil()).Count(viewer.SystemContext(context.Background()))
	if err != nil || n != len(all) {
		t.Errorf("%d of %d entries carry the address hash (%v)", n, len(all), err)
	}
	raw, _ := json.Marshal(all)
	if strings.Contains(string(raw), apitest.MemberPassword) || strings.Contains(string(raw), "not the password at all") {
		t.Error("the audit log holds a password")
	}

	if got := read(`, action: "createProduct"`); len(got) != 1 || got[0].Action != "createProduct" {
		t.Errorf("filtered by action: %+v", got)
	}
	if got := read(`, actorId: "` + admin.UserID + `"`); len(got) != 3 {
		t.Errorf("filtered by the person: %d entries, want 3 (sign-in, failed sign-in, createProduct)", len(got))
	}
	if got := read(`, from: "` + time.Now().Add(time.Hour).Format(time.RFC3339) + `"`); len(got) != 0 {
		t.Errorf("entries from the future: %+v", got)
	}
}
