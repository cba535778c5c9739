package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// WebhookEvent records each provider event processed, so that a redelivered event is applied exactly once: the
// unique (provider, event_id) index, not a read-then-write, decides.
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
	}
}

func (WebhookEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("provider", "event_id").Unique()}
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
