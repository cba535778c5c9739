package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TestErrorPresenter checks what clients see for each kind of error, and that only unexpected resolver errors are
// logged — and never returned.
func TestErrorPresenter(t *testing.T) {
	pagination := &gqlerror.Error{Message: "`first` on a connection cannot be less than zero."}
	errcode.Set(pagination, "INVALID_PAGINATION")
	const secret = `pq: relation products_x does not exist at character 15`

	tests := []struct {
		name      string
		field     string
		err       error
		resolver  bool // returned by a resolver (through MarkResolverErrors)
		wantCode  string
		wantMsg   string // exact, when set
		wantField string
		wantLog   bool
	}{
		{name: "database failure", field: "products", err: fmt.Errorf("query products: %w", errors.New(secret)),
			resolver: true, wantCode: CodeInternal, wantMsg: "internal error", wantLog: true},
		{name: "plain resolver error", field: "viewer", err: errors.New("dial tcp 10.0.0.5:5432: connection refused"),
			resolver: true, wantCode: CodeInternal, wantMsg: "internal error", wantLog: true},
		{name: "input error", field: "createProduct", err: validation.Field("features", "items must be non-empty"),
			resolver: true, wantCode: CodeBadUserInput, wantMsg: "features: items must be non-empty", wantField: "features"},
		{name: "not found", field: "updateProduct", err: fmt.Errorf("update: %w", &ent.NotFoundError{}),
			resolver: true, wantCode: CodeNotFound, wantMsg: "not found"},
		{name: "no viewer", field: "products", err: fmt.Errorf("x: %w", viewer.ErrNoViewer),
			resolver: true, wantCode: CodeUnauthenticated},
		{name: "forbidden", field: "products", err: fmt.Errorf("x: %w", viewer.ErrForbidden),
			resolver: true, wantCode: CodeForbidden},
		{name: "entgql pagination", field: "products", err: pagination,
			resolver: true, wantCode: CodeBadUserInput, wantMsg: pagination.Message},
		{name: "introspection refused", field: "__schema", err: errors.New("introspection disabled"),
			resolver: true, wantCode: CodeForbidden, wantMsg: "introspection is disabled"},
		{name: "same words from another field", field: "products", err: errors.New("introspection disabled"),
			resolver: true, wantCode: CodeInternal, wantMsg: "internal error", wantLog: true},
		{name: "gqlgen argument error", field: "products", err: errors.New("string is not a map"),
			wantCode: CodeBadUserInput, wantMsg: "string is not a map"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			present := ErrorPresenter(slog.New(slog.NewTextHandler(&logs, nil)))
			ctx := graphql.WithPathContext(context.Background(), graphql.NewPathWithField(tt.field))
			err := tt.err
			if tt.resolver {
				_, err = MarkResolverErrors(ctx, func(context.Context) (any, error) { return nil, tt.err })
			}
			got := present(ctx, err)
			if code, _ := got.Extensions["code"].(string); code != tt.wantCode {
				t.Errorf("code = %q (%q), want %s", code, got.Message, tt.wantCode)
			}
			if tt.wantMsg != "" && got.Message != tt.wantMsg {
				t.Errorf("message = %q, want %q", got.Message, tt.wantMsg)
			}
			if f, _ := got.Extensions["field"].(string); f != tt.wantField {
				t.Errorf("field = %q, want %q", f, tt.wantField)
			}
			if logged := logs.Len() > 0; logged != tt.wantLog {
				t.Errorf("logged = %v (%s), want %v", logged, strings.TrimSpace(logs.String()), tt.wantLog)
			}
			if tt.wantCode == CodeInternal && !strings.Contains(logs.String(), tt.err.Error()) {
				t.Errorf("log %q lacks the cause %q", logs.String(), tt.err)
			}
		})
	}
}

// TestRecoverHidesThePanic checks that a resolver panic reaches the client as a generic INTERNAL error.
func TestRecoverHidesThePanic(t *testing.T) {
	var logs bytes.Buffer
	err := Recover(slog.New(slog.NewTextHandler(&logs, nil)))(context.Background(), "nil map write in secretHelper")
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) {
		t.Fatalf("Recover returned %T, want *gqlerror.Error", err)
	}
	if code, _ := gqlErr.Extensions["code"].(string); code != CodeInternal || strings.Contains(gqlErr.Message, "secretHelper") {
		t.Errorf("client sees %q with code %q, want a generic INTERNAL error", gqlErr.Message, code)
	}
	if !strings.Contains(logs.String(), "secretHelper") {
		t.Errorf("the panic was not logged: %q", logs.String())
	}
}
