package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Invitation asks a person, by e-mail, to join an organization with a role. The link carries a single-use token;
// only its SHA-256 hash is stored.
type Invitation struct{ ent.Schema }

func (Invitation) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("inv"), timestamps{}, ownedBy("invitations")}
}

func (Invitation) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("email").NotEmpty().MaxLen(254).Immutable(),
		field.Enum("role").GoType(viewer.Role("")).Immutable().Annotations(entgql.Type("Role")),
		field.String("token_hash").Unique().Immutable().Sensitive().NotEmpty(),
		field.Time("expires_at").Immutable(),
		field.String("invited_by_id").Optional().Nillable().Immutable().Annotations(skip),
		field.Time("accepted_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (Invitation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("email")}
}

func (Invitation) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

func (Invitation) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{readsNeedRole("Invitation")}
}
