package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/dashboard"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/store"
)

// liveLatencyGoal is how soon a subscriber on any instance hears of a change, counted from the answer to the request
// that made it.
const liveLatencyGoal = time.Second

// liveNext is one "next" message of a subscription, stamped when it was read.
type liveNext struct {
	at   time.Time
	data json.RawMessage
	err  string // GraphQL errors of the payload, or why the subscription ended
}

// liveSub is one subscription on a WebSocket of its own, read from the moment it is registered by a goroutine that
// stamps each message on arrival, so that latencies do not depend on when the test gets round to reading.
type liveSub struct {
	name string
	got  chan liveNext // closed when the subscription or its connection ends
	dash liveDashboard // the last dashboard read from got
}

// liveSubscribe opens a WebSocket to env with apiKey and starts op on it; it is closed when the test ends. The server
// resolves a subscription in a goroutine of its own, so nothing the client receives proves it registered: callers
// wait for the broker's subscriber count (waitFor) before changing anything.
func liveSubscribe(t *testing.T, env *apitest.Env, name, apiKey, op string, vars map[string]any) *liveSub {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dialCtx, cancelDial := context.WithTimeout(ctx, 10*time.Second)
	defer cancelDial()
	ws, err := env.DialWS(dialCtx, apiKey)
	if err != nil {
		cancel()
		t.Fatalf("%s: dial: %v", name, err)
	}
	id, err := ws.Subscribe(dialCtx, op, vars)
	if err != nil {
		cancel()
		t.Fatalf("%s: subscribe: %v", name, err)
	}

	s := &liveSub{name: name, got: make(chan liveNext, 4096)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(s.got)
		for {
			msg, err := ws.Read(ctx)
			at := time.Now()
			if err != nil {
				if ctx.Err() == nil {
					s.got <- liveNext{at: at, err: "read: " + err.Error()}
				}
				return
			}
			if msg.ID != id {
				continue
			}
			if msg.Type != "next" {
				s.got <- liveNext{at: at, err: msg.Type + " " + string(msg.Payload)}
				return
			}
			var res struct {
				Data   json.RawMessage
				Errors []apitest.Error
			}
			n := liveNext{at: at}
			if err := json.Unmarshal(msg.Payload, &res); err != nil {
				n.err = err.Error()
			} else if len(res.Errors) > 0 {
				n.err = fmt.Sprintf("%+v", res.Errors)
			}
			n.data = res.Data
			s.got <- n
		}
	}()
	t.Cleanup(func() {
		cancel()
		_ = ws.Close()
		<-done
	})
	return s
}

// waitFor polls cond until it holds, or fails after within.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// subscribed waits until the app has follows subscribers of eventTracked, campaignUpdated and contentUpdated, and
// its hub feeds dashboard feeds.
func subscribed(t *testing.T, a *app.App, follows, feeds int) {
	t.Helper()
	waitFor(t, 10*time.Second, fmt.Sprintf("%d followers and %d dashboard feeds", follows, feeds), func() bool {
		return a.Follows.Followers() == follows && a.Dashboards.Feeds() == feeds
	})
}

// next waits for the subscription's next message.
func (s *liveSub) next(t *testing.T, within time.Duration) (liveNext, bool) {
	t.Helper()
	select {
	case n, ok := <-s.got:
		if !ok {
			t.Fatalf("%s: subscription ended", s.name)
		}
		if n.err != "" {
			t.Fatalf("%s: %s", s.name, n.err)
		}
		return n, true
	case <-time.After(within):
		return liveNext{}, false
	}
}

// must waits for the next message or fails.
func (s *liveSub) must(t *testing.T, within time.Duration, v any) liveNext {
	t.Helper()
	n, ok := s.next(t, within)
	if !ok {
		t.Fatalf("%s: no message within %s", s.name, within)
	}
	if err := json.Unmarshal(n.data, v); err != nil {
		t.Fatalf("%s: %s: %v", s.name, n.data, err)
	}
	return n
}

// pending returns the messages already received and not yet read.
func (s *liveSub) pending() []liveNext {
	var out []liveNext
	for {
		select {
		case n, ok := <-s.got:
			if !ok {
				return out
			}
			out = append(out, n)
		default:
			return out
		}
	}
}

