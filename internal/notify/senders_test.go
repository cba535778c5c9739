package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/notify"
	"github.com/marketingos/marketingos/internal/notify/resendfake"
	"github.com/marketingos/marketingos/internal/notify/slackfake"
)

var lowROI = notify.Notice{
	Kind:   notify.LowROI,
	OrgID:  "org_01",
	Title:  "Campaign losing money",
	Text:   "Summer sale <Google> has ROI -35% & falling.",
	Fields: map[string]string{"ROI": "-35%", "Campaign": "Summer sale", "Spend": "$120.00"},
	Link:   "https://app.example/campaigns/cmp_1",
	ID:     "ntc_fixed",
}

func TestSlackSend(t *testing.T) {
	fake := slackfake.New()
	defer fake.Close()
	if err := notify.NewSlack(config.Slack{WebhookURL: fake.WebhookURL}).Send(context.Background(), lowROI); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("messages = %d, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Text != "Campaign losing money: Summer sale <Google> has ROI -35% & falling." {
		t.Errorf("fallback text = %q", m.Text)
	}
	var blocks []struct {
		Type string `json:"type"`
		Text struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"text"`
		Fields []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"fields"`
	}
	raw, _ := json.Marshal(m.Blocks)
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, b := range blocks {
		types = append(types, b.Type)
	}
	if got := strings.Join(types, ","); got != "header,section,section,section,context" {
		t.Fatalf("block types = %s", got)
	}
	if blocks[0].Text.Type != "plain_text" || !strings.HasSuffix(blocks[0].Text.Text, "Campaign losing money") {
		t.Errorf("header = %+v", blocks[0].Text)
	}
	if blocks[1].Text.Text != "Summer sale &lt;Google&gt; has ROI -35% &amp; falling." {
		t.Errorf("section text not escaped for mrkdwn: %q", blocks[1].Text.Text)
	}
	if len(blocks[2].Fields) != 3 || blocks[2].Fields[0].Text != "*Campaign*\nSummer sale" || blocks[2].Fields[1].Text != "*ROI*\n-35%" {
		t.Errorf("fields = %+v, want them in key order", blocks[2].Fields)
	}
	if !strings.Contains(blocks[3].Text.Text, "<https://app.example/campaigns/cmp_1|") {
		t.Errorf("link = %q", blocks[3].Text.Text)
	}
}

func TestSlackErrors(t *testing.T) {
	tests := []struct {
		name      string
		fault     slackfake.Fault
		wantErr   error
		wantCode  string
		wantRetry time.Duration
		temporary bool
	}{
		{"429 with Retry-After", slackfake.Fault{Status: 429, RetryAfter: "7"}, notify.ErrRateLimited, "", 7 * time.Second, true},
		{"500 rollup_error", slackfake.Fault{Status: 500}, notify.ErrUnavailable, "rollup_error", 0, true},
		{"503 from a proxy", slackfake.Fault{Status: 503, Body: "<html>busy</html>"}, notify.ErrUnavailable, "", 0, true},
		{"400 invalid_payload", slackfake.Fault{Status: 400, Body: "invalid_payload"}, notify.ErrRejected, "invalid_payload", 0, false},
		{"404 no_service", slackfake.Fault{Status: 404, Body: "no_service"}, notify.ErrRejected, "no_service", 0, false},
		{"410 channel_is_archived", slackfake.Fault{Status: 410, Body: "channel_is_archived"}, notify.ErrRejected, "channel_is_archived", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := slackfake.New()
			defer fake.Close()
			fake.Fail(tt.fault)
			err := notify.NewSlack(config.Slack{WebhookURL: fake.WebhookURL}).Send(context.Background(), lowROI)
			assertSendError(t, err, tt.wantErr, tt.wantCode, tt.wantRetry, tt.temporary)
			if strings.Contains(err.Error(), slackfake.Path) {
				t.Errorf("error %q leaks the webhook URL", err)
			}
		})
	}
}

func TestSlackUnreachable(t *testing.T) {
	fake := slackfake.New()
	url := fake.WebhookURL
	fake.Close()
	err := notify.NewSlack(config.Slack{WebhookURL: url}, notify.WithTimeout(time.Second)).Send(context.Background(), lowROI)
	assertSendError(t, err, notify.ErrUnavailable, "", 0, true)
	if strings.Contains(err.Error(), slackfake.Path) || strings.Contains(err.Error(), "XXXXXXXX") {
		t.Errorf("error %q leaks the webhook URL", err)
	}
}

func assertSendError(t *testing.T, err, want error, code string, retry time.Duration, temporary bool) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	var se *notify.SendError
	if !errors.As(err, &se) {
		t.Fatalf("err = %T, want *notify.SendError", err)
	}
	if se.Code != code || se.RetryAfter != retry || se.Temporary() != temporary {
		t.Errorf("code %q retry %s temporary %v, want %q %s %v", se.Code, se.RetryAfter, se.Temporary(), code, retry, temporary)
	}
}

