package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/viewer"
)

func storedEvents(t *testing.T, env *apitest.Env, orgID string) int {
	t.Helper()
	return env.DB.Client.AttributionEvent.Query().CountX(viewer.ForOrganization(context.Background(), orgID))
}

func TestPixelDropsWithoutBreakingTheImage(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	dntOrg := env.NewOrg(t, "Private")
	env.DB.Client.Organization.UpdateOneID(dntOrg.ID).SetRespectDnt(true).ExecX(viewer.SystemContext(context.Background()))

	tests := []struct {
		name    string
		query   url.Values
		ua      string
		header  http.Header
		dropped string
	}{
		{"stored", url.Values{"k": {org.TrackingKey}}, browserUA, nil, ""},
		{"crawler", url.Values{"k": {org.TrackingKey}}, "Mozilla/5.0 (compatible; Googlebot/2.1)", nil, "bot"},
		{"headless browser", url.Values{"k": {org.TrackingKey}}, "HeadlessChrome/120", nil, "bot"},
		{"unknown key", url.Values{"k": {"mos_pk_nope"}}, browserUA, nil, "unknown_key"},
		{"invalid event type", url.Values{"k": {org.TrackingKey}, "e": {"Bad Type!"}}, browserUA, nil, "invalid"},
		{"purchase from a browser", url.Values{"k": {org.TrackingKey}, "e": {"purchase"}}, browserUA, nil, "invalid"},
		{"DNT ignored by default", url.Values{"k": {org.TrackingKey}}, browserUA, http.Header{"Dnt": {"1"}}, ""},
		{"DNT honoured when asked", url.Values{"k": {dntOrg.TrackingKey}}, browserUA, http.Header{"Dnt": {"1"}}, "dnt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := storedEvents(t, env, org.ID) + storedEvents(t, env, dntOrg.ID)
			res := hitPixel(t, env, tc.query, tc.ua, tc.header)
			after := storedEvents(t, env, org.ID) + storedEvents(t, env, dntOrg.ID)
			if res.status != http.StatusOK || res.dropped != tc.dropped {
				t.Fatalf("status %d dropped %q, want 200 dropped %q", res.status, res.dropped, tc.dropped)
			}
			if stored := after - before; (tc.dropped == "") != (stored == 1) {
				t.Errorf("%d events stored, want %v", stored, map[bool]int{true: 1, false: 0}[tc.dropped == ""])
			}
		})
	}

	metrics := get(t, env, "/metrics")
	for _, outcome := range []string{`outcome="stored"`, `outcome="bot"`, `outcome="unknown_key"`, `outcome="invalid"`, `outcome="dnt"`} {
		if !strings.Contains(metrics, "marketingos_tracking_hits_total{"+outcome+"}") {
			t.Errorf("/metrics does not count %s", outcome)
		}
	}
}

func get(t *testing.T, env *apitest.Env, path string) string {
	t.Helper()
	res, err := env.Server.Client().Get(env.Server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPixelRemembersVisitorAndSession(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	res := hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "utm_source": {"google"}}, browserUA, nil)
	cookies := map[string]*http.Cookie{}
	for _, c := range res.cookies {
		cookies[c.Name] = c
	}
	vid, sid := cookies["mos_vid"], cookies["mos_sid"]
	if vid == nil || sid == nil {
		t.Fatalf("cookies %v, want mos_vid and mos_sid", res.cookies)
	}
	if vid.MaxAge != 365*24*3600 || sid.MaxAge != 1800 || !vid.HttpOnly || vid.SameSite != http.SameSiteLaxMode {
		t.Errorf("mos_vid %+v / mos_sid %+v: want a year and 30 minutes, HttpOnly, Lax without TLS", vid, sid)
	}
	// The next hit sends them back and is attributed to the same visitor and session.
	hitPixel(t, env, url.Values{"k": {org.TrackingKey}}, browserUA, http.Header{"Cookie": {vid.Name + "=" + vid.Value + "; " + sid.Name + "=" + sid.Value}})
	events := env.DB.Client.AttributionEvent.Query().AllX(viewer.ForOrganization(context.Background(), org.ID))
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	for _, e := range events {
		if e.VisitorID != vid.Value || e.SessionID != sid.Value {
			t.Errorf("event visitor %q session %q, want %q %q", e.VisitorID, e.SessionID, vid.Value, sid.Value)
		}
	}
}