type liveEvent struct {
	EventTracked struct {
		ID, EventType, VisitorID string
		Source                   *string
		Value                    *float64
	}
}

// liveDashboard is the contract's DashboardUpdated selection; the same fields read by the Dashboard query.
type liveDashboard struct {
	Revenue     float64
	Conversions float64
	Visitors    int
}

func (s *liveSub) dashboard(t *testing.T, n liveNext) liveDashboard {
	t.Helper()
	var d struct{ DashboardUpdated liveDashboard }
	if err := json.Unmarshal(n.data, &d); err != nil {
		t.Fatalf("%s: %s: %v", s.name, n.data, err)
	}
	s.dash = d.DashboardUpdated
	return d.DashboardUpdated
}

// queryDashboard reads the organization's dashboard (default range) over HTTP.
func queryDashboard(t *testing.T, env *apitest.Env, apiKey string) liveDashboard {
	t.Helper()
	var got struct{ Dashboard liveDashboard }
	env.GraphQL(t, apiKey, `{ dashboard { revenue conversions visitors } }`, nil).Decode(t, &got)
	return got.Dashboard
}

// firstDashboard reads each sub's first message, the dashboard as it was when the sub's feed started, and returns
// the time of the last one read.
func firstDashboard(t *testing.T, subs ...*liveSub) time.Time {
	t.Helper()
	var last time.Time
	for _, s := range subs {
		n, ok := s.next(t, 5*time.Second)
		if !ok {
			t.Fatalf("%s: no first dashboard", s.name)
		}
		s.dashboard(t, n)
		last = later(last, n.at)
	}
	return last
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// settleDashboard reads pushes until the last one of each sub shows want; it returns the time of the last push read
// and the pushes read.
func settleDashboard(t *testing.T, want liveDashboard, within time.Duration, subs ...*liveSub) (last time.Time, pushes map[*liveSub][]liveNext) {
	t.Helper()
	pushes = map[*liveSub][]liveNext{}
	deadline := time.Now().Add(within)
	for _, s := range subs {
		for s.dash != want {
			n, ok := s.next(t, time.Until(deadline))
			if !ok {
				t.Fatalf("%s: no push shows %+v within %s; last push %+v", s.name, want, within, s.dash)
			}
			s.dashboard(t, n)
			pushes[s] = append(pushes[s], n)
			last = later(last, n.at)
		}
	}
	return last, pushes
}

// secondInstance starts another server process's worth of MarketingOS on first's database: its own connection
// pool (store.Open), its own app.New (so its own broker, PostgreSQL listener and dashboard hub) and its own HTTP
// server. Only what the two share is the database, as with two servers behind a load balancer.
func secondInstance(t *testing.T, first *apitest.Env) *apitest.Env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, first.Source.Driver, first.Source.DSN)
	if err != nil {
		t.Fatalf("second instance: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, first.Config, db, log, app.Options{})
	if err != nil {
		_ = db.Close()
		t.Fatalf("second instance: %v", err)
	}
	ts := httptest.NewServer(a.Handler)
	t.Cleanup(func() {
		ts.Close()
		closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.Close(closeCtx); err != nil {
			t.Errorf("second instance: close: %v", err)
		}
		_ = db.Close()
	})
	return &apitest.Env{DB: db, Source: first.Source, Config: first.Config, Server: ts, App: a}
}

// localBroker is the in-process part of an app's broker, whose subscribers are this instance's subscriptions.
func localBroker(t *testing.T, a *app.App) *live.Local {
	t.Helper()
	switch b := a.Live.(type) {
	case *live.Local:
		return b
	case *live.Postgres:
		return b.Local()
	default:
		t.Fatalf("unknown broker %T", a.Live)
		return nil
	}
}

// TestLiveAcrossInstances: two servers on one PostgreSQL, in-process (each with its own pool, app.New, broker and
// LISTEN connection). A purchase posted to the first reaches eventTracked and dashboardUpdated subscribers on the
// second within a second of its answer; another organization's subscribers, on either instance, hear nothing of it.
func TestLiveAcrossInstances(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip(dbtest.EnvURL + " is not set: two instances need PostgreSQL (SQLite serves one instance)")
	}
	one := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	two := secondInstance(t, one)
	if _, ok := one.App.Live.(*live.Postgres); !ok {
		t.Fatalf("broker on PostgreSQL is %T, want *live.Postgres", one.App.Live)
	}
	a, b := one.NewOrg(t, "A"), one.NewOrg(t, "B")

	aEvents := liveSubscribe(t, two, "A eventTracked on two", a.APIKey, contractOp(t, "EventTracked"), nil)
	aDash := liveSubscribe(t, two, "A dashboardUpdated on two", a.APIKey, contractOp(t, "DashboardUpdated"), nil)
	bSubs := map[string]*liveSub{}
	for name, env := range map[string]*apitest.Env{"one": one, "two": two} {
		bSubs["events "+name] = liveSubscribe(t, env, "B eventTracked on "+name, b.APIKey, contractOp(t, "EventTracked"), nil)
		bSubs["dashboard "+name] = liveSubscribe(t, env, "B dashboardUpdated on "+name, b.APIKey, contractOp(t, "DashboardUpdated"), nil)
	}
	subscribed(t, two.App, 2, 2) // A's and B's eventTracked, and A's and B's dashboard feeds
	subscribed(t, one.App, 1, 1) // B's eventTracked and B's dashboard feed

	// Every dashboard subscription starts with its organization's current dashboard: nothing yet.
	firstDashboard(t, aDash, bSubs["dashboard one"], bSubs["dashboard two"])
	for _, s := range []*liveSub{aDash, bSubs["dashboard one"], bSubs["dashboard two"]} {
		if s.dash != (liveDashboard{}) {
			t.Errorf("%s: first dashboard %+v, want an empty one", s.name, s.dash)
		}
	}
	// A page view of A on instance one reaches both of A's subscriptions on two.
	hitPixel(t, one, url.Values{"k": {a.TrackingKey}, "vid": {"va-0"}, "utm_source": {"google"}}, browserUA, nil)
	lastPush, _ := settleDashboard(t, queryDashboard(t, one, a.APIKey), 5*time.Second, aDash)
	var view liveEvent
	aEvents.must(t, 5*time.Second, &view)
	if view.EventTracked.EventType != "page_view" || view.EventTracked.VisitorID != "va-0" {
		t.Fatalf("A's event subscriber on two got %+v, want the page view of va-0", view.EventTracked)
	}
	// Wait out the dashboard's throttle (one push per MinInterval) so that the purchase is timed, not the throttle.
	time.Sleep(time.Until(lastPush.Add(dashboard.MinInterval)))

	purchase := checkoutCompleted("evt_live_two_instances", time.Now(), 99700,
		map[string]string{"tracking_key": a.TrackingKey, "visitor_id": "va-0"})
	if status := postStripe(t, one, purchase, sign(purchase, stripeSecret, time.Now())); status != http.StatusOK {
		t.Fatalf("stripe purchase on instance one: status %d", status)
	}
	answered := time.Now()

	var ev liveEvent
	got := aEvents.must(t, 5*time.Second, &ev)
	if ev.EventTracked.EventType != "purchase" || ev.EventTracked.VisitorID != "va-0" || ev.EventTracked.Value == nil || *ev.EventTracked.Value != 997 {
		t.Errorf("eventTracked on two = %+v, want the 997.00 purchase of va-0", ev.EventTracked)
	}
	eventLatency := got.at.Sub(answered)
	push, ok := aDash.next(t, 5*time.Second)
	if !ok {
		t.Fatal("dashboardUpdated on two: no push after the purchase")
	}
	d := aDash.dashboard(t, push)
	if d.Revenue != 997 || d.Conversions != 1 {
		t.Errorf("dashboardUpdated on two = %+v, want revenue 997 and 1 conversion", d)
	}
	dashLatency := push.at.Sub(answered)
	t.Logf("purchase answered by instance one → eventTracked on two after %s, dashboardUpdated after %s",
		eventLatency.Round(time.Microsecond), dashLatency.Round(time.Microsecond))
	for what, l := range map[string]time.Duration{"eventTracked": eventLatency, "dashboardUpdated": dashLatency} {
		if l >= liveLatencyGoal {
			t.Errorf("%s reached instance two %s after the purchase was answered, want < %s", what, l, liveLatencyGoal)
		}
	}

	// B has heard nothing of A, on either instance. Then B's own page view, on instance two: it is the first thing
	// every B subscription receives, whichever instance it is on (A's messages were relayed before it).
	for name, s := range bSubs {
		if p := s.pending(); len(p) > 0 {
			t.Errorf("B's %s received %d messages of A's changes: %s", name, len(p), p[0].data)
		}
	}
	hitPixel(t, two, url.Values{"k": {b.TrackingKey}, "vid": {"vb-0"}, "utm_source": {"bing"}}, browserUA, nil)
	for _, name := range []string{"events one", "events two"} {
		var ev liveEvent
		bSubs[name].must(t, 5*time.Second, &ev)
		if ev.EventTracked.VisitorID != "vb-0" || ev.EventTracked.EventType != "page_view" {
			t.Errorf("B's %s: first message %+v, want B's own page view of vb-0", name, ev.EventTracked)
		}
	}
	// Nor did any later push of B's show A's purchase.
	want := queryDashboard(t, two, b.APIKey)
	if want != (liveDashboard{Visitors: 1}) {
		t.Errorf("B's dashboard = %+v, want 1 visitor and no revenue", want)
	}
	_, pushes := settleDashboard(t, want, 5*time.Second, bSubs["dashboard one"], bSubs["dashboard two"])
	for s, ps := range pushes {
		for _, p := range ps {
			if d := s.dashboard(t, p); d.Revenue != 0 || d.Conversions != 0 || d.Visitors > 1 {
				t.Errorf("%s pushed %+v, which is not B's", s.name, d)
			}
		}
	}
}

