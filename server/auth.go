package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/validation"
)

// Sign-in limits, per instance: attempts per account (e-mail) and per client address within authWindow.
const (
	signInsPerAccount = 10
	signInsPerAddress = 30
	authWindow        = time.Minute
	authBodyBytes     = 16 << 10
	// recordTimeout bounds the recording of a failed sign-in, done after its answer was sent.
	recordTimeout = 5 * time.Second
)

// authHandlers are the REST routes of sign-in. They translate HTTP to internal/auth and back.
type authHandlers struct {
	deps       Deps
	origins    credentialedOrigins
	client     clientAddress
	perAccount *httprate.RateLimiter
	perAddress *httprate.RateLimiter
}

func authRoutes(r chi.Router, d Deps, origins originPolicy) {
	h := &authHandlers{
		deps:       d,
		origins:    newCredentialedOrigins(d.Config),
		client:     newClientAddress(d.Config.Tracking),
		perAccount: httprate.NewRateLimiter(signInsPerAccount, authWindow, httprate.WithLimitHandler(rateLimited), onlyRetryAfter),
		perAddress: httprate.NewRateLimiter(signInsPerAddress, authWindow, httprate.WithLimitHandler(rateLimited), onlyRetryAfter),
	}
	r.Route("/api/auth", func(r chi.Router) {
		r.Use(origins.cors(h.origins), h.sameSiteOnly)
		r.Post("/login", h.login)
		r.Post("/logout", h.logout)
		r.Get("/session", h.session)
		r.Get("/sessions", h.sessions)
		r.Delete("/sessions/{id}", h.revokeSession)
		r.Post("/password", h.changePassword)
		h.oidcRoutes(r) // server/oidc.go: /providers, /oidc/login, /oidc/callback
		r.Post("/invitations/accept", h.acceptInvitation)
	})
}

// onlyRetryAfter keeps the limiters' counters out of sign-in answers, which are byte-identical for an unknown
// e-mail and a wrong password; a refused attempt still says when to retry.
var onlyRetryAfter = httprate.WithResponseHeaders(httprate.ResponseHeaders{RetryAfter: "Retry-After"})

func rateLimited(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusTooManyRequests, "RATE_LIMITED", "too many sign-in attempts; retry later")
}

// sameSiteOnly refuses what a page of another site could send: every route here reads or sets the session cookie,
// so every request must come from an allowed origin and a POST must be JSON (checkCookieRequest).
func (h *authHandlers) sameSiteOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h.origins.checkCookieRequest(r, r.Method == http.MethodPost); err != nil {
			writeError(w, http.StatusForbidden, "FORBIDDEN", err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

type userBody struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	LastSignInAt *time.Time `json:"lastSignInAt"`
}

type organizationBody struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

type sessionBody struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	UserAgent  string    `json:"userAgent"`
	Method     string    `json:"method"`
	Current    bool      `json:"current"`
}

// signedInBody is what login and GET /api/auth/session answer.
type signedInBody struct {
	User          userBody           `json:"user"`
	Organizations []organizationBody `json:"organizations"`
	Session       *sessionBody       `json:"session,omitempty"`
}

func (h *authHandlers) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if h.perAddress.RespondOnLimit(w, r, "ip:"+h.client.of(r)) ||
		h.perAccount.RespondOnLimit(w, r, "account:"+strings.ToLower(strings.TrimSpace(in.Email))) {
		return
	}
	ctx := h.auditContext(r)
	signed, err := h.deps.Auth.SignIn(ctx, in.Email, in.Password, r.UserAgent())
	if errors.Is(err, auth.ErrInvalidCredentials) {
		// The answer goes out before the failure is recorded: recording costs a write for an account and nothing
		// for an unknown e-mail, and the time of the answer must not tell them apart. The connection closes
		// after it, so that the client's next request cannot queue behind the recording either.
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "wrong e-mail or password")
		deliverNow(w)
		// The client may have closed the connection by now, which cancels the request's context.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		defer cancel()
		h.recordFailedSignIn(ctx, in.Email)
		return
	}
	if err != nil {
		h.unavailable(w, r, err)
		return
	}
	// The browser's previous session, if any, ends: one browser, one session, and never an id fixed beforehand.
	if err := h.deps.Auth.SignOut(ctx, sessionToken(r)); err != nil {
		h.deps.Log.WarnContext(ctx, "previous session not ended", "error", err)
	}
	h.signedIn(w, r, signed, audit.SignIn)
}

