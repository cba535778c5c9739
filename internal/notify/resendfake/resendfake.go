// Package resendfake is an in-process stand-in for the Resend e-mail API (POST /emails), for tests that run the
// official SDK against it. It answers as Resend does (reference: external-apis.md §6): the bearer key is checked
// (401 missing_api_key, 403 invalid_api_key), required fields are checked (422), 200 {"id"} on success, the
// Idempotency-Key replays the first answer, and every error is {"statusCode","name","message"} labelled
// application/json, without which the SDK cannot read it. Scripted faults give 429 with the ratelimit-* and
// retry-after headers, or 5xx. Every request is recorded.
package resendfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Server is the fake API. Set the SDK client's BaseURL to URL + "/".
type Server struct {
	URL    string
	APIKey string

	srv *httptest.Server

	mu          sync.Mutex
	faults      []Fault
	emails      []Email
	idempotency map[string]idempotent
	attempts    int
	seq         int
}

type idempotent struct {
	id   string
	body string
}

// Fault is a scripted failure of one request.
type Fault struct {
	Status int
	// Name and Message fill the error body; they default to Resend's for the status.
	Name    string
	Message string
	// RetryAfter is sent as retry-after (seconds) with a 429.
	RetryAfter string
}

// Email is an e-mail the API accepted.
type Email struct {
	ID             string
	From           string
	To             []string
	Subject        string
	HTML           string
	Text           string
	Tags           []Tag
	IdempotencyKey string
}

// Tag is an e-mail tag.
type Tag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// New starts a fake that accepts apiKey.
func New(apiKey string) *Server {
	s := &Server{APIKey: apiKey, idempotency: map[string]idempotent{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Fail scripts the next requests to fail, in order.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// Emails returns the e-mails accepted so far (an idempotent replay is not a new e-mail).
func (s *Server) Emails() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Email(nil), s.emails...)
}

// Attempts returns how many requests arrived, failed ones included.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++

	if r.Method != http.MethodPost || r.URL.Path != "/emails" {
		if r.URL.Path == "/emails" {
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed")
			return
		}
		writeError(w, http.StatusNotFound, "not_found", "The requested endpoint does not exist.")
		return
	}
	switch key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); {
	case !ok || key == "":
		writeError(w, http.StatusUnauthorized, "missing_api_key", "Missing API key in the authorization header.")
		return
	case key != s.APIKey:
		writeError(w, http.StatusForbidden, "invalid_api_key", "API key is invalid")
		return
	}
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		writeFault(w, f)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeError(w, http.StatusBadRequest, "validation_error", "Invalid content type; use application/json")
		return
	}

	var in struct {
		From    string          `json:"from"`
		To      json.RawMessage `json:"to"`
		Subject string          `json:"subject"`
		HTML    string          `json:"html"`
		Text    string          `json:"text"`
		Tags    []Tag           `json:"tags"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "validation_error", "Invalid JSON body")
		return
	}
	to, ok := recipients(in.To)
	switch {
	case in.From == "":
		writeError(w, http.StatusUnprocessableEntity, "missing_required_field", "The `from` field is missing.")
		return
	case !ok || len(to) == 0:
		writeError(w, http.StatusUnprocessableEntity, "missing_required_field", "The `to` field is missing.")
		return
	case len(to) > 50:
		writeError(w, http.StatusUnprocessableEntity, "validation_error", "Too many recipients: at most 50.")
		return
	case in.Subject == "":
		writeError(w, http.StatusUnprocessableEntity, "missing_required_field", "The `subject` field is missing.")
		return
	case in.HTML == "" && in.Text == "":
		writeError(w, http.StatusUnprocessableEntity, "missing_required_field", "Either `html` or `text` must be provided.")
		return
	}
	for _, t := range in.Tags {
		if !validTag(t.Name) || !validTag(t.Value) {
			writeError(w, http.StatusUnprocessableEntity, "validation_error", "Tags should only contain ASCII letters, numbers, underscores, or dashes.")
			return
		}
	}

	key := r.Header.Get("Idempotency-Key")
	if key != "" {
		if len(key) > 256 {
			writeError(w, http.StatusBadRequest, "invalid_idempotency_key", "The key must be between 1-256 chars.")
			return
		}
		if prev, seen := s.idempotency[key]; seen {
			if prev.body != string(body) {
				writeError(w, http.StatusConflict, "invalid_idempotent_request", "Same idempotency key used with a different request payload.")
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"id": prev.id})
			return
		}
	}
	s.seq++
	id := fmt.Sprintf("4ef9a417-02e9-4d39-ad75-%012d", s.seq)
	if key != "" {
		s.idempotency[key] = idempotent{id: id, body: string(body)}
	}
	s.emails = append(s.emails, Email{ID: id, From: in.From, To: to, Subject: in.Subject, HTML: in.HTML, Text: in.Text,
		Tags: in.Tags, IdempotencyKey: key})
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// recipients reads "to" as a string or an array of strings.
func recipients(raw json.RawMessage) ([]string, bool) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, one != ""
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, false
	}
	return many, true
}

func validTag(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func writeFault(w http.ResponseWriter, f Fault) {
	name, message := f.Name, f.Message
	switch {
	case f.Status == http.StatusTooManyRequests:
		if name == "" {
			name, message = "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second."
		}
		w.Header().Set("ratelimit-limit", "2")
		w.Header().Set("ratelimit-remaining", "0")
		w.Header().Set("ratelimit-reset", "1")
		if f.RetryAfter != "" {
			w.Header().Set("retry-after", f.RetryAfter)
		}
	case name == "" && f.Status >= 500:
		name, message = "application_error", "An unexpected error occurred."
	case name == "":
		name, message = "validation_error", http.StatusText(f.Status)
	}
	writeError(w, f.Status, name, message)
}

func writeError(w http.ResponseWriter, status int, name, message string) {
	writeJSON(w, status, map[string]any{"statusCode": status, "name": name, "message": message})
}

// writeJSON labels every answer application/json: the SDK reads error bodies only when they are.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
