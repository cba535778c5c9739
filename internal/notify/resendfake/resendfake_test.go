package resendfake_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/notify/resendfake"
)

func TestFakeChecks(t *testing.T) {
	fake := resendfake.New("re_key")
	defer fake.Close()
	valid := `{"from":"a@example.com","to":["b@example.com"],"subject":"s","text":"t"}`
	tests := []struct {
		name, auth, idem, body string
		wantStatus             int
		wantBody               string
	}{
		{"sent", "Bearer re_key", "k1", valid, 200, `"id":`},
		{"replayed", "Bearer re_key", "k1", valid, 200, `"id":`},
		{"same key, other body", "Bearer re_key", "k1", strings.Replace(valid, `"s"`, `"s2"`, 1), 409, "invalid_idempotent_request"},
		{"no key", "", "", valid, 401, "missing_api_key"},
		{"wrong key", "Bearer nope", "", valid, 403, "invalid_api_key"},
		{"no subject", "Bearer re_key", "", strings.Replace(valid, `"subject":"s",`, "", 1), 422, "missing_required_field"},
		{"neither html nor text", "Bearer re_key", "", strings.Replace(valid, `,"text":"t"`, "", 1), 422, "missing_required_field"},
		{"to as a string", "Bearer re_key", "", strings.Replace(valid, `["b@example.com"]`, `"b@example.com"`, 1), 200, `"id":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, fake.URL+"/emails", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.idem != "" {
				req.Header.Set("Idempotency-Key", tt.idem)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(raw), tt.wantBody) {
				t.Errorf("%d %s, want %d with %s", res.StatusCode, raw, tt.wantStatus, tt.wantBody)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content-type = %q; the SDK reads only JSON-labelled errors", ct)
			}
		})
	}
	if n := len(fake.Emails()); n != 2 {
		t.Errorf("emails = %d, want 2 (the replay is not a new e-mail)", n)
	}
	fake.Fail(resendfake.Fault{Status: 429, RetryAfter: "5"})
	req, _ := http.NewRequest(http.MethodPost, fake.URL+"/emails", strings.NewReader(valid))
	req.Header.Set("Authorization", "Bearer re_key")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 429 || res.Header.Get("retry-after") != "5" || res.Header.Get("ratelimit-remaining") != "0" {
		t.Errorf("429 fault: %d %v", res.StatusCode, res.Header)
	}
}