// signedIn sets the cookie of a new session, records the sign-in in each of the person's organizations and answers
// who is signed in. OIDC and invitations end here too.
func (h *authHandlers) signedIn(w http.ResponseWriter, r *http.Request, signed *auth.SignedIn, action string) {
	ctx := h.auditContext(r)
	body, err := h.signedInBody(ctx, signed.User, signed.Session)
	if err != nil {
		h.unavailable(w, r, err)
		return
	}
	h.recordForUser(ctx, signed.User.ID, audit.Entry{Action: action, ObjectID: signed.Session.ID,
		Changes: map[string]any{"method": signed.Session.Method}})
	setSessionCookie(w, r, h.deps.Config.Auth, signed)
	writeJSON(w, http.StatusOK, body)
}

func (h *authHandlers) signedInBody(ctx context.Context, u *ent.User, sess *ent.Session) (signedInBody, error) {
	ms, err := h.deps.Auth.Memberships(ctx, u.ID)
	if err != nil {
		return signedInBody{}, err
	}
	body := signedInBody{
		User:          userBody{ID: u.ID, Email: u.Email, Name: u.Name, LastSignInAt: u.LastSignInAt},
		Organizations: make([]organizationBody, 0, len(ms)),
	}
	for _, m := range ms {
		body.Organizations = append(body.Organizations, organizationBody{ID: m.OrganizationID, Name: m.Edges.Organization.Name, Role: string(m.Role)})
	}
	if sess != nil {
		s := sessionOf(sess, sess.ID)
		body.Session = &s
	}
	return body, nil
}

func sessionOf(s *ent.Session, current string) sessionBody {
	return sessionBody{ID: s.ID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt,
		UserAgent: s.UserAgent, Method: s.Method, Current: s.ID == current}
}

// recordFailedSignIn records a wrong password in the organizations of the account it was tried on; an e-mail that
// names nobody has no organization to record it in (it is counted in the log line of the request).
func (h *authHandlers) recordFailedSignIn(ctx context.Context, email string) {
	if u, err := auth.UserByEmail(ctx, h.deps.DB.Client, email); err == nil {
		h.recordForUser(ctx, u.ID, audit.Entry{Action: audit.SignInFailed})
	}
}

func (h *authHandlers) logout(w http.ResponseWriter, r *http.Request) {
	token := sessionToken(r)
	if sess, _, err := h.deps.Auth.Session(r.Context(), token); err == nil {
		h.recordForUser(h.auditContext(r), sess.UserID, audit.Entry{Action: audit.SignOut, ObjectID: sess.ID})
	}
	if err := h.deps.Auth.SignOut(r.Context(), token); err != nil {
		h.unavailable(w, r, err)
		return
	}
	clearSessionCookie(w, r, h.deps.Config.Auth)
	w.WriteHeader(http.StatusNoContent)
}

