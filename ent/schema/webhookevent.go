package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// WebhookEvent records each provider event processed, so that a redelivered event is applied exactly once: the
// unique (provider, event_id) index, not a read-then-write, decides. A refund that arrives before the purchase it
// refunds (providers do not deliver events in order) also waits here, in the pending_* fields, until that
// purchase is recorded. A genuine event that can never be applied as it stands (garbled, or naming no
// organization) is kept here too, with the reason and its payload, until it is replayed.
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
		// A permanent failure: why the event was not applied, when it last failed, and the verified payload, so
		// that it can be replayed once the cause is fixed. All three are cleared when it is applied.
		field.String("failure_reason").Optional().Nillable().MaxLen(1000),
		field.Time("failed_at").Optional().Nillable(),
		field.Bytes("payload").Optional().Sensitive(),
	}
}

func (WebhookEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("provider", "event_id").Unique(),
		index.Fields("pending_payment_intent").Annotations(entsql.IndexWhere("pending_payment_intent IS NOT NULL")),
		index.Fields("pending_invoice").Annotations(entsql.IndexWhere("pending_invoice IS NOT NULL")),
		index.Fields("failed_at").Annotations(entsql.IndexWhere("failure_reason IS NOT NULL")),
	}
}

// Interceptors: a tenant reads only the failures an administrator may need to replay: its organization's, and
// those whose organization could not be told (one Stripe account, hence one signing secret, serves the whole
// installation, so an event that names no known organization is every organization's to fix). Everything else
// is the system's.
func (WebhookEvent) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{filterQuery(func(orgID string) func(*sql.Selector) {
		return sql.AndPredicates(
			sql.FieldNotNull("failure_reason"),
			sql.OrPredicates(sql.FieldEQ("organization_id", orgID), sql.FieldIsNull("organization_id")),
		)
	})}
}

// Hooks: only the system writes deliveries.
func (WebhookEvent) Hooks() []ent.Hook {
	return []ent.Hook{systemWrites()}
}

func (WebhookEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
