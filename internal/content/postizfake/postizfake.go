// Package postizfake is an in-process stand-in for the Postiz public API (/public/v1), for tests of the Postiz
// publisher and of the packages that use it. It follows the real server where a client can tell (reference:
// external-apis.md §2, read against gitroomhq/postiz-app): the raw API key in Authorization, the integrations
// list, POST /posts with its DTO checks, upsert by posts[].value[].id and refusal to republish a published post,
// 201 [{postId, integration}], GET /posts?startDate&endDate → {posts:[…]}, NestJS error bodies. Faults are
// scriptable per route: 429 with Retry-After, 5xx, and a create that succeeds but never answers (the client
// times out), which is what the no-duplicate rule has to survive.
package postizfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Routes that faults can be scripted on.
const (
	RouteIntegrations = "GET /integrations"
	RouteCreate       = "POST /posts"
	RouteList         = "GET /posts"
)

// Server is the fake Postiz. The public API is under APIURL (URL + "/public/v1").
type Server struct {
	URL    string
	APIURL string
	APIKey string

	srv  *httptest.Server
	done chan struct{}

	mu           sync.Mutex
	integrations []Integration
	posts        []*Post
	faults       map[string][]Fault
	requests     []Request
	seq          int
}

// Integration is a connected channel, as GET /integrations lists it.
type Integration struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Identifier string    `json:"identifier"`
	Picture    string    `json:"picture"`
	Disabled   bool      `json:"disabled"`
	Profile    string    `json:"profile"`
	Customer   *Customer `json:"customer,omitempty"`
}

// Customer groups integrations.
type Customer struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Post is a stored post.
type Post struct {
	ID            string
	Group         string
	IntegrationID string
	Identifier    string
	Content       string
	State         string // QUEUE, DRAFT, PUBLISHED
	PublishDate   time.Time
	Settings      map[string]any
	Deleted       bool
	// Writes counts how often the post was created or updated.
	Writes int
}

// Fault is a scripted failure of one request.
type Fault struct {
	// Status is the HTTP status to answer (429, 500, …); 0 with HangAfterCreate set means no answer at all.
	Status int
	// RetryAfter is sent as the Retry-After header when set.
	RetryAfter string
	// Message replaces the default message of the error body.
	Message string
	// HangAfterCreate makes POST /posts create the posts and then never answer, until the client gives up.
	HangAfterCreate bool
}

// Request is what the fake received.
type Request struct {
	Method string
	Path   string // without /public/v1
	Query  string
	Header http.Header
	Body   []byte
}

// DefaultIntegrations has one enabled channel per platform.
func DefaultIntegrations() []Integration {
	return []Integration{
		{ID: "int_instagram", Name: "Acme on Instagram", Identifier: "instagram"},
		{ID: "int_tiktok", Name: "Acme on TikTok", Identifier: "tiktok"},
		{ID: "int_facebook", Name: "Acme on Facebook", Identifier: "facebook"},
		{ID: "int_linkedin", Name: "Acme on LinkedIn", Identifier: "linkedin-page"},
		{ID: "int_x", Name: "Acme on X", Identifier: "x"},
	}
}

// New starts a fake that accepts apiKey, with integrations (DefaultIntegrations when none).
func New(apiKey string, integrations ...Integration) *Server {
	if len(integrations) == 0 {
		integrations = DefaultIntegrations()
	}
	s := &Server{APIKey: apiKey, integrations: integrations, faults: map[string][]Fault{}, done: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	s.APIURL = s.srv.URL + "/public/v1"
	return s
}

// Close stops the server, releasing hanging requests first.
func (s *Server) Close() {
	close(s.done)
	s.srv.Close()
}

// Fail scripts the next requests of route (RouteCreate, RouteList, RouteIntegrations) to fail, in order.
func (s *Server) Fail(route string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], faults...)
}

// SetIntegrations replaces the connected channels.
func (s *Server) SetIntegrations(integrations ...Integration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.integrations = integrations
}

// Posts returns copies of the stored posts that are not deleted, in creation order.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if !p.Deleted {
			out = append(out, *p)
		}
	}
	return out
}

// MarkPublished marks a post as published, as Postiz's worker does once the platform accepted it.
func (s *Server) MarkPublished(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.State = "PUBLISHED"
		}
	}
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests route received.
func (s *Server) Count(route string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method+" "+r.Path == route {
			n++
		}
	}
	return n
}

