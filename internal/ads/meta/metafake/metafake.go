// Package metafake is an in-process Meta Graph API (Marketing API subset) for tests of code that runs campaigns on
// Facebook. It speaks the wire format of the real API (external-apis.md §4): form or JSON bodies with JSON-encoded
// nested fields, access_token and appsecret_proof parameters, {"id"} answers and Graph error objects. It checks what
// the real API checks (required fields, budgets, targeting, the page, the ad account), keeps the objects it creates,
// serves the insights it is given with paging, and fails on demand.
package metafake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/marketingos/marketingos/internal/config"
)

// Credentials and ids the fake accepts, also returned by Config.
const (
	AccessToken    = "EAAfakeSystemUserAccessToken"
	AppID          = "100000000000001"
	AdAccountID    = "1234567890"
	PageID         = "1010101010"
	DefaultVersion = "v26.0"
)

// Endpoint names a family of calls, for faults and counters.
type Endpoint string

// Endpoints of the fake.
const (
	EndpointAny         Endpoint = ""            // any call
	EndpointCampaigns   Endpoint = "campaigns"   // POST /act_{id}/campaigns
	EndpointAdSets      Endpoint = "adsets"      // POST /act_{id}/adsets
	EndpointAdCreatives Endpoint = "adcreatives" // POST /act_{id}/adcreatives
	EndpointAds         Endpoint = "ads"         // POST /act_{id}/ads
	EndpointUpdate      Endpoint = "update"      // POST /{id}
	EndpointDelete      Endpoint = "delete"      // DELETE /{id}
	EndpointRead        Endpoint = "read"        // GET /{id}
	EndpointInsights    Endpoint = "insights"    // GET /{id}/insights
	EndpointSearch      Endpoint = "search"      // GET /search
)

// FaultKind is a failure the fake can be told to answer with.
type FaultKind int

// Fault kinds.
const (
	// RateLimited answers a throttling error: code Fault.Code (default 17, subcode 2446079), with an
	// X-Business-Use-Case-Usage header giving Fault.RegainAfter (rounded up to minutes) when set.
	RateLimited FaultKind = iota + 1
	// Unauthenticated answers code 190, subcode 463 (expired token).
	Unauthenticated
	// InvalidParameter answers code 100, as Meta does for a rejected field.
	InvalidParameter
	// ServerError answers 500 with code 2, is_transient.
	ServerError
	// Hang answers nothing until the client gives up (or the server closes).
	Hang
)

// Fault is a queued failure.
type Fault struct {
	Kind        FaultKind
	Code        int           // RateLimited: 4, 17, 32, 613 or 80000–80014
	RegainAfter time.Duration // RateLimited: estimated_time_to_regain_access
	Times       int           // consecutive matching calls that fail; 0 means 1
	After       int           // matching calls let through before the first failure
}

// Request is a call the fake received. Params merges the query and the body, with the JSON-encoded fields decoded.
type Request struct {
	Endpoint Endpoint
	Method   string
	Path     string
	Header   http.Header
	Params   map[string]any
}

// Campaign is a campaign the fake holds.
type Campaign struct {
	ID, Name, Objective, Status, BuyingType string
	SpecialAdCategories                     []string
	BudgetSharing                           string // is_adset_budget_sharing_enabled as sent
	DailyBudget                             int64  // campaign budget (CBO), 0 if none
	Deleted                                 bool
}

// AdSet is an ad set.
type AdSet struct {
	ID, CampaignID, Name, BillingEvent, OptimizationGoal, BidStrategy, Status, StartTime, EndTime string
	DailyBudget                                                                                   int64
	Targeting                                                                                     map[string]any
	Deleted                                                                                       bool
}

// Creative is an ad creative.
type Creative struct {
	ID, Name, URLTags string
	ObjectStorySpec   map[string]any
	Deleted           bool
}

// Ad is an ad.
type Ad struct {
	ID, AdSetID, CreativeID, Name, Status string
	Deleted                               bool
}

// Insight is one day of a campaign's numbers, as Meta reports them: spend and action values are decimal strings in
// major units.
type Insight struct {
	Date         time.Time // the calendar date is used
	Impressions  int64
	Clicks       int64
	Spend        string
	Actions      []Action
	ActionValues []Action
}

