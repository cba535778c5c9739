// Package anthropicfake is an in-process stand-in for the Anthropic Messages API (POST /v1/messages), for tests
// that run the real SDK against it. It checks what the real API checks first (the API key, anthropic-version, the
// body's shape), answers with the real wire format (reference: external-apis.md §1), plays scripted replies in
// order (success, malformed text, 429/529 with retry-after, spend limit, slow answers) and records every request.
//
// With nothing scripted it answers a valid post for every platform, so end-to-end tests of other packages can
// use it without knowing the prompt.
package anthropicfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// APIVersions are the anthropic-version headers the fake accepts: the one of the reference and the v1 SDK, and
// the one the v2 SDK sends.
var APIVersions = []string{"2023-06-01", "2026-10-21"}

// Server is the fake API. Point the SDK at URL.
type Server struct {
	URL    string
	APIKey string

	srv  *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	script   []Reply
	fallback Reply
	requests []Request
	seq      int
}

// Reply is one scripted answer.
type Reply struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Text is the assistant's text block of a 200 answer.
	Text string
	// StopReason of a 200 answer; default "end_turn".
	StopReason string
	// ErrorType, Message and ErrorCode fill the error envelope of a non-200 answer
	// ({"type":"error","error":{"type","message","details":{"error_code"}}}).
	ErrorType string
	Message   string
	ErrorCode string
	// Header adds response headers, e.g. retry-after.
	Header map[string]string
	// Delay holds the answer back, or until the client gives up.
	Delay time.Duration
}

// Request is what the fake received.
type Request struct {
	Header    http.Header
	Model     string
	MaxTokens int
	// System is the system prompt, its text blocks joined.
	System string
	// Messages are the conversation turns, each with its text blocks joined.
	Messages []Message
	// Body is the raw request body.
	Body []byte
}

// Message is one turn of a request.
type Message struct {
	Role string
	Text string
}

