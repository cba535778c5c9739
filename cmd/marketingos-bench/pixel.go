package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/server"
)

const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// ratioGoal is the share of the bare server's throughput that the real server should reach (on a 2-core machine).
const ratioGoal = 0.5

// gif is the 1×1 transparent GIF the pixel answers with (the same bytes as the real server's).
var gif, _ = base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

type pixelSettings struct {
	load          load
	rounds        int
	dbURL         string
	dbURLDefault  bool
	cpuProfile    string
	writer        tracking.WriterOptions
	dbConns       int
	logToStderr   bool
	keepSchema    bool
	stdout        io.Writer
	stderr        io.Writer
	shutdownAfter time.Duration
}

func cmdPixel(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("pixel", stderr)
	s := pixelSettings{stdout: stdout, stderr: stderr, shutdownAfter: 30 * time.Second}
	fs.IntVar(&s.load.Conns, "c", 64, "concurrent keep-alive connections, one worker each")
	fs.IntVar(&s.rounds, "rounds", 3, "rounds, each measuring the bare server then the real one, so that both see the same machine")
	fs.DurationVar(&s.load.Duration, "duration", 5*time.Second, "measured load per server per round")
	fs.DurationVar(&s.load.Warmup, "warmup", 1*time.Second, "load per server per round before measuring (not measured; its stored hits are checked too)")
	fs.IntVar(&s.load.NewEvery, "new-every", 10, "one request in this many is a first visit (no visitor id); 0: none")
	fs.IntVar(&s.load.Requests, "n", 0, "end each measured phase after this many requests (0: -duration alone ends it)")
	fs.StringVar(&s.dbURL, "db", "", "PostgreSQL URL (default $BENCH_DATABASE_URL, else "+defaultDatabaseURL+")")
	fs.StringVar(&s.cpuProfile, "cpuprofile", "", "write a CPU profile of the process during the real server's measured phase")
	fs.IntVar(&s.writer.Workers, "writer-workers", 0, "tracking writer: concurrent commits (0: the writer's default)")
	fs.DurationVar(&s.writer.Stall, "stall", 0, "tracking writer: how long a batch waits for the running commit before committing beside it (0: the writer's default)")
	fs.IntVar(&s.writer.MaxBatch, "max-batch", 0, "tracking writer: most events per commit (0: the writer's default)")
	fs.IntVar(&s.writer.QueueSize, "queue", 0, "tracking writer: events waiting before new ones get 503 (0: the writer's default)")
	fs.IntVar(&s.dbConns, "db-conns", 0, "database pool: most open connections (0: the store's default)")
	fs.BoolVar(&s.logToStderr, "log", false, "write the real server's request log to stderr (default: formatted as in production, then discarded)")
	fs.BoolVar(&s.keepSchema, "keep", false, "keep the benchmark's schema instead of dropping it")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case s.load.Conns < 1 || s.rounds < 1:
		fmt.Fprintln(stderr, "pixel: -c and -rounds must be at least 1")
		return errUsage
	case s.load.Duration <= 0 || s.load.Warmup < 0 || s.load.Requests < 0 || s.load.NewEvery < 0:
		fmt.Fprintln(stderr, "pixel: -duration must be positive, -warmup, -n and -new-every not negative")
		return errUsage
	}
	if s.dbURL == "" {
		s.dbURL = getenv("BENCH_DATABASE_URL")
	}
	if s.dbURL == "" {
		s.dbURL, s.dbURLDefault = defaultDatabaseURL, true
	}
	return benchPixel(ctx, s)
}