const resendKey = "re_test_key"

func newResend(fake *resendfake.Server, key string) *notify.Resend {
	return notify.NewResend(config.Resend{APIKey: key, BaseURL: fake.URL, AdminEmail: "admin@example.com",
		FromEmail: "MarketingOS <alerts@example.com>"})
}

func TestResendSend(t *testing.T) {
	fake := resendfake.New(resendKey)
	defer fake.Close()
	r := newResend(fake, resendKey)
	for range 2 { // the second send replays the idempotency key: no second e-mail
		if err := r.Send(context.Background(), lowROI); err != nil {
			t.Fatal(err)
		}
	}
	emails := fake.Emails()
	if len(emails) != 1 || fake.Attempts() != 2 {
		t.Fatalf("emails = %d after %d requests, want 1 after 2", len(emails), fake.Attempts())
	}
	e := emails[0]
	if e.From != "MarketingOS <alerts@example.com>" || len(e.To) != 1 || e.To[0] != "admin@example.com" {
		t.Errorf("from/to = %q/%q", e.From, e.To)
	}
	if e.Subject != "[MarketingOS] Campaign losing money" || e.IdempotencyKey != "notice/ntc_fixed" {
		t.Errorf("subject/key = %q/%q", e.Subject, e.IdempotencyKey)
	}
	for _, want := range []string{"ROI: -35%", "Campaign: Summer sale", lowROI.Link, lowROI.Text} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	if !strings.Contains(e.HTML, "&lt;Google&gt;") || strings.Contains(e.HTML, "<Google>") {
		t.Errorf("html not escaped:\n%s", e.HTML)
	}
	if len(e.Tags) != 1 || e.Tags[0].Value != "low_roi" {
		t.Errorf("tags = %+v", e.Tags)
	}
}

func TestResendErrors(t *testing.T) {
	tests := []struct {
		name      string
		fault     *resendfake.Fault
		key       string
		wantErr   error
		wantRetry time.Duration
		temporary bool
	}{
		{name: "429 with retry-after", fault: &resendfake.Fault{Status: 429, RetryAfter: "3"},
			wantErr: notify.ErrRateLimited, wantRetry: 3 * time.Second, temporary: true},
		{name: "daily quota", fault: &resendfake.Fault{Status: 429, Name: "daily_quota_exceeded", Message: "quota", RetryAfter: "3600"},
			wantErr: notify.ErrRateLimited, wantRetry: time.Hour, temporary: true},
		{name: "500", fault: &resendfake.Fault{Status: 500}, wantErr: notify.ErrUnavailable, temporary: true},
		{name: "422 invalid from", fault: &resendfake.Fault{Status: 422, Name: "invalid_from_address", Message: "Invalid `from` field."},
			wantErr: notify.ErrRejected},
		{name: "wrong key", key: "re_wrong", wantErr: notify.ErrRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := resendfake.New(resendKey)
			defer fake.Close()
			if tt.fault != nil {
				fake.Fail(*tt.fault)
			}
			key := resendKey
			if tt.key != "" {
				key = tt.key
			}
			err := newResend(fake, key).Send(context.Background(), lowROI)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var se *notify.SendError
			if !errors.As(err, &se) || se.RetryAfter != tt.wantRetry || se.Temporary() != tt.temporary {
				t.Errorf("err = %#v, want retry %s temporary %v", err, tt.wantRetry, tt.temporary)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("error %q leaks the API key", err)
			}
			if len(fake.Emails()) != 0 {
				t.Error("an e-mail was accepted despite the error")
			}
		})
	}
}

func TestResendUnreachable(t *testing.T) {
	fake := resendfake.New(resendKey)
	fake.Close()
	err := newResend(fake, resendKey).Send(context.Background(), lowROI)
	if !errors.Is(err, notify.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestSendersFor(t *testing.T) {
	slack := config.Slack{WebhookURL: "https://hooks.slack.example/services/T/B/x"}
	email := config.Resend{APIKey: "re_x", AdminEmail: "a@example.com"}
	names := func(senders []notify.Sender) string {
		var out []string
		for _, s := range senders {
			out = append(out, s.(interface{ Name() string }).Name())
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		slack config.Slack
		email config.Resend
		want  string
	}{
		{slack, email, "slack,resend"},
		{slack, config.Resend{}, "slack"},
		{config.Slack{}, email, "resend"},
		{config.Slack{}, config.Resend{}, "log"},
	} {
		if got := names(notify.SendersFor(tt.slack, tt.email, nil)); got != tt.want {
			t.Errorf("senders = %s, want %s", got, tt.want)
		}
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	if err := notify.NewLogSender(slog.New(slog.NewTextHandler(&buf, nil))).Send(context.Background(), lowROI); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kind=low_roi", "org_id=org_01", "fields.ROI=-35%", "Campaign losing money"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q: %s", want, buf.String())
		}
	}
}
