package server

import (
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/cors"
	"github.com/go-chi/httprate"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/access"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Cookies that identify a browser across hits when the page passes no ids of its own.
const (
	visitorCookie = "mos_vid"
	sessionCookie = "mos_sid"
	visitorMaxAge = 365 * 24 * time.Hour
	sessionMaxAge = 30 * time.Minute // a session ends after 30 minutes without a hit
)

// droppedHeader tells why the pixel stored nothing although it answered 200.
const droppedHeader = "X-MarketingOS-Dropped"

// transparentGIF is a 1×1 transparent GIF.
var transparentGIF, _ = base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

type trackingHandlers struct {
	svc        *tracking.Service
	deps       Deps
	perIP      *httprate.RateLimiter
	perKey     *httprate.RateLimiter
	client     clientAddress
	trustProxy bool
}

func newTrackingHandlers(d Deps) *trackingHandlers {
	h := &trackingHandlers{svc: d.Tracking, deps: d, client: newClientAddress(d.Config.Tracking), trustProxy: d.Config.Tracking.TrustProxy}
	if n := d.Config.Tracking.RatePerIP; n > 0 {
		h.perIP = httprate.NewRateLimiter(n, time.Minute)
	}
	if n := d.Config.Tracking.RatePerKey; n > 0 {
		h.perKey = httprate.NewRateLimiter(n, time.Minute)
	}
	return h
}

// trackingCORS lets any landing page send events, with cookies (the visitor id) when it asks for them.
func trackingCORS() func(http.Handler) http.Handler {
	return cors.Handler(cors.Options{
		AllowOriginFunc:  func(*http.Request, string) bool { return true },
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   append([]string{"Content-Type", "Authorization"}, traceHeaders...),
		AllowCredentials: true,
		MaxAge:           86400,
	})
}

// pixel always answers with the GIF: a broken image on a customer's landing page is worse than a lost hit. It
// answers 200 when the hit was stored or deliberately dropped (bad input, unknown key, bot, DNT, rate limit; the
// reason is in X-MarketingOS-Dropped and in /metrics), and 503 with Retry-After when it could not store the hit.
func (h *trackingHandlers) pixel(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store, max-age=0")
	w.Header().Set("Content-Type", "image/gif")
	in, err := tracking.ParsePixel(r.URL.RawQuery)
	if err != nil {
		h.drop(w, "invalid")
		return
	}
	org, err := h.svc.Organization(r.Context(), in.Key)
	switch {
	case errors.Is(err, tracking.ErrUnknownKey):
		h.drop(w, "unknown_key")
		return
	case err != nil:
		h.unavailable(w, r, err)
		return
	}
	if h.limited(w, r, in.Key) {
		h.drop(w, "rate_limited")
		return
	}
	if in.URL == "" {
		// A bare <img> names no page: the page it sits on does (in full with referrerpolicy="no-referrer-when-
		// downgrade" on the tag; browsers send only the origin to another site by default).
		in.URL = tracking.PageFromReferer(r.Referer())
	}
	res, err := h.svc.Track(r.Context(), org, h.hit(r, in, true))
	switch {
	case errors.Is(err, tracking.ErrOriginNotAllowed):
		h.drop(w, "origin")
	case errors.As(err, new(*validation.Error)), errors.Is(err, tracking.ErrNeedsAPIKey):
		h.drop(w, "invalid")
	case err != nil:
		h.unavailable(w, r, err)
	case res.Dropped != "":
		h.drop(w, res.Dropped)
	default:
		h.setCookies(w, r, in, res)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(transparentGIF)
	}
}

func (h *trackingHandlers) drop(w http.ResponseWriter, reason string) {
	if reason == "invalid" || reason == "unknown_key" || reason == "rate_limited" {
		h.svc.Count(reason)
	}
	w.Header().Set(droppedHeader, reason)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(transparentGIF)
}

func (h *trackingHandlers) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, tracking.ErrOverloaded) && !errors.Is(err, tracking.ErrClosed) {
		h.deps.Log.ErrorContext(r.Context(), "tracking hit not stored", "error", err)
	}
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(transparentGIF)
}

// eventResponse is the body of a successful POST /api/tracking/event.
type eventResponse struct {
	VisitorID string `json:"visitorId"`
	EventID   string `json:"eventId,omitempty"`
	Stored    bool   `json:"stored"`
	Dropped   string `json:"dropped,omitempty"`
}

