package dashboard

import (
	"context"
	"errors"
	"time"

	"github.com/marketingos/marketingos/ent"
)

// Compute returns the dashboard of org between from and to.
func Compute(ctx context.Context, client *ent.Client, org *ent.Organization, from, to, now time.Time) (*Dashboard, error) {
	return nil, errors.New("dashboard: not implemented yet")
}