// TestLiveDashboardBurst: 10,000 events in a burst (pixel hits from 64 concurrent clients, with 1% purchases by API
// key) cost each dashboard subscriber a handful of pushes, about one a second, and the last push equals the
// dashboard queried after the burst.
func TestLiveDashboardBurst(t *testing.T) {
	const (
		events    = 10_000
		workers   = 64
		visitors  = 2000
		purchases = 100 // every 100th event
	)
	env := apitest.New(t, apitest.WithEnv("TRACKING_RATE_PER_IP", "0"), apitest.WithEnv("TRACKING_RATE_PER_KEY", "0"))
	org := env.NewOrg(t, "Burst")
	subs := make([]*liveSub, 3)
	for i := range subs {
		subs[i] = liveSubscribe(t, env, fmt.Sprintf("dashboardUpdated #%d", i), org.APIKey, contractOp(t, "DashboardUpdated"), nil)
	}
	subscribed(t, env.App, 0, 1) // one feed for the three
	firstDashboard(t, subs...)   // the feed runs: every change from here is pushed

	// Keep-alive connections for the load (the test server's client keeps two per host).
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var failures atomic.Int64
	var firstFailure sync.Once
	fail := func(format string, args ...any) {
		failures.Add(1)
		firstFailure.Do(func() { t.Errorf(format, args...) })
	}
	send := func(i int) {
		vid := fmt.Sprintf("burst-%d", i%visitors)
		var req *http.Request
		if i%100 == 99 {
			body := fmt.Sprintf(`{"eventType":"purchase","visitorId":%q,"value":%d,"currency":"USD","idempotencyKey":"burst-%d"}`, vid, 10+i%7, i)
			req, _ = http.NewRequest(http.MethodPost, env.Server.URL+"/api/tracking/event", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+org.APIKey)
		} else {
			q := url.Values{"k": {org.TrackingKey}, "vid": {vid}, "utm_source": {[]string{"google", "facebook", "newsletter"}[i%3]}}
			req, _ = http.NewRequest(http.MethodGet, env.Server.URL+"/api/tracking/pixel.gif?"+q.Encode(), nil)
		}
		req.Header.Set("User-Agent", browserUA)
		res, err := client.Do(req)
		if err != nil {
			fail("event %d: %v", i, err)
			return
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode/100 != 2 || res.Header.Get("X-MarketingOS-Dropped") != "" {
			fail("event %d: status %d, dropped %q", i, res.StatusCode, res.Header.Get("X-MarketingOS-Dropped"))
		}
	}
	var wantRevenue float64
	visited := map[int]bool{} // visitors with a page view (a purchase alone is a conversion, not a visit)
	for i := range events {
		if i%100 == 99 {
			wantRevenue += float64(10 + i%7)
		} else {
			visited[i%visitors] = true
		}
	}

	start := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				send(i)
			}
		}()
	}
	for i := range events {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	burst := time.Since(start)
	if failures.Load() > 0 {
		t.Fatalf("%d of %d events failed", failures.Load(), events)
	}

	final := queryDashboard(t, env, org.APIKey)
	want := liveDashboard{Revenue: wantRevenue, Conversions: purchases, Visitors: len(visited)}
	if final != want {
		t.Errorf("dashboard after the burst = %+v, want %+v (every answered event counted)", final, want)
	}
	_, pushes := settleDashboard(t, final, 10*time.Second, subs...)
	// Nothing follows the final state (waiting two throttle intervals for a push that must not come).
	time.Sleep(2 * dashboard.MinInterval)
	most := int(math.Ceil(burst.Seconds())) + 2
	for _, s := range subs {
		if extra := s.pending(); len(extra) > 0 {
			t.Errorf("%s: %d pushes after the final state, first %s", s.name, len(extra), extra[0].data)
		}
		n := len(pushes[s])
		t.Logf("%s: %d pushes for %d events in %s (last %.0fms after the burst)", s.name, n, events,
			burst.Round(time.Millisecond), float64(pushes[s][n-1].at.Sub(start.Add(burst)))/float64(time.Millisecond))
		if n > most {
			t.Errorf("%s: %d pushes during a %s burst, want ≤ %d (⌈seconds⌉+2)", s.name, n, burst, most)
		}
	}
}