func TestEventEndpointErrors(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRACKING_RATE_PER_KEY", "1000"))
	org := env.NewOrg(t, "Acme")
	restricted := env.NewOrg(t, "Restricted")
	env.DB.Client.Organization.Update().Where(organization.ID(restricted.ID)).
		SetAllowedOrigins([]string{"https://shop.example"}).ExecX(viewer.SystemContext(context.Background()))
	big := strings.Repeat("x", tracking.MaxBodyBytes)

	tests := []struct {
		name   string
		body   string
		header map[string]string
		status int
		code   string
	}{
		{"accepted", fmt.Sprintf(`{"key":%q,"eventType":"click"}`, org.TrackingKey), nil, 202, ""},
		{"text/plain from sendBeacon", fmt.Sprintf(`{"key":%q,"eventType":"click"}`, org.TrackingKey), map[string]string{"Content-Type": "text/plain;charset=UTF-8"}, 202, ""},
		{"no key", `{"eventType":"click"}`, nil, 401, "UNAUTHENTICATED"},
		{"unknown key", `{"key":"mos_pk_nope","eventType":"click"}`, nil, 401, "UNAUTHENTICATED"},
		{"bad API key", `{"eventType":"click","visitorId":"v"}`, map[string]string{"Authorization": "Bearer mos_sk_nope"}, 401, "UNAUTHENTICATED"},
		{"invalid JSON", `{"key":`, nil, 400, "BAD_USER_INPUT"},
		{"unknown field", fmt.Sprintf(`{"key":%q,"eventTyp":"click"}`, org.TrackingKey), nil, 400, "BAD_USER_INPUT"},
		{"wrong type", fmt.Sprintf(`{"key":%q,"eventType":"click","value":"ten"}`, org.TrackingKey), nil, 400, "BAD_USER_INPUT"},
		{"negative value", fmt.Sprintf(`{"key":%q,"eventType":"click","value":-1}`, org.TrackingKey), nil, 400, "BAD_USER_INPUT"},
		{"bad currency", fmt.Sprintf(`{"key":%q,"eventType":"click","currency":"dollars"}`, org.TrackingKey), nil, 400, "BAD_USER_INPUT"},
		{"too many metadata keys", fmt.Sprintf(`{"key":%q,"eventType":"click","metadata":{%s}}`, org.TrackingKey, manyKeys(60)), nil, 400, "BAD_USER_INPUT"},
		{"oversized body", fmt.Sprintf(`{"key":%q,"eventType":"click","url":%q}`, org.TrackingKey, big), nil, 413, "PAYLOAD_TOO_LARGE"},
		{"wrong media type", `eventType=click`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"purchase from a browser", fmt.Sprintf(`{"key":%q,"eventType":"purchase","value":10}`, org.TrackingKey), nil, 403, "FORBIDDEN"},
		{"origin not allowed", fmt.Sprintf(`{"key":%q,"eventType":"click"}`, restricted.TrackingKey), map[string]string{"Origin": "https://evil.example"}, 403, "FORBIDDEN"},
		{"origin allowed", fmt.Sprintf(`{"key":%q,"eventType":"click"}`, restricted.TrackingKey), map[string]string{"Origin": "https://shop.example"}, 202, ""},
		{"server-side without visitor or user", `{"eventType":"signup"}`, map[string]string{"Authorization": "Bearer " + org.APIKey}, 400, "BAD_USER_INPUT"},
		{"server-side purchase", `{"eventType":"purchase","userId":"u1","value":49.5}`, map[string]string{"Authorization": "Bearer " + org.APIKey}, 202, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := storedEvents(t, env, org.ID) + storedEvents(t, env, restricted.ID)
			ans := postEvent(t, env, tc.body, tc.header)
			after := storedEvents(t, env, org.ID) + storedEvents(t, env, restricted.ID)
			if ans.status != tc.status {
				t.Fatalf("status %d (%v), want %d", ans.status, ans.body, tc.status)
			}
			if tc.code == "" {
				if after-before != 1 || ans.body["stored"] != true || ans.body["eventId"] == "" {
					t.Errorf("accepted but %d stored, answer %v", after-before, ans.body)
				}
				return
			}
			errBody, _ := ans.body["error"].(map[string]any)
			if errBody["code"] != tc.code || errBody["message"] == "" {
				t.Errorf("error body %v, want code %s and a message", ans.body, tc.code)
			}
			if after != before {
				t.Errorf("a rejected event changed the database (%d → %d events)", before, after)
			}
		})
	}
}

