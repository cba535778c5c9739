package validation

import "testing"

func TestMatchOrigin(t *testing.T) {
	for _, tc := range []struct {
		pattern, origin string
		want            bool
	}{
		{"https://app.example.com", "https://app.example.com", true},
		{"https://app.example.com", "HTTPS://App.Example.com", true},
		{"http://app.example.com", "https://app.example.com", false}, // the scheme counts
		{"https://app.example.com", "http://app.example.com", false},
		{"https://app.example.com", "https://app.example.com:8443", false}, // so does the port
		{"http://localhost:5173", "http://localhost:5173", true},
		{"http://localhost:5173", "http://localhost:5174", false},
		{"https://*.example.com", "https://eu.example.com", true},
		{"https://*.example.com", "https://eu.app.example.com", true},
		{"https://*.example.com", "http://eu.example.com", false},
		{"https://*.example.com", "https://example.com", false},
		{"https://*.example.com", "https://.example.com", false},
		{"https://*.example.com", "https://evil.com/.example.com", false},
		{"https://*.example.com", "https://evil.com:443.example.com", false},
		{"https://*.example.com", "https://user@eu.example.com", false},
		{"https://*.example.com", "https://eu.example.com.evil.com", false},
		{"https://app.example.com", "null", false},
		{"https://app.example.com", "", false},
	} {
		if got := MatchOrigin(tc.pattern, tc.origin); got != tc.want {
			t.Errorf("MatchOrigin(%q, %q) = %v, want %v", tc.pattern, tc.origin, got, tc.want)
		}
	}
}
