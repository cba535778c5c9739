package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/marketingos/marketingos/internal/validation"
)

// TextInput refuses, before any resolver runs, an operation whose variables or query text carry a NUL character
// (or invalid UTF-8): PostgreSQL stores neither in text, so such input would otherwise fail deep in a write as
// INTERNAL. One check for every mutation and query, rather than one per field.
type TextInput struct{}

var (
	_ graphql.HandlerExtension        = TextInput{}
	_ graphql.OperationContextMutator = TextInput{}
)

func (TextInput) ExtensionName() string                   { return "TextInput" }
func (TextInput) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext answers BAD_USER_INPUT with the variable's path in extensions.field.
func (TextInput) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if !validation.Text(rc.RawQuery) || strings.Contains(rc.RawQuery, `\u0000`) {
		return badText("query")
	}
	for name, v := range rc.Variables {
		if path, ok := validation.TextIn(v, name); !ok {
			return badText(path)
		}
	}
	return nil
}

func badText(field string) *gqlerror.Error {
	err := gqlerror.Errorf("%s must be valid text without NUL characters", field)
	err.Extensions = map[string]any{"code": CodeBadUserInput, "field": field}
	return err
}