func manyKeys(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"k%d":1`, i)
	}
	return strings.Join(parts, ",")
}

func TestTrackingRateLimits(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRACKING_RATE_PER_KEY", "3"))
	org := env.NewOrg(t, "Acme")
	body := fmt.Sprintf(`{"key":%q,"eventType":"click"}`, org.TrackingKey)
	for i := 0; i < 3; i++ {
		if ans := postEvent(t, env, body, nil); ans.status != http.StatusAccepted {
			t.Fatalf("event %d: %d", i, ans.status)
		}
	}
	if ans := postEvent(t, env, body, nil); ans.status != http.StatusTooManyRequests {
		t.Errorf("4th event: status %d, want 429", ans.status)
	}
	if res := hitPixel(t, env, url.Values{"k": {org.TrackingKey}}, browserUA, nil); res.status != 200 || res.dropped != "rate_limited" {
		t.Errorf("pixel over the limit: %d %q, want the GIF with dropped=rate_limited", res.status, res.dropped)
	}
	if n := storedEvents(t, env, org.ID); n != 3 {
		t.Errorf("%d events stored, want 3", n)
	}
}

func TestTrackingCORS(t *testing.T) {
	env := apitest.New(t)
	req, _ := http.NewRequest(http.MethodOptions, env.Server.URL+"/api/tracking/event", nil)
	req.Header.Set("Origin", "https://any-landing-page.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "https://any-landing-page.example" {
		t.Errorf("Access-Control-Allow-Origin = %q, want the landing page's origin", got)
	}
	if res.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Error("credentials not allowed: the visitor cookie could not be sent")
	}
}

// TestOverloadAnswers503 fills the ingestion queue while the database is locked: the overflow gets 503 (never a
// silent drop), and every hit answered 2xx is stored once the lock is gone.
func TestOverloadAnswers503(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRACKING_RATE_PER_IP", "0"),
		apitest.WithApp(app.Options{Writer: tracking.WriterOptions{QueueSize: 1, MaxBatch: 1, Workers: 1}}))
	org := env.NewOrg(t, "Acme")
	unlock := lockEvents(t, env)

	const hits = 8
	statuses := make(chan int, hits)
	var wg sync.WaitGroup
	for i := 0; i < hits; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- hitPixel(t, env, url.Values{"k": {org.TrackingKey}}, browserUA, nil).status
		}()
	}
	// While the lock holds, at most one hit is committing and one waits in the queue: the rest must be refused.
	first := <-statuses
	if first != http.StatusServiceUnavailable {
		t.Errorf("first answer under a locked database: %d, want 503", first)
	}
	unlock()
	wg.Wait()
	close(statuses)
	ok := 0
	for s := range statuses {
		if s == http.StatusOK {
			ok++
		}
	}
	if stored := storedEvents(t, env, org.ID); stored != ok {
		t.Errorf("%d hits answered 200 but %d stored", ok, stored)
	}
}

// lockEvents blocks writes to attribution_events from another connection until the returned func is called.
func lockEvents(t *testing.T, env *apitest.Env) func() {
	t.Helper()
	ctx := context.Background()
	conn, err := env.DB.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var tx *sql.Tx
	if env.DB.Dialect == dialect.Postgres {
		tx, err = conn.BeginTx(ctx, nil)
		if err == nil {
			_, err = tx.Exec("LOCK TABLE attribution_events IN EXCLUSIVE MODE")
		}
	} else {
		tx, err = conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE (the DSN's _txlock) takes SQLite's write lock
		if err == nil {
			_, err = tx.Exec("DELETE FROM attribution_events WHERE 1 = 0")
		}
	}
	if err != nil {
		t.Fatalf("lock: %v", err)
	}
	var once sync.Once
	release := func() { once.Do(func() { _ = tx.Rollback(); _ = conn.Close() }) }
	t.Cleanup(release)
	return release
}

// TestIdentityLinksVisitors: a user seen on two devices gets one purchase credited across both paths.
func TestIdentityLinksVisitors(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"laptop"}, "utm_source": {"google"}}, browserUA, nil)
	hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"phone"}, "utm_source": {"facebook"}}, browserUA, nil)
	for _, vid := range []string{"laptop", "phone"} {
		ans := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"signup","visitorId":%q,"userId":"u7"}`, org.TrackingKey, vid), nil)
		if ans.status != http.StatusAccepted {
			t.Fatalf("signup: %d", ans.status)
		}
	}
	resp := env.GraphQL(t, org.APIKey, `mutation { trackEvent(input: {eventType: "purchase", userId: "u7", value: 200, idempotencyKey: "order-7"}) { id eventType value } }`, nil)
	var got struct {
		TrackEvent struct{ ID, EventType string }
	}
	resp.Decode(t, &got)
	if got.TrackEvent.EventType != "purchase" {
		t.Fatalf("trackEvent = %+v", got)
	}
	rev := attributionReport(t, env, org.APIKey, "LINEAR", "SOURCE").revenueBy()
	if !near(rev["google"], 100) || !near(rev["facebook"], 100) {
		t.Errorf("LINEAR = %v, want 100 to each device's channel", rev)
	}
}

