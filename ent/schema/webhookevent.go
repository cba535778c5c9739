package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// WebhookEvent records each provider event processed, so that a redelivered event is applied exactly once: the
// unique (provider, event_id) index, not a read-then-write, decides. A refund that arrives before the purchase it
// refunds (providers do not deliver events in order) also waits here, in the pending_* fields, until that
// purchase is recorded.
type WebhookEvent struct{ ent.Schema }

func (WebhookEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("whe")}
}

func (WebhookEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("provider").NotEmpty().Immutable(),
		field.String("event_id").NotEmpty().MaxLen(255).Immutable(),
		field.String("type").MaxLen(255).Immutable(),
		field.String("organization_id").Optional().Nillable(),
		field.Time("received_at").Immutable().Default(timeNow),
		// A waiting refund: the references its purchase may be stored under, the total refunded so far (minor
		// units) and when; cleared once applied.
		field.String("pending_payment_intent").Optional().Nillable().MaxLen(255),
		field.String("pending_invoice").Optional().Nillable().MaxLen(255),
		field.Int64("pending_refunded_total").Optional().Nillable(),
		field.Time("pending_at").Optional().Nillable(),
	}
}

func (WebhookEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("provider", "event_id").Unique(),
		index.Fields("pending_payment_intent").Annotations(entsql.IndexWhere("pending_payment_intent IS NOT NULL")),
		index.Fields("pending_invoice").Annotations(entsql.IndexWhere("pending_invoice IS NOT NULL")),
	}
}

func (WebhookEvent) Interceptors() []ent.Interceptor {
	inter, _ := systemOnly()
	return []ent.Interceptor{inter}
}

func (WebhookEvent) Hooks() []ent.Hook {
	_, hook := systemOnly()
	return []ent.Hook{hook}
}

func (WebhookEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
