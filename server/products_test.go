package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
)

type productOut struct {
	ID               string
	Name             string
	Description      *string
	URL              *string
	Features         []string
	MarketingEnabled bool
	AutoPublish      bool
	CreatedAt        time.Time
}

// TestProductLifecycle creates, updates and deletes a product with the contract's operations.
func TestProductLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)
	start := time.Now().Add(-time.Minute)

	var created struct{ CreateProduct productOut }
	gql(t, contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{
		"name":             "Acme Analytics",
		"description":      "Dashboards for founders",
		"targetAudience":   "SaaS founders",
		"usp":              "Set up in five minutes",
		"pricing":          map[string]any{"monthly": 29, "yearly": 290},
		"features":         []string{"dashboards", "alerts"},
		"marketingEnabled": false,
		"autoPublish":      true,
		"url":              "https://acme.example/analytics",
	}}).Decode(t, &created)
	p := created.CreateProduct
	switch {
	case !strings.HasPrefix(p.ID, "prd_"):
		t.Errorf("id = %q, want a prd_ id", p.ID)
	case p.Name != "Acme Analytics" || p.Description == nil || *p.Description != "Dashboards for founders":
		t.Errorf("name/description = %q/%v", p.Name, p.Description)
	case p.URL == nil || *p.URL != "https://acme.example/analytics":
		t.Errorf("url = %v", p.URL)
	case !slices.Equal(p.Features, []string{"dashboards", "alerts"}):
		t.Errorf("features = %v", p.Features)
	case p.MarketingEnabled || !p.AutoPublish:
		t.Errorf("marketingEnabled/autoPublish = %v/%v, want false/true", p.MarketingEnabled, p.AutoPublish)
	case p.CreatedAt.Before(start) || p.CreatedAt.After(time.Now().Add(time.Minute)):
		t.Errorf("createdAt = %v, want about now", p.CreatedAt)
	}

	t.Run("defaults", func(t *testing.T) {
		var got struct{ CreateProduct productOut }
		gql(t, contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": "Bare"}}).Decode(t, &got)
		// Optional strings that were never set read as "" (ent stores them non-null); either way they are empty.
		if d := got.CreateProduct; !d.MarketingEnabled || d.AutoPublish || (d.URL != nil && *d.URL != "") || len(d.Features) != 0 {
			t.Errorf("defaults = %+v, want marketingEnabled, no autoPublish, no url or features", d)
		}
	})

	t.Run("update", func(t *testing.T) {
		var got struct {
			UpdateProduct struct {
				ID, Name                      string
				AutoPublish, MarketingEnabled bool
			}
		}
		gql(t, contractOp(t, "UpdateProduct"), map[string]any{"id": p.ID, "input": map[string]any{
			"name": "Acme Insights", "autoPublish": false, "marketingEnabled": true,
		}}).Decode(t, &got)
		if u := got.UpdateProduct; u.ID != p.ID || u.Name != "Acme Insights" || u.AutoPublish || !u.MarketingEnabled {
			t.Errorf("updateProduct = %+v", u)
		}
		var read struct {
			Node *struct {
				Name string
			}
		}
		gql(t, contractOp(t, "Node"), map[string]any{"id": p.ID}).Decode(t, &read)
		if read.Node == nil || read.Node.Name != "Acme Insights" {
			t.Errorf("after update node = %+v, want the new name", read.Node)
		}
	})

	t.Run("delete", func(t *testing.T) {
		before := productCount(t, env)
		var got struct{ DeleteProduct string }
		gql(t, contractOp(t, "DeleteProduct"), map[string]any{"id": p.ID}).Decode(t, &got)
		if got.DeleteProduct != p.ID {
			t.Errorf("deleteProduct = %q, want %q", got.DeleteProduct, p.ID)
		}
		if after := productCount(t, env); after != before-1 {
			t.Errorf("products %d → %d, want one fewer", before, after)
		}
		wantHidden(t, gql(t, contractOp(t, "Node"), map[string]any{"id": p.ID}), "node")

		wantError(t, gql(t, contractOp(t, "DeleteProduct"), map[string]any{"id": p.ID}), "NOT_FOUND")
		wantError(t, gql(t, contractOp(t, "UpdateProduct"), map[string]any{"id": p.ID, "input": map[string]any{"name": "x"}}), "NOT_FOUND")
	})
}