func TestTrackEventMutation(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	const m = `mutation($input: TrackEventInput!) { trackEvent(input: $input) { id eventType visitorId } }`
	in := map[string]any{"eventType": "signup", "visitorId": "v1", "userId": "u1", "idempotencyKey": "signup-u1"}
	var first, second struct {
		TrackEvent struct{ ID, EventType, VisitorID string }
	}
	env.GraphQL(t, org.APIKey, m, map[string]any{"input": in}).Decode(t, &first)
	env.GraphQL(t, org.APIKey, m, map[string]any{"input": in}).Decode(t, &second)
	if first.TrackEvent.ID == "" || first.TrackEvent.ID != second.TrackEvent.ID || first.TrackEvent.VisitorID != "v1" {
		t.Errorf("idempotent trackEvent: %+v then %+v, want the same stored event", first, second)
	}
	if n := storedEvents(t, env, org.ID); n != 1 {
		t.Errorf("%d events after a repeated idempotency key, want 1", n)
	}

	bad := []struct {
		input map[string]any
		field string
	}{
		{map[string]any{"eventType": "signup"}, "visitorId"},
		{map[string]any{"eventType": "Not Valid", "visitorId": "v"}, "eventType"},
		{map[string]any{"eventType": "click", "visitorId": "v", "currency": "EURO"}, "currency"},
		{map[string]any{"eventType": "purchase", "userId": "u"}, "value"},
		{map[string]any{"eventType": "refund", "userId": "u", "value": 1}, "eventType"},
	}
	for _, tc := range bad {
		resp := env.GraphQL(t, org.APIKey, m, map[string]any{"input": tc.input})
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "BAD_USER_INPUT" || resp.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("trackEvent(%v): errors %+v, want BAD_USER_INPUT on %s", tc.input, resp.Errors, tc.field)
		}
	}
	if n := storedEvents(t, env, org.ID); n != 1 {
		t.Errorf("%d events after invalid input, want still 1", n)
	}
}

