package content

import (
	"log/slog"
	"net/http"
	"time"
)

// Option tunes a client built by [NewAnthropic] or [NewPostiz]. A client ignores the options that do not apply
// to it.
type Option func(*options)

type options struct {
	httpClient    *http.Client
	timeout       time.Duration
	maxRetries    int
	maxRetryWait  time.Duration
	maxTokens     int64
	now           func() time.Time
	log           *slog.Logger
	cacheTTL      time.Duration
	lookback      time.Duration
	integrationID map[string]string
}

func defaultOptions() options {
	return options{
		timeout:      60 * time.Second,
		maxRetries:   2,
		maxRetryWait: 20 * time.Second,
		maxTokens:    2048,
		now:          time.Now,
		log:          slog.New(slog.DiscardHandler),
		cacheTTL:     5 * time.Minute,
		lookback:     72 * time.Hour,
	}
}

func buildOptions(opts []Option) options {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithHTTPClient sends requests through c instead of a default client.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithTimeout bounds one call: a whole Generate, retries included, or one Postiz request. Default 60s.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithMaxRetries sets how often Anthropic calls are retried on 429, 529, 5xx and connection errors (default 2).
// Retries wait what the retry-after header says, or back off exponentially.
func WithMaxRetries(n int) Option { return func(o *options) { o.maxRetries = max(n, 0) } }

// WithMaxRetryWait caps the retry-after an Anthropic retry honours (default 20s): a longer wait fails the call at
// once with the wait in [APIError.RetryAfter], instead of holding the caller.
func WithMaxRetryWait(d time.Duration) Option { return func(o *options) { o.maxRetryWait = d } }

// WithMaxTokens sets the output budget of a Claude call (default 2048, ample for five variants).
func WithMaxTokens(n int64) Option { return func(o *options) { o.maxTokens = n } }

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger logs through l (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

// WithIntegrationCacheTTL sets how long Postiz's integration list is reused (default 5 minutes).
func WithIntegrationCacheTTL(d time.Duration) Option { return func(o *options) { o.cacheTTL = d } }

// WithLookback sets how far back Postiz is searched for a post already created for the same content, before a
// new one is created (default 72 hours).
func WithLookback(d time.Duration) Option { return func(o *options) { o.lookback = d } }

// WithIntegration pins the Postiz integration (channel) id to publish a platform's variant on, instead of the
// first enabled integration of that platform.
func WithIntegration(platform, integrationID string) Option {
	return func(o *options) {
		if o.integrationID == nil {
			o.integrationID = map[string]string{}
		}
		o.integrationID[normalisePlatform(platform)] = integrationID
	}
}
