package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestObserverLogsTrackingSuccessAtDebug: every request is counted; successful tracking hits are logged at debug
// only, their failures and every other route at info.
func TestObserverLogsTrackingSuccessAtDebug(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		reg := prometheus.NewRegistry()
		o := newObserver(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level})), reg)
		h := o.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("fail") != "" {
				w.WriteHeader(http.StatusBadRequest)
			}
		}))
		for _, target := range []string{"/api/tracking/pixel.gif", "/api/tracking/event?fail=1", "/graphql"} {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
		}
		logged := buf.String()
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		var counted float64
		for _, f := range families {
			if f.GetName() == "marketingos_http_requests_total" {
				for _, m := range f.GetMetric() {
					counted += m.GetCounter().GetValue()
				}
			}
		}
		if counted != 3 {
			t.Errorf("level %v: %v requests counted, want 3", level, counted)
		}
		wantPixel := level == slog.LevelDebug
		if got := strings.Contains(logged, "path=/api/tracking/pixel.gif"); got != wantPixel {
			t.Errorf("level %v: successful pixel hit logged = %v, want %v\n%s", level, got, wantPixel, logged)
		}
		for _, path := range []string{"path=/api/tracking/event status=400", "path=/graphql status=200"} {
			if !strings.Contains(logged, path) {
				t.Errorf("level %v: %q not logged\n%s", level, path, logged)
			}
		}
	}
}
