package app

import (
	"context"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/tracking"
)

// publisher tells subscriptions what changed. Every hook runs after its change is committed.
type publisher struct{ b live.Broker }

// events is the tracking writer's OnCommit: one message per organization per batch.
func (p publisher) events(batch []tracking.Event) {
	byOrg := map[string][]string{}
	for _, e := range batch {
		byOrg[e.OrgID] = append(byOrg[e.OrgID], e.ID)
	}
	for org, ids := range byOrg {
		p.b.Publish(context.Background(), live.Message{OrgID: org, Topic: live.Events, IDs: ids})
	}
}

func (p publisher) stored(ctx context.Context, orgID string, ids []string) {
	p.b.Publish(ctx, live.Message{OrgID: orgID, Topic: live.Events, IDs: ids})
}

func (p publisher) campaign(ctx context.Context, c *ent.Campaign) {
	p.b.Publish(ctx, live.Message{OrgID: c.OrganizationID, Topic: live.Campaigns, IDs: []string{c.ID}})
}

func (p publisher) content(ctx context.Context, c *ent.Content) {
	p.b.Publish(ctx, live.Message{OrgID: c.OrganizationID, Topic: live.Contents, IDs: []string{c.ID}})
}
