package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// Product is a SaaS product the organization markets: what content is written about and campaigns advertise.
type Product struct{ ent.Schema }

func (Product) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("prd"), timestamps{}, ownedBy("products")}
}

func (Product) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").Optional().MaxLen(5000),
		field.String("target_audience").Optional().MaxLen(1000),
		field.String("usp").Optional().MaxLen(1000).
			Comment("unique selling proposition"),
		field.JSON("pricing", map[string]any{}).Optional().
			Annotations(entgql.Type("Map")),
		field.Strings("features").Optional().Validate(stringsBounded(50, 300)),
		field.Bool("marketing_enabled").Default(true),
		field.Bool("auto_publish").Default(false),
		field.String("url").Optional().Validate(httpURL),
	}
}

func (Product) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("campaigns", Campaign.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("contents", Content.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Product) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