// maxLength is what Postiz's providers accept, for their "post is too long" check.
var maxLength = map[string]int{"x": 280, "linkedin": 3000, "linkedin-page": 3000, "instagram": 2200,
	"instagram-standalone": 2200, "tiktok": 2200, "facebook": 63206}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, "/public/v1")
	if !ok {
		writeJSON(w, http.StatusNotFound, nestError(http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.Path, "Not Found"))
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()

	// The auth middleware runs before anything else.
	switch key := r.Header.Get("Authorization"); {
	case key == "":
		writeJSON(w, http.StatusUnauthorized, map[string]any{"msg": "No API Key found"})
		return
	case key != s.APIKey:
		writeJSON(w, http.StatusUnauthorized, map[string]any{"msg": "Invalid API key"})
		return
	}

	route := r.Method + " " + path
	if strings.HasPrefix(path, "/posts/") && r.Method == http.MethodDelete {
		route = "DELETE /posts/:id"
	}
	fault, hasFault := s.nextFault(route)
	if hasFault && !fault.HangAfterCreate {
		writeFault(w, fault)
		return
	}

	switch route {
	case RouteIntegrations:
		s.mu.Lock()
		list := slices.Clone(s.integrations)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, list)
	case RouteList:
		s.list(w, r)
	case RouteCreate:
		status, res := s.create(body)
		if hasFault && fault.HangAfterCreate && status < 300 {
			// The posts exist now; the answer never comes.
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			return
		}
		writeJSON(w, status, res)
	case "DELETE /posts/:id":
		s.delete(w, strings.TrimPrefix(path, "/posts/"))
	default:
		writeJSON(w, http.StatusNotFound, nestError(http.StatusNotFound, "Cannot "+r.Method+" /public/v1"+path, "Not Found"))
	}
}

func (s *Server) nextFault(route string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[route]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[route] = q[1:]
	return q[0], true
}

func writeFault(w http.ResponseWriter, f Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	msg := f.Message
	switch {
	case msg != "":
	case f.Status == http.StatusTooManyRequests:
		msg = "ThrottlerException: Too Many Requests"
	case f.Status >= 500:
		msg = "Internal server error"
	default:
		msg = http.StatusText(f.Status)
	}
	writeJSON(w, f.Status, map[string]any{"statusCode": f.Status, "message": msg})
}

type createBody struct {
	Type      *string `json:"type"`
	Date      *string `json:"date"`
	ShortLink *bool   `json:"shortLink"`
	Tags      *[]struct {
		Value *string `json:"value"`
		Label *string `json:"label"`
	} `json:"tags"`
	Republish bool `json:"republish"`
	Posts     []struct {
		Integration *struct {
			ID string `json:"id"`
		} `json:"integration"`
		Value []struct {
			ID      string           `json:"id"`
			Content *string          `json:"content"`
			Image   *json.RawMessage `json:"image"`
		} `json:"value"`
		Group    string         `json:"group"`
		Settings map[string]any `json:"settings"`
	} `json:"posts"`
}

