// Package server is the HTTP edge of MarketingOS: the chi router, its middleware, the GraphQL endpoint and the
// REST routes. Handlers translate HTTP to calls into the domain packages and back; they hold no business logic.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/marketingos/marketingos/graph"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/payments"
	"github.com/marketingos/marketingos/internal/people"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/tracker"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/jobs"
)

// Deps is what the HTTP edge needs.
type Deps struct {
	Config *config.Config
	DB     *store.DB
	Log    *slog.Logger
	// Registry collects the process's Prometheus metrics, served at /metrics.
	Registry  *prometheus.Registry
	Tracking  *tracking.Service
	Campaigns *ads.Campaigns
	Content   *content.Engine
	// Follows and Dashboards feed the subscriptions.
	Follows    *graph.Follows
	Dashboards *dashboard.Hub
	// Jobs runs the cron routes' jobs.
	Jobs *jobs.Runner
	// Auth signs people in and resolves their sessions.
	Auth *auth.Service
	// Stripe applies webhook events (refused while STRIPE_WEBHOOK_SECRET is not set) and replays recorded failures.
	Stripe *payments.Stripe
	// People manages members and invitations, and accepts invitations for the sign-in routes.
	People *people.Service
	// App serves the dashboard's built files (web.New).
	App http.Handler
}

// New returns the HTTP handler of the whole service.
func New(d Deps) http.Handler {
	obs := newObserver(d.Log, d.Registry)
	origins := newOriginPolicy(d.Config.AllowedOrigins, d.Config.Development())

	r := chi.NewRouter()
	r.Use(middleware.RequestID, obs.middleware, recoverer(d.Log))

	r.Get("/healthz", healthz)
	r.Get("/readyz", readyz(d.DB))
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{}))

	// The tracker script, at its documented path and at the short one of the install tag.
	script := tracker.New(time.Now())
	r.Method(http.MethodGet, "/api/tracking/script.js", script)
	r.Method(http.MethodHead, "/api/tracking/script.js", script)
	r.Method(http.MethodGet, shortScriptPath, script)
	r.Method(http.MethodHead, shortScriptPath, script)
	th := newTrackingHandlers(d)
	r.Route("/api/tracking", func(r chi.Router) {
		r.Use(trackingCORS())
		r.Get("/pixel.gif", th.pixel)
		r.Post("/event", th.event)
	})
	authRoutes(r, d, origins)
	exportRoutes(r, d, origins)
	r.Post("/api/webhooks/stripe", stripeWebhook(d))
	CronRoutes(r, d.Jobs, d.Config.CronSecret, d.Log)

	gql := newGraphQL(d, origins)
	// /graphql is mounted outside any timeout middleware: WebSocket subscriptions live as long as the client stays.
	r.With(origins.cors(newCredentialedOrigins(d.Config))).Handle("/graphql", gql)
	// GraphiQL has a path of its own: "/" belongs to the dashboard app.
	if d.Config.Development() {
		r.Get(graphiqlPath, graphiql())
	}
	// The dashboard (web/) at / and at every client route.
	r.Method(http.MethodGet, "/", d.App)
	r.Method(http.MethodHead, "/", d.App)
	r.NotFound(notFound(d.App))
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed on this route")
	})
	return r
}

// readyTimeout bounds the database ping of /readyz, so a load balancer's probe never hangs.
const readyTimeout = 2 * time.Second
