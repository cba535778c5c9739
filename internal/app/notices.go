package app

import (
	"context"
	"log/slog"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/money"
)

// logNotifier writes notices to the log until the notification channels are wired.
type logNotifier struct{ log *slog.Logger }

func (n logNotifier) HighValuePurchase(ctx context.Context, org *ent.Organization, ev *ent.AttributionEvent) {
	currency := org.Currency
	if ev.Currency != nil {
		currency = *ev.Currency
	}
	n.log.InfoContext(ctx, "high-value purchase", "organization", org.ID, "event", ev.ID,
		"value", money.Major(*ev.Value, currency), "currency", currency)
}
