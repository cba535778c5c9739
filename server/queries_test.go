package server_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// countingDriver counts the statements ent sends, to pin resolvers that must not issue one query per row.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func (d countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, query, args, v)
}

func (d countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}

func TestConnectionsAreNPlusOneFree(t *testing.T) {
	var n atomic.Int64
	env := apitest.New(t, apitest.WithDriver(func(d dialect.Driver) dialect.Driver { return countingDriver{d, &n} }))
	org := env.NewOrg(t, "Acme")
	ctx := viewer.ForOrganization(context.Background(), org.ID)
	client := env.DB.Client

	addRows := func(count int) {
		t.Helper()
		for i := 0; i < count; i++ {
			p := client.Product.Create().SetName(fmt.Sprintf("Product %d", i)).SaveX(ctx)
			client.Campaign.Create().SetName(fmt.Sprintf("Campaign %d", i)).SetPlatform("GOOGLE").
				SetDailyBudget(1000).SetUtmCampaign(fmt.Sprintf("c-%d-%d", count, i)).SetProduct(p).ExecX(ctx)
			client.Content.Create().SetTitle(fmt.Sprintf("Post %d", i)).SetProduct(p).ExecX(ctx)
		}
	}
	const q = `{
		campaigns(first: 50) { totalCount edges { node { id name product { id name } performance { roas } budget { daily } } } }
		contents(first: 50) { totalCount edges { node { id title product { id name } } } }
	}`
	queriesFor := func() int64 {
		t.Helper()
		n.Store(0)
		var got struct {
			Campaigns struct{ TotalCount int }
			Contents  struct{ TotalCount int }
		}
		env.GraphQL(t, org.APIKey, q, nil).Decode(t, &got)
		if got.Campaigns.TotalCount == 0 || got.Contents.TotalCount == 0 {
			t.Fatalf("expected rows, got %+v", got)
		}
		return n.Load()
	}

	addRows(2)
	queriesFor() // warm-up: the key's first use is recorded once, and must not count as a per-row query
	few := queriesFor()
	addRows(10)
	many := queriesFor()
	t.Logf("queries: %d with 2 rows each, %d with 12", few, many)
	if few != many {
		t.Fatalf("queries grew with rows: %d for 2 campaigns and contents, %d for 12 — a resolver queries per row", few, many)
	}
}
