package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/server"
)

const createMutation = `mutation CreateProduct($input: CreateProductInput!) { createProduct(input: $input) { id } }`

// rawPost sends body to /graphql. chunked hides the length, so the server cannot refuse by Content-Length alone.
func rawPost(t testing.TB, env *apitest.Env, header http.Header, body []byte, chunked bool) (int, apitest.Response) {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // not a type http.NewRequest can measure: sent chunked
	}
	req, err := http.NewRequest(http.MethodPost, env.Server.URL+"/graphql", r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out apitest.Response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON (status %d): %.300s", res.StatusCode, raw)
	}
	return res.StatusCode, out
}

func jsonBody(t testing.TB, query string, vars map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBadRequestsChangeNothing sends malformed, oversized, unauthenticated and over-limit requests that would create
// products if they ran: each gets its documented status and code, and no product exists afterwards.
func TestBadRequestsChangeNothing(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	revoked := env.NewOrg(t, "Revoked")
	if err := account.RevokeKeys(context.Background(), env.DB.Client, revoked.ID, "default"); err != nil {
		t.Fatal(err)
	}
	jsonHeader := func(key string) http.Header {
		h := http.Header{"Content-Type": {"application/json"}}
		if key != "" {
			h.Set("Authorization", "Bearer "+key)
		}
		return h
	}
	valid := jsonBody(t, createMutation, map[string]any{"input": map[string]any{"name": "should not exist"}})

	// manyAliases creates n products in one operation; each costs 1 + its 12 fields, so 200 exceed the complexity
	// limit while staying far below the parser's token limit.
	manyAliases := func(n int) string {
		var b strings.Builder
		b.WriteString("mutation Many($input: CreateProductInput!) {")
		for i := range n {
			fmt.Fprintf(&b, " p%d: createProduct(input: $input) { ...P }", i)
		}
		b.WriteString(" } fragment P on Product { id name description targetAudience usp pricing features marketingEnabled autoPublish url createdAt updatedAt }")
		return b.String()
	}
	manyDirectives := `mutation Directives($input: CreateProductInput!) { createProduct(input: $input) { id` +
		strings.Repeat(" @include(if: true)", 3000) + ` } }`
	// manyTypenames is valid GraphQL whose only fault, past 5000 tokens, is its length: three tokens per alias, one
	// point of complexity each (1800 stay under the complexity limit).
	manyTypenames := func(n int) string {
		var b strings.Builder
		b.WriteString("mutation Long($input: CreateProductInput!) { createProduct(input: $input) { id")
		for i := range n {
			fmt.Fprintf(&b, " t%d: __typename", i)
		}
		b.WriteString(" } }")
		return b.String()
	}
	oversized := jsonBody(t, createMutation, map[string]any{
		"input": map[string]any{"name": "too big", "description": strings.Repeat("x", server.MaxBodyBytes)},
	})

	tests := []struct {
		name       string
		header     http.Header
		body       []byte
		chunked    bool
		wantStatus int
		wantCode   string
	}{
		{name: "invalid JSON body", header: jsonHeader(org.APIKey),
			body: []byte(`{"query": "mutation { createProduct(input: {name: \"x\"}) { id } }"`), wantStatus: 400, wantCode: "BAD_REQUEST"},
		{name: "invalid JSON in variables", header: jsonHeader(org.APIKey),
			body:       []byte(`{"query": "` + createMutation + `", "variables": {"input": {"name": "x",}}}`),
			wantStatus: 400, wantCode: "BAD_REQUEST"},
		{name: "invalid JSON with charset", header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Authorization": {"Bearer " + org.APIKey}},
			body: []byte(`{"query": `), wantStatus: 400, wantCode: "BAD_REQUEST"},
		{name: "variables not an object", header: jsonHeader(org.APIKey),
			body: []byte(`{"query": "` + createMutation + `", "variables": "name=x"}`), wantStatus: 400, wantCode: "BAD_USER_INPUT"},
		{name: "variable of the wrong type", header: jsonHeader(org.APIKey),
			body:       jsonBody(t, createMutation, map[string]any{"input": map[string]any{"name": map[string]any{"x": 1}}}),
			wantStatus: 422, wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "required variable missing", header: jsonHeader(org.APIKey),
			body: jsonBody(t, createMutation, map[string]any{"input": map[string]any{}}), wantStatus: 422, wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "Map variable not an object", header: jsonHeader(org.APIKey),
			body:       jsonBody(t, createMutation, map[string]any{"input": map[string]any{"name": "x", "pricing": "cheap"}}),
			wantStatus: 200, wantCode: "BAD_USER_INPUT"},
		{name: "body over 1 MiB", header: jsonHeader(org.APIKey), body: oversized, wantStatus: 413, wantCode: "PAYLOAD_TOO_LARGE"},
		{name: "body over 1 MiB chunked", header: jsonHeader(org.APIKey), body: oversized, chunked: true,
			wantStatus: 413, wantCode: "PAYLOAD_TOO_LARGE"},
		{name: "no Authorization", header: jsonHeader(""), body: valid, wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "unknown key", header: jsonHeader(account.SecretPrefix + strings.Repeat("A", 32)), body: valid,
			wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "malformed key", header: jsonHeader("not-a-key"), body: valid, wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "key of another scheme", header: http.Header{"Content-Type": {"application/json"}, "Authorization": {"Basic " + org.APIKey}},
			body: valid, wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "tracking key instead of API key", header: jsonHeader(org.TrackingKey), body: valid, wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "revoked key", header: jsonHeader(revoked.APIKey), body: valid, wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "over the complexity limit", header: jsonHeader(org.APIKey),
			body:       jsonBody(t, manyAliases(200), map[string]any{"input": map[string]any{"name": "alias"}}),
			wantStatus: 200, wantCode: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "over the token limit", header: jsonHeader(org.APIKey),
			body:       jsonBody(t, manyTypenames(1800), map[string]any{"input": map[string]any{"name": "typename"}}),
			wantStatus: 422, wantCode: "GRAPHQL_PARSE_FAILED"},
		{name: "thousands of directives", header: jsonHeader(org.APIKey),
			body:       jsonBody(t, manyDirectives, map[string]any{"input": map[string]any{"name": "directive"}}),
			wantStatus: 422, wantCode: "GRAPHQL_PARSE_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantStatus != 413 && len(tt.body) >= server.MaxBodyBytes {
				t.Fatalf("body is %d bytes: it would be refused for its size before reaching what this case tests", len(tt.body))
			}
			status, res := rawPost(t, env, tt.header, tt.body, tt.chunked)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d (errors %+v)", status, tt.wantStatus, res.Errors)
			}
			wantError(t, &res, tt.wantCode)
			wantNoDataFor(t, &res, "createProduct")
			if strings.Contains(res.Errors[0].Message, "should not exist") || strings.Contains(res.Errors[0].Message, "xxxxxxxx") {
				t.Errorf("error echoes the request body: %.200s", res.Errors[0].Message)
			}
			if n := productCount(t, env); n != 0 {
				t.Fatalf("%d products exist after a refused request", n)
			}
		})
	}

	t.Run("unauthenticated answer", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/graphql", bytes.NewReader(valid))
		req.Header.Set("Content-Type", "application/json")
		res, err := env.Server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
		}
	})

	t.Run("mutation over GET", func(t *testing.T) {
		q := url.Values{"query": {`mutation { createProduct(input: {name: "over GET"}) { id } }`}}
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/graphql?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+org.APIKey)
		res, err := env.Server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode < 400 {
			t.Errorf("GET with a mutation: status %d, want a refusal", res.StatusCode)
		}
		if n := productCount(t, env); n != 0 {
			t.Fatalf("%d products exist after a mutation over GET", n)
		}
	})

	// The controls: the same requests within the limits do create products, so the refusals above are the limits'.
	t.Run("controls", func(t *testing.T) {
		status, res := rawPost(t, env, jsonHeader(org.APIKey), jsonBody(t, manyAliases(3), map[string]any{"input": map[string]any{"name": "alias"}}), false)
		if status != 200 || len(res.Errors) > 0 {
			t.Fatalf("3 aliases: status %d, errors %+v", status, res.Errors)
		}
		status, res = rawPost(t, env, jsonHeader(org.APIKey), jsonBody(t, manyTypenames(1000), map[string]any{"input": map[string]any{"name": "typename"}}), false)
		if status != 200 || len(res.Errors) > 0 {
			t.Fatalf("1000 aliases (about 3000 tokens): status %d, errors %+v", status, res.Errors)
		}
		status, res = rawPost(t, env, jsonHeader(org.APIKey), valid, true)
		if status != 200 || len(res.Errors) > 0 {
			t.Fatalf("chunked small body: status %d, errors %+v", status, res.Errors)
		}
		if n := productCount(t, env); n != 5 {
			t.Errorf("%d products after the controls, want 5", n)
		}
	})
}

