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
	for _, m := range eventMessages(batch) {
		p.b.Publish(context.Background(), m)
	}
}

// writerHooks has the writer publish its batches. On PostgreSQL the NOTIFY goes in the statement that stores the
// batch, which delivers it exactly when the batch commits and spares the writer a second transaction per batch (one
// more WAL flush, and the requests' answers waiting for it); elsewhere it is published after the commit.
func (p publisher) writerHooks(opts *tracking.WriterOptions) {
	pg, ok := p.b.(*live.Postgres)
	if !ok {
		opts.OnCommit = p.events
		return
	}
	opts.Notify = func(batch []tracking.Event) (string, []string, error) {
		return pg.Notification(eventMessages(batch)...)
	}
}

// eventMessages is one message per organization of a batch.
func eventMessages(batch []tracking.Event) []live.Message {
	byOrg := map[string][]string{}
	var orgs []string
	for _, e := range batch {
		if byOrg[e.OrgID] == nil {
			orgs = append(orgs, e.OrgID)
		}
		byOrg[e.OrgID] = append(byOrg[e.OrgID], e.ID)
	}
	out := make([]live.Message, len(orgs))
	for i, org := range orgs {
		out[i] = live.Message{OrgID: org, Topic: live.Events, IDs: byOrg[org]}
	}
	return out
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
