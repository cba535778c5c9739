package slackfake_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/notify/slackfake"
)

func TestFakeChecks(t *testing.T) {
	fake := slackfake.New()
	defer fake.Close()
	fake.Fail(slackfake.Fault{Status: 429, RetryAfter: "1"})
	tests := []struct {
		name, url, contentType, body string
		wantStatus                   int
		wantBody, wantRetryAfter     string
	}{
		{"scripted 429", fake.WebhookURL, "application/json", `{"text":"hi"}`, 429, "", "1"},
		{"ok", fake.WebhookURL, "application/json", `{"text":"hi"}`, 200, "ok", ""},
		{"not JSON", fake.WebhookURL, "application/json", `{`, 400, "invalid_payload", ""},
		{"form body", fake.WebhookURL, "application/x-www-form-urlencoded", `payload=x`, 400, "invalid_payload", ""},
		{"neither text nor blocks", fake.WebhookURL, "application/json", `{}`, 400, "no_text", ""},
		{"other webhook", strings.Replace(fake.WebhookURL, "XXXX", "YYYY", 1), "application/json", `{"text":"hi"}`, 404, "no_service", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Post(tt.url, tt.contentType, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus || (tt.wantBody != "" && string(raw) != tt.wantBody) ||
				res.Header.Get("Retry-After") != tt.wantRetryAfter {
				t.Errorf("%d %q retry-after %q, want %d %q %q", res.StatusCode, raw, res.Header.Get("Retry-After"),
					tt.wantStatus, tt.wantBody, tt.wantRetryAfter)
			}
		})
	}
	if got := fake.Messages(); len(got) != 1 || got[0].Text != "hi" || fake.Attempts() != len(tests) {
		t.Errorf("messages = %+v after %d attempts", got, fake.Attempts())
	}
}
