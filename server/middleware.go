package server

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// recoverer turns a panic into a 500 JSON error and a logged stack, and keeps the process serving.
func recoverer(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				rec := recover()
				if rec == nil || rec == http.ErrAbortHandler {
					if rec != nil {
						panic(rec) // net/http's signal to abort the response silently
					}
					return
				}
				log.ErrorContext(r.Context(), "http handler panicked",
					"request_id", middleware.GetReqID(r.Context()), "panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
				writeError(w, http.StatusInternalServerError, "INTERNAL", "internal error")
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// observer records every request's metrics and log line. It wraps the ResponseWriter once, with chi's wrapper,
// which keeps http.Hijacker, so WebSocket upgrades still work behind it.
type observer struct {
	log      *slog.Logger
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newObserver(log *slog.Logger, reg prometheus.Registerer) *observer {
	o := &observer{
		log: log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "marketingos_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "marketingos_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	reg.MustRegister(o.requests, o.duration)
	return o
}

// trackingPrefix is the path of the tracking endpoints, whose successful hits are logged at debug level only:
// they are most of the traffic, their outcomes are counted in marketingos_tracking_hits_total, and a log line
// each would cost more than storing the hit.
const trackingPrefix = "/api/tracking/"

// shortScriptPath is the tracker script's short alias, loaded by every landing page like the tracking endpoints.
const shortScriptPath = "/s.js"

// middleware labels metrics by chi's route pattern, not the raw path, so that label cardinality stays bounded.
func (o *observer) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		elapsed := time.Since(start)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil {
			route = cmp.Or(rc.RoutePattern(), route) // built anew at each call: once
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK // the handler wrote nothing: net/http answers 200
		}
		o.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
		o.duration.WithLabelValues(route).Observe(elapsed.Seconds())

		level := slog.LevelInfo
		if status < 400 && (strings.HasPrefix(r.URL.Path, trackingPrefix) || r.URL.Path == shortScriptPath) {
			level = slog.LevelDebug
		}
		if !o.log.Enabled(r.Context(), level) {
			return
		}
		o.log.LogAttrs(r.Context(), level, "http request",
			slog.String("request_id", middleware.GetReqID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", elapsed),
		)
	})
}
