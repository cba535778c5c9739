package server

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/validation"
)

// Single sign-on keeps one sign-in in progress in a cookie, not in the database: its state, nonce, PKCE verifier and
// the path to return to. HttpOnly; sent only to the single sign-on routes; SameSite=Lax, so that it comes back with
// the provider's top-level redirect to the callback (Strict would drop it); short-lived; and cleared by the callback,
// whatever its outcome, so that each is used once. A browser has one sign-in in progress at a time: starting a second
// (another tab) makes the first fail with SSO_FAILED.
const (
	oidcCookie     = "mos_oidc"
	oidcCookiePath = "/api/auth/oidc"
	oidcFlowMaxAge = 10 * time.Minute
	// oidcCookieBytes bounds what the callback decodes; a flow is about 250 bytes, the return path at most
	// maxReturnPath.
	oidcCookieBytes = 4 << 10
	maxReturnPath   = 2 << 10
)

// ssoErrorParam is the query parameter of the return path by which a refused sign-in says why. Its values:
const (
	ssoFailed          = "SSO_FAILED"           // no sign-in in progress, or the state, code (PKCE), ID token or nonce is wrong
	ssoDenied          = "SSO_DENIED"           // the provider answered with an error (the person cancelled, or may not use the app)
	ssoUnavailable     = "SSO_UNAVAILABLE"      // the provider or the database cannot be reached; try again later
	ssoEmailUnverified = "EMAIL_NOT_VERIFIED"   // the provider does not vouch for a verified e-mail address
	ssoNotInvited      = "NOT_INVITED"          // no invitation and no organization with the e-mail's domain
	ssoAccountConflict = "SSO_ACCOUNT_CONFLICT" // the e-mail's account is linked to another person of the provider
	ssoErrorParam      = "sso_error"
)

// oidcFlow is the content of the flow cookie.
type oidcFlow struct {
	auth.Flow
	Return string `json:"r"`
}

type oidcHandlers struct {
	auth *authHandlers
	// oidc is nil when single sign-on is not configured.
	oidc *auth.OIDC
}

// oidcRoutes adds single sign-on, and what the sign-in page needs to know of it, to the /api/auth routes.
func (h *authHandlers) oidcRoutes(r chi.Router) {
	o := &oidcHandlers{auth: h, oidc: auth.NewOIDC(h.deps.Config.Auth)}
	r.Get("/providers", o.providers)
	r.Get("/oidc/login", o.login)
	r.Get("/oidc/callback", o.callback)
}

// providers answers which ways of signing in the server offers, for a sign-in page that shows "Sign in with SSO" only
// when single sign-on is configured. It needs no session.
func (o *oidcHandlers) providers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]bool{"password": true, "sso": o.oidc != nil})
}

