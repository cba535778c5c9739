package server

import (
	"net/http/httptest"
	"testing"

	"github.com/marketingos/marketingos/internal/config"
)

// TestClientAddress: what a client writes into X-Forwarded-For never chooses its address; a proxy's entries are
// skipped; a peer that is no proxy is its own address.
func TestClientAddress(t *testing.T) {
	direct := config.Tracking{}
	private := config.Tracking{TrustProxy: true}
	ranges := config.Tracking{TrustProxy: true, TrustedProxies: []string{"198.51.100.0/24", "203.0.113.1"}}
	tests := []struct {
		name   string
		conf   config.Tracking
		peer   string
		header string
		want   string
	}{
		{"direct: the header is ignored", direct, "34.117.59.1:1234", "9.9.9.9", "34.117.59.1"},
		{"private proxy: the client it saw", private, "10.0.0.5:80", "34.117.59.81", "34.117.59.81"},
		{"private proxy: a forged entry on the left is skipped", private, "10.0.0.5:80", "9.9.9.9, 34.117.59.81", "34.117.59.81"},
		{"private proxies in a chain", private, "127.0.0.1:80", "9.9.9.9, 34.117.59.81, 10.0.0.9", "34.117.59.81"},
		{"a public peer is no proxy: its header is ignored", private, "34.117.59.50:80", "9.9.9.9", "34.117.59.50"},
		{"only proxies in the header: the peer", private, "10.0.0.5:80", "10.0.0.6", "10.0.0.5"},
		{"no header: the peer", private, "10.0.0.5:80", "", "10.0.0.5"},
		{"garbage header: the peer", private, "10.0.0.5:80", "not an address", "10.0.0.5"},
		{"trusted ranges", ranges, "203.0.113.1:443", "9.9.9.9, 34.117.59.81, 198.51.100.4", "34.117.59.81"},
		{"an untrusted peer with ranges set", ranges, "10.0.0.5:80", "34.117.59.81", "10.0.0.5"},
		{"IPv6 client", private, "[::1]:80", "2a00:1450:4001::1", "2a00:1450:4001::1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			if tc.header != "" {
				r.Header.Set("X-Forwarded-For", tc.header)
			}
			if got := newClientAddress(tc.conf).of(r); got != tc.want {
				t.Errorf("client address %q, want %q", got, tc.want)
			}
		})
	}
}
