package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Auth configures how people sign in.
type Auth struct {
	// PublicURL (PUBLIC_URL) is the address people reach the server at, such as https://mos.example.com: the base
	// of invitation links and of the single sign-on callback, and the server's own origin for CSRF checks. Unset,
	// it is http://localhost:PORT in development; production requires it when single sign-on is configured.
	PublicURL string
	// SessionIdleTimeout (SESSION_IDLE_TIMEOUT, default 7 days) ends a session not used for that long;
	// SessionMaxAge (SESSION_MAX_AGE, default 30 days) ends any session that old.
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	// OIDC is single sign-on, configured by OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (all or none).
	OIDC OIDC
}

// OIDC is an OpenID Connect provider.
type OIDC struct {
	IssuerURL    string
	ClientID     string
	ClientSecret string
}

// Configured reports whether single sign-on is on.
func (o OIDC) Configured() bool { return o.IssuerURL != "" }

const (
	defaultSessionIdle   = 7 * 24 * time.Hour
	defaultSessionMaxAge = 30 * 24 * time.Hour
	minSessionTimeout    = time.Minute
)

func (l *loader) auth(port int, production bool) Auth {
	a := Auth{
		PublicURL:          strings.TrimRight(l.httpURL("PUBLIC_URL"), "/"),
		SessionIdleTimeout: l.duration("SESSION_IDLE_TIMEOUT", defaultSessionIdle, minSessionTimeout),
		SessionMaxAge:      l.duration("SESSION_MAX_AGE", defaultSessionMaxAge, minSessionTimeout),
		OIDC: OIDC{
			IssuerURL:    l.httpURL("OIDC_ISSUER_URL"),
			ClientID:     l.get("OIDC_CLIENT_ID"),
			ClientSecret: l.get("OIDC_CLIENT_SECRET"),
		},
	}
	if a.SessionIdleTimeout > a.SessionMaxAge {
		l.problem("SESSION_IDLE_TIMEOUT", "%s is longer than SESSION_MAX_AGE (%s)", a.SessionIdleTimeout, a.SessionMaxAge)
	}
	if u, err := url.Parse(a.PublicURL); a.PublicURL != "" && (err != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "") {
		l.problem("PUBLIC_URL", "%q must be an origin such as https://mos.example.com, without a path", a.PublicURL)
	}
	l.allOrNone("OIDC",
		credential{name: "OIDC_ISSUER_URL", value: a.OIDC.IssuerURL, required: true},
		credential{name: "OIDC_CLIENT_ID", value: a.OIDC.ClientID, required: true},
		credential{name: "OIDC_CLIENT_SECRET", value: a.OIDC.ClientSecret, required: true},
	)
	switch {
	case a.PublicURL == "" && production && a.OIDC.Configured():
		l.problem("PUBLIC_URL", "is required in production with single sign-on: the provider redirects people back to it")
	case a.PublicURL == "":
		a.PublicURL = "http://localhost:" + strconv.Itoa(port)
	}
	return a
}

// LogValue shows the settings without the client secret.
func (a Auth) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("public_url", a.PublicURL),
		slog.Duration("session_idle_timeout", a.SessionIdleTimeout),
		slog.Duration("session_max_age", a.SessionMaxAge),
		slog.Bool("oidc", a.OIDC.Configured()),
		slog.String("oidc_issuer", a.OIDC.IssuerURL),
	)
}

// Format prints the same as LogValue, so that %v never shows the client secret.
func (a Auth) Format(f fmt.State, verb rune) { format(f, verb, render("Auth", a.LogValue())) }
