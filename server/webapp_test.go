package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/apitest"
)

// The dashboard is served at / and at its client routes; the server's own paths keep their JSON answers, and
// GraphiQL lives at /graphiql in development.
func TestDashboardRoutes(t *testing.T) {
	env := apitest.New(t)
	tests := []struct {
		method, path string
		status       int
		want         string // in the body
		contentType  string
	}{
		{"GET", "/", 200, `<div id="root">`, "text/html"},
		{"HEAD", "/", 200, "", "text/html"},
		{"GET", "/campaigns/cmp_01abc", 200, `<div id="root">`, "text/html"},
		{"GET", "/accept-invitation?token=x", 200, `<div id="root">`, "text/html"},
		{"GET", "/assets/missing-0000.js", 404, "not found", "text/plain"},
		{"GET", "/api/nope", 404, `"NOT_FOUND"`, "application/json"},
		{"GET", "/api", 404, `"NOT_FOUND"`, "application/json"},
		{"GET", "/graphql/nope", 404, `"NOT_FOUND"`, "application/json"},
		{"GET", "/healthz/deeper", 404, `"NOT_FOUND"`, "application/json"},
		{"POST", "/campaigns", 404, `"NOT_FOUND"`, "application/json"},
		{"GET", "/healthz", 200, `"ok"`, "application/json"},
		{"GET", "/graphiql", 200, "graphiql", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, env.Server.URL+tt.path, nil)
			res, err := env.Server.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) {
				t.Errorf("Content-Type %q, want %s", res.Header.Get("Content-Type"), tt.contentType)
			}
			if !strings.Contains(strings.ToLower(string(body)), strings.ToLower(tt.want)) {
				t.Errorf("body lacks %q:\n%.300s", tt.want, body)
			}
			if tt.contentType == "text/html" && tt.path != "/graphiql" && res.Header.Get("Content-Security-Policy") == "" {
				t.Error("the dashboard is served without a Content-Security-Policy")
			}
		})
	}
}
