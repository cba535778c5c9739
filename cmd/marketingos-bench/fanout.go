package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/server"
)

// fanoutGoal is the p99 of one delivery, from the answer to the request that stored the event to its arrival at a
// subscriber.
const fanoutGoal = time.Second

// fanoutQuery is what every subscriber asks for (the contract's EventTracked).
const fanoutQuery = `subscription EventTracked { eventTracked { id eventType visitorId source value } }`

type fanoutSettings struct {
	subscribers    int
	rounds         int
	warmup         int
	dialParallel   int
	connectTimeout time.Duration
	roundTimeout   time.Duration
	dbURL          string
	dbURLDefault   bool
	logToStderr    bool
	stdout, stderr io.Writer
}

func cmdFanout(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("fanout", stderr)
	s := fanoutSettings{stdout: stdout, stderr: stderr}
	fs.IntVar(&s.subscribers, "subscribers", 1000, "concurrent WebSocket subscribers of eventTracked, all of one organization")
	fs.IntVar(&s.rounds, "rounds", 20, "measured rounds: one event each, the next once every subscriber received it")
	fs.IntVar(&s.warmup, "warmup", 1, "rounds before measuring (not measured)")
	fs.IntVar(&s.dialParallel, "dial-parallel", 50, "WebSocket connections opened at a time")
	fs.DurationVar(&s.connectTimeout, "connect-timeout", 3*time.Minute, "time allowed to connect and register every subscriber")
	fs.DurationVar(&s.roundTimeout, "round-timeout", 30*time.Second, "time allowed for one event to reach every subscriber")
	fs.StringVar(&s.dbURL, "db", "", "PostgreSQL URL (default $BENCH_DATABASE_URL, else "+defaultDatabaseURL+")")
	fs.BoolVar(&s.logToStderr, "log", false, "write the server's request log to stderr")
	if err := parse(fs, args); err != nil {
		return err
	}
	if s.subscribers < 1 || s.rounds < 1 || s.warmup < 0 || s.dialParallel < 1 || s.connectTimeout <= 0 || s.roundTimeout <= 0 {
		fmt.Fprintln(stderr, "fanout: -subscribers, -rounds, -dial-parallel and the timeouts must be positive, -warmup not negative")
		return errUsage
	}
	if s.dbURL == "" {
		s.dbURL = getenv("BENCH_DATABASE_URL")
	}
	if s.dbURL == "" {
		s.dbURL, s.dbURLDefault = defaultDatabaseURL, true
	}
	return benchFanout(ctx, s)
}

