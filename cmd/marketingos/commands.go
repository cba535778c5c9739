package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/demo"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/server"
)

// open loads the configuration and opens the migrated database.
func open(ctx context.Context, getenv func(string) string) (*config.Config, *store.DB, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid configuration:\n%w", indent(err))
	}
	dsn := cfg.DatabaseURL
	if cfg.Driver() == config.DriverSQLite {
		dsn = cfg.SQLitePath()
	}
	db, err := store.Open(ctx, cfg.Driver(), dsn)
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return cfg, db, nil
}

func indent(err error) error {
	return fmt.Errorf("  - %s", strings.ReplaceAll(err.Error(), "\n", "\n  - "))
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	withDemo := fs.Bool("demo", false, "on an empty database, create a demo organization with sample data and print its keys")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, db, err := open(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(cfg.Development(), cfg.LogLevel, stderr)
	log.Info("starting MarketingOS", "config", cfg)
	if mocks := cfg.MockProviders(); len(mocks) > 0 {
		log.Warn("providers without credentials run in mock mode; what they create is marked mock: true", "providers", mocks)
	}

	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	if *withDemo {
		if err := printDemo(ctx, db, cfg.Port, stdout); err != nil {
			_ = ln.Close()
			return err
		}
	}
	a, err := app.New(ctx, cfg, db, log, app.Options{})
	if err != nil {
		_ = ln.Close()
		return err
	}
	if a.Scheduler != nil {
		a.Scheduler.Start()
		log.Info("scheduler started", "interval", cfg.ScheduleInterval, "jobs", a.Jobs.Jobs())
	}
	log.Info("listening", "addr", ln.Addr().String())
	serveErr := server.Serve(ctx, ln, a.Handler, cfg.ShutdownTimeout, log)
	// The HTTP server has drained; now commit what its last requests handed to the background workers.
	drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	return errors.Join(serveErr, a.Close(drainCtx))
}

func printDemo(ctx context.Context, db *store.DB, port int, w io.Writer) error {
	res, err := demo.Ensure(ctx, db.Client)
	if err != nil {
		return err
	}
	if res.Organization == nil {
		fmt.Fprintln(w, "--demo: the database already has organizations; no demo data was added.")
		return nil
	}
	what := "Created the demo organization"
	if !res.Created {
		what = "Demo organization found; issued a new API key (the previous demo key is revoked)"
	}
	fmt.Fprintf(w, `
%s: %s (%s)
  API key:      %s
  Tracking key: %s
  Dashboard:    http://localhost:%d/
  Sign in:      %s / %s  (the dashboard, or POST /api/auth/login; the password is new at every start)
  GraphiQL:     http://localhost:%d/graphiql  (headers: {"Authorization": "Bearer %s"})
  Try:          curl -s localhost:%d/graphql -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{"query":"{ viewer { organization { id name } } }"}'

`, what, res.Organization.Name, res.Organization.ID, res.APIKey, res.Organization.TrackingKey, port, res.UserEmail, res.UserPassword,
		port, res.APIKey, port, res.APIKey)
	return nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := parse(newFlags("migrate", stderr), args); err != nil {
		return err
	}
	cfg, db, err := open(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "schema is up to date (%s)\n", cfg.RedactedDatabaseURL())
	return nil
}

func cmdOrgCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("org create", stderr)
	name := fs.String("name", "", "organization name (required)")
	asJSON := fs.Bool("json", false, `print {"id","name","apiKey","trackingKey"} on one line`)
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		fmt.Fprintln(stderr, "org create: --name is required")
		return errUsage
	}
	_, db, err := open(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	created, err := account.CreateOrganization(ctx, db.Client, *name, account.Options{})
	if err != nil {
		return err
	}
	org := created.Organization
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]string{
			"id": org.ID, "name": org.Name, "apiKey": created.APIKey, "trackingKey": org.TrackingKey,
		})
	}
	fmt.Fprintf(stdout, "Organization: %s (%s)\nAPI key:      %s   (shown once: store it now)\nTracking key: %s\n",
		org.Name, org.ID, created.APIKey, org.TrackingKey)
	return nil
}

func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stderr)
	orgID := fs.String("org", "", "organization id (org_…)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *orgID == "" {
		fmt.Fprintln(stderr, "seed: --org is required")
		return errUsage
	}
	_, db, err := open(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Seed(ctx, db.Client, *orgID); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sample data added to %s\n", *orgID)
	return nil
}
