// Package app assembles MarketingOS from its configuration: the services, their background workers, and the HTTP
// handler in front of them. The binary and the end-to-end tests build the same thing through it.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/marketingos/marketingos/graph"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/ads/google"
	"github.com/marketingos/marketingos/internal/ads/meta"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/notify"
	"github.com/marketingos/marketingos/internal/payments"
	"github.com/marketingos/marketingos/internal/people"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/visitors"
	"github.com/marketingos/marketingos/jobs"
	"github.com/marketingos/marketingos/server"
	"github.com/marketingos/marketingos/web"
)

// App is a running MarketingOS minus its listener.
type App struct {
	Handler    http.Handler
	Registry   *prometheus.Registry
	Writer     *tracking.Writer
	Campaigns  *ads.Campaigns
	Content    *content.Engine
	Dispatcher *notify.Dispatcher
	Live       live.Broker
	Follows    *graph.Follows // the subscriptions' shared feeds
	Dashboards *dashboard.Hub
	Jobs       *jobs.Runner
	// Rebuilds rebuilds the visitors rollup after time zone changes, in the background (visitors.JobName runs).
	Rebuilds *visitors.Rebuilder
	// Scheduler runs the jobs every SCHEDULE_INTERVAL once started; nil when SCHEDULER_ENABLED=false.
	Scheduler *jobs.Scheduler
	closeLive func() error
	closeOnce sync.Once
	closeErr  error
}

// Options adjust the assembly.
type Options struct {
	// WriterOptions tune the tracking writer (tests and benchmarks use small queues).
	Writer tracking.WriterOptions
	// Clock is the time sessions and invitations expire by (time.Now when nil); tests move it.
	Clock func() time.Time
	// Rebuilds tune the background rebuild of the visitors rollup.
	Rebuilds visitors.RebuilderOptions
}

// New builds the services on db and starts their background workers; Close stops them.
func New(ctx context.Context, cfg *config.Config, db *store.DB, log *slog.Logger, opts Options) (*App, error) {
	dashboardApp, err := web.New()
	if err != nil {
		return nil, fmt.Errorf("app: the embedded dashboard: %w", err)
	}
	broker, closeLive, err := newBroker(ctx, db, log)
	if err != nil {
		return nil, err
	}
	changed := publisher{broker}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	dispatcher := notify.NewDispatcher(log, notify.SendersFor(cfg.Slack, cfg.Resend, log))
	admin := notices{dispatcher}
	afterPurchase := attribution.Then(
		attribution.NotifyHighValue(admin),
	)
	wopts := opts.Writer
	wopts.Registerer = reg
	changed.writerHooks(&wopts)
	writer := tracking.NewWriter(db, wopts)
	svc := tracking.NewService(db.Client, writer, tracking.ServiceOptions{
		IPSalt: cfg.Tracking.IPSalt, AfterPurchase: afterPurchase, Stored: changed.stored, Registerer: reg,
	})
	campaigns := ads.NewCampaigns(db.Client, livePlatforms(cfg), ads.Hooks{LowROI: admin.LowROI, Updated: changed.campaign}, log)
	engine := content.NewEngine(db.Client, db.Dialect, content.NewGenerator(cfg.Anthropic), content.NewPublisher(cfg.Postiz, log),
		content.EngineHooks{Published: admin.ContentPublished, Updated: changed.content}, log)
	stripe := payments.NewStripe(db.Client, cfg.StripeWebhookSecret, afterPurchase, changed.stored)
	hub := dashboard.NewHub(db.Client, broker, log)
	follows := graph.NewFollows(db.Client, broker)
	runner := jobs.NewRunner(db, log, jobs.WithOnFailure(admin.JobFailed))
	runner.Register(jobs.SocialPublish, func(ctx context.Context) (map[string]any, error) {
		stats, err := engine.RunAll(ctx)
		return statsMap(stats), err
	})
	runner.Register(jobs.SyncAdsMetrics, func(ctx context.Context) (map[string]any, error) {
		stats, err := campaigns.SyncActive(ctx)
		return statsMap(stats), err
	})
	var scheduler *jobs.Scheduler
	if cfg.SchedulerEnabled {
		if scheduler, err = jobs.NewScheduler(runner, cfg.ScheduleInterval, log); err != nil {
			return nil, errors.Join(err, closeLive())
		}
	}
	// Started now: it resumes the rebuilds that a previous process left unfinished.
	rebuilds := visitors.NewRebuilder(db.SQL, db.Client, db.Dialect, log, opts.Rebuilds)
	rebuilds.Start()
	members := people.New(people.Options{Client: db.Client, Dialect: db.Dialect, Mailer: notify.MailerFor(cfg.Resend, log, cfg.Development()),
		PublicURL: cfg.Auth.PublicURL, Now: opts.Clock, Log: log})
	h := server.New(server.Deps{
		Config: cfg, DB: db, Log: log, Registry: reg, Tracking: svc, Stripe: stripe, Campaigns: campaigns, Content: engine,
		Follows: follows, Dashboards: hub, Jobs: runner, Auth: auth.New(db.Client, cfg.Auth, opts.Clock), People: members,
		App: dashboardApp,
	})
	return &App{
		Handler: h, Registry: reg, Writer: writer, Campaigns: campaigns, Content: engine, Dispatcher: dispatcher,
		Live: broker, Follows: follows, Dashboards: hub, Jobs: runner, Rebuilds: rebuilds, Scheduler: scheduler,
		closeLive: closeLive,
	}, nil
}

// newBroker relays live updates between instances through PostgreSQL, or within the process on SQLite (which
// serves one instance).
func newBroker(ctx context.Context, db *store.DB, log *slog.Logger) (live.Broker, func() error, error) {
	if db.Dialect != dialect.Postgres {
		return live.NewLocal(), func() error { return nil }, nil
	}
	pg, err := live.NewPostgres(ctx, db.SQL, db.DSN, log)
	if err != nil {
		return nil, nil, err
	}
	return pg, pg.Close, nil
}

// Close drains the background workers: every tracking event accepted is committed before it returns (or ctx ends).
// Call it after the HTTP server has stopped, so that no request is still handing events over.
func (a *App) Close(ctx context.Context) error {
	// Once: a test may drain the app before its harness closes it again.
	a.closeOnce.Do(func() {
		// Jobs and the writer first: finishing them may still raise notices, which the dispatcher then delivers.
		var errs []error
		if a.Scheduler != nil {
			errs = append(errs, a.Scheduler.Shutdown(ctx))
		}
		errs = append(errs, a.Rebuilds.Close(ctx), a.Writer.Close(ctx), a.Dispatcher.Close(ctx), a.closeLive())
		a.closeErr = errors.Join(errs...)
	})
	return a.closeErr
}

// livePlatforms returns the ad platforms whose credentials are configured; the others run in mock mode.
func livePlatforms(cfg *config.Config) map[string]ads.Platform {
	live := map[string]ads.Platform{}
	if cfg.GoogleAds.Configured() {
		live[ads.Google] = google.New(cfg.GoogleAds)
	}
	if cfg.Facebook.Configured() {
		live[ads.Facebook] = meta.New(cfg.Facebook)
	}
	return live
}

// statsMap turns a job's stats struct into the JSON object a JobRun stores.
func statsMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}
