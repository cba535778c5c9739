package ads

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Retry defaults.
const (
	DefaultAttempts  = 3
	DefaultBaseDelay = 500 * time.Millisecond
	DefaultMaxDelay  = 30 * time.Second
)

// Retry is the policy for calls a platform refused for now: rate limits (*RateLimitError) and transient failures
// (*ProviderError with Temporary set). Everything else, including timeouts, is returned at once: a timed-out call may
// have been applied, and retrying it would wait the timeout again. The zero value uses the defaults.
type Retry struct {
	// Attempts is the total number of tries (DefaultAttempts when zero).
	Attempts int
	// BaseDelay is the first wait when the platform did not name one; it doubles on each retry and is jittered
	// (DefaultBaseDelay when zero).
	BaseDelay time.Duration
	// MaxDelay is the longest single wait (DefaultMaxDelay when zero). A platform asking for a longer pause gets no
	// retry: the call fails at once with its *RateLimitError, which carries the pause, rather than retrying early
	// and spending quota on a call bound to fail.
	MaxDelay time.Duration
	// Sleep waits d or until ctx is done, whichever comes first. Tests replace it to record the waits instead of
	// sleeping; nil uses a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Do calls call until it succeeds, fails for good, or the attempts are used up, and returns its last error.
func (r Retry) Do(ctx context.Context, call func(ctx context.Context) error) error {
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil {
			return nil
		}
		if attempt >= attempts {
			return err
		}
		wait, ok := r.delay(err, attempt)
		if !ok {
			return err
		}
		if serr := r.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w while waiting to retry after: %w", serr, err)
		}
	}
}

// delay decides whether err deserves another attempt and how long to wait before it.
func (r Retry) delay(err error, attempt int) (time.Duration, bool) {
	maxDelay := r.MaxDelay
	if maxDelay <= 0 {
		maxDelay = DefaultMaxDelay
	}
	var rl *RateLimitError
	var pe *ProviderError
	switch {
	case errors.As(err, &rl):
		if rl.RetryAfter > maxDelay {
			return 0, false
		}
		if rl.RetryAfter > 0 {
			return rl.RetryAfter, true
		}
	case errors.As(err, &pe) && pe.Temporary:
	default:
		return 0, false
	}
	base := r.BaseDelay
	if base <= 0 {
		base = DefaultBaseDelay
	}
	d := base << (attempt - 1)
	if d > maxDelay || d <= 0 {
		d = maxDelay
	}
	// "Equal jitter": half fixed, half random, so that clients that failed together do not retry together.
	half := d / 2
	return half + rand.N(d-half+1), true
}

func (r Retry) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
