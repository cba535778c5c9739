package server

import (
	"net/http"

	"github.com/go-chi/cors"

	"github.com/marketingos/marketingos/internal/validation"
)

// originPolicy decides which browser origins may call the API (CORS) and open WebSocket subscriptions.
// Patterns are exact origins, "*", or origins with one "*" in the host (https://*.example.com).
type originPolicy struct {
	patterns  []string
	anyOrigin bool
}

func newOriginPolicy(patterns []string, development bool) originPolicy {
	p := originPolicy{patterns: patterns}
	for _, s := range patterns {
		if s == "*" {
			p.anyOrigin = true
		}
	}
	// A developer running `make run` with no ALLOWED_ORIGINS gets a dashboard on any local port working.
	if len(patterns) == 0 && development {
		p.anyOrigin = true
	}
	return p
}

func (p originPolicy) allows(origin string) bool {
	if p.anyOrigin {
		return true
	}
	for _, pat := range p.patterns {
		if validation.MatchOrigin(pat, origin) {
			return true
		}
	}
	return false
}

// allowsWebSocket reports whether r, a WebSocket upgrade, may be accepted from its Origin: a program that sends none
// (a server, a CLI), an origin the policy allows, or one that may send the session cookie — the server's own origin,
// scheme included, among them. Browsers apply no CORS to WebSockets, so this is the only origin check they get; it
// uses the same rule as CORS and the cookie's cross-site checks (validation.MatchOrigin), so https://app.example.com
// is not let in where only http://app.example.com is allowed.
func (p originPolicy) allowsWebSocket(r *http.Request, credentialed credentialedOrigins) bool {
	origin := r.Header.Get("Origin")
	return origin == "" || p.allows(origin) || credentialed.allows(r, origin)
}

// traceHeaders are the trace-context headers that tracing SDKs add to a traced page's every fetch: W3C Trace Context
// (traceparent, tracestate) and Baggage, as OpenTelemetry sends them, and Sentry's sentry-trace (with baggage). A
// preflight that refuses one of them fails the whole request, so a dashboard or landing page that turns tracing on
// would stop working; the server ignores them.
var traceHeaders = []string{"traceparent", "tracestate", "baggage", "sentry-trace"}

// cors answers cross-origin requests. An origin that may send the session cookie (credentials) gets
// Access-Control-Allow-Credentials, so a dashboard on app.example.com can sign in to api.example.com; any other
// origin the policy allows may call with an API key only: its browser will not send or expose cookies.
func (p originPolicy) cors(credentialed credentialedOrigins) func(http.Handler) http.Handler {
	headers := append([]string{"Authorization", "Content-Type", organizationHeader}, traceHeaders...)
	// A cross-origin script reads only the safelisted response headers unless told so: a CSV export's file name is
	// in Content-Disposition.
	exposed := []string{"Content-Disposition"}
	withCookies := cors.Handler(cors.Options{
		AllowOriginFunc:  func(r *http.Request, origin string) bool { return credentialed.allows(r, origin) },
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodOptions},
		AllowedHeaders:   headers,
		ExposedHeaders:   exposed,
		AllowCredentials: true,
		MaxAge:           600,
	})
	withKeys := cors.Handler(cors.Options{
		AllowOriginFunc: func(_ *http.Request, origin string) bool { return p.allows(origin) },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:  headers,
		ExposedHeaders:  exposed,
		MaxAge:          600,
	})
	return func(next http.Handler) http.Handler {
		cookies, keys := withCookies(next), withKeys(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if origin := r.Header.Get("Origin"); origin != "" && credentialed.allows(r, origin) {
				cookies.ServeHTTP(w, r)
				return
			}
			keys.ServeHTTP(w, r)
		})
	}
}