// benchFanout runs the real server (app.New on PostgreSQL, so the PostgreSQL broker) on 127.0.0.1, connects the
// subscribers, and publishes one event per round through POST /api/tracking/event.
func benchFanout(ctx context.Context, s fanoutSettings) (err error) {
	out := s.stdout
	fmt.Fprintf(out, "marketingos-bench fanout: %d WebSocket subscribers of eventTracked (one organization), %d rounds of one event (+%d warm-up)\n",
		s.subscribers, s.rounds, s.warmup)
	fmt.Fprintf(out, "machine: %d CPUs, GOMAXPROCS %d, %s %s/%s, load average %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0),
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
	created, err := account.CreateOrganization(ctx, db.Client, "Fan-out", account.Options{})
	if err != nil {
		return err
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{
			"DATABASE_URL": dsn, "ENV": config.EnvProduction,
			"TRACKING_RATE_PER_IP": "0", "TRACKING_RATE_PER_KEY": "0", "SCHEDULER_ENABLED": "false",
		}[k]
	})
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logOut := io.Discard
	if s.logToStderr {
		logOut = s.stderr
	}
	log := slog.New(warnings{slog.NewJSONHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo}), s.stderr})
	a, err := app.New(ctx, cfg, db, log, app.Options{})
	if err != nil {
		return err
	}
	pg, ok := a.Live.(*live.Postgres)
	if !ok {
		_ = a.Close(context.WithoutCancel(ctx))
		return fmt.Errorf("the server's broker is %T, want the PostgreSQL broker", a.Live)
	}
	broker := pg.Local()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = a.Close(context.WithoutCancel(ctx))
		return err
	}
	base := "http://" + ln.Addr().String()
	serveCtx, stopServe := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- server.Serve(serveCtx, ln, a.Handler, cfg.ShutdownTimeout, log) }()
	defer func() {
		stopServe()
		serveErr := <-served
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err = errors.Join(err, serveErr, a.Close(closeCtx))
	}()
	fmt.Fprintf(out, "server: app.New on PostgreSQL (LISTEN/NOTIFY broker), ENV=production, tracking rate limits off, %s\n", base)

	// The subscribers.
	httpClient := &http.Client{Transport: &http.Transport{
		Proxy: nil, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext, MaxIdleConnsPerHost: 4,
	}}
	defer httpClient.CloseIdleConnections()
	t := newTally(s.subscribers)
	subCtx, stopSubs := context.WithCancel(ctx)
	var readers sync.WaitGroup
	defer readers.Wait() // runs after stopSubs below has ended them, and before the server stops
	defer stopSubs()

	connectStart := time.Now()
	// Each subscriber reads from the moment it is connected: the server pings every 15 s and closes a connection
	// that does not answer.
	connected, refused, err := connectAll(subCtx, s, "ws"+strings.TrimPrefix(base, "http")+"/graphql", created.APIKey, httpClient,
		func(i int, c *websocket.Conn) {
			readers.Add(1)
			go func() {
				defer readers.Done()
				t.read(subCtx, i, c)
			}()
		})
	if err != nil {
		return fmt.Errorf("connect the subscribers (%d of %d connected): %w", connected, s.subscribers, err)
	}
	// The server registers a subscription in a goroutine of its own; its feeds say when all are there.
	for a.Follows.Followers() < s.subscribers {
		if time.Since(connectStart) > s.connectTimeout {
			t.mu.Lock()
			failures := slices.Clone(t.failures[:min(len(t.failures), 3)])
			n := len(t.failures)
			t.mu.Unlock()
			return fmt.Errorf("only %d of %d subscriptions registered after %s (%d subscriber errors, first: %q)",
				a.Follows.Followers(), s.subscribers, s.connectTimeout, n, failures)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	fmt.Fprintf(out, "connected and registered %d subscribers in %s", s.subscribers, time.Since(connectStart).Round(time.Millisecond))
	if refused > 0 {
		fmt.Fprintf(out, "\n  (%d upgrades answered 429, first Retry-After %q, and retried: the GraphQL rate limit counts every\n  WebSocket upgrade, of every organization, in one shared bucket of %d per %s)",
			refused, firstRetryAfter.Load(), server.RateLimitRequests, server.RateLimitWindow)
	}
	fmt.Fprintln(out)

	// The rounds: one event, stored through the tracking endpoint with the API key, then wait for every subscriber.
	var results []roundResult
	var cpuBefore cpuSample
	var poolBefore sql.DBStats
	var measuredStart time.Time
	for r := range s.warmup + s.rounds {
		if r == s.warmup {
			cpuBefore, poolBefore, measuredStart = readCPU(), db.SQL.Stats(), time.Now()
		}
		res, err := runRound(ctx, s, t, httpClient, base, created.APIKey, r)
		if err != nil {
			return err
		}
		if r >= s.warmup {
			results = append(results, res)
		}
	}
	cpu := readCPU().since(cpuBefore, time.Since(measuredStart))
	pool := db.SQL.Stats()
	fmt.Fprintf(out, "\ndatabase pool during the measured rounds (the organization's feed reloads each event once for its subscribers): max open %d, %d waits for a connection, %s waited in all\n",
		pool.MaxOpenConnections, pool.WaitCount-poolBefore.WaitCount, (pool.WaitDuration - poolBefore.WaitDuration).Round(time.Millisecond))
	return fanoutReport(out, s, results, t, broker.Dropped()+a.Follows.Events.Dropped(), cpu)
}

// connectAll opens the subscribers' connections, dialParallel at a time, and hands each to started as soon as it is
// subscribed. An upgrade answered 429 is retried after its Retry-After (the server's own limit), within
// connectTimeout. It returns how many connected and how many upgrades were answered 429.
func connectAll(ctx context.Context, s fanoutSettings, url, apiKey string, hc *http.Client, started func(int, *websocket.Conn)) (int, int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.connectTimeout)
	defer cancel()
	var refused atomic.Int64
	var firstErr error
	connected := 0
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(s.dialParallel, s.subscribers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, err := subscribe(ctx, url, apiKey, hc, &refused)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				if err == nil {
					connected++
					started(i, c)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range s.subscribers {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil && connected < s.subscribers {
		firstErr = ctx.Err()
	}
	return connected, int(refused.Load()), firstErr
}

// firstRetryAfter is the Retry-After of the first upgrade answered 429, for the report.
var firstRetryAfter atomic.Value

// wsMessage is a graphql-transport-ws message.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe connects, authenticates in connection_init and starts the eventTracked subscription.
func subscribe(ctx context.Context, url, apiKey string, hc *http.Client, refused *atomic.Int64) (*websocket.Conn, error) {
	for {
		c, res, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: hc, Subprotocols: []string{"graphql-transport-ws"}})
		if err == nil {
			if err := handshake(ctx, c, apiKey); err != nil {
				c.CloseNow()
				return nil, err
			}
			return c, nil
		}
		if res == nil || res.StatusCode != http.StatusTooManyRequests {
			return nil, err
		}
		if refused.Add(1) == 1 {
			firstRetryAfter.Store(res.Header.Get("Retry-After"))
		}
		wait := time.Second
		if secs, convErr := strconv.Atoi(res.Header.Get("Retry-After")); convErr == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("upgrade refused with 429 until the connect timeout: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
}

func handshake(ctx context.Context, c *websocket.Conn, apiKey string) error {
	c.SetReadLimit(1 << 20)
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + apiKey})
	if err := wsjson.Write(ctx, c, wsMessage{Type: "connection_init", Payload: init}); err != nil {
		return err
	}
	var ack wsMessage
	if err := wsjson.Read(ctx, c, &ack); err != nil {
		return fmt.Errorf("connection_init: %w", err)
	}
	if ack.Type != "connection_ack" {
		return fmt.Errorf("connection_init answered %s %s", ack.Type, ack.Payload)
	}
	payload, _ := json.Marshal(map[string]any{"query": fanoutQuery})
	return wsjson.Write(ctx, c, wsMessage{ID: "1", Type: "subscribe", Payload: payload})
}

// tally collects every subscriber's receipts, by event id.
type tally struct {
	n          int
	mu         sync.Mutex
	at         map[string][]time.Time
	seen       map[string]map[int]bool
	duplicates int
	failures   []string
	want       string
	done       chan struct{}
}

func newTally(n int) *tally {
	return &tally{n: n, at: map[string][]time.Time{}, seen: map[string]map[int]bool{}}
}

// read receives subscriber i's messages until ctx ends, answering pings.
func (t *tally) read(ctx context.Context, i int, c *websocket.Conn) {
	defer c.CloseNow()
	for {
		var m wsMessage
		err := wsjson.Read(ctx, c, &m)
		at := time.Now()
		if err != nil {
			if ctx.Err() == nil {
				t.fail(fmt.Sprintf("subscriber %d: %v", i, err))
			}
			return
		}
		switch m.Type {
		case "ping":
			_ = wsjson.Write(ctx, c, wsMessage{Type: "pong"})
		case "pong":
		case "next":
			var p struct {
				Data struct {
					EventTracked struct{ ID string }
				}
				Errors []json.RawMessage
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 || p.Data.EventTracked.ID == "" {
				t.fail(fmt.Sprintf("subscriber %d: bad payload %s", i, m.Payload))
				continue
			}
			t.add(i, p.Data.EventTracked.ID, at)
		default:
			t.fail(fmt.Sprintf("subscriber %d: %s %s", i, m.Type, m.Payload))
			return
		}
	}
}

func (t *tally) fail(msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures = append(t.failures, msg)
}

func (t *tally) add(i int, id string, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen[id] == nil {
		t.seen[id] = map[int]bool{}
	}
	if t.seen[id][i] {
		t.duplicates++
		return
	}
	t.seen[id][i] = true
	t.at[id] = append(t.at[id], at)
	if id == t.want && len(t.at[id]) == t.n {
		close(t.done)
	}
}

// await returns a channel closed once every subscriber has received id (perhaps already).
func (t *tally) await(id string) <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.want, t.done = id, make(chan struct{})
	if len(t.at[id]) >= t.n {
		close(t.done)
	}
	return t.done
}

func (t *tally) receipts(id string) []time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.at[id])
}

