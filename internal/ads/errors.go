package ads

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnauthenticated means the platform refused the configured credentials: an invalid, expired or revoked token
// (Meta code 190, Google UNAUTHENTICATED, OAuth invalid_grant). Retrying cannot help; an operator has to renew them.
var ErrUnauthenticated = errors.New("ads: the platform rejected the configured credentials")

// ErrInvalidInput means a request was refused before it reached the platform. Errors carrying it are *InputError.
var ErrInvalidInput = errors.New("ads: invalid input")

// ErrPartialCreate means CreateCampaign failed half-way and could not remove what it had already created. Errors
// carrying it are *PartialCreateError.
var ErrPartialCreate = errors.New("ads: campaign partly created")

// InputError says which field of a request is unusable and why, in words fit for the user who typed it.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return fmt.Sprintf("ads: %s: %s", e.Field, e.Message) }

// Is makes errors.Is(err, ErrInvalidInput) hold.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// RateLimitError means the platform asked to slow down. It is returned once the retries allowed by Retry are used
// up, or at once when the platform asks for a longer pause than Retry.MaxDelay.
type RateLimitError struct {
	Platform   string
	RetryAfter time.Duration // zero when the platform did not say
	Message    string
}

func (e *RateLimitError) Error() string {
	msg := fmt.Sprintf("ads: %s rate limit reached", e.Platform)
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// ProviderError is any other error answer from a platform. Message is the platform's own explanation, fit to show
// the user; it never carries credentials.
type ProviderError struct {
	Platform string
	Status   int    // HTTP status
	Code     string // the platform's error code, e.g. "campaignError.DUPLICATE_CAMPAIGN_NAME" or "100/33"
	Message  string
	// Temporary is set when the platform says the failure is transient (5xx, Meta is_transient), so a retry may
	// succeed.
	Temporary bool
}

func (e *ProviderError) Error() string {
	return fmt.Sprintf("ads: %s answered %d %s: %s", e.Platform, e.Status, e.Code, e.Message)
}

// PartialCreateError reports a CreateCampaign that failed after creating remote objects it then could not remove.
// Created lists them so that they can be recorded and removed by hand; Err is why the create failed. errors.Is and
// errors.As see both ErrPartialCreate and Err's chain.
type PartialCreateError struct {
	Platform string
	Created  Created
	Err      error
	// Cleanup is why removing Created failed.
	Cleanup error
}

func (e *PartialCreateError) Error() string {
	return fmt.Sprintf("ads: %s campaign %s left behind (removing it failed: %v) after: %v",
		e.Platform, e.Created.ExternalID, e.Cleanup, e.Err)
}

func (e *PartialCreateError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrPartialCreate) hold.
func (e *PartialCreateError) Is(target error) bool { return target == ErrPartialCreate }
