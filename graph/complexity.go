package graph

import (
	"time"

	"entgo.io/contrib/entgql"

	"github.com/marketingos/marketingos/ent"
)

// DefaultPageSize is the page a connection costs when the query names neither first nor last.
const DefaultPageSize = 20

type cursor = *entgql.Cursor[string]

// pageCost makes a connection as expensive as the page it may return, so that the complexity limit bounds the
// rows a query can pull, not only its field count.
func pageCost(child int, first, last *int) int {
	n := DefaultPageSize
	switch {
	case first != nil:
		n = *first
	case last != nil:
		n = *last
	}
	if n < 1 {
		n = 1
	}
	return 1 + child*n
}

func setComplexity(c *ComplexityRoot) {
	c.Query.Products = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.ProductOrder, _ *ent.ProductWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Campaigns = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.CampaignOrder, _ *ent.CampaignWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Contents = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.ContentOrder, _ *ent.ContentWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.AttributionEvents = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.AttributionEventOrder, _ *ent.AttributionEventWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.JobRuns = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.JobRunOrder) int {
		return pageCost(child, first, last)
	}
	c.Query.WebhookFailures = func(child int, first *int) int { return pageCost(child, first, nil) }
	c.Query.Nodes = func(child int, ids []string) int { return 1 + child*max(len(ids), 1) }
	c.Campaign.Metrics = func(child int, _, _ *time.Time) int { return 1 + child*31 }
}