// TestAttributionTenancy: one organization's events and credits are invisible to another, over HTTP and WebSocket.
func TestAttributionTenancy(t *testing.T) {
	env := apitest.New(t)
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	hitPixel(t, env, url.Values{"k": {a.TrackingKey}, "vid": {"shared-vid"}, "utm_source": {"google"}}, browserUA, nil)
	env.GraphQL(t, a.APIKey, `mutation { trackEvent(input: {eventType: "purchase", visitorId: "shared-vid", value: 50}) { id } }`, nil).Decode(t, &struct{}{})
	// B reports a purchase by a visitor with the same id: A's touchpoint must not be credited to it.
	env.GraphQL(t, b.APIKey, `mutation { trackEvent(input: {eventType: "purchase", visitorId: "shared-vid", value: 10}) { id } }`, nil).Decode(t, &struct{}{})

	var events struct {
		AttributionEvents struct{ TotalCount int }
	}
	env.GraphQL(t, b.APIKey, eventsCountQ, nil).Decode(t, &events)
	if events.AttributionEvents.TotalCount != 1 {
		t.Errorf("B sees %d events, want only its own purchase", events.AttributionEvents.TotalCount)
	}
	repB := attributionReport(t, env, b.APIKey, "FIRST_TOUCH", "SOURCE")
	if !near(repB.TotalRevenue, 10) || repB.revenueBy()["(direct)"] != 10 {
		t.Errorf("B's report %+v, want only its 10.00 credited to (direct)", repB)
	}
	repA := attributionReport(t, env, a.APIKey, "FIRST_TOUCH", "SOURCE")
	if !near(repA.TotalRevenue, 50) || repA.revenueBy()["google"] != 50 {
		t.Errorf("A's report %+v, want its 50.00 credited to google", repA)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := env.DialWS(ctx, b.APIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.Do(t, eventsCountQ, nil).Decode(t, &events)
	if events.AttributionEvents.TotalCount != 1 {
		t.Errorf("over WebSocket B sees %d events, want 1", events.AttributionEvents.TotalCount)
	}
}

// TestSpoofedForwardedForCannotEscapeTheLimit: behind a proxy (the test's loopback peer), a client that writes a
// new address into X-Forwarded-For on every request stays in its own bucket; another client has another one.
func TestSpoofedForwardedForCannotEscapeTheLimit(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRUST_PROXY", "true"), apitest.WithEnv("TRACKING_RATE_PER_IP", "3"))
	org := env.NewOrg(t, "Acme")
	body := fmt.Sprintf(`{"key":%q,"eventType":"click"}`, org.TrackingKey)
	for i := range 4 {
		// The proxy appended the address it saw (34.117.59.81) to what the client sent.
		ans := postEvent(t, env, body, map[string]string{"X-Forwarded-For": fmt.Sprintf("9.9.9.%d, 34.117.59.81", i)})
		if want := map[bool]int{true: http.StatusAccepted, false: http.StatusTooManyRequests}[i < 3]; ans.status != want {
			t.Fatalf("request %d with a forged leftmost address: %d, want %d", i, ans.status, want)
		}
	}
	if ans := postEvent(t, env, body, map[string]string{"X-Forwarded-For": "34.117.59.82"}); ans.status != http.StatusAccepted {
		t.Errorf("another client behind the proxy: %d, want 202 (a bucket of its own)", ans.status)
	}
}