func (h *authHandlers) session(w http.ResponseWriter, r *http.Request) {
	sess, u, ok := h.requireSession(w, r)
	if !ok {
		return
	}
	body, err := h.signedInBody(r.Context(), u, sess)
	if err != nil {
		h.unavailable(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (h *authHandlers) sessions(w http.ResponseWriter, r *http.Request) {
	sess, _, ok := h.requireSession(w, r)
	if !ok {
		return
	}
	all, err := h.deps.Auth.Sessions(r.Context(), sess.UserID)
	if err != nil {
		h.unavailable(w, r, err)
		return
	}
	out := make([]sessionBody, len(all))
	for i, s := range all {
		out[i] = sessionOf(s, sess.ID)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": out})
}

func (h *authHandlers) revokeSession(w http.ResponseWriter, r *http.Request) {
	sess, _, ok := h.requireSession(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "id")
	err := h.deps.Auth.RevokeSession(r.Context(), sess.UserID, id)
	switch {
	case errors.Is(err, auth.ErrInvalidSession):
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such session of yours")
		return
	case err != nil:
		h.unavailable(w, r, err)
		return
	}
	h.recordForUser(h.auditContext(r), sess.UserID, audit.Entry{Action: audit.SessionRevoked, ObjectID: id})
	if id == sess.ID {
		clearSessionCookie(w, r, h.deps.Config.Auth)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *authHandlers) changePassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CurrentPassword string `json:"currentPassword"`
		NewPassword     string `json:"newPassword"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	sess, _, ok := h.requireSession(w, r)
	if !ok {
		return
	}
	if h.perAccount.RespondOnLimit(w, r, "session:"+sess.UserID) {
		return
	}
	err := h.deps.Auth.ChangePassword(r.Context(), sess, in.CurrentPassword, in.NewPassword)
	var invalid *validation.Error
	switch {
	case errors.As(err, &invalid):
		if invalid.Field == "password" {
			invalid.Field = "newPassword"
		}
		writeJSON(w, http.StatusBadRequest, errorBody{Error: errorDetail{Code: "BAD_USER_INPUT", Message: invalid.Error(), Field: invalid.Field}})
		return
	case err != nil:
		h.unavailable(w, r, err)
		return
	}
	h.recordForUser(h.auditContext(r), sess.UserID, audit.Entry{Action: audit.PasswordChanged, ObjectID: sess.UserID})
	w.WriteHeader(http.StatusNoContent)
}

// requireSession returns the request's live session, or answers 401.
func (h *authHandlers) requireSession(w http.ResponseWriter, r *http.Request) (*ent.Session, *ent.User, bool) {
	sess, u, err := h.deps.Auth.Session(r.Context(), sessionToken(r))
	switch {
	case errors.Is(err, auth.ErrInvalidSession):
		clearSessionCookie(w, r, h.deps.Config.Auth)
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "not signed in")
		return nil, nil, false
	case err != nil:
		h.unavailable(w, r, err)
		return nil, nil, false
	}
	return sess, u, true
}

func (h *authHandlers) auditContext(r *http.Request) context.Context {
	return auditContext(r, h.deps.Config.Tracking.IPSalt, h.client)
}

// auditContext carries the hash of the client's address for the audit entries the request records — with
// TRACKING_IP_SALT set only: without a secret salt, a hash of an IPv4 address is as good as the address.
func auditContext(r *http.Request, salt string, client clientAddress) context.Context {
	if salt == "" {
		return r.Context()
	}
	return audit.WithClient(r.Context(), audit.HashAddress(salt, client.of(r)))
}

// recordForUser records e, done by the user, in each of their organizations; a failure is logged, not answered.
func (h *authHandlers) recordForUser(ctx context.Context, userID string, e audit.Entry) {
	if err := audit.RecordForUser(ctx, h.deps.DB.Client, userID, e); err != nil {
		h.deps.Log.ErrorContext(ctx, "audit entry not recorded", "action", e.Action, "error", err)
	}
}

// record writes an audit entry; a failure is logged, not answered: the sign-in it describes has happened.
func (h *authHandlers) record(ctx context.Context, e audit.Entry) {
	if err := audit.Record(ctx, h.deps.DB.Client, e); err != nil {
		h.deps.Log.ErrorContext(ctx, "audit entry not recorded", "action", e.Action, "error", err)
	}
}

func (h *authHandlers) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	h.deps.Log.ErrorContext(r.Context(), "sign-in route failed", "error", err)
	w.Header().Set("Retry-After", "1")
	writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "sign-in is unavailable; retry shortly")
}

// decodeJSON reads a small JSON object into v, refusing unknown fields; on failure it has answered 400 or 415.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if !mediaJSON(r.Header.Get("Content-Type")) {
		writeError(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "send application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, authBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", "the body must be a JSON object with the documented fields")
		return false
	}
	return true
}
