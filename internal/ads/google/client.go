// Package google runs Search campaigns on the Google Ads API over REST: it creates them (budget, campaign, ad group
// and keywords in one atomic call), pauses and resumes them, and reads their daily metrics. The wire format follows
// the Google Ads REST reference; the googlefake subpackage speaks the same format for tests.
package google

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/config"
)

// Defaults for what config.GoogleAds leaves empty.
const (
	DefaultAPIURL     = "https://googleads.googleapis.com"
	DefaultTokenURL   = "https://oauth2.googleapis.com/token"
	DefaultAPIVersion = "v26"
)

// maxResponse bounds what is read from one answer; a year of daily rows for one campaign is a few hundred KB.
const maxResponse = 32 << 20

// tokenSlack renews an access token this long before it expires, so that it cannot expire in flight.
const tokenSlack = time.Minute

// Client talks to one Google Ads customer account. It is safe for concurrent use.
type Client struct {
	customerID string
	login      string
	devToken   string
	base       string // API root with version, no trailing slash
	version    int    // major version number, 0 if unparseable
	oauth      oauth2.Config
	refresh    string

	http    *http.Client
	timeout time.Duration
	retry   ads.Retry
	now     func() time.Time

	mu      sync.Mutex // guards token and expires; held while refreshing so that concurrent calls share one refresh
	token   string
	expires time.Time // on c.now's clock; zero if the token endpoint gave no lifetime
}

var _ ads.Platform = (*Client)(nil)

// Option adjusts a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client for both the API and the token endpoint (default: a fresh http.Client).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithTimeout bounds each HTTP call, token refreshes included (default ads.DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRetry sets the policy for rate limits and server errors.
func WithRetry(r ads.Retry) Option { return func(c *Client) { c.retry = r } }

// WithClock sets the clock that decides when the access token is due for renewal (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a client for cfg. It does not contact Google until the first call.
func New(cfg config.GoogleAds, opts ...Option) *Client {
	apiURL := strings.TrimRight(cfg.APIURL, "/")
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	version := cfg.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	tokenURL := cfg.OAuthTokenURL
	if tokenURL == "" {
		tokenURL = DefaultTokenURL
	}
	c := &Client{
		customerID: strings.ReplaceAll(cfg.CustomerID, "-", ""),
		login:      strings.ReplaceAll(cfg.LoginCustomerID, "-", ""),
		devToken:   cfg.DeveloperToken,
		base:       apiURL + "/" + version,
		version:    majorVersion(version),
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			// Google's token endpoint takes the client credentials in the form body.
			Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
			Scopes:   []string{"https://www.googleapis.com/auth/adwords"},
		},
		refresh: cfg.RefreshToken,
		http:    &http.Client{},
		timeout: ads.DefaultTimeout,
		now:     time.Now,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Name implements ads.Platform.
func (c *Client) Name() string { return ads.Google }

// Mock implements ads.Platform.
func (c *Client) Mock() bool { return false }

// accessToken returns a valid access token, refreshing it when it is missing or about to expire.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && (c.expires.IsZero() || c.now().Add(tokenSlack).Before(c.expires)) {
		return c.token, nil
	}
	tctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, c.http), c.timeout)
	defer cancel()
	tok, err := c.oauth.TokenSource(tctx, &oauth2.Token{RefreshToken: c.refresh}).Token()
	if err != nil {
		return "", tokenError(ctx, tctx, c.timeout, err)
	}
	if tok.RefreshToken != "" {
		c.refresh = tok.RefreshToken // Google may rotate it
	}
	c.token, c.expires = tok.AccessToken, time.Time{}
	if !tok.Expiry.IsZero() {
		// oauth2 dates the expiry by the wall clock; carry the lifetime over to c.now's clock.
		c.expires = c.now().Add(time.Until(tok.Expiry))
	}
	return c.token, nil
}

// tokenError maps a failed refresh. The oauth2 error is not wrapped: its body echoes the token endpoint's answer,
// which is not ours to show.
func tokenError(ctx, tctx context.Context, timeout time.Duration, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		switch {
		case status == http.StatusTooManyRequests:
			return &ads.RateLimitError{Platform: ads.Google, RetryAfter: retryAfterHeader(re.Response.Header),
				Message: "OAuth token endpoint"}
		case status >= 500:
			return &ads.ProviderError{Platform: ads.Google, Status: status, Code: "oauth", Temporary: true,
				Message: "the OAuth token endpoint failed"}
		}
		code := re.ErrorCode
		if code == "" {
			code = http.StatusText(status)
		}
		return fmt.Errorf("%w: google ads: OAuth refresh refused (%s)", ads.ErrUnauthenticated, code)
	}
	return transportError(ctx, tctx, "OAuth token refresh", timeout, err)
}

