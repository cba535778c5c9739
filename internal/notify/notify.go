// Package notify tells the people running MarketingOS what happened: a campaign losing money, a large purchase,
// a post going out, a job failing. Notices go to Slack (incoming webhook) and to the administrator by e-mail
// (Resend), or only to the log when neither is configured.
//
// Notices are best-effort: a [Dispatcher] queues them and delivers them from its own goroutine, with bounded
// retries, so that a slow or failing provider never holds up the request or the job that raised the notice.
//
// A [Mailer] e-mails one person at their own address instead (an invitation), while the caller waits.
package notify

import (
	"context"
	"log/slog"
	"sort"

	"github.com/marketingos/marketingos/internal/config"
)

// Kind says what a notice is about.
type Kind string

// Kinds of notice.
const (
	// LowROI: a campaign's return on investment went below zero.
	LowROI Kind = "low_roi"
	// HighValueConversion: a purchase above the organization's threshold.
	HighValueConversion Kind = "high_value_conversion"
	// ContentPublished: a post was published (or auto-published).
	ContentPublished Kind = "content_published"
	// JobFailed: a scheduled job failed.
	JobFailed Kind = "job_failed"
)

// Notice is one thing to tell.
type Notice struct {
	Kind  Kind
	OrgID string
	// Title is a short headline; Text the message.
	Title string
	Text  string
	// Fields are labelled values shown beside the text (campaign, ROI, amount, …), in key order.
	Fields map[string]string
	// Link points at the object in the dashboard, if any.
	Link string
	// ID identifies the notice across delivery attempts: the e-mail sender passes it as Resend's idempotency
	// key, so a retry after a lost answer does not send the e-mail twice. The Dispatcher sets one when empty.
	ID string
}

// Notifier accepts notices. Notify never blocks and never fails: delivery happens later, or the notice is dropped
// and counted.
type Notifier interface {
	Notify(ctx context.Context, n Notice)
}

// Sender delivers a notice to one place, once. Its errors say whether trying again may help (see [SendError]).
type Sender interface {
	Send(ctx context.Context, n Notice) error
}

// named is implemented by senders that have a name for the logs.
type named interface{ Name() string }

func senderName(s Sender) string {
	if n, ok := s.(named); ok {
		return n.Name()
	}
	return "sender"
}

// SendersFor returns the senders that are configured: Slack, Resend, or the log sender when neither is.
func SendersFor(slack config.Slack, email config.Resend, log *slog.Logger, opts ...Option) []Sender {
	var out []Sender
	if slack.Configured() {
		out = append(out, NewSlack(slack, opts...))
	}
	if email.Configured() {
		out = append(out, NewResend(email, opts...))
	}
	if len(out) == 0 {
		out = append(out, NewLogSender(log))
	}
	return out
}

// sortedKeys returns the keys of fields in order, so that every sender shows them the same way.
func sortedKeys(fields map[string]string) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// logSender writes notices to the log.
type logSender struct{ log *slog.Logger }

// NewLogSender returns a Sender that logs each notice, for when neither Slack nor e-mail is configured.
func NewLogSender(log *slog.Logger) Sender {
	if log == nil {
		log = slog.Default()
	}
	return logSender{log: log}
}

func (logSender) Name() string { return "log" }

func (l logSender) Send(ctx context.Context, n Notice) error {
	attrs := []any{slog.String("kind", string(n.Kind)), slog.String("org_id", n.OrgID), slog.String("title", n.Title),
		slog.String("text", n.Text)}
	if len(n.Fields) > 0 {
		fields := make([]any, 0, len(n.Fields))
		for _, k := range sortedKeys(n.Fields) {
			fields = append(fields, slog.String(k, n.Fields[k]))
		}
		attrs = append(attrs, slog.Group("fields", fields...))
	}
	if n.Link != "" {
		attrs = append(attrs, slog.String("link", n.Link))
	}
	l.log.InfoContext(ctx, "notice (no Slack or e-mail configured)", attrs...)
	return nil
}
