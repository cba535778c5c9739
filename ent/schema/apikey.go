package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// APIKey authenticates an organization's server-side and dashboard calls. Only a SHA-256 hash of the secret is kept;
// the secret itself (mos_sk_…) is shown once, when the key is created.
type APIKey struct{ ent.Schema }

func (APIKey) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("key"), timestamps{}, ownedBy("api_keys")}
}

func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("hash").Unique().Immutable().Sensitive().NotEmpty(),
		field.String("prefix").Immutable().
			Comment("the first characters of the secret, so that a person can tell keys apart"),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
