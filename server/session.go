package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// signInCookie holds a signed-in browser's session token. HttpOnly (no script reads it), SameSite=Lax (no other
// site's form or fetch sends it), Secure when the server is reached over TLS.
const signInCookie = "mos_session"

// organizationHeader picks the organization a session acts in; without it, the person's most recently used one.
const organizationHeader = "X-Organization-Id"

// credentialedOrigins decides which browser origins may send requests that carry the session cookie: the server's
// own, the ALLOWED_ORIGINS listed explicitly (never "*"), and in development the loopback origins a dashboard's dev
// server runs on. It is stricter than the CORS policy for API keys, which lets any origin call in development.
type credentialedOrigins struct {
	publicOrigin string
	patterns     []string
	development  bool
}

func newCredentialedOrigins(cfg *config.Config) credentialedOrigins {
	c := credentialedOrigins{publicOrigin: strings.ToLower(cfg.Auth.PublicURL), development: cfg.Development()}
	for _, p := range cfg.AllowedOrigins {
		if p != "*" {
			c.patterns = append(c.patterns, p)
		}
	}
	return c
}

// allows reports whether origin may send the session cookie to r's server.
func (c credentialedOrigins) allows(r *http.Request, origin string) bool {
	origin = strings.ToLower(origin)
	if origin == "" || origin == "null" {
		return false
	}
	if origin == c.publicOrigin || origin == ownOrigin(r) {
		return true
	}
	for _, p := range c.patterns {
		if validation.MatchOrigin(p, origin) {
			return true
		}
	}
	if c.development {
		u, err := url.Parse(origin)
		return err == nil && u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1")
	}
	return false
}

// ownOrigin is the origin r was addressed to, scheme included, as a browser on the same origin writes it.
func ownOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + strings.ToLower(r.Host)
}

// errCrossSite refuses a cookie-authenticated request that a page of another site could have made.
var errCrossSite = errors.New("a request signed in with the session cookie must come from an allowed origin")

// errCookieNotJSONPost refuses a cookie-authenticated request that could change something without being a JSON POST.
var errCookieNotJSONPost = errors.New("a request signed in with the session cookie must be a POST of application/json")

// checkCookieRequest closes cookie sessions against cross-site request forgery: a request with an Origin must come
// from an allowed one, and, for a state change, be a JSON POST — something no form, image or text/plain beacon of
// another site can send without CORS permission. Browsers send Origin with every POST and WebSocket, and a page
// cannot make them leave it out, so a request without one comes from a program (curl, a server) that holds the
// cookie itself; one that says it is cross-site (Sec-Fetch-Site) is refused all the same.
func (c credentialedOrigins) checkCookieRequest(r *http.Request, needJSONPost bool) error {
	origin := r.Header.Get("Origin")
	switch {
	case origin != "":
		if !c.allows(r, origin) {
			return errCrossSite
		}
	case r.Header.Get("Sec-Fetch-Site") == "cross-site":
		return errCrossSite
	}
	if needJSONPost && (r.Method != http.MethodPost || !mediaJSON(r.Header.Get("Content-Type"))) {
		return errCookieNotJSONPost
	}
	return nil
}

// sessionToken returns the session cookie's token, or "".
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(signInCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// setSessionCookie gives the browser its session. It lives as long as the session may (SESSION_MAX_AGE); the server
// ends it sooner when idle.
func setSessionCookie(w http.ResponseWriter, r *http.Request, cfg config.Auth, s *auth.SignedIn) {
	http.SetCookie(w, &http.Cookie{
		Name: signInCookie, Value: s.Token, Path: "/", Expires: s.Session.ExpiresAt,
		HttpOnly: true, Secure: secureCookies(r, cfg), SameSite: http.SameSiteLaxMode,
	})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request, cfg config.Auth) {
	http.SetCookie(w, &http.Cookie{
		Name: signInCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secureCookies(r, cfg), SameSite: http.SameSiteLaxMode,
	})
}

// secureCookies: behind TLS — the request's own, or the load balancer's when PUBLIC_URL is https.
func secureCookies(r *http.Request, cfg config.Auth) bool {
	return r.TLS != nil || strings.HasPrefix(cfg.PublicURL, "https://")
}

// sessionViewer resolves a session token and the organization asked for to the viewer of the request.
func sessionViewer(ctx context.Context, a *auth.Service, token, orgID string) (viewer.Viewer, error) {
	sess, _, err := a.Session(ctx, token)
	if err != nil {
		return viewer.Viewer{}, err
	}
	return a.Viewer(ctx, sess, orgID)
}
