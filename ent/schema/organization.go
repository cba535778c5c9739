package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

// Organization is a tenant: a company using MarketingOS. Every other business object belongs to one.
type Organization struct{ ent.Schema }

func (Organization) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("org"), timestamps{}}
}

func (Organization) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200),
		field.String("tracking_key").
			Unique().
			Comment("public key landing pages send with tracking events (mos_pk_…)"),
		field.String("previous_tracking_key").Optional().Nillable().Unique().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("the key before the last rotation, still accepted until previous_tracking_key_expires_at"),
		field.Time("previous_tracking_key_expires_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("currency").Default("USD").Validate(currencyCode).
			Comment("reporting currency; money is stored in its minor units"),
		field.String("timezone").Default("UTC").Validate(timezone).
			Comment("day boundaries of reports and of the daily post cap"),
		field.Int64("visitors_generation").Default(0).NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("the visitors rollup's rows that tracking writes (internal/visitors): each time zone change starts a new generation"),
		field.Bool("visitors_rebuilding").Default(false).
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("the rows of visitors_generation are being rebuilt from the events; until they are, visitors are counted from the events"),
		field.Strings("allowed_origins").Optional().Validate(trackingOrigins).
			Comment("origins allowed to send tracking events; empty allows any"),
		field.Int("daily_post_cap").Default(4).Range(0, 100),
		field.Int("auto_publish_threshold").Default(60).Range(0, 100),
		field.Int64("high_value_threshold").Default(50000).NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("purchases at or above this many minor units raise a high-value notice"),
		field.Int64("max_daily_budget").Optional().Nillable().Positive().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("upper bound for a campaign's daily budget, in minor units; nil means no bound"),
		field.Int("attribution_window_days").Default(30).Range(1, 365),
		field.Bool("respect_dnt").Default(false).
			Comment("drop tracking hits that carry DNT: 1"),
		field.String("sso_domain").Optional().Nillable().Validate(domainName).
			Comment("people signing in with single sign-on whose verified e-mail is in this domain join as MARKETER"),
		field.Bool("demo").Default(false).Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("created by serve --demo"),
	}
}

func (Organization) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.To("api_keys", APIKey.Type).Annotations(skip),
		edge.To("products", Product.Type).Annotations(skip),
		edge.To("campaigns", Campaign.Type).Annotations(skip),
		edge.To("campaign_metrics", CampaignMetric.Type).Annotations(skip),
		edge.To("contents", Content.Type).Annotations(skip),
		edge.To("attribution_events", AttributionEvent.Type).Annotations(skip),
		edge.To("attribution_credits", AttributionCredit.Type).Annotations(skip),
		edge.To("visitor_days", VisitorDay.Type).Annotations(skip),
		edge.To("daily_visitors", DailyVisitors.Type).Annotations(skip),
		edge.To("job_runs", JobRun.Type).Annotations(skip),
		edge.To("memberships", Membership.Type).Annotations(skip),
		edge.To("invitations", Invitation.Type).Annotations(skip),
		edge.To("audit_entries", AuditEntry.Type).Annotations(skip),
	}
}

// Interceptors: a tenant sees only its own organization.
func (Organization) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{filterQuery(func(orgID string) func(*sql.Selector) {
		return sql.FieldEQ("id", orgID)
	})}
}

// Hooks: organizations are created and deleted by the system (CLI, demo); a tenant may only update its own. A new
// time zone moves the organization's day boundaries, so it starts a new generation of its visitors rollup, rebuilt
// in the background (internal/visitors).
func (Organization) Hooks() []ent.Hook {
	confine := tenantMutations("id", true)
	return []ent.Hook{func(next ent.Mutator) ent.Mutator {
		confined := confine(next)
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if v, _ := viewer.FromContext(ctx); !v.System && m.Op().Is(ent.OpCreate|ent.OpDelete|ent.OpDeleteOne) {
				return nil, viewer.ErrForbidden
			}
			return confined.Mutate(ctx, m)
		})
	}, visitors.NewGenerationOnTimezoneChange()}
}
