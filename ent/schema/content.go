package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// Content is a generated social post (or ad copy) with one variant per platform, scored by the content guards.
type Content struct{ ent.Schema }

func (Content) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("cnt"), timestamps{}, ownedBy("contents")}
}

func (Content) Fields() []ent.Field {
	return []ent.Field{
		field.String("product_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("type").Values("POST", "SOCIAL", "AD").Default("SOCIAL"),
		field.Enum("platform").Values("INSTAGRAM", "TIKTOK", "FACEBOOK", "LINKEDIN", "X").Optional().Nillable().
			Comment("the primary platform; variants may cover several"),
		field.String("title").Optional().MaxLen(300),
		field.JSON("variants", []jsontype.ContentVariant{}).Optional().Annotations(entgql.Type("[ContentVariant!]")),
		field.Enum("status").Values("DRAFT", "READY", "AUTO_PUBLISHED", "PUBLISHED", "REJECTED", "FAILED").
			Default("DRAFT").Annotations(entgql.OrderField("STATUS"), entgql.Skip(entgql.SkipType)),
		field.String("hook").Optional().MaxLen(500),
		field.String("kind").Optional().MaxLen(50).Comment("educational, offer, testimonial, tip, …"),
		field.Int("guards_score").Optional().Nillable().Range(0, 100).Annotations(entgql.OrderField("GUARDS_SCORE")),
		field.Strings("guard_issues").Optional(),
		field.String("generator").Optional().MaxLen(50).Comment("anthropic or template"),
		field.String("external_post_id").Optional().Nillable().MaxLen(200).Annotations(entgql.MapsTo("externalPostId")),
		field.String("failure_reason").Optional().Nillable().MaxLen(2000),
		field.Time("scheduled_at").Optional().Nillable(),
		field.Time("published_at").Optional().Nillable(),
	}
}

func (Content) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).Ref("contents").Field("product_id").Unique(),
	}
}

func (Content) Indexes() []ent.Index {
	return []ent.Index{index.Fields("organization_id", "created_at")}
}

func (Content) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
