package graph

import (
	"context"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/campaignmetric"
)

// node resolves any ID the viewer may see; an ID that names nothing it may see answers null, as Relay expects.
func (r *Resolver) node(ctx context.Context, id string) (ent.Noder, error) {
	n, err := r.client.Noder(ctx, id, ent.WithNodeType(ent.IDToType))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return n, err
}

// nodes resolves each ID like node; an entry the viewer may not see is null, with a NOT_FOUND error at its index.
// The complexity limit bounds how many IDs one request may ask for.
func (r *Resolver) nodes(ctx context.Context, ids []string) ([]ent.Noder, error) {
	out := make([]ent.Noder, len(ids))
	for i, id := range ids {
		n, err := r.node(ctx, id)
		if err != nil {
			return nil, err
		}
		if n == nil {
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i)), entgql.ErrNodeNotFound(id))
		}
		out[i] = n
	}
	return out, nil
}

// metricsWindow is the default range of a campaign's daily metrics.
const metricsWindow = 30 * 24 * time.Hour

func (r *Resolver) campaignMetrics(ctx context.Context, c *ent.Campaign, from, to *time.Time) ([]*ent.CampaignMetric, error) {
	end := time.Now()
	if to != nil {
		end = *to
	}
	start := end.Add(-metricsWindow)
	if from != nil {
		start = *from
	}
	return r.client.CampaignMetric.Query().
		Where(
			campaignmetric.CampaignID(c.ID),
			campaignmetric.DateGTE(start.UTC().Truncate(24*time.Hour)),
			campaignmetric.DateLTE(end),
		).
		Order(ent.Asc(campaignmetric.FieldDate)).
		All(ctx)
}

// graphqlName turns an ent field name (target_audience) into its GraphQL name (targetAudience).
func graphqlName(field string) string {
	out := make([]byte, 0, len(field))
	upper := false
	for i := 0; i < len(field); i++ {
		c := field[i]
		switch {
		case c == '_':
			upper = true
		case upper && c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
			upper = false
		default:
			out = append(out, c)
			upper = false
		}
	}
	return string(out)
}
