package schema

import (
	"context"
	"fmt"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"

	gen "github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/intercept"
	"github.com/marketingos/marketingos/internal/access"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Tenancy is enforced here and only here: every query on a tenant-owned entity is narrowed to the viewer's
// organization by an interceptor, every update and delete by a hook, and every create is stamped with the viewer's
// organization. A context without a viewer sees nothing and changes nothing.

// orgColumn is the foreign key every tenant-owned table carries.
const orgColumn = "organization_id"

// tenantMixin makes an entity belong to an organization. ref names the organization's edge back to it.
type tenantMixin struct {
	mixin.Schema
	ref string
	// composites is true when the entity's own indexes all begin with the organization, which makes an index of
	// the organization alone redundant: one more index to update on every insert, and never the best plan.
	composites bool
}

func ownedBy(ref string) tenantMixin { return tenantMixin{ref: ref} }

// indexedByComposites drops the index of the organization alone (see tenantMixin.composites).
func (m tenantMixin) indexedByComposites() tenantMixin {
	m.composites = true
	return m
}

func (tenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String(orgColumn).
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (m tenantMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).
			Ref(m.ref).
			Field(orgColumn).
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (m tenantMixin) Indexes() []ent.Index {
	if m.composites {
		return nil
	}
	return []ent.Index{index.Fields(orgColumn)}
}

func (tenantMixin) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{filterQuery(func(orgID string) func(*sql.Selector) {
		return sql.FieldEQ(orgColumn, orgID)
	})}
}

func (tenantMixin) Hooks() []ent.Hook {
	return []ent.Hook{tenantMutations(orgColumn, true)}
}

// wherer is implemented by every generated mutation.
type wherer interface {
	WhereP(...func(*sql.Selector))
}

// filterQuery narrows queries for tenant viewers with the predicate pred builds; the system viewer sees everything.
func filterQuery(pred func(orgID string) func(*sql.Selector)) ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		v, ok := viewer.FromContext(ctx)
		switch {
		case !ok:
			return viewer.ErrNoViewer
		case v.System:
			return nil
		case v.OrgID == "":
			return viewer.ErrNoViewer
		}
		q.WhereP(pred(v.OrgID))
		return nil
	})
}

// tenantMutations confines tenant viewers' mutations to their organization: creates get the viewer's organization
// in column (and may not name another), updates and deletes only reach the viewer's rows. When tenantsMayWrite is
// false only the system may change the entity at all.
func tenantMutations(column string, tenantsMayWrite bool) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, ok := viewer.FromContext(ctx)
			switch {
			case !ok || (!v.System && v.OrgID == ""):
				return nil, viewer.ErrNoViewer
			case v.System:
				return next.Mutate(ctx, m)
			case !tenantsMayWrite:
				return nil, viewer.ErrForbidden
			}
			if err := checkReferences(ctx, m); err != nil {
				return nil, err
			}
			if m.Op().Is(ent.OpCreate) {
				if cur, set := m.Field(column); set && cur != v.OrgID {
					return nil, viewer.ErrForbidden
				}
				if err := m.SetField(column, v.OrgID); err != nil {
					return nil, err
				}
				return next.Mutate(ctx, m)
			}
			w, ok := m.(wherer)
			if !ok {
				return nil, fmt.Errorf("tenancy: mutation %T cannot be filtered", m)
			}
			w.WhereP(sql.FieldEQ(column, v.OrgID))
			return next.Mutate(ctx, m)
		})
	}
}

// systemWrites lets only the system viewer change an entity (webhook deliveries, for instance).
func systemWrites() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, ok := viewer.FromContext(ctx)
			switch {
			case !ok:
				return nil, viewer.ErrNoViewer
			case !v.System:
				return nil, viewer.ErrForbidden
			}
			return next.Mutate(ctx, m)
		})
	}
}

// systemReads lets only the system viewer read an entity (sessions, which internal/auth reads for the person).
func systemReads() ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		v, ok := viewer.FromContext(ctx)
		switch {
		case !ok:
			return viewer.ErrNoViewer
		case !v.System:
			return viewer.ErrForbidden
		}
		return nil
	})
}

// readsNeedRole confines reading an entity to the viewers access.CheckRead lets read it (API keys, invitations and
// the audit log are an ADMIN's), whichever way a query reaches it.
func readsNeedRole(typ string) ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		return access.CheckRead(ctx, typ)
	})
}

// checkReferences completes tenancy for references: a tenant may only point its rows at rows it can see (a
// campaign at its own product, never at another organization's). The interceptors above already hide other
// organizations' rows, so "can see" is "Noder finds it with the viewer's context". The mutation's own client is
// used so that rows created earlier in the same transaction count.
func checkReferences(ctx context.Context, m ent.Mutation) error {
	c, ok := m.(interface{ Client() *gen.Client })
	if !ok {
		return fmt.Errorf("tenancy: mutation %T has no client", m)
	}
	for _, edge := range m.AddedEdges() {
		if edge == "organization" { // stamped by tenantMutations itself
			continue
		}
		for _, id := range m.AddedIDs(edge) {
			s, ok := id.(string)
			if !ok {
				return fmt.Errorf("tenancy: edge %s: unexpected id type %T", edge, id)
			}
			if _, err := c.Client().Noder(ctx, s, gen.WithNodeType(gen.IDToType)); err != nil {
				return fmt.Errorf("%s %s: %w", edge, s, err)
			}
		}
	}
	return nil
}
