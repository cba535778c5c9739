// Package marketingos is the module root. Its only job is to be the single entry point of code generation:
// `go generate ./...` runs entc (ent client and graph/ent.graphql), then gqlgen, then printschema
// (graph/schema.graphqls, the merged schema for client code generators), in that order.
package marketingos

//go:generate go run ./ent/entc.go
//go:generate go tool gqlgen generate
//go:generate go run ./graph/printschema
