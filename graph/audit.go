package graph

import (
	"context"
	"log/slog"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Audit is the handler extension that records every mutation that succeeded in the audit log: the mutation's name
// as the action, the object it changed, the arguments it was given (secret-looking ones left out) and who gave them.
// A mutation that failed changed nothing and is not recorded.
type Audit struct {
	Client *ent.Client
	Log    *slog.Logger
}

var (
	_ graphql.HandlerExtension = Audit{}
	_ graphql.FieldInterceptor = Audit{}
)

func (Audit) ExtensionName() string                   { return "Audit" }
func (Audit) Validate(graphql.ExecutableSchema) error { return nil }

func (a Audit) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Mutation" || fc.Field.Field == nil {
		return next(ctx)
	}
	res, err := next(ctx)
	v, _ := viewer.FromContext(ctx)
	if err != nil || v.OrgID == "" {
		return res, err
	}
	args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	e := audit.Entry{OrgID: v.OrgID, Action: fc.Field.Name, ObjectID: objectID(args, res), Changes: withoutSecrets(args)}
	if err := audit.Record(ctx, a.Client, e); err != nil {
		// The change has been committed and answered; a missing entry is logged, not turned into a failure.
		a.Log.ErrorContext(ctx, "audit entry not recorded", "action", e.Action, "error", err)
	}
	return res, nil
}

// objectID is the ID of what a mutation changed: its id argument, or the ID of the object it returned.
func objectID(args map[string]any, res any) string {
	if id, ok := args["id"].(string); ok {
		return id
	}
	if k, ok := res.(*account.NewKey); ok && k != nil {
		return k.Key.ID
	}
	// Mutations return ent entities, whose ID is their ID field.
	v := reflect.Indirect(reflect.ValueOf(res))
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return ""
}

// withoutSecrets copies the arguments without the values of keys that name a secret, at any depth.
func withoutSecrets(args map[string]any) map[string]any {
	out := make(map[string]any, len(args))
	for k, v := range args {
		lk := strings.ToLower(k)
		switch {
		case strings.Contains(lk, "password"), strings.Contains(lk, "secret"), strings.Contains(lk, "token"):
			out[k] = "[redacted]"
		default:
			if m, ok := v.(map[string]any); ok {
				v = withoutSecrets(m)
			}
			out[k] = v
		}
	}
	return out
}
