package anthropicfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/content/anthropicfake"
)

func TestFakeChecks(t *testing.T) {
	fake := anthropicfake.New("key")
	defer fake.Close()
	valid := `{"model":"m","max_tokens":10,"system":"be brief","messages":[{"role":"user","content":"hi"}]}`
	tests := []struct {
		name       string
		headers    map[string]string
		body       string
		wantStatus int
		wantType   string
	}{
		{"string system and content", map[string]string{"x-api-key": "key", "anthropic-version": "2023-06-01"}, valid, 200, "message"},
		{"bearer key and block arrays", map[string]string{"Authorization": "Bearer key", "anthropic-version": "2026-10-21"},
			`{"model":"m","max_tokens":10,"system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}`, 200, "message"},
		{"no key", map[string]string{"anthropic-version": "2023-06-01"}, valid, 401, "authentication_error"},
		{"wrong key", map[string]string{"x-api-key": "nope", "anthropic-version": "2023-06-01"}, valid, 401, "authentication_error"},
		{"no version", map[string]string{"x-api-key": "key"}, valid, 400, "invalid_request_error"},
		{"no max_tokens", map[string]string{"x-api-key": "key", "anthropic-version": "2023-06-01"},
			`{"model":"m","messages":[{"role":"user","content":"hi"}]}`, 400, "invalid_request_error"},
		{"bad role", map[string]string{"x-api-key": "key", "anthropic-version": "2023-06-01"},
			`{"model":"m","max_tokens":1,"messages":[{"role":"system","content":"hi"}]}`, 400, "invalid_request_error"},
		{"text block without text", map[string]string{"x-api-key": "key", "anthropic-version": "2023-06-01"},
			`{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text"}]}]}`, 400, "invalid_request_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, fake.URL+"/v1/messages", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus || res.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("status %d content-type %q, want %d JSON: %s", res.StatusCode, res.Header.Get("Content-Type"), tt.wantStatus, raw)
			}
			var body struct {
				Type  string `json:"type"`
				Error struct {
					Type string `json:"type"`
				} `json:"error"`
			}
			_ = json.Unmarshal(raw, &body)
			got := body.Type
			if got == "error" {
				got = body.Error.Type
			}
			if got != tt.wantType {
				t.Errorf("type = %q, want %q: %s", got, tt.wantType, raw)
			}
		})
	}
	if got := fake.Requests(); len(got) != 2 || got[0].System != "be brief" || got[0].Prompt() != "hi" || got[1].System != "s" {
		t.Errorf("recorded = %+v, want the two valid requests", got)
	}
}
