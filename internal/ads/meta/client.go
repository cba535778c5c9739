// Package meta runs Facebook and Instagram ad campaigns on the Meta Marketing API (Graph API): it creates them
// (campaign, ad set, creatives and ads, removing the campaign again if a later step fails), pauses and resumes them,
// and reads their daily insights. The wire format follows the Graph API reference; the metafake subpackage speaks the
// same format for tests.
package meta

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/config"
)

// Defaults for what config.Facebook leaves empty.
const (
	DefaultGraphURL   = "https://graph.facebook.com"
	DefaultAPIVersion = "v26.0"
)

const maxResponse = 32 << 20

// Client talks to one Meta ad account. It is safe for concurrent use.
type Client struct {
	account string // act_<id>
	pageID  string
	token   string
	proof   string // appsecret_proof, empty without an app secret
	base    *url.URL

	http    *http.Client
	timeout time.Duration
	retry   ads.Retry
}

var _ ads.Platform = (*Client)(nil)

// Option adjusts a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: a fresh http.Client).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithTimeout bounds each HTTP call (default ads.DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRetry sets the policy for rate limits and transient errors.
func WithRetry(r ads.Retry) Option { return func(c *Client) { c.retry = r } }

// New returns a client for cfg. It does not contact Meta until the first call. A GraphURL that does not parse falls
// back to the default: config.Load has already rejected such values.
func New(cfg config.Facebook, opts ...Option) *Client {
	graph := strings.TrimRight(cfg.GraphURL, "/")
	if graph == "" {
		graph = DefaultGraphURL
	}
	version := cfg.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	base, err := url.Parse(graph + "/" + version)
	if err != nil || base.Host == "" {
		base, _ = url.Parse(DefaultGraphURL + "/" + version)
	}
	c := &Client{
		account: "act_" + strings.TrimPrefix(cfg.AdAccountID, "act_"),
		pageID:  cfg.PageID,
		token:   cfg.AccessToken,
		base:    base,
		http:    &http.Client{},
		timeout: ads.DefaultTimeout,
	}
	if cfg.AppSecret != "" {
		// Proves the caller holds the app secret, so a leaked token alone cannot be used from elsewhere.
		mac := hmac.New(sha256.New, []byte(cfg.AppSecret))
		mac.Write([]byte(cfg.AccessToken))
		c.proof = hex.EncodeToString(mac.Sum(nil))
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Name implements ads.Platform.
func (c *Client) Name() string { return ads.Facebook }

// Mock implements ads.Platform.
func (c *Client) Mock() bool { return false }

// call makes a request (retried per c.retry) and decodes its JSON answer into out. path is below the versioned root,
// or an absolute URL on the same host (a paging link).
func (c *Client) call(ctx context.Context, op, method, path string, params url.Values, out any) error {
	return c.retry.Do(ctx, func(ctx context.Context) error {
		data, err := c.once(ctx, op, method, path, params)
		if err != nil {
			return err
		}
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return malformed(op)
		}
		return nil
	})
}

func (c *Client) once(ctx context.Context, op, method, path string, params url.Values) ([]byte, error) {
	u, err := c.resolve(path)
	if err != nil {
		return nil, fmt.Errorf("meta: %s: %w", op, err)
	}
	q := u.Query()
	if method == http.MethodPost {
		q = url.Values{}
	}
	for k, v := range params {
		q[k] = v
	}
	// Credentials go in the parameters, as the Graph API documents; errors below never print the URL.
	q.Set("access_token", c.token)
	if c.proof != "" {
		q.Set("appsecret_proof", c.proof)
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var req *http.Request
	if method == http.MethodPost {
		u.RawQuery = ""
		req, err = http.NewRequestWithContext(callCtx, method, u.String(), strings.NewReader(q.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		u.RawQuery = q.Encode()
		req, err = http.NewRequestWithContext(callCtx, method, u.String(), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("meta: %s: %w", op, stripURL(err))
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
		return nil, apiError(resp.StatusCode, resp.Header, data)
	}
	return data, nil
}

// resolve turns a path into a URL below the versioned root. An absolute URL (a paging link from the API) must point
// at the same scheme and host, so that the access token is never sent anywhere else.
func (c *Client) resolve(path string) (*url.URL, error) {
	if strings.HasPrefix(path, "/") {
		u := *c.base
		u.Path = strings.TrimRight(c.base.Path, "/") + path
		u.RawQuery = ""
		return &u, nil
	}
	u, err := url.Parse(path)
	if err != nil {
		return nil, errors.New("malformed paging link")
	}
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return nil, fmt.Errorf("paging link to another host (%s) refused", u.Host)
	}
	return u, nil
}

func transportError(ctx, callCtx context.Context, op string, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("meta: %s: %w", op, ctx.Err())
	}
	if callCtx.Err() != nil {
		return fmt.Errorf("meta: %s: no answer within %s: %w", op, timeout, callCtx.Err())
	}
	return fmt.Errorf("meta: %s: %w", op, stripURL(err))
}

// stripURL drops the URL a *url.Error prints: Graph URLs carry the access token.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func malformed(op string) error {
	return &ads.ProviderError{Platform: ads.Facebook, Status: http.StatusOK, Code: "malformed_response",
		Message: "unexpected answer to " + op}
}

// PauseCampaign implements ads.Platform.
func (c *Client) PauseCampaign(ctx context.Context, externalID string) error {
	return c.setStatus(ctx, externalID, "PAUSED")
}

// ResumeCampaign implements ads.Platform. The ad set and ads were created active under the paused campaign, so
// activating the campaign starts delivery.
func (c *Client) ResumeCampaign(ctx context.Context, externalID string) error {
	return c.setStatus(ctx, externalID, "ACTIVE")
}

func (c *Client) setStatus(ctx context.Context, externalID, status string) error {
	if !isDigits(externalID) {
		return &ads.InputError{Field: "externalId", Message: fmt.Sprintf("%q is not a Meta campaign id", externalID)}
	}
	op := "set campaign status " + status
	var resp struct {
		Success bool `json:"success"`
	}
	if err := c.call(ctx, op, http.MethodPost, "/"+externalID, url.Values{"status": {status}}, &resp); err != nil {
		return err
	}
	if !resp.Success {
		return malformed(op)
	}
	return nil
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
