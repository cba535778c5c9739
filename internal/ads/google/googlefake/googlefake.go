// Package googlefake is an in-process Google Ads API (REST) with its OAuth token endpoint, for tests of code that
// runs campaigns on Google. It speaks the wire format of the real API (external-apis.md §3), checks what the real API
// checks (the refresh-token form, the bearer token, the customer and manager ids, required campaign fields, temporary
// resource names), keeps the campaigns it creates, serves the metrics it is given, and fails on demand.
package googlefake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/marketingos/marketingos/internal/config"
)

// Credentials the fake accepts, also returned by Config.
const (
	ClientID          = "fake-client-id.apps.googleusercontent.com"
	ClientSecret      = "fake-client-secret"
	RefreshToken      = "1//fake-refresh-token"
	DeveloperToken    = "fake-developer-token"
	DefaultCustomerID = "1234567890"
	DefaultVersion    = "v26"
)

// Endpoint names a family of calls, for faults and counters.
type Endpoint string

// Endpoints of the fake.
const (
	EndpointAny          Endpoint = ""                       // any API call (not the token endpoint)
	EndpointToken        Endpoint = "token"                  // POST /token
	EndpointMutate       Endpoint = "googleAds:mutate"       // POST /{v}/customers/{cid}/googleAds:mutate
	EndpointCampaigns    Endpoint = "campaigns:mutate"       // POST /{v}/customers/{cid}/campaigns:mutate
	EndpointSearchStream Endpoint = "googleAds:searchStream" // POST /{v}/customers/{cid}/googleAds:searchStream
)

// FaultKind is a failure the fake can be told to answer with.
type FaultKind int

// Fault kinds.
const (
	// RateLimited answers 429 RESOURCE_EXHAUSTED with quotaErrorDetails.retryDelay = Fault.RetryDelay (when set).
	RateLimited FaultKind = iota + 1
	// Unauthenticated answers 401 UNAUTHENTICATED OAUTH_TOKEN_EXPIRED; on the token endpoint, 400 invalid_grant.
	Unauthenticated
	// PermissionDenied answers 403 PERMISSION_DENIED USER_PERMISSION_DENIED.
	PermissionDenied
	// Internal answers 500 INTERNAL.
	Internal
	// Unavailable answers 503 UNAVAILABLE.
	Unavailable
	// Hang answers nothing until the client gives up (or the server closes).
	Hang
)

// Fault is a queued failure.
type Fault struct {
	Kind       FaultKind
	RetryDelay time.Duration // RateLimited only
	Times      int           // consecutive matching calls that fail; 0 means 1
	After      int           // matching calls let through before the first failure
}

// Request is a call the fake received.
type Request struct {
	Endpoint Endpoint
	Method   string
	Path     string
	Header   http.Header
	Body     []byte
}

// Budget is a campaign budget the fake holds.
type Budget struct {
	ResourceName, Name, DeliveryMethod string
	AmountMicros                       int64
	ExplicitlyShared                   bool
}

// Keyword is a keyword criterion.
type Keyword struct {
	ResourceName, Text, MatchType, Status string
}

// AdGroup is an ad group with its keywords.
type AdGroup struct {
	ResourceName, Name, Status, Type string
	CPCBidMicros                     int64
	Keywords                         []Keyword
}

// Campaign is a campaign with its budget and ad groups, as created plus later status changes.
type Campaign struct {
	ID, ResourceName, Name, Status, ChannelType string
	Bidding                                     string // the bidding oneof field set, e.g. "manualCpc"
	NetworkSettings                             map[string]bool
	EUPoliticalAdvertising                      string
	FinalURLSuffix                              string
	Start, End                                  string // whichever date field the API version uses, as sent
	Budget                                      Budget
	AdGroups                                    []AdGroup
}

// Metric is one day of a campaign's numbers, served by searchStream.
type Metric struct {
	Date             time.Time // the calendar date is used
	Impressions      int64
	Clicks           int64
	CostMicros       int64
	Conversions      float64
	ConversionsValue float64 // major units
}

// Option configures a Server.
type Option func(*Server)

// WithCustomerID sets the only customer account the fake serves (default DefaultCustomerID).
func WithCustomerID(id string) Option { return func(s *Server) { s.customerID = id } }

