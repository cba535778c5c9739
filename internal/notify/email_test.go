package notify_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/notify"
	"github.com/marketingos/marketingos/internal/notify/resendfake"
)

var invitation = notify.Email{
	To:      "ana@example.com",
	Subject: "Join Acme on MarketingOS",
	Text:    "Accept: https://mos.example/accept-invitation?token=s3cr3t-token",
	HTML:    `<a href="https://mos.example/accept-invitation?token=s3cr3t-token">Accept</a>`,
	Tag:     "invitation",
	ID:      "inv_1",
	Secrets: []string{"s3cr3t-token"},
}

func TestResendSendEmail(t *testing.T) {
	fake := resendfake.New(resendKey)
	defer fake.Close()
	r := newResend(fake, resendKey)
	for range 2 { // the second send replays the idempotency key: no second e-mail
		if err := r.SendEmail(context.Background(), invitation); err != nil {
			t.Fatal(err)
		}
	}
	emails := fake.Emails()
	if len(emails) != 1 || fake.Attempts() != 2 {
		t.Fatalf("emails = %d after %d requests, want 1 after 2", len(emails), fake.Attempts())
	}
	e := emails[0]
	if len(e.To) != 1 || e.To[0] != "ana@example.com" || e.From != "MarketingOS <alerts@example.com>" {
		t.Errorf("to/from = %q/%q, want the invitee, not the administrator", e.To, e.From)
	}
	if e.Subject != invitation.Subject || e.Text != invitation.Text || e.HTML != invitation.HTML {
		t.Errorf("e-mail = %+v", e)
	}
	if e.IdempotencyKey != "email/inv_1" || len(e.Tags) != 1 || e.Tags[0].Value != "invitation" {
		t.Errorf("key/tags = %q/%+v", e.IdempotencyKey, e.Tags)
	}
}

func TestResendSendEmailErrors(t *testing.T) {
	fake := resendfake.New(resendKey)
	defer fake.Close()
	fake.Fail(resendfake.Fault{Status: 422, Name: "validation_error", Message: "Invalid `to` field."}, resendfake.Fault{Status: 503})
	r := newResend(fake, resendKey)
	var se *notify.SendError
	if err := r.SendEmail(context.Background(), invitation); !errors.Is(err, notify.ErrRejected) || !errors.As(err, &se) || se.Temporary() {
		t.Errorf("422: err = %v, want a permanent ErrRejected", err)
	}
	if err := r.SendEmail(context.Background(), invitation); !errors.Is(err, notify.ErrUnavailable) || !errors.As(err, &se) || !se.Temporary() {
		t.Errorf("503: err = %v, want a temporary ErrUnavailable", err)
	}
	if len(fake.Emails()) != 0 {
		t.Error("an e-mail was accepted despite the errors")
	}
}

func TestMailerFor(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	if _, ok := notify.MailerFor(config.Resend{APIKey: "re_x", AdminEmail: "a@example.com"}, log, false).(*notify.Resend); !ok {
		t.Error("configured Resend: the mailer is not Resend")
	}
	m := notify.MailerFor(config.Resend{}, log, false)
	if err := m.SendEmail(context.Background(), invitation); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"kind=invitation", "to=ana@example.com", "Join Acme on MarketingOS", "token=[redacted]"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
	if strings.Contains(out, "s3cr3t-token") {
		t.Errorf("the log holds the secret: %s", out)
	}

	// In development the developer's log is the way to the link.
	buf.Reset()
	if err := notify.MailerFor(config.Resend{}, log, true).SendEmail(context.Background(), invitation); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "s3cr3t-token") {
		t.Errorf("in development the logged e-mail lacks its link: %s", buf.String())
	}
}
