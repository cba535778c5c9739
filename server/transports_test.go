package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// sseStream is a subscription over server-sent events: a JSON POST to /graphql that accepts text/event-stream, as
// graphql-sse and gqlgen's SSE transport speak it.
type sseStream struct {
	res    *http.Response
	r      *bufio.Reader
	cancel context.CancelFunc
}

// sseEvent is one event of the stream.
type sseEvent struct {
	name string // "next" or "complete"
	data json.RawMessage
}

// postSSE posts query to /graphql asking for an event stream, from client with header; it returns the stream and
// the response's status. The request ends with the test, or when close is called.
func postSSE(t *testing.T, env *apitest.Env, client *http.Client, header http.Header, contentType, query string) (*sseStream, int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.Server.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("POST /graphql (event stream): %v", err)
	}
	s := &sseStream{res: res, r: bufio.NewReader(res.Body), cancel: cancel}
	t.Cleanup(s.close)
	return s, res.StatusCode
}

func (s *sseStream) close() {
	s.cancel()
	_ = s.res.Body.Close()
}

// next reads the next event, skipping comments (the keep-alive pings and the opening ":").
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	var ev sseEvent
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v (read %q)", err, line)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if ev.name != "" {
				return ev
			}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event:"):
			ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			ev.data = append(ev.data, strings.TrimSpace(strings.TrimPrefix(line, "data:"))...)
		default:
			t.Fatalf("event stream: unexpected line %q", line)
		}
	}
}

// nextData reads the next event, which must be a "next" without errors, and decodes its data into v.
func (s *sseStream) nextData(t *testing.T, v any) {
	t.Helper()
	ev := s.next(t)
	if ev.name != "next" {
		t.Fatalf("event %q %s, want next", ev.name, ev.data)
	}
	var res apitest.Response
	if err := json.Unmarshal(ev.data, &res); err != nil {
		t.Fatalf("event data %s: %v", ev.data, err)
	}
	res.Decode(t, v)
}

// TestSubscriptionsOverSSE: a subscription posted with Accept: text/event-stream is streamed as server-sent events,
// with an API key and with a session cookie (from the dashboard's origin); the subscription ends when the client
// leaves. Cookie requests keep the cross-site rules: a foreign origin, or a body that is not JSON, gets no stream.
func TestSubscriptionsOverSSE(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ALLOWED_ORIGINS", "https://app.example.com"))
	org := env.NewOrg(t, "Acme")
	other := env.NewOrg(t, "Globex")

	t.Run("API key", func(t *testing.T) {
		s, status := postSSE(t, env, env.Server.Client(), http.Header{"Authorization": {"Bearer " + org.APIKey}},
			"application/json", contractOp(t, "EventTracked"))
		if status != http.StatusOK || !strings.HasPrefix(s.res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("status %d, Content-Type %q; want 200 text/event-stream", status, s.res.Header.Get("Content-Type"))
		}
		// Another organization's subscriber, to show the stream carries only the key's organization.
		o, _ := postSSE(t, env, env.Server.Client(), http.Header{"Authorization": {"Bearer " + other.APIKey}},
			"application/json", contractOp(t, "EventTracked"))
		subscribed(t, env.App, 2, 0)
		hitPixel(t, env, url.Values{"k": {other.TrackingKey}, "vid": {"v-other"}}, browserUA, nil)
		hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"v-sse"}, "utm_source": {"google"}}, browserUA, nil)
		var got struct {
			EventTracked struct{ ID, EventType, VisitorID, Source string }
		}
		s.nextData(t, &got)
		if e := got.EventTracked; e.VisitorID != "v-sse" || e.EventType != "page_view" || e.Source != "google" || e.ID == "" {
			t.Errorf("eventTracked over SSE = %+v, want the organization's page view of v-sse from google", e)
		}
		o.nextData(t, &got)
		if got.EventTracked.VisitorID != "v-other" {
			t.Errorf("the other organization's stream carried %+v, want its own event only", got.EventTracked)
		}
		// The client leaves: the server ends the subscription.
		s.close()
		o.close()
		subscribed(t, env.App, 0, 0)
	})

	t.Run("session cookie", func(t *testing.T) {
		m := env.NewMember(t, org, viewer.ReadOnly)
		for _, origin := range []string{env.Server.URL, "https://app.example.com"} {
			s, status := postSSE(t, env, m.Browser, http.Header{"Origin": {origin}, "X-Organization-Id": {org.ID}},
				"application/json", `subscription { dashboardUpdated { id visitors } }`)
			if status != http.StatusOK {
				body, _ := io.ReadAll(s.res.Body)
				t.Fatalf("from %s: status %d %s, want a stream", origin, status, body)
			}
			var got struct {
				DashboardUpdated struct {
					ID       string
					Visitors int
				}
			}
			s.nextData(t, &got)
			if got.DashboardUpdated.ID == "" || got.DashboardUpdated.Visitors != 1 {
				t.Errorf("from %s: dashboardUpdated = %+v, want the organization's dashboard (1 visitor)", origin, got.DashboardUpdated)
			}
			s.close()
		}
		subscribed(t, env.App, 0, 0)

		for _, tc := range []struct{ name, origin, contentType string }{
			{"a foreign origin", evilOrigin, "application/json"},
			{"the allowed origin with another scheme", "http://app.example.com", "application/json"},
			{"text/plain from the server's own origin", env.Server.URL, "text/plain"},
		} {
			s, status := postSSE(t, env, m.Browser, http.Header{"Origin": {tc.origin}}, tc.contentType,
				`subscription { dashboardUpdated { id } }`)
			body, _ := io.ReadAll(s.res.Body)
			if status != http.StatusForbidden || !strings.Contains(string(body), `"FORBIDDEN"`) {
				t.Errorf("%s: status %d %s, want 403 FORBIDDEN and no stream", tc.name, status, body)
			}
		}
		if n := env.App.Dashboards.Feeds(); n != 0 {
			t.Errorf("%d dashboard feeds started by refused requests", n)
		}
	})
}

