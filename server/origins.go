package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/cors"
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
		if matchOrigin(pat, origin) {
			return true
		}
	}
	return false
}

func matchOrigin(pattern, origin string) bool {
	if strings.EqualFold(pattern, origin) {
		return true
	}
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return false
	}
	return len(origin) > len(before)+len(after) &&
		strings.HasPrefix(strings.ToLower(origin), strings.ToLower(before)) &&
		strings.HasSuffix(strings.ToLower(origin), strings.ToLower(after)) &&
		!strings.ContainsAny(origin[len(before):len(origin)-len(after)], "/:")
}

// hostPatterns turns the policy into the WebSocket library's origin patterns (hosts, with path.Match wildcards).
// Same-origin requests and clients that send no Origin (servers, CLIs) are always accepted by the library.
func (p originPolicy) hostPatterns() []string {
	if p.anyOrigin {
		return []string{"*"}
	}
	hosts := make([]string, 0, len(p.patterns))
	for _, pat := range p.patterns {
		if u, err := url.Parse(strings.Replace(pat, "*", "wildcard", 1)); err == nil && u.Host != "" {
			hosts = append(hosts, strings.Replace(u.Host, "wildcard", "*", 1))
		}
	}
	return hosts
}

// cors answers cross-origin requests. An origin that may send the session cookie (credentials) gets
// Access-Control-Allow-Credentials, so a dashboard on app.example.com can sign in to api.example.com; any other
// origin the policy allows may call with an API key only: its browser will not send or expose cookies.
func (p originPolicy) cors(credentialed credentialedOrigins) func(http.Handler) http.Handler {
	headers := []string{"Authorization", "Content-Type", organizationHeader}
	withCookies := cors.Handler(cors.Options{
		AllowOriginFunc:  func(r *http.Request, origin string) bool { return credentialed.allows(r, origin) },
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodOptions},
		AllowedHeaders:   headers,
		AllowCredentials: true,
		MaxAge:           600,
	})
	withKeys := cors.Handler(cors.Options{
		AllowOriginFunc: func(_ *http.Request, origin string) bool { return p.allows(origin) },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:  headers,
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
