// Package slackfake is an in-process stand-in for a Slack incoming webhook, for tests of the Slack sender and of
// the packages that notify. It answers as Slack does (reference: external-apis.md §5): 200 "ok" in plain text,
// 400 invalid_payload for a body that is not JSON, 400 no_text when both text and blocks are missing, 404
// no_service for another webhook path; scripted faults give 429 with Retry-After, 5xx or any code. Every request
// is recorded.
package slackfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Path is the webhook path the fake accepts.
const Path = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"

// Server is the fake webhook. Post to WebhookURL.
type Server struct {
	WebhookURL string

	srv *httptest.Server

	mu       sync.Mutex
	faults   []Fault
	messages []Message
	attempts int
}

// Fault is a scripted failure of one request.
type Fault struct {
	Status int
	// Body is the plain-text answer, e.g. "no_service"; defaults to Slack's for the status.
	Body string
	// RetryAfter is sent as the Retry-After header (seconds) when set.
	RetryAfter string
}

// Message is a message the webhook accepted.
type Message struct {
	Text   string           `json:"text"`
	Blocks []map[string]any `json:"blocks"`
	Raw    []byte           `json:"-"`
}

// New starts a fake webhook.
func New() *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.WebhookURL = s.srv.URL + Path
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

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
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
	s.attempts++
	var fault *Fault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
	}
	s.mu.Unlock()

	switch {
	case r.Method != http.MethodPost || r.URL.Path != Path:
		writeText(w, http.StatusNotFound, "no_service")
		return
	case fault != nil:
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		writeText(w, fault.Status, faultBody(*fault))
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		writeText(w, http.StatusBadRequest, "invalid_payload")
		return
	}
	var m Message
	if err := json.Unmarshal(body, &m); err != nil {
		writeText(w, http.StatusBadRequest, "invalid_payload")
		return
	}
	if strings.TrimSpace(m.Text) == "" && len(m.Blocks) == 0 {
		writeText(w, http.StatusBadRequest, "no_text")
		return
	}
	for _, b := range m.Blocks {
		if _, ok := b["type"].(string); !ok {
			writeText(w, http.StatusBadRequest, "invalid_blocks")
			return
		}
	}
	m.Raw = body
	s.mu.Lock()
	s.messages = append(s.messages, m)
	s.mu.Unlock()
	writeText(w, http.StatusOK, "ok")
}

func faultBody(f Fault) string {
	switch {
	case f.Body != "":
		return f.Body
	case f.Status == http.StatusTooManyRequests:
		// Old docs describe a JSON object with call counts; clients must not depend on it.
		return `{"retry_after":1}`
	case f.Status >= 500:
		return "rollup_error"
	default:
		return "invalid_payload"
	}
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}
