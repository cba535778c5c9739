package content

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/marketingos/marketingos/internal/config"
)

// DefaultModel is the Claude model used when the configuration names none.
const DefaultModel = "claude-sonnet-4-5"

// anthropicGenerator drafts posts with Claude through the official SDK.
type anthropicGenerator struct {
	client anthropic.Client
	model  string
	o      options
}

// NewAnthropic returns a Generator that asks Claude for a JSON post. The model and base URL come from cfg;
// retries on 429, 529 and 5xx are the SDK's own (WithMaxRetries, default 2), honouring retry-after up to
// WithMaxRetryWait; a spend-limit 429 is not retried. The whole call is bounded by WithTimeout.
func NewAnthropic(cfg config.Anthropic, opts ...Option) Generator {
	g := &anthropicGenerator{model: cfg.Model, o: buildOptions(opts)}
	if g.model == "" {
		g.model = DefaultModel
	}
	reqOpts := []option.RequestOption{
		// The configuration has already read ANTHROPIC_* from the environment; the SDK must not read it again
		// behind our back (a test pointing BaseURL at a fake would otherwise be overridden).
		option.WithoutEnvironmentDefaults(),
		option.WithAPIKey(cfg.APIKey),
		option.WithMaxRetries(g.o.maxRetries),
		option.WithMiddleware(g.middleware),
	}
	if cfg.BaseURL != "" {
		reqOpts = append(reqOpts, option.WithBaseURL(cfg.BaseURL))
	}
	if g.o.timeout > 0 {
		// Per attempt; the deadline of the whole call is set in Generate. Setting it also lifts the SDK's
		// client-side refusal of large max_tokens without streaming.
		reqOpts = append(reqOpts, option.WithRequestTimeout(g.o.timeout))
	}
	if g.o.httpClient != nil {
		reqOpts = append(reqOpts, option.WithHTTPClient(g.o.httpClient))
	}
	g.client = anthropic.NewClient(reqOpts...)
	return g
}

// attemptsKey carries the attempt counter of one Generate call to the middleware.
type attemptsKey struct{}

// Generate asks Claude for a post and validates it. Errors are an [*APIError] for provider failures and a
// [*MalformedOutputError] for an unusable answer.
func (g *anthropicGenerator) Generate(ctx context.Context, req Request) (Draft, error) {
	kind := requestKind(req)
	platforms := requestPlatforms(req)

	if g.o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, g.o.timeout)
		defer cancel()
	}
	var attempts atomic.Int32
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)

	msg, err := g.client.Messages.New(ctx, anthropic.MessageNewParams{
		Model:     g.model,
		MaxTokens: g.o.maxTokens,
		System:    []anthropic.TextBlockParam{{Text: systemPrompt}},
		Messages: []anthropic.MessageParam{
			anthropic.NewUserMessage(anthropic.NewTextBlock(userPrompt(req.Product, kind, platforms, req.Recent))),
		},
	})
	if err != nil {
		return Draft{}, g.apiError(err, int(attempts.Load()))
	}

	var text strings.Builder
	for _, block := range msg.Content {
		if block.Type == "text" {
			text.WriteString(block.Text)
		}
	}
	if msg.StopReason == anthropic.StopReasonRefusal {
		return Draft{}, malformed(text.String(), "the model refused (stop_reason refusal)")
	}
	d, err := parseDraft(text.String(), platforms)
	if err != nil {
		if msg.StopReason == anthropic.StopReasonMaxTokens {
			return Draft{}, malformed(text.String(), "output cut at max_tokens (%d): %v", g.o.maxTokens, err)
		}
		return Draft{}, err
	}
	d.Kind = kind
	d.Platforms = platforms
	d.Generator = GeneratorAnthropic
	d.Model = g.model
	if msg.Model != "" {
		d.Model = msg.Model
	}
	return d, nil
}

// middleware counts attempts and decides, before the SDK does, which 429s and 529s are not worth retrying: a
// spend limit (retrying cannot help) and a retry-after longer than the wait we allow.
func (g *anthropicGenerator) middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	if n, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	res, err := next(req)
	if err != nil || res == nil {
		return res, err
	}
	if res.StatusCode != http.StatusTooManyRequests && res.StatusCode != 529 {
		return res, nil
	}
	if d, ok := retryAfter(res.Header); ok && d > g.o.maxRetryWait {
		res.Header.Set("x-should-retry", "false")
	}
	if res.StatusCode == http.StatusTooManyRequests && res.Body != nil {
		// Error bodies are small; the SDK reads the body again from the copy.
		body, readErr := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		_ = res.Body.Close()
		res.Body = io.NopCloser(bytes.NewReader(body))
		if readErr == nil && isSpendLimit(errorCode(body)) {
			res.Header.Set("x-should-retry", "false")
		}
	}
	return res, nil
}

// errorCode reads error.details.error_code from an Anthropic error body.
func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Details struct {
				ErrorCode string `json:"error_code"`
			} `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error.Details.ErrorCode
}

func isSpendLimit(code string) bool {
	return code == string(anthropic.ErrorCodeEnforcedSpendLimitReached) ||
		code == string(anthropic.ErrorCodeContractSpendLimitReached)
}

// apiError classifies an SDK error.
func (g *anthropicGenerator) apiError(err error, attempts int) error {
	e := &APIError{Provider: GeneratorAnthropic, Attempts: attempts, err: err}
	var apiErr *anthropic.Error
	switch {
	case errors.As(err, &apiErr):
		e.StatusCode = apiErr.StatusCode
		e.Code = string(apiErr.Type())
		e.Message = apiErr.Message
		if apiErr.Response != nil {
			e.RetryAfter, _ = retryAfter(apiErr.Response.Header)
		}
		code := string(apiErr.ErrorCode())
		switch {
		case apiErr.StatusCode == http.StatusTooManyRequests && isSpendLimit(code):
			e.kind, e.Code = ErrSpendLimit, code
		case apiErr.StatusCode == http.StatusTooManyRequests:
			e.kind = ErrRateLimited
		case apiErr.StatusCode == 529 || apiErr.Type() == anthropic.ErrorTypeOverloadedError:
			e.kind = ErrOverloaded
		case apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden:
			e.kind = ErrUnauthorized
		case apiErr.StatusCode == http.StatusRequestTimeout || apiErr.StatusCode == http.StatusGatewayTimeout:
			e.kind = ErrTimeout
		case apiErr.StatusCode >= 500:
			e.kind = ErrUnavailable
		default:
			e.kind = ErrRejected
		}
	case errors.Is(err, context.DeadlineExceeded):
		e.kind = ErrTimeout
	case errors.Is(err, context.Canceled):
		// The caller gave up; that is not the provider's failure, so say it plainly.
		return err
	default:
		e.kind = ErrUnavailable
	}
	return e
}

// retryAfter reads retry-after-ms, then retry-after (seconds or an HTTP date), as the SDK does.
func retryAfter(h http.Header) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil {
			return max(0, time.Duration(ms*float64(time.Millisecond))), true
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil {
			return max(0, time.Duration(s*float64(time.Second))), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, time.Until(t)), true
		}
	}
	return 0, false
}
