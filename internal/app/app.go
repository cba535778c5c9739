// Package app assembles MarketingOS from its configuration: the services, their background workers, and the HTTP
// handler in front of them. The binary and the end-to-end tests build the same thing through it.
package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/payments"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/server"
)

// App is a running MarketingOS minus its listener.
type App struct {
	Handler  http.Handler
	Registry *prometheus.Registry
	Writer   *tracking.Writer
}

// Options adjust the assembly.
type Options struct {
	// WriterOptions tune the tracking writer (tests and benchmarks use small queues).
	Writer tracking.WriterOptions
}

// New builds the services on db and starts their background workers; Close stops them.
func New(cfg *config.Config, db *store.DB, log *slog.Logger, opts Options) *App {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	afterPurchase := attribution.Then(
		attribution.NotifyHighValue(logNotifier{log}),
	)
	wopts := opts.Writer
	wopts.Registerer = reg
	writer := tracking.NewWriter(db, wopts)
	svc := tracking.NewService(db.Client, writer, tracking.ServiceOptions{
		IPSalt: cfg.Tracking.IPSalt, AfterPurchase: afterPurchase, Registerer: reg,
	})
	var stripe *payments.Stripe
	if cfg.StripeWebhookSecret != "" {
		stripe = payments.NewStripe(db.Client, cfg.StripeWebhookSecret, afterPurchase)
	}
	h := server.New(server.Deps{Config: cfg, DB: db, Log: log, Registry: reg, Tracking: svc, Stripe: stripe})
	return &App{Handler: h, Registry: reg, Writer: writer}
}

// Close drains the background workers: every tracking event accepted is committed before it returns (or ctx ends).
// Call it after the HTTP server has stopped, so that no request is still handing events over.
func (a *App) Close(ctx context.Context) error {
	return errors.Join(a.Writer.Close(ctx))
}
