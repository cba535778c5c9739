// Package graph is the GraphQL API: the schema (ent.graphql generated from ent, the rest hand-written), thin
// resolvers that call ent or the domain packages, and the error mapping every response goes through.
package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/payments"
	"github.com/marketingos/marketingos/internal/people"
	"github.com/marketingos/marketingos/internal/tracking"
)

// Deps are the services the resolvers call.
type Deps struct {
	Client    *ent.Client
	Tracking  *tracking.Service
	Campaigns *ads.Campaigns
	Content   *content.Engine
	// Follows feed the subscriptions to changed objects; Dashboards pushes recomputed dashboards.
	Follows    *Follows
	Dashboards *dashboard.Hub
	// Payments lists and replays the webhook events that could not be applied.
	Payments *payments.Stripe
	// People manages members and invitations.
	People *people.Service
}

// Resolver holds what the resolvers need.
type Resolver struct {
	client     *ent.Client
	tracking   *tracking.Service
	campaigns  *ads.Campaigns
	content    *content.Engine
	follows    *Follows
	dashboards *dashboard.Hub
	payments   *payments.Stripe
	people     *people.Service
}

// NewSchema returns the executable schema, with complexity costs that make a connection cost its page size times
// what each node asks for.
func NewSchema(d Deps) graphql.ExecutableSchema {
	cfg := Config{Resolvers: &Resolver{client: d.Client, tracking: d.Tracking, campaigns: d.Campaigns, content: d.Content, follows: d.Follows, dashboards: d.Dashboards, payments: d.Payments, people: d.People}}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}
