package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/visitors"
)

// AttributionEvent is a touchpoint or a conversion: a page view, a click, a signup, a purchase, a refund. It never
// holds a raw IP address.
type AttributionEvent struct{ ent.Schema }

func (AttributionEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("evt"), ownedBy("attribution_events").indexedByComposites()}
}

func (AttributionEvent) Fields() []ent.Field {
	gqlHidden := entgql.Skip(entgql.SkipAll)
	short := func(name string) ent.Field { return field.String(name).Optional().MaxLen(200) }
	return []ent.Field{
		field.String("visitor_id").NotEmpty().MaxLen(100).Annotations(entgql.MapsTo("visitorId")),
		field.String("session_id").Optional().MaxLen(100).Annotations(entgql.MapsTo("sessionId")),
		field.String("user_id").Optional().Nillable().MaxLen(200).Annotations(entgql.MapsTo("userId")),
		field.String("event_type").NotEmpty().MaxLen(64),
		field.Int64("value").Optional().Nillable().Annotations(gqlHidden).Comment("minor units of currency"),
		field.String("currency").Optional().Nillable().Validate(currencyCode),
		short("source"), short("medium"), short("campaign"), short("term"), short("content"),
		short("gclid"), short("fbclid"),
		field.String("referrer").Optional().MaxLen(2048),
		field.String("url").Optional().MaxLen(2048),
		// What the tracker script tells about the page and the screen it was seen on.
		field.String("title").Optional().MaxLen(1000),
		field.String("screen").Optional().MaxLen(20),
		field.String("language").Optional().MaxLen(35),
		field.JSON("metadata", map[string]any{}).Optional().Annotations(entgql.Type("Map")),
		field.String("idempotency_key").Optional().Nillable().MaxLen(200).Annotations(gqlHidden),
		field.String("external_ref").Optional().Nillable().MaxLen(200).Annotations(gqlHidden).
			Comment("the payment this conversion came from (a Stripe payment intent), so refunds find it"),
		field.String("ip_hash").Optional().MaxLen(64).Annotations(gqlHidden).
			Comment("salted daily hash for abuse control; never the address itself"),
		field.Time("created_at").Immutable().Default(timeNow).
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

func (AttributionEvent) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.To("credits", AttributionCredit.Type).Annotations(hidden),
		edge.To("touch_credits", AttributionCredit.Type).Annotations(hidden),
	}
}

// Indexes are what the tracking endpoints pay for on every hit, so a page view updates only three: the primary
// key, the range scans and the visitor's touchpoints. The others are partial and skip the rows they never find:
// events without a user, an idempotency key or a payment, and page views (the event-type index serves purchase
// and refund lookups and the events connection's type filter for every other type).
func (AttributionEvent) Indexes() []ent.Index {
	notNull := func(column string) schema.Annotation { return entsql.IndexWhere(column + " IS NOT NULL") }
	return []ent.Index{
		index.Fields("organization_id", "created_at"),
		index.Fields("organization_id", "visitor_id", "created_at"),
		index.Fields("organization_id", "user_id").Annotations(notNull("user_id")),
		index.Fields("organization_id", "event_type", "created_at").
			Annotations(entsql.IndexWhere("event_type <> 'page_view'")),
		index.Fields("organization_id", "idempotency_key").Unique().Annotations(notNull("idempotency_key")),
		index.Fields("organization_id", "external_ref").Annotations(notNull("external_ref")),
	}
}

// Hooks: every event created through ent is counted in the visitors rollup, in its transaction (internal/visitors).
func (AttributionEvent) Hooks() []ent.Hook {
	return []ent.Hook{visitors.RecordEvents()}
}

func (AttributionEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
	}
}
