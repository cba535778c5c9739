package content

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors that callers branch on with errors.Is. Provider failures come as an [*APIError] that matches one of
// them; a draft that cannot be used comes as a [*MalformedOutputError].
var (
	// ErrMalformedOutput means the model answered, but not with a usable post.
	ErrMalformedOutput = errors.New("content: malformed model output")
	// ErrUnauthorized means the provider rejected the credentials.
	ErrUnauthorized = errors.New("content: unauthorized")
	// ErrRateLimited means the provider asked to slow down, and the retries allowed are used up.
	ErrRateLimited = errors.New("content: rate limited")
	// ErrOverloaded means the provider is overloaded (Anthropic 529), and the retries allowed are used up.
	ErrOverloaded = errors.New("content: provider overloaded")
	// ErrSpendLimit means the account hit its spend limit; retrying does not help until someone raises it.
	ErrSpendLimit = errors.New("content: spend limit reached")
	// ErrUnavailable means the provider failed on its side (5xx) or could not be reached.
	ErrUnavailable = errors.New("content: provider unavailable")
	// ErrTimeout means the provider did not answer in time.
	ErrTimeout = errors.New("content: provider timed out")
	// ErrRejected means the provider refused the request itself (a 4xx other than the above); retrying the same
	// request fails the same way.
	ErrRejected = errors.New("content: request rejected")
	// ErrNoIntegration means Postiz has no enabled channel for any platform of the post.
	ErrNoIntegration = errors.New("content: no Postiz integration for the post's platforms")
	// ErrNoVariants means a post has nothing to publish.
	ErrNoVariants = errors.New("content: post has no variants")
)

// APIError is a failed call to a provider. It matches its sentinel (ErrRateLimited, ErrUnavailable, …) with
// errors.Is and, for Anthropic, the SDK's *anthropic.Error with errors.As.
type APIError struct {
	// Provider is "anthropic" or "postiz".
	Provider string
	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int
	// Code is the provider's error type or code, e.g. "rate_limit_error" or "enforced_spend_limit_reached".
	Code string
	// Message is the provider's explanation, if any.
	Message string
	// Attempts is how many requests were made, retries included.
	Attempts int
	// RetryAfter is how long the provider asked to wait, 0 when it did not say.
	RetryAfter time.Duration

	kind error // one of the sentinels above
	err  error // the underlying error, e.g. *anthropic.Error or context.DeadlineExceeded
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Provider, strings.TrimPrefix(e.kind.Error(), "content: "))
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.StatusCode)
		if e.Code != "" {
			fmt.Fprintf(&b, " %s", e.Code)
		}
		b.WriteString(")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, ", retry after %s", e.RetryAfter)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.err != nil {
		fmt.Fprintf(&b, ": %v", e.err)
	}
	return b.String()
}

// Unwrap returns the sentinel and the underlying error.
func (e *APIError) Unwrap() []error {
	if e.err == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.err}
}

// Temporary reports whether the same call may succeed later.
func (e *APIError) Temporary() bool {
	switch e.kind {
	case ErrRateLimited, ErrOverloaded, ErrUnavailable, ErrTimeout:
		return true
	}
	return false
}

// MalformedOutputError says why a model answer was not a usable draft. It matches [ErrMalformedOutput].
type MalformedOutputError struct {
	// Reason is what is wrong, e.g. "no JSON object" or "missing variant for X".
	Reason string
	// Excerpt is the start of the model's text, for the logs.
	Excerpt string
}

func (e *MalformedOutputError) Error() string {
	if e.Excerpt == "" {
		return ErrMalformedOutput.Error() + ": " + e.Reason
	}
	return fmt.Sprintf("%s: %s (output starts %q)", ErrMalformedOutput, e.Reason, e.Excerpt)
}

// Is makes the error match [ErrMalformedOutput].
func (e *MalformedOutputError) Is(target error) bool { return target == ErrMalformedOutput }

func malformed(text, format string, args ...any) error {
	return &MalformedOutputError{Reason: fmt.Sprintf(format, args...), Excerpt: excerpt(text, 120)}
}

// excerpt returns the first n runes of s, marked when cut.
func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