// WithLoginCustomerID makes every API call require this manager id in login-customer-id.
func WithLoginCustomerID(id string) Option { return func(s *Server) { s.loginCustomerID = id } }

// WithCurrency sets the account currency (default USD): budgets must be whole minor units of it.
func WithCurrency(code string) Option { return func(s *Server) { s.currency = code } }

// WithTokenLifetime sets expires_in of issued access tokens (default one hour).
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.tokenLifetime = d } }

// WithBatchSize sets the rows per searchStream batch (default 10 000, as the real API).
func WithBatchSize(n int) Option { return func(s *Server) { s.batchSize = n } }

// WithVersion sets the API version Config reports (default DefaultVersion). The fake serves any version.
func WithVersion(v string) Option { return func(s *Server) { s.version = v } }

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	srv                                            *httptest.Server
	closing                                        chan struct{}
	closeOnce                                      sync.Once
	customerID, loginCustomerID, currency, version string
	tokenLifetime                                  time.Duration
	batchSize                                      int

	mu             sync.Mutex
	tokens         map[string]time.Time // access token → expiry
	refreshRevoked bool
	issued         int
	nextID         int64
	budgets        map[string]*Budget // by resource name
	campaigns      []*Campaign
	adGroups       map[string]*adGroupRef
	metrics        map[string][]Metric // by campaign id
	faults         map[Endpoint][]Fault
	requests       []Request
}

type adGroupRef struct {
	campaign *Campaign
	index    int
}

// New starts a fake. Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		closing:       make(chan struct{}),
		customerID:    DefaultCustomerID,
		currency:      "USD",
		version:       DefaultVersion,
		tokenLifetime: time.Hour,
		batchSize:     10000,
		tokens:        map[string]time.Time{},
		nextID:        9000000000,
		budgets:       map[string]*Budget{},
		adGroups:      map[string]*adGroupRef{},
		metrics:       map[string][]Metric{},
		faults:        map[Endpoint][]Fault{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close stops the fake, releasing any call held by a Hang fault.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.Close()
}

// URL is the API root, for config.GoogleAds.APIURL.
func (s *Server) URL() string { return s.srv.URL }

// TokenURL is the OAuth token endpoint, for config.GoogleAds.OAuthTokenURL.
func (s *Server) TokenURL() string { return s.srv.URL + "/token" }

// Config returns a configuration that points a real client at the fake.
func (s *Server) Config() config.GoogleAds {
	return config.GoogleAds{
		ClientID:        ClientID,
		ClientSecret:    ClientSecret,
		DeveloperToken:  DeveloperToken,
		RefreshToken:    RefreshToken,
		CustomerID:      s.customerID,
		LoginCustomerID: s.loginCustomerID,
		APIURL:          s.URL(),
		APIVersion:      s.version,
		OAuthTokenURL:   s.TokenURL(),
	}
}

// FailNext queues a fault for the next calls to ep.
func (s *Server) FailNext(ep Endpoint, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults[ep] = append(s.faults[ep], f)
}

// RevokeTokens invalidates every issued access token and the refresh token, as revoking the app's access does.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
	s.refreshRevoked = true
}

// SetMetrics replaces the daily metrics served for a campaign id.
func (s *Server) SetMetrics(campaignID string, rows ...Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metrics[campaignID] = slices.Clone(rows)
}

// Campaigns returns copies of the campaigns created, in creation order.
func (s *Server) Campaigns() []Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Campaign, 0, len(s.campaigns))
	for _, c := range s.campaigns {
		out = append(out, c.clone())
	}
	return out
}

// Campaign returns a copy of the campaign with that id.
func (s *Server) Campaign(id string) (Campaign, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.campaigns {
		if c.ID == id {
			return c.clone(), true
		}
	}
	return Campaign{}, false
}

func (c *Campaign) clone() Campaign {
	out := *c
	out.AdGroups = make([]AdGroup, len(c.AdGroups))
	for i, g := range c.AdGroups {
		g.Keywords = slices.Clone(g.Keywords)
		out.AdGroups[i] = g
	}
	return out
}

