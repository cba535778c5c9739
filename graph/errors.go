package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/people"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Error codes clients find in extensions.code, besides gqlgen's own GRAPHQL_PARSE_FAILED,
// GRAPHQL_VALIDATION_FAILED and COMPLEXITY_LIMIT_EXCEEDED for requests that never reach a resolver.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeNotFound        = "NOT_FOUND"
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeRateLimited     = "RATE_LIMITED"
	CodeInternal        = "INTERNAL"
	CodeUnavailable     = "UNAVAILABLE" // overloaded or shutting down: retry
	// CodeProviderError: an external platform (Google Ads, Meta, …) refused or failed; the message says why.
	CodeProviderError = "PROVIDER_ERROR"
)

var ourCodes = map[string]bool{
	CodeUnauthenticated: true, CodeForbidden: true, CodeNotFound: true,
	CodeBadUserInput: true, CodeRateLimited: true, CodeInternal: true, CodeUnavailable: true, CodeProviderError: true,
}

// resolverError marks an error returned by a resolver, as opposed to one gqlgen raised while reading the request
// (a malformed argument, say), so that the presenter knows which errors may hide internals.
type resolverError struct{ err error }

func (e resolverError) Error() string { return e.err.Error() }
func (e resolverError) Unwrap() error { return e.err }

// MarkResolverErrors is a field middleware that tags every resolver error for the presenter.
func MarkResolverErrors(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if err != nil {
		var re resolverError
		if !errors.As(err, &re) {
			err = resolverError{err: err}
		}
	}
	return res, err
}

// ErrorPresenter maps every error to a client-safe message with extensions.code. Unknown resolver errors are
// logged once, here, and reach the client only as INTERNAL.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var re resolverError
		if !errors.As(err, &re) {
			// Raised by gqlgen itself: parsing, validation, argument coercion. The message is about the request.
			if code, _ := gqlErr.Extensions["code"].(string); code == "" {
				setCode(gqlErr, CodeBadUserInput)
			}
			return gqlErr
		}
		classify(gqlErr, re.err)
		if gqlErr.Extensions["code"] == CodeInternal {
			log.ErrorContext(ctx, "graphql resolver failed", "path", gqlErr.Path.String(), "error", re.err)
		}
		return gqlErr
	}
}

func classify(gqlErr *gqlerror.Error, err error) {
	var (
		platformErr *ads.PlatformFailure
		contentErr  *content.Failure
		inputErr    *validation.Error
		entValid    *ent.ValidationError
		ownErr      *gqlerror.Error
		refused     *people.RefusedError
	)
	switch {
	case errors.As(err, &inputErr):
		gqlErr.Message = inputErr.Error()
		setCode(gqlErr, CodeBadUserInput)
		gqlErr.Extensions["field"] = inputErr.Field
	case errors.As(err, &entValid):
		field := graphqlName(entValid.Name)
		gqlErr.Message = fmt.Sprintf("%s: %s", field, validationReason(entValid))
		setCode(gqlErr, CodeBadUserInput)
		gqlErr.Extensions["field"] = field
	case ent.IsNotFound(err):
		gqlErr.Message = "not found"
		setCode(gqlErr, CodeNotFound)
	case ent.IsConstraintError(err):
		gqlErr.Message = "conflicts with an existing record"
		setCode(gqlErr, CodeBadUserInput)
	case errors.As(err, &platformErr):
		// The ad platform refused or failed: its message is meant for the marketer (it names no secret).
		gqlErr.Message = platformMessage(platformErr)
		setCode(gqlErr, CodeProviderError)
		gqlErr.Extensions["campaignId"] = platformErr.CampaignID
	case errors.As(err, &contentErr):
		// Generation or publication failed; the content is kept as FAILED with the reason.
		gqlErr.Message = strings.TrimPrefix(contentErr.Err.Error(), "content: ")
		setCode(gqlErr, CodeProviderError)
		gqlErr.Extensions["contentId"] = contentErr.ContentID
	case errors.Is(err, ads.ErrTransition), errors.Is(err, content.ErrTransition):
		gqlErr.Message = strings.TrimPrefix(strings.TrimPrefix(err.Error(), "ads: "), "content: ")
		setCode(gqlErr, CodeBadUserInput)
		gqlErr.Extensions["field"] = "status"
	case errors.Is(err, ads.ErrNotConfigured):
		gqlErr.Message = "the ad platform's credentials are not configured on this server"
		setCode(gqlErr, CodeProviderError)
	case errors.Is(err, tracking.ErrOverloaded), errors.Is(err, tracking.ErrClosed):
		gqlErr.Message = "temporarily unavailable; retry shortly"
		setCode(gqlErr, CodeUnavailable)
	case errors.As(err, &refused):
		// A rule of internal/people (owners manage owners, the last OWNER stays): the reason is for the caller.
		gqlErr.Message = refused.Reason
		setCode(gqlErr, CodeForbidden)
	case errors.Is(err, people.ErrNotSent):
		// Nothing was kept; the operator finds the provider's answer in the log.
		gqlErr.Message = "the invitation e-mail could not be sent, so no invitation was made; retry shortly"
		setCode(gqlErr, CodeProviderError)
	case errors.Is(err, viewer.ErrNoViewer):
		gqlErr.Message = "authentication required"
		setCode(gqlErr, CodeUnauthenticated)
	case errors.Is(err, viewer.ErrForbidden):
		gqlErr.Message = "not permitted"
		setCode(gqlErr, CodeForbidden)
	case errors.As(err, &ownErr):
		// Deliberately client-facing errors built with gqlerror, such as entgql's pagination checks
		// (INVALID_PAGINATION): they are about the input unless they carry one of our codes.
		gqlErr.Message = ownErr.Message
		code, _ := ownErr.Extensions["code"].(string)
		if !ourCodes[code] {
			code = CodeBadUserInput
		}
		setCode(gqlErr, code)
	case introspectionRefused(gqlErr.Path, err):
		gqlErr.Message = "introspection is disabled"
		setCode(gqlErr, CodeForbidden)
	default:
		gqlErr.Message = "internal error"
		setCode(gqlErr, CodeInternal)
	}
}

// introspectionRefused reports gqlgen's refusal of __schema and __type when introspection is off (production): a
// policy, not a failure, so it is FORBIDDEN rather than INTERNAL and not logged as an error.
func introspectionRefused(path ast.Path, err error) bool {
	if len(path) == 0 || err.Error() != "introspection disabled" {
		return false
	}
	name, _ := path[len(path)-1].(ast.PathName)
	return name == "__schema" || name == "__type"
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// validationReason turns ent's validator error into a short reason without the entity's Go names.
func validationReason(e *ent.ValidationError) string {
	inner := errors.Unwrap(e)
	switch {
	case inner == nil:
		return "is invalid"
	case strings.Contains(inner.Error(), "missing required field"):
		return "is required"
	default:
		return inner.Error()
	}
}

// Recover turns a panic in a resolver into an INTERNAL error, logging the stack.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql resolver panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		e := gqlerror.Errorf("internal error")
		setCode(e, CodeInternal)
		return e
	}
}

// platformMessage says what an ad platform's failure means for the marketer.
func platformMessage(e *ads.PlatformFailure) string {
	var rate *ads.RateLimitError
	switch {
	case errors.Is(e, ads.ErrUnauthenticated):
		return "the ad platform rejected this server's credentials (expired or revoked token); reconnect the account"
	case errors.As(e, &rate):
		return "the ad platform is rate limiting this account; try again later"
	default:
		return strings.TrimPrefix(e.Err.Error(), "ads: ")
	}
}
