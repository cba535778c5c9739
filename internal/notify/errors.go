package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Errors a [SendError] matches with errors.Is.
var (
	// ErrRateLimited means the provider asked to slow down; SendError.RetryAfter says for how long.
	ErrRateLimited = errors.New("notify: rate limited")
	// ErrUnavailable means the provider failed on its side (5xx) or could not be reached in time.
	ErrUnavailable = errors.New("notify: provider unavailable")
	// ErrRejected means the provider refused the notice or the credentials (4xx); sending it again fails the
	// same way.
	ErrRejected = errors.New("notify: rejected")
)

// SendError is a failed delivery.
type SendError struct {
	// Sender is "slack" or "resend".
	Sender string
	// StatusCode is the HTTP status, 0 when no answer arrived.
	StatusCode int
	// Code is the provider's error code: Slack's body ("invalid_payload", "no_service"), Resend's message.
	Code string
	// RetryAfter is how long the provider asked to wait, 0 when it did not say.
	RetryAfter time.Duration

	kind error
	err  error
}

func (e *SendError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notify: %s: %s", e.Sender, strings.TrimPrefix(e.kind.Error(), "notify: "))
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	} else if e.err != nil {
		fmt.Fprintf(&b, ": %v", e.err)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the sentinel and the underlying error.
func (e *SendError) Unwrap() []error {
	if e.err == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.err}
}

// Temporary reports whether sending again later may succeed.
func (e *SendError) Temporary() bool { return e.kind == ErrRateLimited || e.kind == ErrUnavailable }

// temporary reports whether err is worth retrying.
func temporary(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Temporary()
}

// retryAfterOf returns the wait a failed send asked for.
func retryAfterOf(err error) time.Duration {
	var se *SendError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// statusError classifies an HTTP error answer: 429 with its Retry-After, 5xx, and the rest as permanent.
func statusError(sender string, status int, header http.Header, code string) *SendError {
	e := &SendError{Sender: sender, StatusCode: status, Code: code}
	switch {
	case status == http.StatusTooManyRequests:
		e.kind = ErrRateLimited
		e.RetryAfter = parseRetryAfter(header.Get("Retry-After"))
	case status >= 500:
		e.kind = ErrUnavailable
	default:
		e.kind = ErrRejected
	}
	return e
}

// transportError classifies a request that got no answer. The URL is dropped from the error: a Slack webhook
// URL is a secret.
func transportError(ctx context.Context, sender string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// Cancelled by the caller: nothing to retry.
		return &SendError{Sender: sender, kind: ErrRejected, err: ctx.Err()}
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return &SendError{Sender: sender, kind: ErrUnavailable, err: fmt.Errorf("timed out: %w", err)}
	}
	return &SendError{Sender: sender, kind: ErrUnavailable, err: err}
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}
