package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Membership puts a user in an organization with one role.
type Membership struct{ ent.Schema }

func (Membership) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("mem"), timestamps{}, ownedBy("memberships").indexedByComposites()}
}

func (Membership) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable().NotEmpty().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("role").GoType(viewer.Role("")).Annotations(entgql.Type("Role")),
		field.Time("last_used_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("when the user last acted in this organization: the one a session without X-Organization-Id picks"),
	}
}

func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("memberships").Field("user_id").Unique().Required().Immutable(),
	}
}

func (Membership) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields(orgColumn, "user_id").Unique(),
		index.Fields("user_id"),
	}
}

func (Membership) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