// TestQueryLimits checks the limits on what a read may ask for.
func TestQueryLimits(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)
	tests := []struct {
		name, query string
		vars        map[string]any
		wantStatus  int
		wantCode    string
	}{
		{"big page", `{ products(first: 1000) { totalCount edges { cursor node { id name description url features createdAt } } } }`, nil,
			200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"contract Products with a big page", contractOp(t, "Products"), map[string]any{"first": 5000}, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"many nodes", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": repeatID(2500)}, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"thousands of directives", `{ viewer { organization { id` + strings.Repeat(" @include(if: true)", 3000) + ` } } }`, nil,
			422, "GRAPHQL_PARSE_FAILED"},
		{"negative first", contractOp(t, "Products"), map[string]any{"first": -1}, 200, "BAD_USER_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := gql(t, tt.query, tt.vars)
			if res.Status != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.Status, tt.wantStatus)
			}
			e := wantError(t, res, tt.wantCode)
			if tt.wantCode == "GRAPHQL_PARSE_FAILED" && !strings.Contains(e.Message, "token limit") {
				t.Errorf("message = %q, want the token limit named", e.Message)
			}
			if d := strings.TrimSpace(string(res.Data)); tt.wantCode != "BAD_USER_INPUT" && d != "" && d != "null" {
				t.Errorf("data = %s, want none: the operation must not run", d)
			}
		})
	}
}