// Requests returns the calls received so far, token requests included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many calls ep received (EndpointAny: all API calls).
func (s *Server) Count(ep Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Endpoint == ep || (ep == EndpointAny && r.Endpoint != EndpointToken) {
			n++
		}
	}
	return n
}

var apiPath = regexp.MustCompile(`^/(v[0-9]+)/customers/([^/]+)/(googleAds:mutate|campaigns:mutate|googleAds:searchStream)$`)

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	ep := Endpoint("unknown")
	var m []string
	switch {
	case r.URL.Path == "/token":
		ep = EndpointToken
	default:
		if m = apiPath.FindStringSubmatch(r.URL.Path); m != nil {
			ep = Endpoint(m[3])
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Endpoint: ep, Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	fault, faulted := s.takeFault(ep)
	s.mu.Unlock()

	if faulted {
		s.fail(w, r, ep, fault, m)
		return
	}
	if ep == EndpointToken {
		s.serveToken(w, r, body)
		return
	}
	if m == nil {
		writeStatus(w, http.StatusNotFound, "NOT_FOUND", "The requested URL was not found on this server.", "", nil, false)
		return
	}
	version, customer := m[1], m[2]
	stream := ep == EndpointSearchStream
	if r.Method != http.MethodPost {
		writeStatus(w, http.StatusMethodNotAllowed, "INVALID_ARGUMENT", "Only POST is supported.", version, nil, stream)
		return
	}
	if !s.authorized(w, r, version, customer, stream) {
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received: Content-Type must be application/json.", version, nil, stream)
		return
	}
	switch ep {
	case EndpointMutate:
		s.serveMutate(w, version, body)
	case EndpointCampaigns:
		s.serveCampaigns(w, version, body)
	case EndpointSearchStream:
		s.serveSearchStream(w, version, body)
	}
}

// takeFault pops the fault queued for ep, or for any API call. The caller holds s.mu.
func (s *Server) takeFault(ep Endpoint) (Fault, bool) {
	for _, key := range []Endpoint{ep, EndpointAny} {
		if key == EndpointAny && ep == EndpointToken {
			continue
		}
		q := s.faults[key]
		if len(q) == 0 {
			continue
		}
		if q[0].After > 0 {
			q[0].After--
			continue
		}
		f := q[0]
		q[0].Times--
		if q[0].Times <= 0 {
			s.faults[key] = q[1:]
		}
		return f, true
	}
	return Fault{}, false
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, ep Endpoint, f Fault, m []string) {
	version := DefaultVersion
	if m != nil {
		version = m[1]
	}
	stream := ep == EndpointSearchStream
	if ep == EndpointToken {
		switch f.Kind {
		case Unauthenticated:
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
			return
		case RateLimited:
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "rate_limit_exceeded", "error_description": "Rate limit exceeded."})
			return
		case Internal, Unavailable:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal_failure", "error_description": "Backend error."})
			return
		}
	}
	switch f.Kind {
	case RateLimited:
		fe := failure{code: map[string]string{"quotaError": "RESOURCE_EXHAUSTED"}, message: "Too many requests. Retry in " + durationJSON(f.RetryDelay) + "."}
		if f.RetryDelay > 0 {
			fe.details = map[string]any{"quotaErrorDetails": map[string]any{"rateScope": "ACCOUNT", "rateName": "Requests per service per method", "retryDelay": durationJSON(f.RetryDelay)}}
		}
		writeStatus(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", version, []failure{fe}, stream)
	case Unauthenticated:
		writeStatus(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials.", version,
			[]failure{{code: map[string]string{"authenticationError": "OAUTH_TOKEN_EXPIRED"}, message: "Authentication of the request failed: the OAuth token has expired."}}, stream)
	case PermissionDenied:
		writeStatus(w, http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission", version,
			[]failure{{code: map[string]string{"authorizationError": "USER_PERMISSION_DENIED"}, message: "User doesn't have permission to access customer."}}, stream)
	case Internal:
		writeStatus(w, http.StatusInternalServerError, "INTERNAL", "Internal error encountered.", version,
			[]failure{{code: map[string]string{"internalError": "INTERNAL_ERROR"}, message: "An internal error has occurred."}}, stream)
	case Unavailable:
		writeStatus(w, http.StatusServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable.", version, nil, stream)
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	}
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Expected a form POST."})
		return
	}
	form, err := parseForm(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Malformed form body."})
		return
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && id == "" {
		id, secret = u, p
	}
	if form.Get("grant_type") != "refresh_token" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "Invalid grant_type: " + form.Get("grant_type")})
		return
	}
	if id != ClientID || secret != ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "The OAuth client was not found."})
		return
	}
	s.mu.Lock()
	revoked := s.refreshRevoked
	s.mu.Unlock()
	if form.Get("refresh_token") != RefreshToken || revoked {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
		return
	}
	s.mu.Lock()
	s.issued++
	token := fmt.Sprintf("ya29.fake-access-token-%d", s.issued)
	s.tokens[token] = time.Now().Add(s.tokenLifetime)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token,
		"expires_in":   int(s.tokenLifetime / time.Second),
		"scope":        "https://www.googleapis.com/auth/adwords",
		"token_type":   "Bearer",
	})
}

