package attribution

import (
	"context"

	"github.com/marketingos/marketingos/ent"
)

// AfterPurchase is called once a new purchase is committed: for notices and live updates. It must not block.
type AfterPurchase func(ctx context.Context, org *ent.Organization, purchase *ent.AttributionEvent)

// HighValueNotifier hears about purchases at or above the organization's high-value threshold.
type HighValueNotifier interface {
	HighValuePurchase(ctx context.Context, org *ent.Organization, purchase *ent.AttributionEvent)
}

// IsHighValue reports whether a purchase reaches the organization's threshold. Purchases in another currency than
// the organization's are compared as they are: no exchange rates are kept.
func IsHighValue(org *ent.Organization, purchase *ent.AttributionEvent) bool {
	return purchase.Value != nil && org.HighValueThreshold > 0 && *purchase.Value >= org.HighValueThreshold
}

// Then chains AfterPurchase hooks, skipping nil ones.
func Then(hooks ...AfterPurchase) AfterPurchase {
	return func(ctx context.Context, org *ent.Organization, purchase *ent.AttributionEvent) {
		for _, h := range hooks {
			if h != nil {
				h(ctx, org, purchase)
			}
		}
	}
}

// NotifyHighValue returns the hook that hands high-value purchases to n.
func NotifyHighValue(n HighValueNotifier) AfterPurchase {
	return func(ctx context.Context, org *ent.Organization, purchase *ent.AttributionEvent) {
		if IsHighValue(org, purchase) {
			n.HighValuePurchase(ctx, org, purchase)
		}
	}
}