// TestProductsPagination pages through products newest first with the contract's Products operation.
func TestProductsPagination(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)
	const n = 5
	var ids []string // oldest first
	for i := range n {
		ids = append(ids, createProduct(t, gql, map[string]any{"name": fmt.Sprintf("Product %d", i)}))
	}
	newestFirst := slices.Clone(ids)
	slices.Reverse(newestFirst)

	type page struct {
		Products struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Edges []struct {
				Cursor string
				Node   struct{ ID, Name string }
			}
		}
	}
	var (
		seen  []string
		after any
	)
	for _, want := range []struct {
		size int
		more bool
	}{{2, true}, {2, true}, {1, false}} {
		var got page
		gql(t, contractOp(t, "Products"), map[string]any{"first": 2, "after": after}).Decode(t, &got)
		c := got.Products
		if c.TotalCount != n {
			t.Errorf("totalCount = %d, want %d", c.TotalCount, n)
		}
		if len(c.Edges) != want.size || c.PageInfo.HasNextPage != want.more {
			t.Fatalf("page after %v: %d edges, hasNextPage %v; want %d, %v", after, len(c.Edges), c.PageInfo.HasNextPage, want.size, want.more)
		}
		if c.PageInfo.EndCursor == nil || *c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor {
			t.Fatalf("endCursor = %v, want the last edge's cursor %q", c.PageInfo.EndCursor, c.Edges[len(c.Edges)-1].Cursor)
		}
		for _, e := range c.Edges {
			seen = append(seen, e.Node.ID)
		}
		after = *c.PageInfo.EndCursor
	}
	if !slices.Equal(seen, newestFirst) {
		t.Errorf("paged ids = %v, want newest first %v", seen, newestFirst)
	}

	t.Run("first 0", func(t *testing.T) {
		var got page
		gql(t, contractOp(t, "Products"), map[string]any{"first": 0}).Decode(t, &got)
		if got.Products.TotalCount != n || len(got.Products.Edges) != 0 {
			t.Errorf("first 0: totalCount %d, %d edges; want %d, 0", got.Products.TotalCount, len(got.Products.Edges), n)
		}
	})
	t.Run("bad cursor", func(t *testing.T) {
		res := gql(t, contractOp(t, "Products"), map[string]any{"first": 2, "after": "not-a-cursor"})
		if len(res.Errors) == 0 {
			t.Fatalf("after a malformed cursor: no error; data %s", res.Data)
		}
		if c := res.Errors[0].Code(); c != "BAD_USER_INPUT" && c != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("malformed cursor: code %q (%s), want BAD_USER_INPUT or GRAPHQL_VALIDATION_FAILED", c, res.Errors[0].Message)
		}
	})
	for _, tt := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"negative first", contractOp(t, "Products"), map[string]any{"first": -1}},
		{"negative last", `query($last: Int) { products(last: $last) { totalCount } }`, map[string]any{"last": -3}},
		{"first and last", `query { products(first: 1, last: 1) { totalCount } }`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := gql(t, tt.query, tt.vars)
			wantError(t, res, "BAD_USER_INPUT")
			wantNoDataFor(t, res, "products")
		})
	}
}

