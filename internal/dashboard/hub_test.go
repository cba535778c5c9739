package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

// orgReads counts the reads of the organizations table: every computation starts with one (Hub.compute loads the
// organization for its time zone and currency), so they time the hub's computations.
type orgReads struct {
	dialect.Driver
	queries atomic.Int64 // all of them
	fail    atomic.Int32 // how many of the next reads of organizations fail, as when the database blinks
	mu      sync.Mutex
	at      []time.Time
}

func (d *orgReads) Query(ctx context.Context, query string, args, v any) error {
	defer d.queries.Add(1) // once it returned
	if strings.Contains(query, `FROM "organizations"`) || strings.Contains(query, "FROM `organizations`") {
		d.mu.Lock()
		d.at = append(d.at, time.Now())
		d.mu.Unlock()
		if d.fail.Add(-1) >= 0 {
			return errors.New("the database blinked")
		}
	}
	return d.Driver.Query(ctx, query, args, v)
}

// since returns the reads at or after t.
func (d *orgReads) since(t time.Time) []time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []time.Time
	for _, at := range d.at {
		if !at.Before(t) {
			out = append(out, at)
		}
	}
	return out
}

func (d *orgReads) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.at)
}

type hubFixture struct {
	db     *store.DB
	reads  *orgReads
	broker *live.Local
	hub    *Hub
}

