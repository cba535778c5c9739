package graph

import (
	"context"
	"time"

	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/viewer"
)

func (r *Resolver) dashboard(ctx context.Context, from, to *time.Time) (*dashboard.Dashboard, error) {
	return dashboard.ForRange(ctx, r.client, viewer.OrgID(ctx), from, to)
}
