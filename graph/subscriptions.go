package graph

import (
	"context"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/campaign"
	entcontent "github.com/marketingos/marketingos/ent/content"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/viewer"
)

// follow turns the broker's messages on topic into the objects they name, loaded with the subscriber's own tenant
// context: a message names ids only, and ent shows a subscriber nothing of another organization. The goroutine
// ends, and the channel closes, when the subscription's context does.
func follow[T any](ctx context.Context, broker live.Broker, topic string, load func(ctx context.Context, ids []string) ([]T, error)) <-chan T {
	out := make(chan T, 1)
	msgs := broker.Subscribe(ctx, viewer.OrgID(ctx), topic)
	go func() {
		defer close(out)
		for m := range msgs {
			items, err := load(ctx, m.IDs)
			if err != nil {
				continue // a reload that fails (the subscriber left, the database blinked) loses one update
			}
			for _, it := range items {
				select {
				case out <- it:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

func (r *Resolver) loadEvents(ctx context.Context, ids []string) ([]*ent.AttributionEvent, error) {
	return r.client.AttributionEvent.Query().Where(attributionevent.IDIn(ids...)).
		Order(ent.Asc(attributionevent.FieldCreatedAt)).All(ctx)
}

func (r *Resolver) loadCampaigns(ctx context.Context, ids []string) ([]*ent.Campaign, error) {
	return r.client.Campaign.Query().Where(campaign.IDIn(ids...)).All(ctx)
}

func (r *Resolver) loadContents(ctx context.Context, ids []string) ([]*ent.Content, error) {
	return r.client.Content.Query().Where(entcontent.IDIn(ids...)).All(ctx)
}
