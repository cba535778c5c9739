package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/server"
)

// serveForTest runs server.Serve with h on a loopback port until the test ends; it returns the base URL and a
// function that starts the shutdown (the cancellation SIGTERM causes) and waits for Serve to return.
func serveForTest(t *testing.T, h http.Handler, timeout time.Duration) (string, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.Serve(ctx, ln, h, timeout, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	var result error
	var stopped bool
	stop := func() error {
		if !stopped {
			cancel()
			result, stopped = <-done, true
		}
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return "http://" + ln.Addr().String(), stop
}

// TestServeHeaderLimit: a megabyte of headers is refused with 431 before any handler runs; headers as large as a
// browser with a full cookie jar sends are served.
func TestServeHeaderLimit(t *testing.T) {
	var reached atomic.Int64
	base, _ := serveForTest(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }), time.Second)
	for _, tc := range []struct {
		name   string
		size   int
		status int
	}{
		{"a browser's cookies", 16 << 10, http.StatusOK},
		{"1 MiB", 1 << 20, http.StatusRequestHeaderFieldsTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
			req.Header.Set("Cookie", "c="+strings.Repeat("a", tc.size))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			if res.StatusCode != tc.status {
				t.Errorf("%d bytes of headers: status %d, want %d", tc.size, res.StatusCode, tc.status)
			}
		})
	}
	if reached.Load() != 1 {
		t.Errorf("the handler ran %d times, want once (for the browser-sized request only)", reached.Load())
	}
}

// TestServeDrainsInFlightRequests: a request that reached its handler before the shutdown keeps its context (its
// database calls would otherwise fail) and its answer, while new connections are refused.
func TestServeDrainsInFlightRequests(t *testing.T) {
	reached, release := make(chan struct{}), make(chan struct{})
	ctxErr := make(chan error, 1)
	base, stop := serveForTest(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(reached)
		<-release
		ctxErr <- r.Context().Err()
		w.WriteHeader(http.StatusNoContent)
	}), time.Minute)

	answer := make(chan *http.Response, 1)
	go func() {
		res, err := http.Get(base + "/slow")
		if err != nil {
			t.Errorf("in-flight request: %v", err)
		}
		answer <- res
	}()
	<-reached
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	waitRefused(t, strings.TrimPrefix(base, "http://"))
	close(release)

	if err := <-ctxErr; err != nil {
		t.Errorf("the in-flight request's context ended during the drain: %v", err)
	}
	if res := <-answer; res == nil || res.StatusCode != http.StatusNoContent {
		t.Errorf("in-flight request answered %v, want 204", res)
	} else {
		_ = res.Body.Close()
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve returned %v after a drain within the timeout, want nil", err)
	}
}

// TestServeEndsStreamsAtShutdown: server-sent event streams and WebSockets, which never finish on their own, have
// their contexts ended by the shutdown, so the drain completes within its timeout.
func TestServeEndsStreamsAtShutdown(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header http.Header
	}{
		{"server-sent events", http.Header{"Accept": {"text/event-stream"}}},
		{"WebSocket", http.Header{"Connection": {"keep-alive, Upgrade"}, "Upgrade": {"websocket"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reached, ended := make(chan struct{}), make(chan struct{})
			base, stop := serveForTest(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				w.(http.Flusher).Flush()
				close(reached)
				<-r.Context().Done()
				close(ended)
			}), 5*time.Second)
			req, _ := http.NewRequest(http.MethodGet, base+"/stream", nil)
			req.Header = tc.header
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			<-reached
			// Without the stream's end, Shutdown would wait for it until the timeout and report it.
			if err := stop(); err != nil {
				t.Errorf("Serve returned %v, want nil: the stream held the drain", err)
			}
			<-ended
		})
	}
}

// TestServeCutsOffStragglersAtTheTimeout: a request still running when the timeout passes has its context
// cancelled, and Serve says so.
func TestServeCutsOffStragglersAtTheTimeout(t *testing.T) {
	reached, ended := make(chan struct{}), make(chan struct{})
	base, stop := serveForTest(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(reached)
		<-r.Context().Done()
		close(ended)
	}), 50*time.Millisecond)
	go func() {
		if res, err := http.Get(base + "/forever"); err == nil {
			_ = res.Body.Close()
		}
	}()
	<-reached
	if err := stop(); err == nil {
		t.Error("Serve returned nil with a request still running at the timeout, want an error")
	}
	<-ended
}

// waitRefused dials addr until the connection is refused: the listener has closed.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	for {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		_ = conn.Close()
		runtime.Gosched()
	}
}
