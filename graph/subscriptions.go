package graph

import (
	"context"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/campaign"
	entcontent "github.com/marketingos/marketingos/ent/content"
	"github.com/marketingos/marketingos/internal/live"
)

// Follows are the feeds of the eventTracked, campaignUpdated and contentUpdated subscriptions: a message names ids
// only, and each organization's feed reloads the objects once, with that organization's tenant context, for all of
// its subscribers (see live.Feeds), so ent shows a subscriber nothing of another organization.
type Follows struct {
	Events    *live.Feeds[*ent.AttributionEvent]
	Campaigns *live.Feeds[*ent.Campaign]
	Contents  *live.Feeds[*ent.Content]
}

// NewFollows returns the subscriptions' feeds of broker's messages, loading through client.
func NewFollows(client *ent.Client, broker live.Broker) *Follows {
	return &Follows{
		Events: live.NewFeeds(broker, live.Events, func(ctx context.Context, ids []string) ([]*ent.AttributionEvent, error) {
			return client.AttributionEvent.Query().Where(attributionevent.IDIn(ids...)).
				Order(ent.Asc(attributionevent.FieldCreatedAt)).All(ctx)
		}),
		Campaigns: live.NewFeeds(broker, live.Campaigns, func(ctx context.Context, ids []string) ([]*ent.Campaign, error) {
			return client.Campaign.Query().Where(campaign.IDIn(ids...)).All(ctx)
		}),
		Contents: live.NewFeeds(broker, live.Contents, func(ctx context.Context, ids []string) ([]*ent.Content, error) {
			return client.Content.Query().Where(entcontent.IDIn(ids...)).All(ctx)
		}),
	}
}

// Followers counts the subscribers of all three (for benchmarks and leak tests).
func (f *Follows) Followers() int {
	return f.Events.Followers() + f.Campaigns.Followers() + f.Contents.Followers()
}

// Wait blocks until every feed has stopped (after their subscribers left).
func (f *Follows) Wait() {
	f.Events.Wait()
	f.Campaigns.Wait()
	f.Contents.Wait()
}