// login starts a sign-in: it remembers a new flow in the cookie and sends the browser to the provider. ?return= is
// the path to land on afterwards (a path of this site; "/" by default).
func (o *oidcHandlers) login(w http.ResponseWriter, r *http.Request) {
	if o.oidc == nil {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "single sign-on is not configured")
		return
	}
	ret, ok := returnPath(r.URL.Query().Get("return"))
	if !ok {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", "return must be a path of this site, such as /campaigns")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	flow := oidcFlow{Flow: auth.NewFlow(), Return: ret}
	to, err := o.oidc.AuthCodeURL(r.Context(), flow.Flow)
	if err != nil {
		o.refuse(w, r, ret, ssoUnavailable, err)
		return
	}
	raw, err := json.Marshal(flow)
	if err != nil {
		o.refuse(w, r, ret, ssoUnavailable, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: oidcCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: oidcCookiePath,
		MaxAge: int(oidcFlowMaxAge / time.Second), HttpOnly: true, Secure: secureCookies(r, o.auth.deps.Config.Auth),
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, to, http.StatusFound)
}

// callback is where the provider sends the browser back. A sign-in that succeeds gets a session cookie and lands on
// its return path; one that is refused gets no session and lands there with ?sso_error=CODE, so that the dashboard
// can say why (a JSON error would leave the person on a page of JSON in the middle of a redirect chain).
func (o *oidcHandlers) callback(w http.ResponseWriter, r *http.Request) {
	if o.oidc == nil {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "single sign-on is not configured")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	flow, ok := readFlow(r)
	http.SetCookie(w, &http.Cookie{
		Name: oidcCookie, Value: "", Path: oidcCookiePath, MaxAge: -1, HttpOnly: true,
		Secure: secureCookies(r, o.auth.deps.Config.Auth), SameSite: http.SameSiteLaxMode,
	})
	if !ok {
		o.refuse(w, r, "/", ssoFailed, errors.New("no single sign-on in progress: the flow cookie is missing, expired or malformed"))
		return
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		code := ssoDenied
		if !flow.StateMatches(q.Get("state")) {
			code = ssoFailed
		}
		msg := "the provider answered " + validation.Truncate(strings.ToValidUTF8(e, ""), 64)
		if d := q.Get("error_description"); d != "" {
			msg += ": " + validation.Truncate(strings.ToValidUTF8(d, ""), 200)
		}
		o.refuse(w, r, flow.Return, code, errors.New(msg))
		return
	}
	id, err := o.oidc.Finish(r.Context(), flow.Flow, q.Get("state"), q.Get("code"))
	switch {
	case errors.Is(err, auth.ErrNoVerifiedEmail):
		o.refuse(w, r, flow.Return, ssoEmailUnverified, err)
		return
	case errors.Is(err, auth.ErrOIDCRejected):
		o.refuse(w, r, flow.Return, ssoFailed, err)
		return
	case err != nil:
		o.refuse(w, r, flow.Return, ssoUnavailable, err)
		return
	}
	signed, err := o.auth.deps.Auth.SignInOIDC(o.auth.auditContext(r), id, r.UserAgent())
	switch {
	case errors.Is(err, auth.ErrNoOrganization):
		o.refuse(w, r, flow.Return, ssoNotInvited, err)
		return
	case errors.Is(err, auth.ErrIdentityConflict):
		o.refuse(w, r, flow.Return, ssoAccountConflict, err)
		return
	case err != nil:
		o.refuse(w, r, flow.Return, ssoUnavailable, err)
		return
	}
	o.record(r, signed)
	setSessionCookie(w, r, o.auth.deps.Config.Auth, signed.SignedIn)
	http.Redirect(w, r, flow.Return, http.StatusSeeOther)
}

// record writes the audit entries of a single sign-on: the invitations it accepted, the organizations it joined by
// their domain, and the sign-in itself in each of the person's organizations.
func (o *oidcHandlers) record(r *http.Request, s *auth.OIDCSignIn) {
	ctx := o.auth.auditContext(r)
	userID := s.User.ID
	for _, inv := range s.Accepted {
		o.auth.record(ctx, audit.Entry{OrgID: inv.OrganizationID, Action: audit.InvitationTaken, ActorUserID: userID,
			ObjectID: inv.ID, Changes: map[string]any{"role": string(inv.Role), "method": auth.MethodOIDC}})
	}
	domain := s.User.Email[strings.LastIndexByte(s.User.Email, '@')+1:]
	for _, orgID := range s.Joined {
		o.auth.record(ctx, audit.Entry{OrgID: orgID, Action: audit.SSODomainJoined, ActorUserID: userID,
			ObjectID: userID, Changes: map[string]any{"role": "MARKETER", "domain": domain}})
	}
	o.auth.recordForUser(ctx, userID, audit.Entry{Action: audit.SignIn, ObjectID: s.Session.ID,
		Changes: map[string]any{"method": auth.MethodOIDC, "created": s.Created, "linked": s.Linked}})
}

// refuse ends a sign-in without a session: it logs why, once, and sends the browser to ret with the error code.
func (o *oidcHandlers) refuse(w http.ResponseWriter, r *http.Request, ret, code string, err error) {
	log := o.auth.deps.Log
	if code == ssoUnavailable {
		log.ErrorContext(r.Context(), "single sign-on failed", "code", code, "error", err)
	} else {
		log.WarnContext(r.Context(), "single sign-on refused", "code", code, "error", err)
	}
	http.Redirect(w, r, withSSOError(ret, code), http.StatusSeeOther)
}

// withSSOError adds ?sso_error=code to a return path (which returnPath accepted), before its fragment if any.
func withSSOError(ret, code string) string {
	path, fragment, hasFragment := strings.Cut(ret, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	path += sep + ssoErrorParam + "=" + url.QueryEscape(code)
	if hasFragment {
		path += "#" + fragment
	}
	return path
}

// readFlow returns the sign-in in progress that the flow cookie holds.
func readFlow(r *http.Request) (oidcFlow, bool) {
	c, err := r.Cookie(oidcCookie)
	if err != nil || len(c.Value) > oidcCookieBytes {
		return oidcFlow{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return oidcFlow{}, false
	}
	var f oidcFlow
	if err := json.Unmarshal(raw, &f); err != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return oidcFlow{}, false
	}
	// The cookie came from this server, but it is the browser's to send: check the path again.
	ret, ok := returnPath(f.Return)
	if !ok {
		return oidcFlow{}, false
	}
	f.Return = ret
	return f, true
}

// returnPath accepts where a sign-in may land: "" (meaning "/") or an absolute path of this site, with an optional
// query. Anything a browser could read as another site is refused: a scheme or host, "//host", backslashes (which
// browsers read as slashes) and control characters (which they drop).
func returnPath(s string) (string, bool) {
	if s == "" {
		return "/", true
	}
	if len(s) > maxReturnPath || s[0] != '/' || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') {
		return "", false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return "", false
		}
	}
	// Decoded, the path must still be one: "/%2F%2Fhost" is "//host" to whatever decodes it next.
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsRune(u.Path, '\\') {
		return "", false
	}
	return s, true
}
