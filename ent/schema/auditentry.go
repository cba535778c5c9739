package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/viewer"
)

// AuditEntry records who did what in an organization: a mutation by a person or a key, a sign-in (or a failed
// one), an invitation, a key change. The log is append-only: entries are written by the system and never updated.
type AuditEntry struct{ ent.Schema }

func (AuditEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("aud"), ownedBy("audit_entries").indexedByComposites()}
}

func (AuditEntry) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Time("created_at").Immutable().Default(timeNow).Annotations(entgql.OrderField("CREATED_AT")),
		field.String("actor_user_id").Optional().Nillable().Immutable().Annotations(skip),
		field.String("actor_key_id").Optional().Nillable().Immutable().Annotations(skip),
		field.String("action").NotEmpty().MaxLen(100).Immutable().
			Comment("a mutation's name (createProduct), or auth.signIn, auth.signInFailed, …"),
		field.String("object_id").Optional().Nillable().Immutable().MaxLen(100).Annotations(skip),
		field.JSON("changes", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")).
			Comment("the fields set, without secret values"),
		field.String("request_id").Optional().Nillable().Immutable().MaxLen(100).Annotations(skip),
		field.String("ip_hash").Optional().Nillable().Immutable().Annotations(skip).
			Comment("a salted hash of the client address, never the address"),
	}
}

func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields(orgColumn, "created_at"),
		index.Fields(orgColumn, "action", "created_at"),
	}
}

// Hooks: only the system writes the log, and nobody rewrites it.
func (AuditEntry) Hooks() []ent.Hook {
	appendOnly := func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
				return nil, viewer.ErrForbidden
			}
			return next.Mutate(ctx, m)
		})
	}
	return []ent.Hook{tenantMutations(orgColumn, false), appendOnly}
}

func (AuditEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

func (AuditEntry) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readsNeedRole("AuditEntry")}
}