// benchPixel runs the whole benchmark; the schema it creates is dropped whatever happens.
func benchPixel(ctx context.Context, s pixelSettings) (err error) {
	out := s.stdout
	fmt.Fprintf(out, "marketingos-bench pixel: %d connections, %d rounds of warm-up %s then %s per server (bare, then real)",
		s.load.Conns, s.rounds, s.load.Warmup, s.load.Duration)
	if s.load.Requests > 0 {
		fmt.Fprintf(out, " or %d requests", s.load.Requests)
	}
	if s.load.NewEvery > 0 {
		fmt.Fprintf(out, "; one hit in %d a first visit", s.load.NewEvery)
	}
	fmt.Fprintf(out, "\nmachine: %d CPUs, GOMAXPROCS %d, %s %s/%s, load average %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, loadAverage())
	if s.dbURLDefault {
		fmt.Fprintf(out, "database: BENCH_DATABASE_URL is not set; using the local PostgreSQL at %s\n", redact(s.dbURL))
	} else {
		fmt.Fprintf(out, "database: %s\n", redact(s.dbURL))
	}

	dsn, version, drop, err := createSchema(ctx, s.dbURL)
	if err != nil {
		return err
	}
	defer func() {
		if s.keepSchema {
			fmt.Fprintf(out, "schema kept: %s\n", redact(dsn))
			return
		}
		if dropErr := drop(); dropErr != nil {
			err = errors.Join(err, fmt.Errorf("drop the benchmark schema: %w", dropErr))
		}
	}()
	fmt.Fprintf(out, "          %s, schema %s (dropped at the end)\n", version, schemaOf(dsn))

	db, err := store.Open(ctx, store.Postgres, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if s.dbConns > 0 {
		db.SQL.SetMaxOpenConns(s.dbConns)
		db.SQL.SetMaxIdleConns(s.dbConns)
	}
	created, err := account.CreateOrganization(ctx, db.Client, "Benchmark", account.Options{})
	if err != nil {
		return err
	}
	org := created.Organization

	cfg, err := config.Load(func(k string) string {
		return map[string]string{
			"DATABASE_URL": dsn, "ENV": config.EnvProduction,
			"TRACKING_RATE_PER_IP": "0", "TRACKING_RATE_PER_KEY": "0", "SCHEDULER_ENABLED": "false",
		}[k]
	})
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	pool := "store default"
	if s.dbConns > 0 {
		pool = strconv.Itoa(s.dbConns)
	}
	fmt.Fprintf(out, "real server: app.New, ENV=production, rate limits off, writer %s, DB pool %s (max open %d)\n",
		describeWriter(s.writer), pool, db.SQL.Stats().MaxOpenConnections)

	// The real server, served by the same function as `marketingos serve`.
	logOut := io.Discard
	if s.logToStderr {
		logOut = s.stderr
	}
	log := slog.New(warnings{slog.NewJSONHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo}), s.stderr})
	a, err := app.New(ctx, cfg, db, log, app.Options{Writer: s.writer})
	if err != nil {
		return err
	}
	realLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = a.Close(context.WithoutCancel(ctx))
		return err
	}
	serveCtx, stopServe := context.WithCancel(ctx)
	defer stopServe()
	served := make(chan error, 1)
	go func() { served <- server.Serve(serveCtx, realLn, a.Handler, cfg.ShutdownTimeout, log) }()
	realStopped := false
	stopReal := func() error {
		if realStopped {
			return nil
		}
		realStopped = true
		stopServe()
		serveErr := <-served
		// As `marketingos serve` does: the HTTP server has drained, now commit what it handed to the writer.
		drainCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.shutdownAfter)
		defer cancel()
		return errors.Join(serveErr, a.Close(drainCtx))
	}
	defer func() { err = errors.Join(err, stopReal()) }()

	// The bare server: the same GIF, no storage, no middleware.
	bareLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	bare := &http.Server{Handler: http.HandlerFunc(bareGIF), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = bare.Serve(bareLn) }()
	defer bare.Close()

	// The store-only server: the bare one plus the storage every stored hit needs, with a writer of its own.
	storeLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	storeWriter := tracking.NewWriter(db, s.writer)
	store := &http.Server{Handler: storeOnly(storeWriter, org.ID), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = store.Serve(storeLn) }()
	storeStopped := false
	stopStore := func() error {
		if storeStopped {
			return nil
		}
		storeStopped = true
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.shutdownAfter)
		defer cancel()
		return errors.Join(store.Shutdown(shutdownCtx), storeWriter.Close(shutdownCtx))
	}
	defer func() { err = errors.Join(err, stopStore()) }()

	// A returning visitor names itself (as the page's vid would); a first visit sends no id, so the server
	// assigns a new one: a new visitor, as for a browser without the cookie.
	query := func(worker int) visitURLs {
		q := url.Values{}
		q.Set("k", org.TrackingKey)
		q.Set("e", tracking.PageView)
		q.Set("utm_source", "newsletter")
		q.Set("utm_medium", "email")
		q.Set("utm_campaign", "spring_sale")
		q.Set("url", "https://landing.example/pricing?utm_source=newsletter&utm_medium=email")
		q.Set("ref", "https://mail.example/inbox")
		first := "/api/tracking/pixel.gif?" + q.Encode()
		q.Set("vid", fmt.Sprintf("bench-%03d", worker))
		return visitURLs{returning: "/api/tracking/pixel.gif?" + q.Encode(), first: first}
	}

	fmt.Fprintln(out)
	var bareRuns, storeRuns, appRuns []phase
	var appWarm, storeWarm phase
	for round := range s.rounds {
		// The same machine for all three: a round measures the bare server, the store-only one, then the real one.
		_, bareRun, err := drive(ctx, s.load, "http://"+bareLn.Addr().String(), query, "")
		if err != nil {
			return err
		}
		sWarm, storeRun, err := drive(ctx, s.load, "http://"+storeLn.Addr().String(), query, "")
		if err != nil {
			return err
		}
		storeRuns, storeWarm = append(storeRuns, storeRun), merge(storeWarm, sWarm)
		profile := ""
		if round == s.rounds-1 {
			profile = s.cpuProfile
		}
		warm, appRun, err := drive(ctx, s.load, "http://"+realLn.Addr().String(), query, profile)
		if err != nil {
			return err
		}
		bareRuns, appRuns, appWarm = append(bareRuns, bareRun), append(appRuns, appRun), merge(appWarm, warm)
		fmt.Fprintf(out, "round %d: bare GIF server %.0f req/s, store-only %.0f req/s (%.2f), real server %.0f req/s: ratio %.2f\n",
			round+1, bareRun.RPS(), storeRun.RPS(), storeRun.RPS()/bareRun.RPS(), appRun.RPS(), appRun.RPS()/bareRun.RPS())
	}
	metrics := gatherMetrics(a)
	if err := stopStore(); err != nil {
		return fmt.Errorf("shut the store-only server down: %w", err)
	}
	if err := stopReal(); err != nil {
		return fmt.Errorf("shut the real server down: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = bare.Shutdown(shutdownCtx)

	var stored int
	if err := db.SQL.QueryRowContext(context.WithoutCancel(ctx),
		"SELECT count(*) FROM attribution_events WHERE organization_id = $1", org.ID).Scan(&stored); err != nil {
		return fmt.Errorf("count stored events: %w", err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return report(out, s, runs{bareRuns, storeRuns, appRuns}, merge(appWarm, storeWarm), stored, metrics)
}

// runs are the measured phases of each server, a phase per round.
type runs struct{ bare, store, real []phase }

// storeOnly is the bare server plus what storing a hit takes, and nothing else: each hit becomes a page view of
// the visitor named by vid (a new one without it) in a writer like the real server's (same group commit, same
// statement, without the live-update notification), answered once committed. No middleware, no validation, no
// classification, no cookies. Its throughput is what a server that stores every hit durably can reach on this
// machine: the real server's ceiling.
func storeOnly(w *tracking.Writer, orgID string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		ev := tracking.Event{ID: prefixed.New("evt"), OrgID: orgID, VisitorID: r.URL.Query().Get("vid"),
			EventType: tracking.PageView, CreatedAt: time.Now().UTC()}
		if ev.VisitorID == "" {
			ev.VisitorID, ev.NewVisitor = prefixed.New("vis"), true
		}
		if err := w.Write(r.Context(), ev); err != nil {
			rw.Header().Set("Retry-After", "1")
			rw.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		bareGIF(rw, r)
	}
}

// drive puts the load on one server: a warm-up, then the measured phase (CPU-profiled when profile is set).
func drive(ctx context.Context, l load, base string, query func(int) visitURLs, profile string) (warm, measured phase, err error) {
	conns, err := newConns(ctx, l.Conns, l.NewEvery, func(i int) visitURLs {
		u := query(i)
		return visitURLs{returning: base + u.returning, first: base + u.first}
	})
	if err != nil {
		return phase{}, phase{}, err
	}
	defer closeConns(conns)
	if l.Warmup > 0 {
		warm = runPhase(ctx, conns, l.Warmup, 0)
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return warm, phase{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return warm, phase{}, err
		}
		defer pprof.StopCPUProfile()
	}
	measured = runPhase(ctx, conns, l.Duration, l.Requests)
	return warm, measured, ctx.Err()
}

func bareGIF(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store, max-age=0")
	w.Header().Set("Content-Type", "image/gif")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(gif)
}

// writerMetrics are the tracking writer's figures from the app's Prometheus registry.
type writerMetrics struct {
	commits       uint64
	events        float64
	batchBuckets  []bucket
	commitSeconds float64
	failures      float64
	outcomes      map[string]float64
}

type bucket struct {
	le    float64
	count uint64
}

func gatherMetrics(a *app.App) writerMetrics {
	m := writerMetrics{outcomes: map[string]float64{}}
	families, err := a.Registry.Gather()
	if err != nil {
		return m
	}
	for _, f := range families {
		for _, metric := range f.GetMetric() {
			switch f.GetName() {
			case "marketingos_tracking_batch_size":
				h := metric.GetHistogram()
				m.commits, m.events = h.GetSampleCount(), h.GetSampleSum()
				for _, b := range h.GetBucket() {
					m.batchBuckets = append(m.batchBuckets, bucket{b.GetUpperBound(), b.GetCumulativeCount()})
				}
			case "marketingos_tracking_commit_seconds":
				m.commitSeconds = metric.GetHistogram().GetSampleSum()
			case "marketingos_tracking_commit_failures_total":
				m.failures = metric.GetCounter().GetValue()
			case "marketingos_tracking_hits_total":
				for _, l := range metric.GetLabel() {
					if l.GetName() == "outcome" {
						m.outcomes[l.GetValue()] = metric.GetCounter().GetValue()
					}
				}
			}
		}
	}
	return m
}

// batchQuantile is the upper bound of the histogram bucket that holds the q-quantile of batch sizes.
func (m writerMetrics) batchQuantile(q float64) string {
	if m.commits == 0 {
		return "-"
	}
	for _, b := range m.batchBuckets {
		if float64(b.count) >= q*float64(m.commits) {
			return fmt.Sprintf("≤%g", b.le)
		}
	}
	return fmt.Sprintf(">%g", m.batchBuckets[len(m.batchBuckets)-1].le)
}

func report(out io.Writer, s pixelSettings, r runs, warm phase, stored int, m writerMetrics) error {
	bareRuns, srvRuns := r.bare, r.real
	bare, store, srv := merge(r.bare...), merge(r.store...), merge(r.real...)
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "server (all rounds)\treq/s\tp50\tp95\tp99\tmax\tanswers\terrors\tCPU this process\tCPU machine\t")
	for _, r := range []struct {
		name string
		p    phase
	}{{"bare GIF", bare}, {"store-only", store}, {"real (PostgreSQL)", srv}} {
		cpu, machine := "n/a", "n/a"
		if r.p.CPU.OK {
			cpu, machine = fmt.Sprintf("%.2f cores", r.p.CPU.ProcessCores), fmt.Sprintf("%.0f%% busy", 100*r.p.CPU.MachineBusy)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t\n", r.name, r.p.RPS(),
			ms(r.p.Percentile(0.50)), ms(r.p.Percentile(0.95)), ms(r.p.Percentile(0.99)), ms(r.p.Percentile(1)),
			r.p.Answers(), r.p.Errors, cpu, machine)
	}
	_ = tw.Flush()
	fmt.Fprintf(out, "status  bare: %s\n       store: %s\n        real: %s", statusSummary(bare.Status),
		statusSummary(store.Status), statusSummary(srv.Status))
	if len(srv.Dropped) > 0 {
		fmt.Fprintf(out, " (dropped: %v)", srv.Dropped)
	}
	fmt.Fprintln(out)
	for _, p := range []phase{bare, store, srv} {
		if p.FirstError != nil {
			fmt.Fprintf(out, "first error: %v\n", p.FirstError)
		}
	}

	ratios := make([]float64, len(srvRuns))
	for i := range srvRuns {
		if bareRuns[i].RPS() > 0 {
			ratios[i] = srvRuns[i].RPS() / bareRuns[i].RPS()
		}
	}
	slices.Sort(ratios)
	ratio := ratios[len(ratios)/2]
	verdict := "goal met"
	if ratio < ratioGoal {
		verdict = "BELOW the goal"
	}
	fmt.Fprintf(out, "\nratio real/bare: median of the rounds %.2f (rounds %.2f to %.2f; all rounds together %.2f) — goal ≥ %.2f on 2 cores: %s\n",
		ratio, ratios[0], ratios[len(ratios)-1], srv.RPS()/bare.RPS(), ratioGoal, verdict)
	fmt.Fprintf(out, "ceiling store-only/bare (all rounds together): %.2f; real/store-only: %.2f\n",
		store.RPS()/bare.RPS(), srv.RPS()/store.RPS())

	if m.commits > 0 {
		fmt.Fprintf(out, "group commit: %d commits of %.1f events on average (median %s, p99 %s), %.2f ms per commit, %g failed\n",
			m.commits, m.events/float64(m.commits), m.batchQuantile(0.5), m.batchQuantile(0.99),
			1000*m.commitSeconds/float64(m.commits), m.failures)
	}
	if len(m.outcomes) > 0 {
		fmt.Fprintf(out, "tracking outcomes (warm-up included): %v\n", m.outcomes)
	}

	measured := srv.StoredAnswers() + store.StoredAnswers()
	want := measured + warm.StoredAnswers()
	fmt.Fprintf(out, "\ncheck stored events == 2xx answers of the real and store-only servers (warm-ups %d + measured %d, without %s): %d == %d ",
		warm.StoredAnswers(), measured, droppedHeader, stored, want)
	if stored != want || want == 0 {
		fmt.Fprintln(out, "FAILED")
		return errCheckFailed
	}
	fmt.Fprintln(out, "ok")
	fmt.Fprintf(out, "load average at the end: %s\n", loadAverage())
	if s.cpuProfile != "" {
		fmt.Fprintf(out, "CPU profile of the real server's measured phase: %s (go tool pprof -top %s)\n", s.cpuProfile, s.cpuProfile)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

func describeWriter(o tracking.WriterOptions) string {
	def := func(n int) string {
		if n <= 0 {
			return "default"
		}
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("workers=%s max-batch=%s queue=%s", def(o.Workers), def(o.MaxBatch), def(o.QueueSize))
}

// createSchema makes an empty schema on the PostgreSQL at base and returns a DSN whose search_path selects it, the
// server's version, and a function that drops the schema.
func createSchema(ctx context.Context, base string) (dsn, version string, drop func() error, err error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", "", nil, fmt.Errorf("the benchmark needs a postgres:// URL, got %q", redact(base))
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return "", "", nil, err
	}
	defer admin.Close()
	if err := admin.QueryRowContext(ctx, "SHOW server_version").Scan(&version); err != nil {
		return "", "", nil, fmt.Errorf("PostgreSQL at %s: %w", redact(base), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", "", nil, fmt.Errorf("create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema) // lib/pq sends unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	drop = func() error {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return err
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err = admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		return err
	}
	return u.String(), "PostgreSQL " + version, drop, nil
}

func schemaOf(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "?"
	}
	return u.Query().Get("search_path")
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// warnings passes every record to the inner handler and also prints warnings and errors to w, so that a failing
// server is visible even when its request log is discarded.
type warnings struct {
	slog.Handler
	w io.Writer
}

func (h warnings) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		msg := r.Message
		r.Attrs(func(a slog.Attr) bool { msg += " " + a.String(); return true })
		fmt.Fprintf(h.w, "server %s: %s\n", strings.ToLower(r.Level.String()), msg)
	}
	return h.Handler.Handle(ctx, r)
}

func (h warnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnings{h.Handler.WithAttrs(attrs), h.w}
}

func (h warnings) WithGroup(name string) slog.Handler {
	return warnings{h.Handler.WithGroup(name), h.w}
}
