// Package apitest runs the whole HTTP server against a test database for end-to-end tests: real HTTP, real
// WebSockets, a fresh database per test (PostgreSQL when TEST_DATABASE_URL is set, SQLite otherwise).
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
)

// Env is a running server with its database.
type Env struct {
	DB     *store.DB
	Source dbtest.Source
	Config *config.Config
	Server *httptest.Server
	App    *app.App
}

type settings struct {
	env  map[string]string
	wrap func(dialect.Driver) dialect.Driver
	app  app.Options
}

// Option adjusts the server before it starts.
type Option func(*settings)

// WithEnv sets an environment variable of the server's configuration.
func WithEnv(name, value string) Option {
	return func(s *settings) { s.env[name] = value }
}

// WithApp sets the assembly options.
func WithApp(o app.Options) Option {
	return func(s *settings) { s.app = o }
}

// WithDriver wraps the database driver the server's ent client uses (to count queries, for instance).
func WithDriver(wrap func(dialect.Driver) dialect.Driver) Option {
	return func(s *settings) { s.wrap = wrap }
}

// New starts a server on a fresh database. It is closed when the test ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	db, src := dbtest.Open(t)
	// The scheduler stays off: a test runs jobs explicitly (the cron routes, the jobs package's own tests).
	set := settings{env: map[string]string{"ENV": "development", "SCHEDULER_ENABLED": "false"}}
	for _, o := range opts {
		o(&set)
	}
	if set.wrap != nil {
		wrapped := *db
		wrapped.Client = ent.NewClient(ent.Driver(set.wrap(entsql.OpenDB(db.Dialect, db.SQL))))
		db = &wrapped
	}
	cfg, err := config.Load(func(k string) string { return set.env[k] })
	if err != nil {
		t.Fatalf("apitest: config: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// A fuzz target's requests run inside it, where its F may not log.
	if _, fuzz := t.(*testing.F); testing.Verbose() && !fuzz {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	a, err := app.New(context.Background(), cfg, db, log, set.app)
	if err != nil {
		t.Fatalf("apitest: %v", err)
	}
	ts := httptest.NewServer(a.Handler)
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.Close(ctx); err != nil {
			t.Errorf("apitest: close: %v", err)
		}
	})
	return &Env{DB: db, Source: src, Config: cfg, Server: ts, App: a}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimSpace(p)))
	return len(p), nil
}

// Org is an organization created for a test, with its secrets.
type Org struct {
	ID          string
	Name        string
	APIKey      string
	TrackingKey string
}

// NewOrg creates an organization with an API key.
func (e *Env) NewOrg(t testing.TB, name string) Org {
	t.Helper()
	c, err := account.CreateOrganization(context.Background(), e.DB.Client, name, account.Options{})
	if err != nil {
		t.Fatalf("apitest: create organization: %v", err)
	}
	return Org{ID: c.Organization.ID, Name: name, APIKey: c.APIKey, TrackingKey: c.Organization.TrackingKey}
}

// Response is a GraphQL response.
type Response struct {
	Status int             `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Codes lists the codes of all errors, in order.
func (r *Response) Codes() []string {
	out := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		out[i] = e.Code()
	}
	return out
}

// Decode unmarshals data into v, failing the test if the response carried errors.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("apitest: unexpected GraphQL errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("apitest: decode data %s: %v", r.Data, err)
	}
}

// GraphQL posts a query with the given API key ("" sends no Authorization header).
func (e *Env) GraphQL(t testing.TB, apiKey, query string, vars map[string]any) *Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatalf("apitest: %v", err)
	}
	return e.Post(t, apiKey, "application/json", body)
}

// Post sends a raw body to /graphql and parses the GraphQL response.
func (e *Env) Post(t testing.TB, apiKey, contentType string, body []byte) *Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.Server.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("apitest: %v", err)
	}
	req.Header.Set("Content-Type", contentType)
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	res, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("apitest: POST /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("apitest: read response: %v", err)
	}
	out := &Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("apitest: response is not JSON (status %d): %s", res.StatusCode, raw)
	}
	return out
}
