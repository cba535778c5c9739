package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// VisitorDay records that a visitor was active on a day of the organization's calendar: visited (any event but a
// purchase or a refund) or bought. It is the first half of the visitors rollup (see internal/visitors), written in
// the same transaction as the events, and the set the histogram in DailyVisitors is derived from. Not in GraphQL.
type VisitorDay struct{ ent.Schema }

func (VisitorDay) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("vsd"), ownedBy("visitor_days").indexedByComposites()}
}

func (VisitorDay) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("generation").Default(0).Immutable().
			Comment("the organization's visitors_generation the row belongs to: one per time zone (see internal/visitors)"),
		field.Enum("kind").Values("VISIT", "PURCHASE").Immutable(),
		field.String("visitor_id").NotEmpty().MaxLen(100).Immutable(),
		field.Time("day").Immutable().Comment("midnight UTC of the organization's local calendar date"),
	}
}

// Indexes: the unique key makes a repeated touch a no-op (ON CONFLICT DO NOTHING) and serves the lookup of a
// visitor's days; the generation in it lets the rows of a new time zone be built beside the old one's.
func (VisitorDay) Indexes() []ent.Index {
	return []ent.Index{index.Fields("organization_id", "generation", "kind", "visitor_id", "day").Unique()}
}

func (VisitorDay) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
