//go:build ignore

// entc.go generates the ent client and the GraphQL schema of the entities (graph/ent.graphql). It is run from the
// module root by `go generate ./...` (see generate.go), before gqlgen.
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	ext, err := entgql.NewExtension(
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/ent.graphql"),
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithRelaySpec(true),
	)
	if err != nil {
		log.Fatalf("entgql extension: %v", err)
	}
	prefixed := gen.MustParse(gen.NewTemplate("prefixed").Funcs(entgql.TemplateFuncs).ParseFiles("ent/template/prefixed.tmpl"))
	dialect := gen.MustParse(gen.NewTemplate("dialect").ParseFiles("ent/template/dialect.tmpl"))
	cfg := &gen.Config{
		Target:    "ent",
		Package:   "github.com/marketingos/marketingos/ent",
		Templates: append(entgql.AllTemplates, prefixed, dialect),
		Features: []gen.Feature{
			gen.FeatureUpsert,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
			gen.FeatureLock,
			gen.FeatureIntercept,
		},
	}
	if err := entc.Generate("./ent/schema", cfg, entc.Extensions(ext)); err != nil {
		log.Fatalf("ent codegen: %v", err)
	}
}
