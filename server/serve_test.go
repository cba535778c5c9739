package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
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
