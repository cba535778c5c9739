package config

import (
	"fmt"
	"log/slog"
)

// Tracking tunes the tracking endpoints.
type Tracking struct {
	// IPSalt (TRACKING_IP_SALT, secret, at least 16 characters) turns on a salted daily hash of the client address
	// for abuse control. Unset, nothing derived from the address is stored. The address itself never is.
	IPSalt string
	// TrustProxy (TRUST_PROXY, default false) takes the client address from X-Forwarded-For / X-Real-IP, for
	// instances behind a load balancer. Leave it off when clients reach the server directly: they could forge it.
	TrustProxy bool
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
		slog.Int("rate_per_ip", t.RatePerIP),
		slog.Int("rate_per_key", t.RatePerKey),
	)
}

// Format prints the same as LogValue, so that %v never shows the salt.
func (t Tracking) Format(f fmt.State, verb rune) { format(f, verb, render("Tracking", t.LogValue())) }
