package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/marketingos/marketingos/ent/intercept"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/viewer"
)

// User is a person who signs in, with a password, single sign-on, or both. A user belongs to organizations through
// memberships; users are not owned by an organization, and internal/auth (acting as the system) creates and changes
// them.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin {
	return []ent.Mixin{prefixed.Mixin("usr"), timestamps{}}
}

func (User) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("email").Unique().NotEmpty().MaxLen(254).
			Comment("lower-cased, so that uniqueness is case-insensitive on both databases"),
		field.String("name").Default("").MaxLen(200),
		field.String("password_hash").Optional().Nillable().Sensitive().Annotations(skip).
			Comment("argon2id in PHC form; nil for a user who only signs in with single sign-on"),
		field.String("oidc_issuer").Optional().Nillable().Annotations(skip),
		field.String("oidc_subject").Optional().Nillable().Annotations(skip),
		field.Time("last_sign_in_at").Optional().Nillable(),
	}
}

func (User) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.To("memberships", Membership.Type).Annotations(skip),
		edge.To("sessions", Session.Type).Annotations(skip),
	}
}

func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("oidc_issuer", "oidc_subject").Unique()}
}

// Interceptors: a tenant sees the people of its organization (its members) and the signed-in person, nobody else.
func (User) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		v, ok := viewer.FromContext(ctx)
		switch {
		case !ok:
			return viewer.ErrNoViewer
		case v.System:
			return nil
		case v.OrgID == "" && v.UserID == "":
			return viewer.ErrNoViewer
		}
		q.WhereP(func(s *sql.Selector) {
			members := sql.Select("user_id").From(sql.Table("memberships")).Where(sql.EQ(orgColumn, v.OrgID))
			s.Where(sql.Or(sql.EQ(s.C("id"), v.UserID), sql.In(s.C("id"), members)))
		})
		return nil
	})}
}

// Hooks: only the system writes users (sign-up through invitations, sign-in, the CLI).
func (User) Hooks() []ent.Hook {
	return []ent.Hook{systemWrites()}
}

func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
