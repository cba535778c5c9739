// Package graph is the GraphQL API: the schema (ent.graphql generated from ent, the rest hand-written), thin
// resolvers that call ent or the domain packages, and the error mapping every response goes through.
package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/marketingos/marketingos/ent"
)

// Resolver holds what the resolvers need.
type Resolver struct {
	client *ent.Client
}

// NewSchema returns the executable schema, with complexity costs that make a connection cost its page size times
// what each node asks for.
func NewSchema(client *ent.Client) graphql.ExecutableSchema {
	cfg := Config{Resolvers: &Resolver{client: client}}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}