// TestProductValidation sends invalid product input: each is BAD_USER_INPUT naming the field, and nothing is stored
// or changed.
func TestProductValidation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)
	existing := createProduct(t, gql, map[string]any{"name": "Keep me", "url": "https://keep.example", "features": []string{"a"}})

	tests := []struct {
		name  string
		input map[string]any
		field string
	}{
		{"empty name", map[string]any{"name": ""}, "name"},
		{"name over 200 characters", map[string]any{"name": strings.Repeat("n", 201)}, "name"},
		{"ftp url", map[string]any{"name": "ok", "url": "ftp://x"}, "url"},
		{"url that is not a url", map[string]any{"name": "ok", "url": "not a url"}, "url"},
		{"relative url", map[string]any{"name": "ok", "url": "/pricing"}, "url"},
		{"empty feature", map[string]any{"name": "ok", "features": []string{"fine", ""}}, "features"},
		{"blank feature", map[string]any{"name": "ok", "features": []string{"   "}}, "features"},
		{"description over 5000 characters", map[string]any{"name": "ok", "description": strings.Repeat("d", 5001)}, "description"},
	}
	for _, tt := range tests {
		t.Run("create/"+tt.name, func(t *testing.T) {
			before := productCount(t, env)
			res := gql(t, contractOp(t, "CreateProduct"), map[string]any{"input": tt.input})
			e := wantError(t, res, "BAD_USER_INPUT")
			if f, _ := e.Extensions["field"].(string); f != tt.field {
				t.Errorf("extensions.field = %q (%s), want %q", f, e.Message, tt.field)
			}
			wantNoDataFor(t, res, "createProduct")
			if after := productCount(t, env); after != before {
				t.Errorf("products %d → %d, want no change", before, after)
			}
		})
	}

	snapshot := func(t *testing.T) productOut {
		t.Helper()
		var got struct{ Node *productOut }
		gql(t, `query($id: ID!) { node(id: $id) { ... on Product { id name description url features marketingEnabled autoPublish createdAt } } }`,
			map[string]any{"id": existing}).Decode(t, &got)
		if got.Node == nil {
			t.Fatal("existing product is gone")
		}
		return *got.Node
	}
	for _, tt := range tests {
		// The same bad value as an update: only the field under test, so the rest of the input is not at fault.
		input := map[string]any{tt.field: tt.input[tt.field]}
		t.Run("update/"+tt.name, func(t *testing.T) {
			before := snapshot(t)
			res := gql(t, contractOp(t, "UpdateProduct"), map[string]any{"id": existing, "input": input})
			e := wantError(t, res, "BAD_USER_INPUT")
			if f, _ := e.Extensions["field"].(string); f != tt.field {
				t.Errorf("extensions.field = %q (%s), want %q", f, e.Message, tt.field)
			}
			wantNoDataFor(t, res, "updateProduct")
			after := snapshot(t)
			if after.Name != before.Name || *after.URL != *before.URL || !slices.Equal(after.Features, before.Features) ||
				(after.Description == nil) != (before.Description == nil) {
				t.Errorf("product changed by a rejected update:\n before %+v\n after  %+v", before, after)
			}
		})
	}

	// appendFeatures appends what it is given, and what it appends is validated like features.
	appends := []struct {
		name     string
		initial  []string
		input    map[string]any
		want     []string
		badField string // when the update must be refused
	}{
		{name: "append", initial: []string{"a"}, input: map[string]any{"appendFeatures": []string{"b", "c"}},
			want: []string{"a", "b", "c"}},
		{name: "append to none", input: map[string]any{"appendFeatures": []string{"b"}}, want: []string{"b"}},
		{name: "set and append", initial: []string{"a"},
			input: map[string]any{"features": []string{"x"}, "appendFeatures": []string{"y"}}, want: []string{"x", "y"}},
		{name: "clear and append", initial: []string{"a"},
			input: map[string]any{"clearFeatures": true, "appendFeatures": []string{"y"}}, want: []string{"y"}},
		{name: "set and append empty", initial: []string{"a"},
			input: map[string]any{"features": []string{"x"}, "appendFeatures": []string{""}}, want: []string{"a"}, badField: "features"},
		{name: "append empty", initial: []string{"a"}, input: map[string]any{"appendFeatures": []string{""}},
			want: []string{"a"}, badField: "features"},
		{name: "append too long", initial: []string{"a"}, input: map[string]any{"appendFeatures": []string{strings.Repeat("f", 301)}},
			want: []string{"a"}, badField: "features"},
	}
	for _, tt := range appends {
		t.Run("update/"+tt.name, func(t *testing.T) {
			in := map[string]any{"name": tt.name}
			if tt.initial != nil {
				in["features"] = tt.initial
			}
			id := createProduct(t, gql, in)
			res := gql(t, contractOp(t, "UpdateProduct"), map[string]any{"id": id, "input": tt.input})
			if tt.badField != "" {
				e := wantError(t, res, "BAD_USER_INPUT")
				if f, _ := e.Extensions["field"].(string); f != tt.badField {
					t.Errorf("extensions.field = %q (%s), want %q", f, e.Message, tt.badField)
				}
			} else if len(res.Errors) > 0 {
				t.Fatalf("updateProduct: %+v", res.Errors)
			}
			var got struct{ Node *productOut }
			gql(t, `query($id: ID!) { node(id: $id) { ... on Product { features } } }`, map[string]any{"id": id}).Decode(t, &got)
			if got.Node == nil || !slices.Equal(got.Node.Features, tt.want) {
				t.Errorf("features = %+v, want %v", got.Node, tt.want)
			}
		})
	}
}