// Action is one entry of actions or action_values.
type Action struct {
	Type, Value string
}

// Option configures a Server.
type Option func(*Server)

// WithAppSecret makes every call require appsecret_proof signed with secret; Config then carries it.
func WithAppSecret(secret string) Option { return func(s *Server) { s.appSecret = secret } }

// WithCurrency sets the ad account currency reported in insights (default USD).
func WithCurrency(code string) Option { return func(s *Server) { s.currency = code } }

// WithPageSize sets the default page size of insights (default 25, as Graph).
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// WithVersion sets the API version Config reports (default DefaultVersion). The fake serves any version.
func WithVersion(v string) Option { return func(s *Server) { s.version = v } }

// WithInterests replaces the interest catalogue served by /search (name → id).
func WithInterests(catalogue map[string]string) Option {
	return func(s *Server) { s.interests = catalogue }
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	srv       *httptest.Server
	closing   chan struct{}
	closeOnce sync.Once
	appSecret string
	currency  string
	pageSize  int
	version   string
	interests map[string]string

	mu        sync.Mutex
	revoked   bool
	nextID    int64
	campaigns []*Campaign
	adSets    []*AdSet
	creatives []*Creative
	ads       []*Ad
	insights  map[string][]Insight
	faults    map[Endpoint][]Fault
	requests  []Request
}

// New starts a fake. Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		closing:  make(chan struct{}),
		currency: "USD",
		pageSize: 25,
		version:  DefaultVersion,
		interests: map[string]string{
			"Small business":    "6003402305839",
			"Entrepreneurship":  "6003371567474",
			"Digital marketing": "6003127206524",
			"Marketing":         "6003279598823",
			"Software":          "6003200340482",
		},
		nextID:   120200000000000000,
		insights: map[string][]Insight{},
		faults:   map[Endpoint][]Fault{},
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

// URL is the Graph root, for config.Facebook.GraphURL.
func (s *Server) URL() string { return s.srv.URL }

// Config returns a configuration that points a real client at the fake.
func (s *Server) Config() config.Facebook {
	return config.Facebook{
		AppID:       AppID,
		AppSecret:   s.appSecret,
		AccessToken: AccessToken,
		AdAccountID: AdAccountID,
		PageID:      PageID,
		GraphURL:    s.URL(),
		APIVersion:  s.version,
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

// RevokeToken invalidates the access token, as a password change or a removed system user does.
func (s *Server) RevokeToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

// SetInsights replaces the daily insights served for a campaign id.
func (s *Server) SetInsights(campaignID string, rows ...Insight) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.insights[campaignID] = slices.Clone(rows)
}

// Campaigns returns copies of every campaign created, deleted ones included.
func (s *Server) Campaigns() []Campaign { return copies(s, &s.campaigns) }

// AdSets returns copies of every ad set created.
func (s *Server) AdSets() []AdSet { return copies(s, &s.adSets) }

// Creatives returns copies of every creative created.
func (s *Server) Creatives() []Creative { return copies(s, &s.creatives) }

// Ads returns copies of every ad created.
func (s *Server) Ads() []Ad { return copies(s, &s.ads) }

func copies[T any](s *Server, list *[]*T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]T, 0, len(*list))
	for _, v := range *list {
		out = append(out, *v)
	}
	return out
}

// Campaign returns a copy of the campaign with that id.
func (s *Server) Campaign(id string) (Campaign, bool) {
	for _, c := range s.Campaigns() {
		if c.ID == id {
			return c, true
		}
	}
	return Campaign{}, false
}

// Requests returns the calls received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many calls ep received (EndpointAny: all).
func (s *Server) Count(ep Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if ep == EndpointAny || r.Endpoint == ep {
			n++
		}
	}
	return n
}

var versioned = regexp.MustCompile(`^/(v[0-9]+\.[0-9]+)/(.+)$`)