// create runs POST /posts: integration lookup (mapTypeToPost), DTO validation, provider checks, the republish
// guard, then an upsert per post by its value id.
func (s *Server) create(raw []byte) (int, any) {
	var b createBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return http.StatusBadRequest, nestError(http.StatusBadRequest, "Unexpected token in JSON", "Bad Request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	integrations := map[string]Integration{}
	for _, p := range b.Posts {
		if p.Integration == nil || p.Integration.ID == "" {
			return http.StatusBadRequest, nestError(http.StatusBadRequest, "All posts must have an integration id", "Bad Request")
		}
		in, ok := s.integration(p.Integration.ID)
		if !ok {
			return http.StatusBadRequest, nestError(http.StatusBadRequest, fmt.Sprintf("Integration with id %s not found", p.Integration.ID), "Bad Request")
		}
		integrations[in.ID] = in
	}

	var problems []string
	typ := ""
	if b.Type != nil {
		typ = *b.Type
	}
	if !slices.Contains([]string{"draft", "schedule", "now", "update"}, typ) {
		problems = append(problems, "type must be one of the following values: draft, schedule, now")
	}
	var date time.Time
	if b.Date == nil {
		problems = append(problems, "date must be a valid ISO 8601 date string")
	} else if d, err := time.Parse(time.RFC3339Nano, *b.Date); err != nil {
		problems = append(problems, "date must be a valid ISO 8601 date string")
	} else {
		date = d
	}
	if b.ShortLink == nil {
		problems = append(problems, "shortLink must be a boolean value")
	}
	if b.Tags == nil {
		problems = append(problems, "tags must be an array")
	} else {
		for i, t := range *b.Tags {
			if t.Value == nil || t.Label == nil {
				problems = append(problems, fmt.Sprintf("tags.%d.value and label must be strings", i))
			}
		}
	}
	if typ != "draft" && len(b.Posts) == 0 {
		problems = append(problems, "posts must contain at least 1 elements")
	}
	for i, p := range b.Posts {
		if len(p.Value) == 0 {
			problems = append(problems, fmt.Sprintf("posts.%d.value must contain at least 1 elements", i))
		}
		for j, v := range p.Value {
			if v.Content == nil {
				problems = append(problems, fmt.Sprintf("posts.%d.value.%d.content must be a string", i, j))
			}
			if v.Image == nil || !strings.HasPrefix(strings.TrimSpace(string(*v.Image)), "[") {
				problems = append(problems, fmt.Sprintf("posts.%d.value.%d.image must be an array", i, j))
			}
		}
		switch integrations[p.Integration.ID].Identifier {
		case "x":
			if v, _ := p.Settings["who_can_reply_post"].(string); !slices.Contains([]string{"everyone", "following", "mentionedUsers", "subscribers", "verified"}, v) {
				problems = append(problems, fmt.Sprintf("posts.%d.settings.who_can_reply_post must be one of the following values: everyone, following, mentionedUsers, subscribers, verified", i))
			}
		case "instagram", "instagram-standalone":
			if v, _ := p.Settings["post_type"].(string); v != "post" && v != "story" {
				problems = append(problems, fmt.Sprintf("posts.%d.settings.post_type must be one of the following values: post, story", i))
			}
		}
	}
	if len(problems) > 0 {
		return http.StatusBadRequest, map[string]any{"statusCode": 400, "message": problems, "error": "Bad Request"}
	}

	for _, p := range b.Posts {
		in := integrations[p.Integration.ID]
		for _, v := range p.Value {
			if limit, ok := maxLength[in.Identifier]; ok && utf8.RuneCountInString(*v.Content) > limit && typ != "draft" {
				return http.StatusBadRequest, map[string]any{"statusCode": 400, "provider": in.Identifier, "name": in.Name,
					"message": "post is too long, please fix it"}
			}
		}
		if (typ == "schedule" || typ == "now") && !b.Republish && p.Value[0].ID != "" {
			if old := s.post(p.Value[0].ID); old != nil && old.State == "PUBLISHED" {
				return http.StatusBadRequest, nestError(http.StatusBadRequest, fmt.Sprintf(
					"This post was already published on %s UTC. Saving it this way would publish it again to %s. "+
						"To edit without republishing, use type 'update'. To intentionally publish again, pass republish: true.",
					old.PublishDate.UTC().Format("2006-01-02 15:04"), in.Identifier), "Bad Request")
			}
		}
	}

	var out []map[string]string
	for _, p := range b.Posts {
		in := integrations[p.Integration.ID]
		s.seq++
		group := fmt.Sprintf("group-%d", s.seq)
		publish := date
		if typ == "now" {
			publish = time.Now().UTC().Truncate(time.Minute)
		}
		state := "QUEUE"
		if typ == "draft" {
			state = "DRAFT"
		}
		var first string
		for _, v := range p.Value {
			post := s.post(v.ID)
			if v.ID == "" || post == nil {
				id := v.ID
				if id == "" {
					s.seq++
					id = fmt.Sprintf("cfake%020d", s.seq)
				}
				post = &Post{ID: id}
				s.posts = append(s.posts, post)
			}
			post.Group, post.IntegrationID, post.Identifier = group, in.ID, in.Identifier
			post.Content, post.State, post.PublishDate, post.Settings = *v.Content, state, publish, p.Settings
			post.Writes++
			if first == "" {
				first = post.ID
			}
		}
		out = append(out, map[string]string{"postId": first, "integration": in.ID})
	}
	// NestJS answers a @Post without @HttpCode with 201.
	return http.StatusCreated, out
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, err1 := time.Parse(time.RFC3339Nano, q.Get("startDate"))
	end, err2 := time.Parse(time.RFC3339Nano, q.Get("endDate"))
	var problems []string
	if err1 != nil {
		problems = append(problems, "startDate must be a valid ISO 8601 date string")
	}
	if err2 != nil {
		problems = append(problems, "endDate must be a valid ISO 8601 date string")
	}
	if len(problems) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": problems, "error": "Bad Request"})
		return
	}
	s.mu.Lock()
	posts := []map[string]any{}
	for _, p := range s.posts {
		if p.Deleted || p.PublishDate.Before(start) || p.PublishDate.After(end) {
			continue
		}
		in, _ := s.integration(p.IntegrationID)
		posts = append(posts, map[string]any{
			"id": p.ID, "content": p.Content, "publishDate": p.PublishDate.UTC().Format("2006-01-02T15:04:05.000Z"),
			"releaseURL": nil, "state": p.State, "group": p.Group, "tags": []any{},
			"integration": map[string]any{"id": in.ID, "providerIdentifier": in.Identifier, "name": in.Name, "picture": in.Picture},
		})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"posts": posts})
}

func (s *Server) delete(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.post(id)
	if p == nil || p.Deleted {
		writeJSON(w, http.StatusNotFound, nestError(http.StatusNotFound, "Post not found", "Not Found"))
		return
	}
	for _, other := range s.posts {
		if other.Group == p.Group {
			other.Deleted = true
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": p.ID})
}

// post finds a post by id, deleted or not, as Prisma's upsert does. The caller holds s.mu.
func (s *Server) post(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// integration finds an integration by id. The caller holds s.mu.
func (s *Server) integration(id string) (Integration, bool) {
	for _, in := range s.integrations {
		if in.ID == id {
			return in, true
		}
	}
	return Integration{}, false
}

func nestError(status int, message, errName string) map[string]any {
	return map[string]any{"statusCode": status, "message": message, "error": errName}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
