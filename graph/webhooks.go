package graph

import (
	"context"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/payments"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// One page of webhookFailures: its size when first is not given, and at most.
const (
	defaultWebhookFailures = 50
	maxWebhookFailures     = 500
)

func (r *Resolver) webhookFailures(ctx context.Context, first *int) ([]*ent.WebhookEvent, error) {
	if err := viewer.Require(ctx, viewer.Admin); err != nil {
		return nil, err
	}
	n := defaultWebhookFailures
	if first != nil {
		n = *first
	}
	if n < 1 || n > maxWebhookFailures {
		return nil, validation.Field("first", "must be between 1 and %d", maxWebhookFailures)
	}
	return r.payments.Failures(ctx, n)
}

func (r *Resolver) replayWebhook(ctx context.Context, id string) (*payments.Result, error) {
	if err := viewer.Require(ctx, viewer.Admin); err != nil {
		return nil, err
	}
	res, err := r.payments.Replay(ctx, id)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// reasonOf is a replay's reason, null when it did not fail.
func reasonOf(res *payments.Result) *string {
	if res.Reason == "" {
		return nil
	}
	return &res.Reason
}
