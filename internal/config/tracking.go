package config

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
)

// Tracking tunes the tracking endpoints.
type Tracking struct {
	// IPSalt (TRACKING_IP_SALT, secret, at least 16 characters) turns on a salted daily hash of the client address
	// for abuse control. Unset, nothing derived from the address is stored. The address itself never is.
	IPSalt string
	// TrustProxy (TRUST_PROXY, default false) takes the client address from X-Forwarded-For, for instances behind
	// a load balancer: the rightmost address that is not a proxy's, so that what a client writes in the header
	// itself cannot choose its address. Only requests from a proxy (a private or loopback peer, or one in
	// TrustedProxies) are read that way; anyone else is their peer address.
	TrustProxy bool
	// TrustedProxies (TRUSTED_PROXIES: comma-separated addresses or CIDR ranges) are the proxies' own addresses,
	// for proxies that are not on a private network. Setting it implies TrustProxy.
	TrustedProxies []string
	// RatePerIP and RatePerKey (TRACKING_RATE_PER_IP, default 600; TRACKING_RATE_PER_KEY, default 60000) are the
	// requests per minute one client address and one tracking key may send, per instance; 0 disables the limit.
	RatePerIP  int
	RatePerKey int
}

const (
	defaultRatePerIP  = 600
	defaultRatePerKey = 60000
	minSaltLen        = 16
)

func (l *loader) tracking() Tracking {
	t := Tracking{
		IPSalt:     l.get("TRACKING_IP_SALT"),
		TrustProxy: l.boolean("TRUST_PROXY", false),
		RatePerIP:  l.count("TRACKING_RATE_PER_IP", defaultRatePerIP),
		RatePerKey: l.count("TRACKING_RATE_PER_KEY", defaultRatePerKey),
	}
	for _, p := range strings.Split(l.get("TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			l.problem("TRUSTED_PROXIES", "%q is neither an IP address nor a CIDR range (10.0.0.0/8)", p)
			continue
		}
		t.TrustedProxies = append(t.TrustedProxies, p)
	}
	t.TrustProxy = t.TrustProxy || len(t.TrustedProxies) > 0
	if t.IPSalt != "" && len(t.IPSalt) < minSaltLen {
		l.problem("TRACKING_IP_SALT", "must be at least %d characters", minSaltLen)
	}
	return t
}

// LogValue shows the settings without the salt.
func (t Tracking) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("ip_hash", t.IPSalt != ""),
		slog.Bool("trust_proxy", t.TrustProxy),
		slog.Any("trusted_proxies", t.TrustedProxies),
		slog.Int("rate_per_ip", t.RatePerIP),
		slog.Int("rate_per_key", t.RatePerKey),
	)
}

// Format prints the same as LogValue, so that %v never shows the salt.
func (t Tracking) Format(f fmt.State, verb rune) { format(f, verb, render("Tracking", t.LogValue())) }