// jsonParams are the parameters Graph takes as JSON-encoded strings.
var jsonParams = []string{"targeting", "special_ad_categories", "object_story_spec", "creative", "promoted_object", "time_range"}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	params, perr := readParams(r, body)
	ep, parts := route(r)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Endpoint: ep, Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Params: params})
	fault, faulted := s.takeFault(ep)
	s.mu.Unlock()

	if faulted {
		s.fail(w, r, fault)
		return
	}
	if perr != nil {
		writeError(w, 400, graphErr{Code: 100, Message: "(#100) " + perr.Error()})
		return
	}
	if !s.authenticated(w, r, params) {
		return
	}
	if parts == nil {
		writeError(w, 400, graphErr{Code: 2500, Message: "Unknown path components: " + r.URL.Path, Type: "OAuthException"})
		return
	}
	switch ep {
	case EndpointCampaigns, EndpointAdSets, EndpointAdCreatives, EndpointAds:
		if parts[0] != "act_"+AdAccountID {
			writeError(w, 400, unsupported("post", parts[0]))
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		switch ep {
		case EndpointCampaigns:
			s.createCampaign(w, params)
		case EndpointAdSets:
			s.createAdSet(w, params)
		case EndpointAdCreatives:
			s.createCreative(w, params)
		case EndpointAds:
			s.createAd(w, params)
		}
	case EndpointUpdate:
		s.update(w, parts[0], params)
	case EndpointDelete:
		s.delete(w, parts[0])
	case EndpointRead:
		s.read(w, parts[0])
	case EndpointInsights:
		s.serveInsights(w, r, parts[0], params)
	case EndpointSearch:
		s.search(w, params)
	default:
		writeError(w, 400, graphErr{Code: 100, Message: fmt.Sprintf("(#100) Unsupported %s request.", strings.ToLower(r.Method))})
	}
}

// route classifies a request and returns its path below the version.
func route(r *http.Request) (Endpoint, []string) {
	m := versioned.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return "unknown", nil
	}
	parts := strings.Split(m[2], "/")
	switch {
	case len(parts) == 2 && strings.HasPrefix(parts[0], "act_") && r.Method == http.MethodPost:
		switch parts[1] {
		case "campaigns", "adsets", "adcreatives", "ads":
			return Endpoint(parts[1]), parts
		}
	case len(parts) == 2 && parts[1] == "insights" && r.Method == http.MethodGet:
		return EndpointInsights, parts
	case len(parts) == 1 && parts[0] == "search" && r.Method == http.MethodGet:
		return EndpointSearch, parts
	case len(parts) == 1:
		switch r.Method {
		case http.MethodPost:
			return EndpointUpdate, parts
		case http.MethodDelete:
			return EndpointDelete, parts
		case http.MethodGet:
			return EndpointRead, parts
		}
	}
	return "unknown", parts
}

// readParams merges query and body (form, multipart or JSON) and decodes the JSON-encoded fields.
func readParams(r *http.Request, body []byte) (map[string]any, error) {
	params := map[string]any{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(body) == 0:
	case ct == "application/json":
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return params, fmt.Errorf("the request body is not valid JSON")
		}
		for k, v := range m {
			params[k] = v
		}
	case ct == "multipart/form-data":
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return params, fmt.Errorf("the multipart body is malformed")
		}
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return params, fmt.Errorf("the form body is malformed")
		}
		for k, v := range form {
			params[k] = v[0]
		}
	}
	for _, k := range jsonParams {
		raw, ok := params[k].(string)
		if !ok {
			continue
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return params, fmt.Errorf("param %s must be JSON", k)
		}
		params[k] = v
	}
	return params, nil
}

