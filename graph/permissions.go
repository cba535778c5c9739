package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/marketingos/marketingos/internal/access"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Permissions is the handler extension that applies internal/access to every operation before any of it runs: each
// root field (of a query, a mutation or a subscription) needs the role of its rule, and one refused field refuses
// the whole operation, so a refused request changes nothing.
type Permissions struct{}

var (
	_ graphql.HandlerExtension     = Permissions{}
	_ graphql.OperationInterceptor = Permissions{}
)

func (Permissions) ExtensionName() string                   { return "Permissions" }
func (Permissions) Validate(graphql.ExecutableSchema) error { return nil }
func (Permissions) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if err := checkRootFields(ctx, oc); err != nil {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
	return next(ctx)
}

// rootTypes names the root type of each kind of operation.
var rootTypes = map[ast.Operation]string{ast.Query: "Query", ast.Mutation: "Mutation", ast.Subscription: "Subscription"}

func checkRootFields(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil // gqlgen answers the missing operation itself
	}
	typ := rootTypes[oc.Operation.Operation]
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{typ}) {
		if f.Name == "__typename" || f.Name == "__schema" || f.Name == "__type" {
			continue // introspection has its own switch (extension.Introspection)
		}
		err := access.Check(ctx, typ+"."+f.Name)
		switch {
		case err == nil:
			continue
		case errors.Is(err, viewer.ErrNoViewer):
			e := gqlerror.ErrorPathf(ast.Path{ast.PathName(f.Alias)}, "authentication required")
			setCode(e, CodeUnauthenticated)
			return e
		default:
			e := gqlerror.ErrorPathf(ast.Path{ast.PathName(f.Alias)}, "your role may not run %s", f.Name)
			setCode(e, CodeForbidden)
			return e
		}
	}
	return nil
}
