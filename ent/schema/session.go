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

// Session is a signed-in browser. The cookie carries a random token; only its SHA-256 hash is stored, so a copy of
// the database signs nobody in. internal/auth, acting as the system, is its only reader and writer.
type Session struct{ ent.Schema }

func (Session) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("ses")}
}

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable().NotEmpty(),
		field.String("token_hash").Unique().Immutable().Sensitive().NotEmpty(),
		field.Time("created_at").Immutable().Default(timeNow),
		field.Time("last_seen_at").Default(timeNow).Comment("idle expiry counts from here"),
		field.Time("expires_at").Immutable().Comment("absolute expiry"),
		field.String("user_agent").Default("").MaxLen(512),
		field.String("method").Default("password").Comment("how the user signed in: password, oidc or invitation"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Field("user_id").Unique().Required().Immutable(),
	}
}

func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id")}
}

func (Session) Interceptors() []ent.Interceptor { return []ent.Interceptor{systemReads()} }

func (Session) Hooks() []ent.Hook { return []ent.Hook{systemWrites()} }

func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