// TestPreflightAllowsTracingHeaders: a browser that adds trace-context headers (OpenTelemetry's traceparent,
// tracestate and baggage; Sentry's sentry-trace) gets its preflight answered on every route a dashboard or a
// landing page calls, beside the API's own headers; a header nobody allowed is still refused.
func TestPreflightAllowsTracingHeaders(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ALLOWED_ORIGINS", "https://app.example.com"))
	const origin = "https://app.example.com"
	preflight := func(path, method, headers string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodOptions, env.Server.URL+path, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", method)
		req.Header.Set("Access-Control-Request-Headers", headers)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res
	}
	const tracing = "traceparent,tracestate,baggage,sentry-trace"
	for _, tc := range []struct{ path, method, headers string }{
		{"/graphql", http.MethodPost, "authorization,content-type,x-organization-id," + tracing},
		{"/api/auth/login", http.MethodPost, "content-type," + tracing},
		{"/api/export/events.csv", http.MethodGet, "authorization,x-organization-id," + tracing},
		{"/api/tracking/event", http.MethodPost, "content-type," + tracing},
	} {
		res := preflight(tc.path, tc.method, tc.headers)
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != origin {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want %q (status %d)", tc.path, got, origin, res.StatusCode)
			continue
		}
		allowed := strings.ToLower(strings.Join(res.Header.Values("Access-Control-Allow-Headers"), ","))
		for _, h := range strings.Split(tc.headers, ",") {
			if !strings.Contains(allowed, h) {
				t.Errorf("%s: Access-Control-Allow-Headers %q lacks %s", tc.path, allowed, h)
			}
		}
	}
	if res := preflight("/graphql", http.MethodPost, "content-type,x-evil"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a preflight with an unknown header was allowed: %v", res.Header)
	}
}

// TestWebSocketOriginIncludesTheScheme: a WebSocket upgrade is let in from an allowed origin, from the server's own
// origin and from programs that send no Origin — and refused (403, before any upgrade) from an origin that differs
// from an allowed one in its scheme only, wildcard patterns and the server's own origin included, as CORS and the
// cookie's cross-site checks refuse it.
func TestWebSocketOriginIncludesTheScheme(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ENV", "production"),
		apitest.WithEnv("ALLOWED_ORIGINS", "http://app.example.com,https://*.example.org"))
	org := env.NewOrg(t, "Acme")
	wsURL := "ws" + strings.TrimPrefix(env.Server.URL, "http") + "/graphql"
	dial := func(origin string) (int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		header := http.Header{}
		if origin != "" {
			header.Set("Origin", origin)
		}
		conn, res, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: header, Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			status := 0
			if res != nil {
				status = res.StatusCode
			}
			return status, err
		}
		defer conn.CloseNow()
		if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + org.APIKey}}); err != nil {
			return 0, err
		}
		var msg struct{ Type string }
		if err := wsjson.Read(ctx, conn, &msg); err != nil {
			return 0, err
		}
		if msg.Type != "connection_ack" {
			return 0, errors.New("got " + msg.Type)
		}
		return http.StatusSwitchingProtocols, nil
	}
	own := env.Server.URL
	for _, tc := range []struct {
		origin string
		allow  bool
	}{
		{"http://app.example.com", true},
		{"https://app.example.com", false},
		{"https://eu.example.org", true},
		{"http://eu.example.org", false},
		{own, true},
		{strings.Replace(own, "http://", "https://", 1), false},
		{"", true},
		{evilOrigin, false},
	} {
		status, err := dial(tc.origin)
		switch {
		case tc.allow && err != nil:
			t.Errorf("Origin %q: %v (status %d), want the connection acknowledged", tc.origin, err, status)
		case !tc.allow && status != http.StatusForbidden:
			t.Errorf("Origin %q: status %d (%v), want 403 at the upgrade", tc.origin, status, err)
		}
	}
}

// TestGraphiQLPath: in development GraphiQL is at /graphiql, and / is the dashboard app's; production serves
// no GraphiQL, and the dashboard all the same.
func TestGraphiQLPath(t *testing.T) {
	for _, mode := range []string{"development", "production"} {
		t.Run(mode, func(t *testing.T) {
			env := apitest.New(t, apitest.WithEnv("ENV", mode))
			get := func(path string) (*http.Response, string) {
				t.Helper()
				res, err := http.Get(env.Server.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				body, _ := io.ReadAll(res.Body)
				return res, string(body)
			}
			res, body := get("/graphiql")
			if mode == "development" {
				if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "/graphql") {
					t.Errorf("/graphiql: %d %s, want GraphiQL's page pointing at /graphql", res.StatusCode, res.Header.Get("Content-Type"))
				}
			} else if res.StatusCode != http.StatusNotFound {
				t.Errorf("/graphiql in production: %d, want 404", res.StatusCode)
			}
			if res, body := get("/"); res.StatusCode != http.StatusOK || !strings.Contains(body, `<div id="root">`) {
				t.Errorf("/: %d %.200s, want the dashboard app", res.StatusCode, body)
			}
		})
	}
}
