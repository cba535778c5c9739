package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// CampaignMetric is one day of a campaign's platform-reported numbers. (campaign, date) is unique, so a sync is an
// idempotent upsert.
type CampaignMetric struct{ ent.Schema }

func (CampaignMetric) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("cmm"), timestamps{}, ownedBy("campaign_metrics")}
}

func (CampaignMetric) Fields() []ent.Field {
	gqlHidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("campaign_id").Immutable().Annotations(gqlHidden),
		field.Time("date").Immutable().Comment("midnight UTC of the platform's reporting day"),
		field.Int64("impressions").Default(0).NonNegative(),
		field.Int64("clicks").Default(0).NonNegative(),
		field.Float("conversions").Default(0),
		field.Int64("cost").Default(0).Annotations(gqlHidden).Comment("minor units"),
		field.Int64("conversion_value").Default(0).Annotations(gqlHidden).Comment("minor units"),
		field.String("currency").Default("USD").Validate(currencyCode),
	}
}

func (CampaignMetric) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("metrics").Field("campaign_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (CampaignMetric) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("campaign_id", "date").Unique(),
		index.Fields("organization_id", "date"),
	}
}

func (CampaignMetric) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
