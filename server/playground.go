package server

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/playground"
)

// playground serves GraphiQL, in development only. Paste the API key into its headers as
// {"Authorization": "Bearer mos_sk_…"}.
func graphiql() http.HandlerFunc {
	return playground.Handler("MarketingOS", "/graphql")
}