type roundResult struct {
	sent, answered time.Time
	latencies      []time.Duration // answer → receipt, one per subscriber that received it
	early          int             // receipts before the client had read the answer (counted as 0)
	missing        int
	lastArrival    time.Duration // answer → the last subscriber's receipt
}

func runRound(ctx context.Context, s fanoutSettings, t *tally, hc *http.Client, base, apiKey string, r int) (roundResult, error) {
	body := fmt.Sprintf(`{"eventType":"page_view","visitorId":"fanout-%d","source":"fanout-bench"}`, r)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/tracking/event", strings.NewReader(body))
	if err != nil {
		return roundResult{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+apiKey)
	res := roundResult{sent: time.Now()}
	answer, err := hc.Do(req)
	if err != nil {
		return res, fmt.Errorf("round %d: POST /api/tracking/event: %w", r, err)
	}
	var out struct {
		EventID string `json:"eventId"`
	}
	decodeErr := json.NewDecoder(answer.Body).Decode(&out)
	answer.Body.Close()
	res.answered = time.Now()
	if answer.StatusCode != http.StatusAccepted || decodeErr != nil || out.EventID == "" {
		return res, fmt.Errorf("round %d: POST /api/tracking/event answered %d (event id %q, %v)", r, answer.StatusCode, out.EventID, decodeErr)
	}
	select {
	case <-t.await(out.EventID):
	case <-time.After(s.roundTimeout):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	for _, at := range t.receipts(out.EventID) {
		l := at.Sub(res.answered)
		if l < 0 {
			res.early++
			l = 0
		}
		res.latencies = append(res.latencies, l)
		res.lastArrival = max(res.lastArrival, l)
	}
	res.missing = s.subscribers - len(res.latencies)
	return res, nil
}

func fanoutReport(out io.Writer, s fanoutSettings, rounds []roundResult, t *tally, dropped int64, cpu cpuUsage) error {
	var all, lasts, posts []time.Duration
	early, missing := 0, 0
	for _, r := range rounds {
		all = append(all, r.latencies...)
		lasts = append(lasts, r.lastArrival)
		posts = append(posts, r.answered.Sub(r.sent))
		early += r.early
		missing += r.missing
	}
	slices.Sort(all)
	slices.Sort(lasts)
	slices.Sort(posts)
	q := func(d []time.Duration, p float64) string {
		if len(d) == 0 {
			return "-"
		}
		return ms(d[min(len(d)-1, int(p*float64(len(d))))])
	}
	fmt.Fprintf(out, "\nper delivery, from the POST's 202 to receipt at a subscriber (%d deliveries = %d rounds × %d subscribers):\n",
		len(all), len(rounds), s.subscribers)
	fmt.Fprintf(out, "  p50 %s   p90 %s   p99 %s   max %s\n", q(all, 0.50), q(all, 0.90), q(all, 0.99), q(all, 1))
	fmt.Fprintf(out, "per round, until the last of %d subscribers had it: p50 %s   max %s\n", s.subscribers, q(lasts, 0.5), q(lasts, 1))
	fmt.Fprintf(out, "POST /api/tracking/event (store + publish): p50 %s   max %s\n", q(posts, 0.5), q(posts, 1))
	if early > 0 {
		fmt.Fprintf(out, "%d deliveries arrived before the client had read the 202 (counted as 0 ms)\n", early)
	}
	if cpu.OK {
		fmt.Fprintf(out, "CPU during the measured rounds: this process (server + %d clients) %.2f cores, machine %.0f%% busy\n",
			s.subscribers, cpu.ProcessCores, 100*cpu.MachineBusy)
	}

	t.mu.Lock()
	failures, duplicates := slices.Clone(t.failures), t.duplicates
	t.mu.Unlock()
	fmt.Fprintf(out, "\ndelivered %d of %d, duplicates %d, drops (broker and feed) %d, subscriber errors %d\n",
		len(all), len(rounds)*s.subscribers, duplicates, dropped, len(failures))
	for _, f := range failures[:min(len(failures), 5)] {
		fmt.Fprintf(out, "  %s\n", f)
	}
	verdict := "met"
	if len(all) == 0 || all[min(len(all)-1, int(0.99*float64(len(all))))] > fanoutGoal {
		verdict = "MISSED"
	}
	fmt.Fprintf(out, "goal p99 ≤ %s: %s\n", fanoutGoal, verdict)
	fmt.Fprintf(out, "load average at the end: %s\n", loadAverage())
	if missing > 0 || duplicates > 0 || len(failures) > 0 {
		fmt.Fprintln(out, "check every subscriber received every event exactly once: FAILED")
		return errCheckFailed
	}
	fmt.Fprintln(out, "check every subscriber received every event exactly once: ok")
	return nil
}
