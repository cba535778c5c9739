package notify

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/resend/resend-go/v3"

	"github.com/marketingos/marketingos/internal/config"
)

// defaultFrom is Resend's test sender, used when the configuration names none.
const defaultFrom = "MarketingOS <onboarding@resend.dev>"

// Resend e-mails notices to the administrator through the official Resend SDK (reference: external-apis.md §6).
type Resend struct {
	client *resend.Client
	from   string
	to     string
	o      senderOptions
	err    error // a configuration error, reported by Send
}

// NewResend returns a sender to cfg.AdminEmail from cfg.FromEmail, through cfg.BaseURL when set.
func NewResend(cfg config.Resend, opts ...Option) *Resend {
	o := buildSenderOptions(opts)
	// The SDK forgets the status of 4xx and 5xx answers (it returns "[ERROR]: message"); the transport records
	// it, so that a 5xx is retried and a 422 is not.
	hc := &http.Client{}
	if o.httpClient != nil {
		copied := *o.httpClient
		hc = &copied
	}
	hc.Transport = statusRecorder{next: hc.Transport}
	r := &Resend{client: resend.NewCustomClient(hc, cfg.APIKey), from: cfg.FromEmail, to: cfg.AdminEmail, o: o}
	if r.from == "" {
		r.from = defaultFrom
	}
	if cfg.BaseURL != "" {
		// The SDK resolves "emails" against the base, so a base with a path needs its trailing slash.
		u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/") + "/")
		if err != nil {
			r.err = &SendError{Sender: "resend", kind: ErrRejected, err: errors.New("invalid RESEND_BASE_URL")}
		} else {
			r.client.BaseURL = u
		}
	}
	return r
}

// Name implements the sender name used in logs.
func (r *Resend) Name() string { return "resend" }

// Send e-mails one notice, with its ID (when set) as the idempotency key. A 429 is a temporary error with the
// Retry-After Resend sent, and so is a 5xx; other errors are permanent.
func (r *Resend) Send(ctx context.Context, n Notice) error {
	req := &resend.SendEmailRequest{
		From:    r.from,
		To:      []string{r.to},
		Subject: "[MarketingOS] " + n.Title,
		Text:    emailText(n),
		Html:    emailHTML(n),
		Tags:    []resend.Tag{{Name: "kind", Value: tagValue(string(n.Kind))}},
	}
	key := ""
	if n.ID != "" {
		key = "notice/" + n.ID
	}
	return r.send(ctx, req, key)
}

// send posts one e-mail with idempotencyKey (none when empty), mapping failures to a [SendError].
func (r *Resend) send(ctx context.Context, req *resend.SendEmailRequest, idempotencyKey string) error {
	if r.err != nil {
		return r.err
	}
	if r.o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.o.timeout)
		defer cancel()
	}
	status := new(int)
	ctx = context.WithValue(ctx, statusKey{}, status)
	// Always a non-nil options: the SDK calls a value method through the pointer, which panics on nil.
	opts := &resend.SendEmailOptions{}
	if idempotencyKey != "" {
		// Resend takes keys of 1 to 256 characters.
		opts.IdempotencyKey = clip(idempotencyKey, 256)
	}
	_, err := r.client.Emails.SendWithOptions(ctx, req, opts)
	if err == nil {
		return nil
	}
	var rl *resend.RateLimitError
	switch {
	case errors.As(err, &rl):
		return &SendError{Sender: "resend", StatusCode: http.StatusTooManyRequests, Code: rl.Message,
			RetryAfter: parseRetryAfter(rl.RetryAfter), kind: ErrRateLimited, err: err}
	case *status == 0:
		return transportError(ctx, "resend", err)
	default:
		e := statusError("resend", *status, nil, strings.TrimPrefix(err.Error(), "[ERROR]: "))
		e.err = err
		return e
	}
}

// statusKey carries the *int that statusRecorder writes the answer's status to.
type statusKey struct{}

// statusRecorder notes the HTTP status of each answer in the request's context.
type statusRecorder struct{ next http.RoundTripper }

func (t statusRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	res, err := next.RoundTrip(req)
	if err == nil {
		if status, ok := req.Context().Value(statusKey{}).(*int); ok {
			*status = res.StatusCode
		}
	}
	return res, err
}

// tagValue keeps what Resend allows in tags: ASCII letters, digits, underscores and dashes.
func tagValue(s string) string {
	out := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
	if out == "" {
		return "notice"
	}
	return out
}

func emailText(n Notice) string {
	var b strings.Builder
	b.WriteString(n.Title + "\n\n")
	if n.Text != "" {
		b.WriteString(n.Text + "\n\n")
	}
	for _, k := range sortedKeys(n.Fields) {
		fmt.Fprintf(&b, "%s: %s\n", k, n.Fields[k])
	}
	if n.Link != "" {
		fmt.Fprintf(&b, "\nOpen in MarketingOS: %s\n", n.Link)
	}
	if n.OrgID != "" {
		fmt.Fprintf(&b, "\nOrganization %s\n", n.OrgID)
	}
	return b.String()
}

func emailHTML(n Notice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<h2>%s</h2>\n", html.EscapeString(n.Title))
	if n.Text != "" {
		fmt.Fprintf(&b, "<p>%s</p>\n", strings.ReplaceAll(html.EscapeString(n.Text), "\n", "<br>"))
	}
	if len(n.Fields) > 0 {
		b.WriteString("<table>\n")
		for _, k := range sortedKeys(n.Fields) {
			fmt.Fprintf(&b, "<tr><th align=\"left\">%s</th><td>%s</td></tr>\n", html.EscapeString(k), html.EscapeString(n.Fields[k]))
		}
		b.WriteString("</table>\n")
	}
	if n.Link != "" {
		fmt.Fprintf(&b, "<p><a href=\"%s\">Open in MarketingOS</a></p>\n", html.EscapeString(n.Link))
	}
	if n.OrgID != "" {
		fmt.Fprintf(&b, "<p><small>Organization %s</small></p>\n", html.EscapeString(n.OrgID))
	}
	return b.String()
}
