package postizfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/content/postizfake"
)

func TestFakeChecks(t *testing.T) {
	fake := postizfake.New("key")
	defer fake.Close()
	valid := `{"type":"now","date":"2030-01-01T10:00:00.000Z","shortLink":false,"tags":[],` +
		`"posts":[{"integration":{"id":"int_x"},"value":[{"content":"hello world","image":[]}],"settings":{"who_can_reply_post":"everyone"}}]}`
	tests := []struct {
		name, method, path, auth, body string
		wantStatus                     int
		wantBody                       string
	}{
		{"create", "POST", "/posts", "key", valid, 201, `"integration":"int_x"`},
		{"no key", "GET", "/integrations", "", "", 401, `{"msg":"No API Key found"}`},
		{"bearer prefix is not the raw key", "GET", "/integrations", "Bearer key", "", 401, `{"msg":"Invalid API key"}`},
		{"integrations", "GET", "/integrations", "key", "", 200, `"identifier":"linkedin-page"`},
		{"unknown integration", "POST", "/posts", "key", strings.Replace(valid, "int_x", "int_nope", 1), 400, "Integration with id int_nope not found"},
		{"missing shortLink and tags", "POST", "/posts", "key",
			strings.Replace(valid, `"shortLink":false,"tags":[],`, "", 1), 400, `"message":["shortLink must be a boolean value","tags must be an array"]`},
		{"X without who_can_reply_post", "POST", "/posts", "key", strings.Replace(valid, `"who_can_reply_post":"everyone"`, "", 1), 400, "who_can_reply_post"},
		{"X too long", "POST", "/posts", "key", strings.Replace(valid, "hello world", strings.Repeat("a", 281), 1), 400,
			`"message":"post is too long, please fix it"`},
		{"list needs both dates", "GET", "/posts?startDate=2030-01-01T00:00:00Z", "key", "", 400, "endDate must be a valid ISO 8601 date string"},
		{"list", "GET", "/posts?startDate=2000-01-01T00:00:00Z&endDate=2100-01-01T00:00:00Z", "key", "", 200, `"providerIdentifier":"x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, fake.APIURL+tt.path, strings.NewReader(tt.body))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(raw), tt.wantBody) {
				t.Errorf("%d %s, want %d with %s", res.StatusCode, raw, tt.wantStatus, tt.wantBody)
			}
			if !json.Valid(raw) {
				t.Errorf("body is not JSON: %s", raw)
			}
		})
	}
	if n := len(fake.Posts()); n != 1 {
		t.Errorf("posts = %d, want only the valid one", n)
	}
}