// authorized checks the bearer token, the customer and the manager header as the API does, answering when they fail.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request, version, customer string, stream bool) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	expiry, known := s.tokens[token]
	s.mu.Unlock()
	switch {
	case !ok || token == "":
		writeStatus(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request is missing required authentication credential. Expected OAuth 2 access token.", version,
			[]failure{{code: map[string]string{"authenticationError": "OAUTH_TOKEN_INVALID"}, message: "Oauth token is invalid."}}, stream)
		return false
	case !known:
		writeStatus(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials.", version,
			[]failure{{code: map[string]string{"authenticationError": "OAUTH_TOKEN_INVALID"}, message: "Oauth token is invalid."}}, stream)
		return false
	case time.Now().After(expiry):
		writeStatus(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials.", version,
			[]failure{{code: map[string]string{"authenticationError": "OAUTH_TOKEN_EXPIRED"}, message: "Oauth token is expired."}}, stream)
		return false
	case customer != s.customerID || (s.loginCustomerID != "" && r.Header.Get("login-customer-id") != s.loginCustomerID):
		writeStatus(w, http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission", version,
			[]failure{{code: map[string]string{"authorizationError": "USER_PERMISSION_DENIED"}, message: "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header."}}, stream)
		return false
	}
	return true
}

// failure is one GoogleAdsError.
type failure struct {
	code    map[string]string
	message string
	path    []any // fieldPathElements
	details map[string]any
}

func (f failure) json() map[string]any {
	out := map[string]any{"errorCode": f.code, "message": f.message}
	if len(f.path) > 0 {
		out["location"] = map[string]any{"fieldPathElements": f.path}
	}
	if f.details != nil {
		out["details"] = f.details
	}
	return out
}

// writeStatus answers a google.rpc.Status error, with a GoogleAdsFailure when failures are given. searchStream errors
// come as an array, as the streaming transport sends them.
func writeStatus(w http.ResponseWriter, httpStatus int, status, message, version string, failures []failure, stream bool) {
	st := map[string]any{"code": httpStatus, "message": message, "status": status}
	if len(failures) > 0 {
		errs := make([]any, len(failures))
		for i, f := range failures {
			errs[i] = f.json()
		}
		st["details"] = []any{map[string]any{
			"@type":     "type.googleapis.com/google.ads.googleads." + version + ".errors.GoogleAdsFailure",
			"errors":    errs,
			"requestId": "fake-request-id",
		}}
	}
	var v any = map[string]any{"error": st}
	if stream {
		v = []any{v}
	}
	writeJSON(w, httpStatus, v)
}

// writeBadRequest answers the proto-JSON decoding error the API gives for unknown or mistyped fields.
func writeBadRequest(w http.ResponseWriter, field, description string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
		"code":    400,
		"message": description,
		"status":  "INVALID_ARGUMENT",
		"details": []any{map[string]any{
			"@type":           "type.googleapis.com/google.rpc.BadRequest",
			"fieldViolations": []any{map[string]any{"field": field, "description": description}},
		}},
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("request-id", "fake-request-id")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func durationJSON(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

func decodeJSON(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}