// takeFault pops the fault queued for ep, or for any call. The caller holds s.mu.
func (s *Server) takeFault(ep Endpoint) (Fault, bool) {
	for _, key := range []Endpoint{ep, EndpointAny} {
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

func (s *Server) fail(w http.ResponseWriter, r *http.Request, f Fault) {
	switch f.Kind {
	case RateLimited:
		code := f.Code
		if code == 0 {
			code = 17
		}
		e := graphErr{Code: code, Message: "(#" + strconv.Itoa(code) + ") User request limit reached", Type: "OAuthException"}
		switch {
		case code == 17:
			e.Subcode = 2446079
		case code == 613:
			e.Subcode, e.Message = 1487742, "(#613) There have been too many calls from this ad-account. Please wait a bit and try again."
		case code == 4:
			e.Message = "(#4) Application request limit reached"
		case code >= 80000:
			e.Message = fmt.Sprintf("(#%d) There have been too many calls to this ad-account. Wait a bit and try again.", code)
		}
		if f.RegainAfter > 0 {
			minutes := int((f.RegainAfter + time.Minute - 1) / time.Minute)
			usage, _ := json.Marshal(map[string]any{AdAccountID: []any{map[string]any{
				"type": "ads_management", "call_count": 100, "total_cputime": 25, "total_time": 25,
				"estimated_time_to_regain_access": minutes,
			}}})
			w.Header().Set("X-Business-Use-Case-Usage", string(usage))
		}
		writeError(w, 400, e)
	case Unauthenticated:
		writeError(w, 400, graphErr{Code: 190, Subcode: 463, Type: "OAuthException",
			Message: "Error validating access token: Session has expired."})
	case InvalidParameter:
		writeError(w, 400, graphErr{Code: 100, Type: "OAuthException", Message: "Invalid parameter",
			UserTitle: "Invalid parameter", UserMsg: "The fake was told to reject this call."})
	case ServerError:
		writeError(w, 500, graphErr{Code: 2, Type: "OAuthException", Transient: true,
			Message: "An unexpected error has occurred. Please retry your request later."})
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	}
}

// authenticated checks access_token (parameter or bearer header) and, when an app secret is set, appsecret_proof.
func (s *Server) authenticated(w http.ResponseWriter, r *http.Request, params map[string]any) bool {
	token, _ := params["access_token"].(string)
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && token == "" {
		token = bearer
	}
	s.mu.Lock()
	revoked := s.revoked
	s.mu.Unlock()
	switch {
	case token == "":
		writeError(w, 400, graphErr{Code: 104, Type: "OAuthException", Message: "An access token is required to request this resource."})
		return false
	case token != AccessToken:
		writeError(w, 400, graphErr{Code: 190, Type: "OAuthException", Message: "Invalid OAuth access token - Cannot parse access token"})
		return false
	case revoked:
		writeError(w, 400, graphErr{Code: 190, Subcode: 460, Type: "OAuthException",
			Message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."})
		return false
	}
	if s.appSecret != "" {
		proof, _ := params["appsecret_proof"].(string)
		mac := hmac.New(sha256.New, []byte(s.appSecret))
		mac.Write([]byte(token))
		want := hex.EncodeToString(mac.Sum(nil))
		switch {
		case proof == "":
			writeError(w, 400, graphErr{Code: 100, Type: "GraphMethodException", Message: "API calls from the server require an appsecret_proof argument"})
			return false
		case !hmac.Equal([]byte(proof), []byte(want)):
			writeError(w, 400, graphErr{Code: 100, Type: "GraphMethodException", Message: "Invalid appsecret_proof provided in the API argument"})
			return false
		}
	}
	return true
}

// graphErr is the Graph error object.
type graphErr struct {
	Message   string
	Type      string
	Code      int
	Subcode   int
	UserTitle string
	UserMsg   string
	Transient bool
}

func writeError(w http.ResponseWriter, status int, e graphErr) {
	if e.Type == "" {
		e.Type = "OAuthException"
	}
	obj := map[string]any{"message": e.Message, "type": e.Type, "code": e.Code, "fbtrace_id": "AfakeTraceID"}
	if e.Subcode != 0 {
		obj["error_subcode"] = e.Subcode
	}
	if e.UserTitle != "" {
		obj["error_user_title"] = e.UserTitle
		obj["error_user_msg"] = e.UserMsg
	}
	if e.Transient {
		obj["is_transient"] = true
	}
	writeJSON(w, status, map[string]any{"error": obj})
}

// invalid is the usual rejection of a parameter: code 100 with a message for the developer and one for the user.
func invalid(message, userTitle, userMsg string) graphErr {
	return graphErr{Code: 100, Message: "(#100) " + message, UserTitle: userTitle, UserMsg: userMsg}
}

func unsupported(verb, id string) graphErr {
	return graphErr{Code: 100, Subcode: 33, Type: "GraphMethodException",
		Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", verb, id)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
