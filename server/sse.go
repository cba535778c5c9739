package server

import (
	"errors"
	"net/http"
	"strings"
	"sync"
)

// acceptsEventStream reports whether r asks for server-sent events (graphql-sse, gqlgen's SSE transport).
func acceptsEventStream(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// endWritesOnReturn guards the response of a server-sent-events request: gqlgen's SSE keep-alive goroutine stops
// when the request's context ends, which net/http does only after the handler has returned, so a ping could be
// written into a response net/http has already finished (and whose buffer it reuses). Writes after the handler
// returned are dropped instead. Other requests pass untouched: a wrapper would hide http.Hijacker from WebSockets.
func endWritesOnReturn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !acceptsEventStream(r) || isWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		sw := &streamWriter{w: w}
		defer sw.end()
		next.ServeHTTP(sw, r)
	})
}

var errStreamEnded = errors.New("server: the event stream's handler has returned")

// streamWriter is a ResponseWriter that stops writing once end is called.
type streamWriter struct {
	w     http.ResponseWriter
	mu    sync.Mutex
	ended bool
}

func (s *streamWriter) Header() http.Header { return s.w.Header() }

func (s *streamWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return 0, errStreamEnded
	}
	return s.w.Write(p)
}

func (s *streamWriter) WriteHeader(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		s.w.WriteHeader(code)
	}
}

func (s *streamWriter) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		_ = http.NewResponseController(s.w).Flush()
	}
}

func (s *streamWriter) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ended = true
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *streamWriter) Unwrap() http.ResponseWriter { return s.w }