// TestLiveNoLeaks: 100 clients connect, subscribe to every subscription, receive an event and disconnect; then the
// broker has no subscribers, the hub no feeds, and no goroutine is left over.
func TestLiveNoLeaks(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Leaks")
	broker, hub := localBroker(t, env.App), env.App.Dashboards
	ops := []string{"EventTracked", "CampaignUpdated", "ContentUpdated", "DashboardUpdated"}

	drained := func(what string) {
		t.Helper()
		waitFor(t, 10*time.Second, what+": no broker subscriber and no feed left", func() bool {
			return broker.Subscribers() == 0 && hub.Feeds() == 0 && env.App.Follows.Followers() == 0
		})
	}
	cycle := func(i int) {
		drained(fmt.Sprintf("before cycle %d", i))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ws, err := env.DialWS(ctx, org.APIKey)
		if err != nil {
			t.Fatalf("cycle %d: dial: %v", i, err)
		}
		defer ws.Close()
		ids := map[string]string{}
		for _, op := range ops {
			if ids[op], err = ws.Subscribe(ctx, contractOp(t, op), nil); err != nil {
				t.Fatalf("cycle %d: subscribe %s: %v", i, op, err)
			}
		}
		subscribed(t, env.App, 3, 1) // three followers and the dashboard feed
		// Deliver something, so that the subscriptions are busy (the feed is throttling) when the client leaves.
		hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {fmt.Sprintf("leak-%d", i)}}, browserUA, nil)
		for {
			msg, err := ws.Read(ctx)
			if err != nil {
				t.Fatalf("cycle %d: waiting for eventTracked: %v", i, err)
			}
			if msg.ID == ids["EventTracked"] && msg.Type == "next" {
				break
			}
		}
	}
	cycle(0) // the server's long-lived goroutines (pools, keep-alive connections) start here
	drained("after the first client left")
	ignore := goleak.IgnoreCurrent()
	before := runtime.NumGoroutine()

	start := time.Now()
	for i := 1; i <= 100; i++ {
		cycle(i)
	}
	took := time.Since(start)
	drained("after 100 clients left")
	stopped := make(chan struct{})
	go func() { hub.Wait(); env.App.Follows.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("dashboard or follow feeds still running after their subscribers left")
	}
	goleak.VerifyNone(t, ignore)
	after := runtime.NumGoroutine()
	t.Logf("100 connect/subscribe×4/receive/disconnect cycles in %s; goroutines %d before, %d after", took.Round(time.Millisecond), before, after)
	if after > before {
		t.Errorf("%d goroutines after the cycles, %d before", after, before)
	}
}
