package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// MaxHeaderBytes bounds a request's line and headers: what a browser sends with a full cookie jar fits many times
// over, and a client cannot make the server hold megabytes of headers per connection.
const MaxHeaderBytes = 64 << 10

// Serve answers HTTP on ln until ctx is cancelled, then drains: it stops accepting, ends the long-lived streams
// (WebSockets and server-sent events, which would otherwise hold the drain until its timeout), and lets every other
// request that has reached a handler finish within timeout. Requests' contexts do not end with ctx: a request
// accepted before the signal keeps its database calls and its answer. Only after the timeout are the stragglers'
// connections closed and their contexts cancelled.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, timeout time.Duration, log *slog.Logger) error {
	baseCtx, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	streamsCtx, endStreams := context.WithCancel(baseCtx)
	defer endStreams()
	srv := &http.Server{
		Handler:           endStreamsWith(streamsCtx, h),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    MaxHeaderBytes,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", timeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	endStreams() // Shutdown does not track hijacked WebSocket connections, and waits for SSE streams forever
	err := srv.Shutdown(shutdownCtx)
	if err != nil {
		log.Warn("requests still running at the shutdown timeout are cut off", "error", err)
		err = errors.Join(err, srv.Close())
	}
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// endStreamsWith ends the context of each long-lived stream — a WebSocket upgrade, or a request for server-sent
// events — when ctx ends; other requests keep theirs to the end.
func endStreamsWith(ctx context.Context, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isStream(r) {
			h.ServeHTTP(w, r)
			return
		}
		reqCtx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(ctx, cancel)
		defer stop()
		h.ServeHTTP(w, r.WithContext(reqCtx))
	})
}

func isStream(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket") ||
		acceptsEventStream(r)
}

// headerHasToken reports whether a comma-separated header of h lists token (case-insensitively).
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
