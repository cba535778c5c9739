package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/marketingos/marketingos/internal/config"
)

// Slack posts notices to a Slack incoming webhook (reference: external-apis.md §5).
type Slack struct {
	url  string
	http *http.Client
	o    senderOptions
}

// NewSlack returns a sender for the webhook of cfg. The webhook URL is a secret: it never appears in errors.
func NewSlack(cfg config.Slack, opts ...Option) *Slack {
	o := buildSenderOptions(opts)
	c := o.httpClient
	if c == nil {
		c = &http.Client{}
	}
	return &Slack{url: cfg.WebhookURL, http: c, o: o}
}

// Name implements the sender name used in logs.
func (s *Slack) Name() string { return "slack" }

// Send posts one message: a header, the text, the fields and the link as blocks, with plain text as the
// notification fallback. 429 (with its Retry-After) and 5xx are temporary errors; other 4xx such as
// invalid_payload or no_service are permanent.
func (s *Slack) Send(ctx context.Context, n Notice) error {
	body, err := json.Marshal(slackMessage(n))
	if err != nil {
		return fmt.Errorf("notify: slack: encode message: %w", err)
	}
	if s.o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.o.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		// The error would quote the URL.
		return &SendError{Sender: "slack", kind: ErrRejected, err: fmt.Errorf("invalid webhook URL")}
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := s.http.Do(req)
	if err != nil {
		return transportError(ctx, "slack", err)
	}
	defer res.Body.Close()
	// Slack answers a short text: "ok", or an error code such as "invalid_payload".
	text, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	if res.StatusCode == http.StatusOK {
		return nil
	}
	code := strings.TrimSpace(string(text))
	if res.StatusCode == http.StatusTooManyRequests || !isSlackCode(code) {
		// The 429 body is a JSON object with call counts, and proxies answer HTML; neither is a code.
		code = ""
	}
	return statusError("slack", res.StatusCode, res.Header, code)
}

// isSlackCode reports whether s looks like Slack's error codes (lower case and underscores).
func isSlackCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// kindEmoji marks each kind of notice in the header.
var kindEmoji = map[Kind]string{
	LowROI:              ":chart_with_downwards_trend:",
	HighValueConversion: ":moneybag:",
	ContentPublished:    ":mega:",
	JobFailed:           ":rotating_light:",
}

// Block Kit limits.
const (
	slackHeaderMax      = 150
	slackSectionMax     = 3000
	slackFieldMax       = 2000
	slackFieldsPerBlock = 10
)

// slackMessage builds the webhook payload: {"text": fallback, "blocks": [header, section, fields…, link]}.
func slackMessage(n Notice) map[string]any {
	title := n.Title
	if title == "" {
		title = string(n.Kind)
	}
	if emoji := kindEmoji[n.Kind]; emoji != "" {
		title = emoji + " " + title
	}
	fallback := n.Title
	if n.Text != "" {
		fallback += ": " + n.Text
	}
	blocks := []any{map[string]any{
		"type": "header",
		"text": map[string]any{"type": "plain_text", "text": clip(title, slackHeaderMax), "emoji": true},
	}}
	if n.Text != "" {
		blocks = append(blocks, map[string]any{
			"type": "section",
			"text": map[string]any{"type": "mrkdwn", "text": clip(escapeMrkdwn(n.Text), slackSectionMax)},
		})
	}
	var fields []any
	for _, k := range sortedKeys(n.Fields) {
		fields = append(fields, map[string]any{"type": "mrkdwn",
			"text": clip(fmt.Sprintf("*%s*\n%s", escapeMrkdwn(k), escapeMrkdwn(n.Fields[k])), slackFieldMax)})
		if len(fields) == slackFieldsPerBlock {
			blocks = append(blocks, map[string]any{"type": "section", "fields": fields})
			fields = nil
		}
	}
	if len(fields) > 0 {
		blocks = append(blocks, map[string]any{"type": "section", "fields": fields})
	}
	if n.Link != "" {
		blocks = append(blocks, map[string]any{
			"type": "section",
			"text": map[string]any{"type": "mrkdwn", "text": fmt.Sprintf("<%s|Open in MarketingOS>", strings.NewReplacer("|", "%7C", ">", "%3E").Replace(n.Link))},
		})
	}
	if n.OrgID != "" {
		blocks = append(blocks, map[string]any{
			"type":     "context",
			"elements": []any{map[string]any{"type": "mrkdwn", "text": "Organization " + escapeMrkdwn(n.OrgID)}},
		})
	}
	return map[string]any{"text": clip(fallback, slackSectionMax), "blocks": blocks}
}

// escapeMrkdwn escapes the three characters Slack's mrkdwn reserves.
func escapeMrkdwn(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
