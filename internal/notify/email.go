package notify

import (
	"context"
	"log/slog"
	"strings"

	"github.com/resend/resend-go/v3"

	"github.com/marketingos/marketingos/internal/config"
)

// Email is a message to one person, such as an invitation. Unlike a [Notice], which goes to the administrators
// through every configured channel, it goes to its own address, by e-mail only, and is sent while the caller
// waits, so that the caller can say whether it went out.
type Email struct {
	To      string
	Subject string
	Text    string
	// HTML is optional; without it the e-mail is plain text.
	HTML string
	// Tag says what the e-mail is ("invitation"): Resend's tag, and the logs' kind.
	Tag string
	// ID makes sending idempotent: Resend's idempotency key, so that a retry after a lost answer sends one e-mail.
	ID string
	// Secrets are strings the body holds that no log may (the token of a link): the log mailer writes the e-mail
	// with each replaced by [redacted].
	Secrets []string
}

// Mailer sends e-mails to any address.
type Mailer interface {
	// SendEmail sends e once. Its errors are [SendError]s that say whether trying again may help.
	SendEmail(ctx context.Context, e Email) error
}

var (
	_ Mailer = (*Resend)(nil)
	_ Mailer = logMailer{}
)

// MailerFor returns the Resend mailer when Resend is configured, else one that writes each e-mail to the log with
// its secrets redacted (so that an e-mail sent to the log is a record of what would have gone out, not a way in) —
// except in development, where the log is the developer's own and the only way to follow an invitation's link
// without an e-mail provider.
func MailerFor(cfg config.Resend, log *slog.Logger, development bool, opts ...Option) Mailer {
	if cfg.Configured() {
		return NewResend(cfg, opts...)
	}
	if log == nil {
		log = slog.Default()
	}
	return logMailer{log: log, showSecrets: development}
}

// SendEmail sends e to e.To through Resend, from the configured sender.
func (r *Resend) SendEmail(ctx context.Context, e Email) error {
	req := &resend.SendEmailRequest{
		From:    r.from,
		To:      []string{e.To},
		Subject: e.Subject,
		Text:    e.Text,
		Html:    e.HTML,
	}
	if e.Tag != "" {
		req.Tags = []resend.Tag{{Name: "kind", Value: tagValue(e.Tag)}}
	}
	key := ""
	if e.ID != "" {
		key = "email/" + e.ID
	}
	return r.send(ctx, req, key)
}

// logMailer writes e-mails to the log, for when Resend is not configured.
type logMailer struct {
	log         *slog.Logger
	showSecrets bool
}

func (logMailer) Name() string { return "log" }

func (l logMailer) SendEmail(ctx context.Context, e Email) error {
	msg, secrets := "e-mail not sent (RESEND_API_KEY is not set); secrets redacted", e.Secrets
	if l.showSecrets {
		msg, secrets = "e-mail not sent (RESEND_API_KEY is not set); shown whole, in development only", nil
	}
	l.log.InfoContext(ctx, msg,
		slog.String("kind", e.Tag), slog.String("to", e.To), slog.String("subject", redact(e.Subject, secrets)),
		slog.String("text", redact(e.Text, secrets)))
	return nil
}

// redact replaces every secret in s.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
