package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// JobRun is one run of a scheduled or manually triggered job. A run of a scheduled slot carries the slot, and
// (job, slot) is unique, so two instances cannot both run it. Runs across all organizations have no organization
// and are visible to every organization (their stats are counts only); a run for one organization is its own.
type JobRun struct{ ent.Schema }

func (JobRun) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("job")}
}

func (JobRun) Fields() []ent.Field {
	return []ent.Field{
		field.String("organization_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("job").NotEmpty().MaxLen(100).Immutable(),
		field.Enum("trigger").Values("SCHEDULE", "MANUAL").Default("SCHEDULE").Immutable(),
		field.Time("slot").Optional().Nillable().Immutable().
			Comment("the scheduled time this run covers; nil for manual runs"),
		field.Enum("status").Values("RUNNING", "SUCCEEDED", "FAILED").Default("RUNNING"),
		field.Time("started_at").Immutable().Default(timeNow).Annotations(entgql.OrderField("STARTED_AT")),
		field.Time("finished_at").Optional().Nillable(),
		field.JSON("stats", map[string]any{}).Optional().Annotations(entgql.Type("Map")),
		field.String("error").Optional().Nillable().MaxLen(4000),
	}
}

func (JobRun) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).Ref("job_runs").Field("organization_id").
			Unique().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (JobRun) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("job", "slot").Unique(),
		index.Fields("started_at"),
	}
}

func (JobRun) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{filterQuery(func(orgID string) func(*sql.Selector) {
		return func(s *sql.Selector) {
			s.Where(sql.Or(sql.EQ(s.C(orgColumn), orgID), sql.IsNull(s.C(orgColumn))))
		}
	})}
}

// Hooks: only the system (the scheduler) records job runs.
func (JobRun) Hooks() []ent.Hook {
	return []ent.Hook{tenantMutations(orgColumn, false)}
}

func (JobRun) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)}
}