// transportError describes a call that got no HTTP answer. It keeps the context's error in the chain (so
// errors.Is(err, context.DeadlineExceeded) holds on a timeout) and drops the URL that *url.Error would print.
func transportError(ctx, callCtx context.Context, op string, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("google ads: %s: %w", op, ctx.Err())
	}
	if callCtx.Err() != nil {
		return fmt.Errorf("google ads: %s: no answer within %s: %w", op, timeout, callCtx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("google ads: %s: %w", op, err)
}

// call POSTs in as JSON to path (below the versioned root) and decodes the answer with decode, retrying per c.retry.
func (c *Client) call(ctx context.Context, op, path string, in any, decode func([]byte) error) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("google ads: %s: %w", op, err)
	}
	return c.retry.Do(ctx, func(ctx context.Context) error {
		data, err := c.post(ctx, op, path, body)
		if err != nil {
			return err
		}
		return decode(data)
	})
}

// post makes one authenticated POST and returns the body of a 2xx answer, or the mapped error.
func (c *Client) post(ctx context.Context, op, path string, body []byte) ([]byte, error) {
	token, err := c.accessToken(ctx)
	if err != nil {
		return nil, err
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(callCtx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("google ads: %s: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	// Developer tokens are optional since the 2026 access change; send one only when configured.
	if c.devToken != "" {
		req.Header.Set("developer-token", c.devToken)
	}
	if c.login != "" {
		req.Header.Set("login-customer-id", c.login)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, callCtx, op, c.timeout, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, transportError(ctx, callCtx, op, c.timeout, err)
	}
	if resp.StatusCode/100 != 2 {
		err := apiError(resp.StatusCode, resp.Header, data)
		if errors.Is(err, ads.ErrUnauthenticated) {
			c.forget(token)
		}
		return nil, err
	}
	return data, nil
}

// forget drops a cached access token the API refused, so that the next call refreshes it rather than failing until
// it would have expired.
func (c *Client) forget(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == token {
		c.token, c.expires = "", time.Time{}
	}
}

func (c *Client) customerPath(suffix string) string {
	return "/customers/" + c.customerID + "/" + suffix
}

func (c *Client) campaignResource(id string) string {
	return "customers/" + c.customerID + "/campaigns/" + id
}

// PauseCampaign implements ads.Platform.
func (c *Client) PauseCampaign(ctx context.Context, externalID string) error {
	return c.setStatus(ctx, externalID, "PAUSED")
}

// ResumeCampaign implements ads.Platform. The ad group and keywords were created enabled, so enabling the campaign
// starts delivery.
func (c *Client) ResumeCampaign(ctx context.Context, externalID string) error {
	return c.setStatus(ctx, externalID, "ENABLED")
}

func (c *Client) setStatus(ctx context.Context, externalID, status string) error {
	if !isDigits(externalID) {
		return &ads.InputError{Field: "externalId", Message: fmt.Sprintf("%q is not a Google Ads campaign id", externalID)}
	}
	req := map[string]any{
		"operations": []any{map[string]any{
			"update":     map[string]any{"resourceName": c.campaignResource(externalID), "status": status},
			"updateMask": "status",
		}},
	}
	op := "set campaign status " + status
	return c.call(ctx, op, c.customerPath("campaigns:mutate"), req, func(data []byte) error {
		var resp struct {
			Results []struct {
				ResourceName string `json:"resourceName"`
			} `json:"results"`
		}
		if err := json.Unmarshal(data, &resp); err != nil || len(resp.Results) != 1 {
			return malformed(op)
		}
		return nil
	})
}

func malformed(op string) error {
	return &ads.ProviderError{Platform: ads.Google, Status: http.StatusOK, Code: "malformed_response",
		Message: "unexpected answer to " + op}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// majorVersion reads 21 from "v21" (0 when it cannot), to pick field names that changed between versions.
func majorVersion(v string) int {
	n := 0
	for _, r := range strings.TrimPrefix(v, "v") {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