func repeatID(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "prd_01aaaaaaaaaaaaaaaaaaaaaaaa"
	}
	return ids
}

// TestProductionHidesTheSchema checks that production refuses introspection and suggestions that would map out
// the schema, while development offers both.
func TestProductionHidesTheSchema(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"development", "production"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			env := apitest.New(t, apitest.WithEnv("ENV", mode))
			org := env.NewOrg(t, "Acme")
			prod := mode == "production"

			t.Run("unknown field", func(t *testing.T) {
				res := env.GraphQL(t, org.APIKey, `{ viewer { organisation { id } } }`, nil)
				if res.Status != 422 {
					t.Errorf("status = %d, want 422", res.Status)
				}
				e := wantError(t, res, "GRAPHQL_VALIDATION_FAILED")
				if !strings.Contains(e.Message, "organisation") {
					t.Errorf("message = %q, want the unknown field named", e.Message)
				}
				if got := strings.Contains(e.Message, "Did you mean"); got == prod {
					t.Errorf("%s: message %q; want a suggestion only in development", mode, e.Message)
				}
			})

			introspection := []struct{ name, query, field string }{
				{"__schema", `{ __schema { types { name } } }`, "__schema"},
				{"__type", `{ __type(name: "Product") { name fields { name } } }`, "__type"},
			}
			for _, tt := range introspection {
				t.Run(tt.name, func(t *testing.T) {
					res := env.GraphQL(t, org.APIKey, tt.query, nil)
					if !prod {
						var got map[string]any
						res.Decode(t, &got)
						if got[tt.field] == nil {
							t.Fatalf("development: %s = null, want the schema", tt.field)
						}
						return
					}
					e := wantError(t, res, "FORBIDDEN")
					if !strings.Contains(e.Message, "introspection") {
						t.Errorf("message = %q, want it to say introspection is disabled", e.Message)
					}
					wantNoDataFor(t, res, tt.field)
				})
			}

			t.Run("__typename still answers", func(t *testing.T) {
				var got struct {
					Typename string `json:"__typename"`
				}
				env.GraphQL(t, org.APIKey, `{ __typename }`, nil).Decode(t, &got)
				if got.Typename != "Query" {
					t.Errorf("__typename = %q, want Query", got.Typename)
				}
			})
		})
	}
}