// Prompt returns the text of the user turns.
func (r Request) Prompt() string {
	var parts []string
	for _, m := range r.Messages {
		if m.Role == "user" {
			parts = append(parts, m.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// New starts a fake that accepts apiKey.
func New(apiKey string) *Server {
	s := &Server{APIKey: apiKey, done: make(chan struct{}), fallback: Success(DraftJSON())}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server, releasing slow replies first.
func (s *Server) Close() {
	close(s.done)
	s.srv.Close()
}

// Enqueue scripts the next answers, in order; once they are used up the default answer is given.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, replies...)
}

// SetDefault sets the answer given when nothing is scripted.
func (s *Server) SetDefault(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fallback = r
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Success answers 200 with text as the assistant's text block.
func Success(text string) Reply { return Reply{Text: text} }

// Malformed answers 200 with text that is not the JSON post asked for.
func Malformed(text string) Reply { return Reply{Text: text} }

// RateLimited answers 429 rate_limit_error with a retry-after header in seconds ("0" in tests).
func RateLimited(retryAfter string) Reply {
	return Reply{Status: http.StatusTooManyRequests, ErrorType: "rate_limit_error",
		Message: "Number of request tokens has exceeded your per-minute rate limit",
		Header:  map[string]string{"retry-after": retryAfter}}
}

// Overloaded answers 529 overloaded_error, with retry-after-ms 0 so that a retrying client does not sleep.
func Overloaded() Reply {
	return Reply{Status: 529, ErrorType: "overloaded_error", Message: "Overloaded",
		Header: map[string]string{"retry-after-ms": "0"}}
}

// SpendLimit answers the 429 of an organization over its spend limit, which retrying does not fix.
func SpendLimit() Reply {
	return Reply{Status: http.StatusTooManyRequests, ErrorType: "rate_limit_error",
		Message:   "You have reached your specified API usage limits.",
		ErrorCode: "enforced_spend_limit_reached", Header: map[string]string{"retry-after": "0"}}
}

// ServerError answers 500 api_error.
func ServerError() Reply {
	return Reply{Status: http.StatusInternalServerError, ErrorType: "api_error", Message: "Internal server error",
		Header: map[string]string{"retry-after-ms": "0"}}
}

// Slow answers text after d, or never if the client gives up first.
func Slow(d time.Duration, text string) Reply { return Reply{Text: text, Delay: d} }

// Variant is one platform's post in [DraftJSON].
type Variant struct {
	Platform string   `json:"platform"`
	Text     string   `json:"text"`
	Hashtags []string `json:"hashtags"`
}

// Post is the JSON object the content generator asks Claude for.
type Post struct {
	Title    string    `json:"title"`
	Hook     string    `json:"hook"`
	Kind     string    `json:"kind"`
	Variants []Variant `json:"variants"`
}

// JSON encodes the post as a model would write it.
func (p Post) JSON() string {
	raw, err := json.Marshal(p)
	if err != nil {
		panic(err) // a Post of strings always encodes
	}
	return string(raw)
}

// DraftJSON returns a valid post, one that passes the content guards, for the given platforms (all five when
// none are given).
func DraftJSON(platforms ...string) string {
	if len(platforms) == 0 {
		platforms = []string{"INSTAGRAM", "TIKTOK", "FACEBOOK", "LINKEDIN", "X"}
	}
	p := Post{Title: "Close your books in a day", Hook: "Month-end close does not have to take a week.", Kind: "educational"}
	for _, platform := range platforms {
		text := "Month-end close does not have to take a week. Reconcile as you go and close in a day. Learn more at https://example.com"
		if platform == "INSTAGRAM" || platform == "TIKTOK" {
			text = "Month-end close does not have to take a week. Reconcile as you go and close in a day. Link in bio."
		}
		p.Variants = append(p.Variants, Variant{Platform: platform, Text: text, Hashtags: []string{"Finance", "SaaS"}})
	}
	return p.JSON()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
		writeError(w, http.StatusNotFound, "not_found_error", fmt.Sprintf("%s %s not found", r.Method, r.URL.Path), "")
		return
	}
	if key := apiKeyOf(r.Header); key == "" || key != s.APIKey {
		writeError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key", "")
		return
	}
	if v := r.Header.Get("anthropic-version"); !slices.Contains(APIVersions, v) {
		writeError(w, http.StatusBadRequest, "invalid_request_error", fmt.Sprintf("anthropic-version: %q is not a valid version", v), "")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "content-type must be application/json", "")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "could not read body", "")
		return
	}
	req, err := parseRequest(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", err.Error(), "")
		return
	}
	req.Header = r.Header.Clone()

	s.mu.Lock()
	s.requests = append(s.requests, req)
	reply := s.fallback
	if len(s.script) > 0 {
		reply, s.script = s.script[0], s.script[1:]
	}
	s.seq++
	seq := s.seq
	s.mu.Unlock()

	if reply.Delay > 0 {
		t := time.NewTimer(reply.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	for k, v := range reply.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("request-id", fmt.Sprintf("req_fake_%d", seq))
	if reply.Status != 0 && reply.Status != http.StatusOK {
		writeError(w, reply.Status, reply.ErrorType, reply.Message, reply.ErrorCode)
		return
	}
	stop := reply.StopReason
	if stop == "" {
		stop = "end_turn"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": fmt.Sprintf("msg_fake_%d", seq), "type": "message", "role": "assistant", "model": req.Model,
		"content":     []any{map[string]any{"type": "text", "text": reply.Text}},
		"stop_reason": stop, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": len(req.Prompt()) / 4, "output_tokens": len(reply.Text) / 4,
			"cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
	})
}

// apiKeyOf returns the credential of a request. The API takes the key in x-api-key (the v1 SDK and the
// reference) or as a bearer token (the v2 SDK's option.WithAPIKey sends "Authorization: Bearer <key>").
func apiKeyOf(h http.Header) string {
	if key := h.Get("x-api-key"); key != "" {
		return key
	}
	if key, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer "); ok {
		return key
	}
	return ""
}

// APIKey returns the key the request authenticated with, from either header.
func (r Request) APIKey() string { return apiKeyOf(r.Header) }

// parseRequest checks the body the way the API does and reads the parts tests look at. system and content may
// be a string or an array of blocks.
func parseRequest(body []byte) (Request, error) {
	var raw struct {
		Model     *string         `json:"model"`
		MaxTokens *int            `json:"max_tokens"`
		System    json.RawMessage `json:"system"`
		Messages  []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Request{}, fmt.Errorf("invalid JSON body: %v", err)
	}
	switch {
	case raw.Model == nil || *raw.Model == "":
		return Request{}, fmt.Errorf("model: Field required")
	case raw.MaxTokens == nil || *raw.MaxTokens < 1:
		return Request{}, fmt.Errorf("max_tokens: Field required and must be at least 1")
	case len(raw.Messages) == 0:
		return Request{}, fmt.Errorf("messages: Field required")
	}
	req := Request{Model: *raw.Model, MaxTokens: *raw.MaxTokens, Body: body}
	if len(raw.System) > 0 {
		sys, err := textOf(raw.System)
		if err != nil {
			return Request{}, fmt.Errorf("system: %v", err)
		}
		req.System = sys
	}
	for i, m := range raw.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return Request{}, fmt.Errorf("messages.%d.role: Input should be 'user' or 'assistant'", i)
		}
		text, err := textOf(m.Content)
		if err != nil {
			return Request{}, fmt.Errorf("messages.%d.content: %v", i, err)
		}
		req.Messages = append(req.Messages, Message{Role: m.Role, Text: text})
	}
	return req, nil
}

// textOf reads a string or an array of content blocks, joining the text blocks.
func textOf(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var blocks []struct {
		Type string  `json:"type"`
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		//lint:ignore ST1005 the Messages API's own wording
		return "", errors.New("Input should be a valid string or list of content blocks")
	}
	var parts []string
	for i, b := range blocks {
		switch {
		case b.Type == "":
			return "", fmt.Errorf("%d.type: Field required", i)
		case b.Type == "text" && b.Text == nil:
			return "", fmt.Errorf("%d.text: Field required", i)
		case b.Type == "text":
			parts = append(parts, *b.Text)
		}
	}
	return strings.Join(parts, "\n"), nil
}

func writeError(w http.ResponseWriter, status int, errType, message, code string) {
	e := map[string]any{"type": errType, "message": message}
	if code != "" {
		e["details"] = map[string]any{"error_code": code}
	}
	writeJSON(w, status, map[string]any{"type": "error", "error": e, "request_id": w.Header().Get("request-id")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	// The SDK decodes only answers labelled application/json.
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
