package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/viewer"
)

// APIKey authenticates an organization's server-side calls, with a role. Only a SHA-256 hash of the secret is kept;
// the secret itself (mos_sk_…) is shown once, when the key is created.
type APIKey struct{ ent.Schema }

func (APIKey) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("key"), timestamps{}, ownedBy("api_keys")}
}

func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("hash").Unique().Immutable().Sensitive().NotEmpty().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("prefix").Immutable().
			Comment("the first characters of the secret, so that a person can tell keys apart"),
		field.Enum("role").GoType(viewer.Role("")).Default(string(viewer.Admin)).Immutable().
			Annotations(entgql.Type("Role")).
			Comment("keys made before roles existed, and by the CLI, are ADMIN"),
		field.String("created_by_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("the person who created the key; nil for the CLI"),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Type("ApiKey"),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

func (APIKey) Interceptors() []ent.Interceptor { return []ent.Interceptor{readsNeedRole("APIKey")} }
