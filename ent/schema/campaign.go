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

// Campaign is a paid ad campaign on Google Ads or Meta. Its utm_campaign is the join key with tracked events, so
// attributed revenue can be set against what the platform says it spent.
type Campaign struct{ ent.Schema }

func (Campaign) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("cmp"), timestamps{}, ownedBy("campaigns")}
}

func (Campaign) Fields() []ent.Field {
	gqlHidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("product_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.Enum("platform").Values("GOOGLE", "FACEBOOK").Immutable(),
		field.String("external_id").Optional().Nillable().MaxLen(200).Annotations(entgql.MapsTo("externalId")).
			Comment("the platform's id; google_mock_… or fb_mock_… in mock mode"),
		field.Enum("status").Values("DRAFT", "ACTIVE", "PAUSED", "ENDED", "FAILED").Default("DRAFT").
			Annotations(entgql.OrderField("STATUS"), entgql.Skip(entgql.SkipType)),
		field.String("failure_reason").Optional().Nillable().MaxLen(2000),
		field.String("objective").Optional().MaxLen(100),
		field.Int64("daily_budget").Positive().Annotations(gqlHidden).
			Comment("minor units of currency"),
		field.String("currency").Default("USD").Validate(currencyCode),
		field.Int64("budget_spent").Default(0).NonNegative().Annotations(gqlHidden),
		field.Int64("budget_limit").Optional().Nillable().Positive().Annotations(gqlHidden),
		field.JSON("targeting", jsontype.Targeting{}).Optional().Annotations(entgql.Type("Targeting")),
		field.Strings("keywords").Optional().Validate(stringsBounded(200, 80)),
		field.JSON("creatives", []jsontype.Creative{}).Optional().Annotations(entgql.Type("[Creative!]")),
		field.String("utm_campaign").NotEmpty().MaxLen(200),
		field.Time("start_date").Optional().Nillable(),
		field.Time("end_date").Optional().Nillable(),
		field.Bool("mock").Default(false).Immutable().
			Comment("created in mock mode, without platform credentials"),
		// Performance totals, recomputed by each metrics sync; money in minor units.
		field.Int64("impressions").Default(0).NonNegative().Annotations(gqlHidden),
		field.Int64("clicks").Default(0).NonNegative().Annotations(gqlHidden),
		field.Float("conversions").Default(0).Annotations(gqlHidden),
		field.Int64("spend").Default(0).Annotations(gqlHidden),
		field.Int64("revenue").Default(0).Annotations(gqlHidden),
		field.Time("metrics_synced_at").Optional().Nillable(),
		field.Time("low_roi_notified_at").Optional().Nillable().Annotations(gqlHidden),
	}
}

func (Campaign) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).Ref("campaigns").Field("product_id").Unique(),
		edge.To("metrics", CampaignMetric.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Campaign) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "utm_campaign").Unique(),
		index.Fields("organization_id", "status"),
	}
}

func (Campaign) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
