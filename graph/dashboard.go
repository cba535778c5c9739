package graph

import (
	"context"
	"time"

	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/period"
)

func (r *Resolver) dashboard(ctx context.Context, from, to *time.Time) (*dashboard.Dashboard, error) {
	org, err := r.organization(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	start, end, err := period.Resolve(from, to, period.Location(org.Timezone), now)
	if err != nil {
		return nil, err
	}
	return dashboard.Compute(ctx, r.client, org, start, end, now)
}