// TestWebSocketRequiresAKey checks that a connection_init without a valid key is refused, and that a revoked key
// no longer opens connections.
func TestWebSocketRequiresAKey(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	revoked := env.NewOrg(t, "Revoked")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ws, err := env.DialWS(ctx, revoked.APIKey)
	if err != nil {
		t.Fatalf("control: a valid key is refused: %v", err)
	}
	_ = ws.Close()
	if err := account.RevokeKeys(ctx, env.DB.Client, revoked.ID, "default"); err != nil {
		t.Fatal(err)
	}

	tests := []struct{ name, key string }{
		{"no key", ""},
		{"unknown key", account.SecretPrefix + strings.Repeat("Z", 32)},
		{"malformed key", "hello"},
		{"tracking key", org.TrackingKey},
		{"revoked key", revoked.APIKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := env.DialWS(ctx, tt.key)
			if err == nil {
				res := ws.Do(t, `{ viewer { organization { id } } }`, nil)
				_ = ws.Close()
				t.Fatalf("connection accepted; viewer query answered %s %+v", res.Data, res.Errors)
			}
			if ctx.Err() != nil {
				t.Fatalf("timed out instead of being refused: %v", err)
			}
		})
	}

	t.Run("valid key", func(t *testing.T) {
		var got struct {
			Viewer struct{ Organization struct{ ID string } }
		}
		wsClient(t, env, org.APIKey)(t, contractOp(t, "Viewer"), nil).Decode(t, &got)
		if got.Viewer.Organization.ID != org.ID {
			t.Errorf("viewer = %q, want %q", got.Viewer.Organization.ID, org.ID)
		}
	})
}

// TestInternalErrorsDoNotLeak breaks the database under an authenticated WebSocket connection: the resolver's
// failure reaches the client as INTERNAL with a generic message, never the driver's error.
func TestInternalErrorsDoNotLeak(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	gql := wsClient(t, env, org.APIKey) // authenticated while the database works
	if err := env.DB.SQL.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query, field string
		vars               map[string]any
	}{
		{"query", contractOp(t, "Products"), "products", map[string]any{"first": 1}},
		{"mutation", createMutation, "createProduct", map[string]any{"input": map[string]any{"name": "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := gql(t, tt.query, tt.vars)
			e := wantError(t, res, "INTERNAL")
			if e.Message != "internal error" {
				t.Errorf("message = %q, want the generic %q", e.Message, "internal error")
			}
			if raw, _ := json.Marshal(res.Errors); bytes.Contains(raw, []byte("sql")) || bytes.Contains(raw, []byte("closed")) {
				t.Errorf("errors leak the cause: %s", raw)
			}
			wantNoDataFor(t, res, tt.field)
		})
	}

	t.Run("authentication over HTTP", func(t *testing.T) {
		res := env.GraphQL(t, org.APIKey, `{ viewer { organization { id } } }`, nil)
		if res.Status != http.StatusServiceUnavailable {
			t.Errorf("status = %d, want 503 while keys cannot be checked", res.Status)
		}
		wantError(t, res, "INTERNAL")
		if raw, _ := json.Marshal(res.Errors); bytes.Contains(raw, []byte("sql")) {
			t.Errorf("errors leak the cause: %s", raw)
		}
	})
}