// newHubFixture is a hub on a fresh test database whose computations are counted, fed by a local broker the test
// publishes to directly.
func newHubFixture(t *testing.T, interval time.Duration) *hubFixture {
	t.Helper()
	db, _ := dbtest.Open(t)
	reads := &orgReads{Driver: entsql.OpenDB(db.Dialect, db.SQL)}
	broker := live.NewLocal()
	hub := NewHub(ent.NewClient(ent.Driver(reads)), broker, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hub.interval = interval // the package's own test may shorten the throttle; production keeps MinInterval
	return &hubFixture{db: db, reads: reads, broker: broker, hub: hub}
}

func (f *hubFixture) newOrg(t *testing.T, name string) *ent.Organization {
	t.Helper()
	c, err := account.CreateOrganization(context.Background(), f.db.Client, name, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Organization
}

// visit stores a page view of a new visitor (through the unwatched client) and tells the broker, as the tracking
// writer does after its commit.
func (f *hubFixture) visit(t testing.TB, orgID, visitor string) {
	t.Helper()
	ctx := viewer.ForOrganization(context.Background(), orgID)
	e, err := f.db.Client.AttributionEvent.Create().
		SetOrganizationID(orgID).SetVisitorID(visitor).SetEventType("page_view").SetSource("google").
		Save(ctx)
	if err != nil {
		t.Errorf("store event: %v", err)
		return
	}
	f.broker.Publish(ctx, live.Message{OrgID: orgID, Topic: live.Events, IDs: []string{e.ID}})
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// nextDashboard waits for the next push on ch.
func nextDashboard(ch <-chan *Dashboard, within time.Duration) (*Dashboard, bool) {
	select {
	case d, ok := <-ch:
		return d, ok
	case <-time.After(within):
		return nil, false
	}
}

// initial reads the first dashboard of each watcher, the current one, and fails unless all of them got the very
// same dashboard: one computation for the feed they share.
func initial(t *testing.T, watchers ...<-chan *Dashboard) *Dashboard {
	t.Helper()
	var first *Dashboard
	for i, ch := range watchers {
		d, ok := nextDashboard(ch, 5*time.Second)
		if !ok || (first != nil && d != first) {
			t.Fatalf("watcher %d: first dashboard %p, want the feed's current one (%p)", i, d, first)
		}
		first = d
	}
	return first
}

// TestHubSharesOneFeedPerKey: the watchers of one organization and range share one feed (one broker subscription,
// one computation per change, the same dashboard handed to all); a feed stops when its last watcher leaves.
func TestHubSharesOneFeedPerKey(t *testing.T) {
	f := newHubFixture(t, 20*time.Millisecond)
	org, other := f.newOrg(t, "Acme"), f.newOrg(t, "Other")
	from, to := time.Now().Add(-24*time.Hour), time.Now().Add(24*time.Hour)

	type watcher struct {
		ch     <-chan *Dashboard
		cancel context.CancelFunc
	}
	watch := func(orgID string, from, to *time.Time) watcher {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		return watcher{f.hub.Watch(ctx, orgID, from, to), cancel}
	}
	var moving, ranged []watcher
	for range 50 {
		moving = append(moving, watch(org.ID, nil, nil))
	}
	for range 5 {
		ranged = append(ranged, watch(org.ID, &from, &to))
	}
	// Equal instants in other time zones are the same key.
	fromElsewhere, toElsewhere := from.In(time.FixedZone("X", 5*3600)), to.In(time.FixedZone("Y", -7*3600))
	ranged = append(ranged, watch(org.ID, &fromElsewhere, &toElsewhere))
	stranger := watch(other.ID, nil, nil)

	if got := f.hub.Feeds(); got != 3 {
		t.Fatalf("Feeds() = %d for 57 watchers of 3 keys, want 3", got)
	}
	eventually(t, 5*time.Second, "each feed subscribes to the broker once", func() bool { return f.broker.Subscribers() == 3 })
	// Each watcher starts with its feed's current dashboard, computed once per feed.
	chans := func(ws ...watcher) []<-chan *Dashboard {
		var out []<-chan *Dashboard
		for _, w := range ws {
			out = append(out, w.ch)
		}
		return out
	}
	if d := initial(t, chans(moving...)...); d.Visitors != 0 {
		t.Errorf("first dashboard of an organization without events has %d visitors", d.Visitors)
	}
	initial(t, chans(ranged...)...)
	initial(t, stranger.ch)
	if n := f.reads.count(); n != 3 {
		t.Errorf("%d computations for the first dashboards of 3 feeds (57 watchers), want 3", n)
	}
	before := f.reads.count()

	f.visit(t, org.ID, "v1")
	first, ok := nextDashboard(moving[0].ch, 5*time.Second)
	if !ok {
		t.Fatal("no dashboard pushed after a visit")
	}
	for i, w := range moving[1:] {
		d, ok := nextDashboard(w.ch, 5*time.Second)
		if !ok || d != first {
			t.Fatalf("watcher %d got %p, want the very dashboard watcher 0 got (%p): one computation per feed", i+1, d, first)
		}
	}
	if first.Visitors < 1 {
		t.Errorf("pushed dashboard has %d visitors, want ≥ 1", first.Visitors)
	}
	// The ranged feed (two ways of writing the same range) computed once for its six watchers.
	var rangedFirst *Dashboard
	for i, w := range ranged {
		d, ok := nextDashboard(w.ch, 5*time.Second)
		if !ok || d.Visitors != 1 || (rangedFirst != nil && d != rangedFirst) {
			t.Fatalf("ranged watcher %d got %+v, want the ranged feed's one dashboard with the visit", i, d)
		}
		rangedFirst = d
	}
	// Computations (each reads the organization once): one per feed that heard of the visit, not one per watcher.
	if n := f.reads.count() - before; n != 2 {
		t.Errorf("%d computations for one visit watched by 2 feeds of 56 watchers, want 2", n)
	}
	select {
	case d := <-stranger.ch:
		t.Errorf("another organization's watcher received %+v", d)
	default:
	}

	// Leaving: the feed runs while one watcher remains, and stops with the last.
	for _, w := range moving[:len(moving)-1] {
		w.cancel()
	}
	for _, w := range moving[:len(moving)-1] {
		for range w.ch { // closed once its context ended
		}
	}
	if got := f.hub.Feeds(); got != 3 {
		t.Errorf("Feeds() = %d while each key keeps a watcher, want 3", got)
	}
	moving[len(moving)-1].cancel()
	for _, w := range ranged {
		w.cancel()
	}
	stranger.cancel()
	eventually(t, 5*time.Second, "every feed stops after its last watcher left", func() bool { return f.hub.Feeds() == 0 })
	stopped := make(chan struct{})
	go func() { f.hub.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Hub.Wait: feed goroutines still running after every watcher left")
	}
	if got := f.broker.Subscribers(); got != 0 {
		t.Errorf("broker still has %d subscribers after every feed stopped", got)
	}
	for _, w := range append(ranged, stranger, moving[len(moving)-1]) {
		for range w.ch {
		}
	}
}

// TestHubStartsWithTheCurrentDashboard: a watcher's first dashboard is the current one, without any change; one who
// joins a running feed gets the feed's latest at once, without a computation; and a change committed while a feed
// starts is never lost: the watcher ends on the current state whichever came first.
func TestHubStartsWithTheCurrentDashboard(t *testing.T) {
	f := newHubFixture(t, 20*time.Millisecond)
	org := f.newOrg(t, "Acme")
	f.visit(t, org.ID, "before")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	first := initial(t, f.hub.Watch(ctx, org.ID, nil, nil))
	want, err := f.current(org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !same(first, want) || first.Visitors != 1 {
		t.Fatalf("first dashboard %+v, want the current one %+v (1 visitor)", first, want)
	}
	n := f.reads.count()
	if late := initial(t, f.hub.Watch(ctx, org.ID, nil, nil)); late != first {
		t.Errorf("a watcher joining the running feed got %p, want its latest dashboard %p", late, first)
	}
	if got := f.reads.count(); got != n {
		t.Errorf("%d computations for a watcher joining a running feed, want none", got-n)
	}

	// A first computation that fails is tried again, without waiting for a change.
	f.reads.fail.Store(1)
	to := time.Now().Add(time.Hour)
	if d := initial(t, f.hub.Watch(ctx, org.ID, nil, &to)); d.Visitors != 1 {
		t.Errorf("first dashboard after a failed computation: %+v, want the current one (1 visitor)", d)
	}

	// A new feed (another range) and a visit right away, before or during its first computation.
	from := time.Now().Add(-time.Hour)
	ch := f.hub.Watch(ctx, org.ID, &from, nil)
	f.visit(t, org.ID, "meanwhile")
	want, err = f.current(org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got *Dashboard
	for got == nil || got.Visitors != 2 {
		d, ok := nextDashboard(ch, 5*time.Second)
		if !ok {
			t.Fatalf("the new feed's watcher never saw the visit made as it started (last: %+v; now %d visitors)", got, want.Visitors)
		}
		got = d
	}
}

// TestHubThrottlesBursts: however many messages arrive, a feed recomputes at most once per interval, keeps
// recomputing during a long burst, pushes only when the numbers changed, and its last push is the final state.
func TestHubThrottlesBursts(t *testing.T) {
	const interval = 100 * time.Millisecond
	f := newHubFixture(t, interval)
	org := f.newOrg(t, "Acme")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watchers := make([]<-chan *Dashboard, 3)
	for i := range watchers {
		watchers[i] = f.hub.Watch(ctx, org.ID, nil, nil)
	}
	initial(t, watchers...)
	// A reader that keeps up with watcher 0, so that every push it was handed is counted (an unread one would be
	// replaced by the next: a slow watcher gets the latest dashboard, not a backlog).
	watched := make(chan *Dashboard, 1000)
	go func() {
		defer close(watched)
		for d := range watchers[0] {
			watched <- d
		}
	}()

	// The burst: a flood of messages (far more than the broker buffers) and a new visitor every 10 ms.
	const burst = 1500 * time.Millisecond
	start := time.Now()
	f.visit(t, org.ID, "first")
	var published, visits atomic.Int64
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for time.Since(start) < burst {
			f.broker.Publish(ctx, live.Message{OrgID: org.ID, Topic: live.Events, IDs: []string{"evt_noise"}})
			published.Add(1)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; time.Since(start) < burst; i++ {
			f.visit(t, org.ID, fmt.Sprintf("burst-%d", i))
			visits.Add(1)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	final, err := func() (*Dashboard, error) {
		wg.Wait()
		return f.current(org.ID)
	}()
	if err != nil {
		t.Fatal(err)
	}
	burstTook := time.Since(start)
	// Wait for the push that shows the final state (every message of the burst was published before final was
	// computed, so the feed owes one), then make sure nothing follows it.
	var pushes []*Dashboard
	for {
		d, ok := nextDashboard(watched, 5*time.Second)
		if !ok {
			t.Fatalf("after %d pushes, none shows the final %d visitors (last: %+v)", len(pushes), final.Visitors, last(pushes))
		}
		pushes = append(pushes, d)
		if same(d, final) {
			break
		}
	}
	if d, ok := nextDashboard(watched, 3*interval); ok {
		t.Errorf("a push after the final state: %+v", d)
	}

	computations := f.reads.since(start)
	t.Logf("burst of %s: %d messages, %d visits → %d computations, %d pushes (interval %s)",
		burstTook.Round(time.Millisecond), published.Load(), visits.Load(), len(computations), len(pushes), interval)
	most := int(math.Ceil(float64(burstTook)/float64(interval))) + 2
	if len(computations) > most {
		t.Errorf("%d computations in %s, want at most %d (one per %s)", len(computations), burstTook, most, interval)
	}
	for i := 1; i < len(computations); i++ {
		if gap := computations[i].Sub(computations[i-1]); gap < interval-time.Millisecond {
			t.Errorf("computations %d and %d only %s apart, want ≥ %s", i-1, i, gap, interval)
		}
	}
	// A long burst is not one push at its end: the dashboard kept moving while events kept coming.
	if len(pushes) < 3 {
		t.Errorf("%d pushes during a %s burst of changes, want a push about every %s", len(pushes), burst, interval)
	}
	// Every watcher of the feed ends on the same final state (a slow one gets the latest, not a backlog).
	for i, ch := range watchers[1:] {
		var got *Dashboard
		for got == nil || !same(got, final) {
			d, ok := nextDashboard(ch, 5*time.Second)
			if !ok {
				t.Fatalf("watcher %d never got the final state (last %+v)", i+1, got)
			}
			got = d
		}
	}

	// A message that changes nothing is recomputed, but not pushed.
	n := f.reads.count()
	f.broker.Publish(ctx, live.Message{OrgID: org.ID, Topic: live.Events, IDs: []string{"evt_nothing_new"}})
	eventually(t, 5*time.Second, "the feed recomputes after a message", func() bool { return f.reads.count() > n })
	if d, ok := nextDashboard(watched, 3*interval); ok {
		t.Errorf("pushed %+v although nothing changed", d)
	}
}

// current computes the organization's dashboard now, as the hub does but through the unwatched client.
func (f *hubFixture) current(orgID string) (*Dashboard, error) {
	h := &Hub{client: f.db.Client}
	return h.compute(viewer.ForOrganization(context.Background(), orgID), orgID, nil, nil)
}

func last(ds []*Dashboard) *Dashboard {
	if len(ds) == 0 {
		return nil
	}
	return ds[len(ds)-1]
}
