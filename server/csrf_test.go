package server_test

import (
	"context"
	"encoding/json"
	"errors"
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

const evilOrigin = "https://evil.example"

// TestCookieSessionsRefuseCrossSiteRequests: with a valid session cookie in the jar, what a page of another site can
// make a browser send — a cross-origin POST of text/plain or of a form, a GET carrying a mutation, a WebSocket from
// its origin — runs nothing. The same requests from the dashboard's own origin work.
func TestCookieSessionsRefuseCrossSiteRequests(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ALLOWED_ORIGINS", "https://app.example.com"))
	org := env.NewOrg(t, "Acme")
	m := env.NewMember(t, org, viewer.Admin)
	mutation := `mutation { createProduct(input: {name: "Forged"}) { id } }`
	jsonBody, _ := json.Marshal(map[string]any{"query": mutation})
	before := productCount(t, env)

	send := func(method, target, origin, contentType, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, env.Server.URL+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		res, err := m.Browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	for _, tc := range []struct {
		name                                string
		method, target, origin, ctype, body string
	}{
		{"cross-origin text/plain POST", http.MethodPost, "/graphql", evilOrigin, "text/plain", string(jsonBody)},
		{"cross-origin form POST", http.MethodPost, "/graphql", evilOrigin, "application/x-www-form-urlencoded", "query=" + url.QueryEscape(mutation)},
		{"cross-origin JSON POST", http.MethodPost, "/graphql", evilOrigin, "application/json", string(jsonBody)},
		{"same-origin text/plain POST", http.MethodPost, "/graphql", env.Server.URL, "text/plain", string(jsonBody)},
		{"same-origin form POST", http.MethodPost, "/graphql", env.Server.URL, "application/x-www-form-urlencoded", "query=" + url.QueryEscape(mutation)},
		{"GET carrying a mutation", http.MethodGet, "/graphql?query=" + url.QueryEscape(mutation), "", "", ""},
		{"GET carrying a mutation, cross-origin", http.MethodGet, "/graphql?query=" + url.QueryEscape(mutation), evilOrigin, "", ""},
		{"origin differing only in scheme", http.MethodPost, "/graphql", strings.Replace(env.Server.URL, "http://", "https://", 1), "application/json", string(jsonBody)},
		{"cross-site sign-out", http.MethodPost, "/api/auth/logout", evilOrigin, "text/plain", "{}"},
	} {
		if status := send(tc.method, tc.target, tc.origin, tc.ctype, tc.body); status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, status)
		}
	}
	if n := productCount(t, env); n != before {
		t.Fatalf("a cross-site request created %d products", n-before)
	}
	if res, _ := env.Do(t, m.Browser, http.MethodGet, "/api/auth/session", "", nil, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("the cross-site sign-out ended the session: %s", res.Status)
	}

	// From the dashboard's origins the same mutation runs.
	for _, origin := range []string{env.Server.URL, "https://app.example.com"} {
		if status := send(http.MethodPost, "/graphql", origin, "application/json", string(jsonBody)); status != http.StatusOK {
			t.Errorf("JSON POST from %s: status %d, want 200", origin, status)
		}
	}
	if n := productCount(t, env); n != before+2 {
		t.Errorf("%d products created from allowed origins, want 2", n-before)
	}

	// CORS lets the allowed origin send and read credentialed requests, and nobody else.
	for origin, want := range map[string]string{"https://app.example.com": "true", evilOrigin: ""} {
		req, _ := http.NewRequest(http.MethodOptions, env.Server.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		req.Header.Set("Access-Control-Request-Headers", "content-type, x-organization-id")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if got := res.Header.Get("Access-Control-Allow-Credentials"); got != want {
			t.Errorf("preflight from %s: Allow-Credentials %q, want %q", origin, got, want)
		}
	}
}

// TestCookieWebSocketChecksOrigin: a WebSocket opened with the session cookie from a foreign origin is refused
// (4401: the cookie is not used), from the server's own origin it subscribes.
func TestCookieWebSocketChecksOrigin(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	m := env.NewMember(t, org, viewer.ReadOnly)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	dial := func(origin string) error {
		wsURL := "ws" + strings.TrimPrefix(env.Server.URL, "http") + "/graphql"
		conn, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{
			HTTPClient: m.Browser, HTTPHeader: http.Header{"Origin": {origin}}, Subprotocols: []string{"graphql-transport-ws"},
		})
		if err != nil {
			return err
		}
		defer conn.CloseNow()
		if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]string{"organizationId": org.ID}}); err != nil {
			return err
		}
		var msg struct{ Type string }
		if err := wsjson.Read(ctx, conn, &msg); err != nil {
			return err
		}
		if msg.Type != "connection_ack" {
			return errors.New("got " + msg.Type)
		}
		return nil
	}
	// The development server's origin policy lets any origin upgrade (keys need no cookie); the cookie is what
	// a foreign origin must not get to use.
	err := dial(evilOrigin)
	if status := websocket.CloseStatus(err); status != 4401 {
		t.Errorf("WebSocket with the cookie from %s: %v (close %d), want closed with 4401", evilOrigin, err, status)
	}
	if err := dial(env.Server.URL); err != nil {
		t.Errorf("WebSocket with the cookie from the server's own origin: %v", err)
	}
}
