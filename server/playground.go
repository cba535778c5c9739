package server

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/playground"
)

// graphiqlPath is where GraphiQL is served, in development only.
const graphiqlPath = "/graphiql"

// graphiql serves GraphiQL, in development only. Paste the API key into its headers as
// {"Authorization": "Bearer mos_sk_…"}.
func graphiql() http.HandlerFunc {
	return playground.Handler("MarketingOS", "/graphql")
}