// event accepts a JSON event from a landing page (with the public tracking key in the body) or from a server (with
// an API key in Authorization). It answers 202 only once the event is committed.
func (h *trackingHandlers) event(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" && mt != "text/plain" {
		writeError(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "send application/json (or text/plain from navigator.sendBeacon)")
		return
	}
	in, err := tracking.DecodeEvent(http.MaxBytesReader(w, r.Body, tracking.MaxBodyBytes+1))
	if err != nil {
		h.svc.Count("invalid")
		h.eventError(w, r, err)
		return
	}
	browser := true
	var orgKey string
	if secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		v, err := account.Authenticate(r.Context(), h.deps.DB.Client, strings.TrimSpace(secret))
		if err != nil {
			h.eventError(w, r, err)
			return
		}
		if err := access.Check(viewer.NewContext(r.Context(), v), access.TrackEvent); err != nil {
			writeError(w, http.StatusForbidden, "FORBIDDEN", "this key's role may not send events (MARKETER or above)")
			return
		}
		browser, orgKey = false, v.OrgID
	} else if in.Key == "" {
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "key (the public tracking key) or an API key is required")
		return
	}
	org, err := h.resolveOrg(r, browser, in.Key, orgKey)
	if err != nil {
		h.eventError(w, r, err)
		return
	}
	if h.limited(w, r, org.TrackingKey) {
		h.svc.Count("rate_limited")
		writeError(w, http.StatusTooManyRequests, "RATE_LIMITED", "too many tracking requests; retry later")
		return
	}
	res, err := h.svc.Track(r.Context(), org, h.hit(r, in, browser))
	if err != nil {
		h.eventError(w, r, err)
		return
	}
	if browser && res.Dropped == "" {
		h.setCookies(w, r, in, res)
	}
	body := eventResponse{VisitorID: res.VisitorID, Stored: res.Event != nil, Dropped: res.Dropped}
	if res.Event != nil {
		body.EventID = res.Event.ID
	}
	writeJSON(w, http.StatusAccepted, body)
}

func (h *trackingHandlers) resolveOrg(r *http.Request, browser bool, trackingKey, orgID string) (*ent.Organization, error) {
	if browser {
		return h.svc.Organization(r.Context(), trackingKey)
	}
	return h.deps.DB.Client.Organization.Get(viewer.ForOrganization(r.Context(), orgID), orgID)
}

func (h *trackingHandlers) eventError(w http.ResponseWriter, r *http.Request, err error) {
	var invalid *validation.Error
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusBadRequest, errorBody{Error: errorDetail{Code: "BAD_USER_INPUT", Message: invalid.Error(), Field: invalid.Field}})
	case errors.Is(err, tracking.ErrTooLarge), errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "event exceeds 16 KiB")
	case errors.Is(err, tracking.ErrUnknownKey), errors.Is(err, account.ErrInvalidKey):
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "unknown tracking key or API key")
	case errors.Is(err, tracking.ErrOriginNotAllowed):
		writeError(w, http.StatusForbidden, "FORBIDDEN", "this origin may not send events for this organization")
	case errors.Is(err, tracking.ErrNeedsAPIKey):
		writeError(w, http.StatusForbidden, "FORBIDDEN", err.Error())
	case errors.Is(err, tracking.ErrOverloaded), errors.Is(err, tracking.ErrClosed):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "ingestion is saturated; retry shortly")
	default:
		h.deps.Log.ErrorContext(r.Context(), "tracking event not stored", "error", err)
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "event not stored; retry shortly")
	}
}

func (h *trackingHandlers) hit(r *http.Request, in tracking.Input, browser bool) tracking.Hit {
	hit := tracking.Hit{
		Input:     in,
		Browser:   browser,
		UserAgent: r.UserAgent(),
		ClientIP:  h.client.of(r),
		DNT:       r.Header.Get("DNT") == "1" || r.Header.Get("Sec-GPC") == "1",
		Origin:    r.Header.Get("Origin"),
	}
	if c, err := r.Cookie(visitorCookie); err == nil {
		hit.CookieVisitor = c.Value
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		hit.CookieSession = c.Value
	}
	return hit
}

// setCookies remembers the visitor (a year) and the session (30 minutes, renewed by each hit) for pages that keep no
// ids of their own: the no-JS pixel. A page that sends its ids (the tracker script keeps them first-party) or asks
// for cookieless tracking gets none. Behind TLS they are SameSite=None; Secure, so that they also work when the
// pixel is a third party on the landing page, where browsers that allow third-party cookies keep them.
func (h *trackingHandlers) setCookies(w http.ResponseWriter, r *http.Request, in tracking.Input, res tracking.Result) {
	if in.VisitorID != "" || in.Cookieless {
		return
	}
	secure := r.TLS != nil || (h.trustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
	sameSite := http.SameSiteLaxMode
	if secure {
		sameSite = http.SameSiteNoneMode
	}
	for _, c := range []struct {
		name, value string
		maxAge      time.Duration
	}{{visitorCookie, res.VisitorID, visitorMaxAge}, {sessionCookie, res.SessionID, sessionMaxAge}} {
		if c.value == "" {
			continue
		}
		http.SetCookie(w, &http.Cookie{
			Name: c.name, Value: c.value, Path: "/", MaxAge: int(c.maxAge.Seconds()),
			HttpOnly: true, Secure: secure, SameSite: sameSite,
		})
	}
}

// limited applies the per-address and per-key limits.
func (h *trackingHandlers) limited(w http.ResponseWriter, r *http.Request, key string) bool {
	if h.perIP != nil && h.perIP.OnLimit(w, r, "ip:"+h.client.of(r)) {
		return true
	}
	return h.perKey != nil && h.perKey.OnLimit(w, r, "key:"+key)
}
