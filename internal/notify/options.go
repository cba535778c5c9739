package notify

import (
	"net/http"
	"time"
)

// Option tunes a sender built by [NewSlack] or [NewResend].
type Option func(*senderOptions)

type senderOptions struct {
	httpClient *http.Client
	timeout    time.Duration
}

func buildSenderOptions(opts []Option) senderOptions {
	o := senderOptions{timeout: 10 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithHTTPClient sends requests through c instead of a default client.
func WithHTTPClient(c *http.Client) Option { return func(o *senderOptions) { o.httpClient = c } }

// WithTimeout bounds one delivery attempt (default 10s).
func WithTimeout(d time.Duration) Option { return func(o *senderOptions) { o.timeout = d } }
