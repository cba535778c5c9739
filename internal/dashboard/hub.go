package dashboard

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/period"
	"github.com/marketingos/marketingos/internal/valueid"
	"github.com/marketingos/marketingos/internal/viewer"
)

// MinInterval is the shortest time between two pushes of one organization's dashboard, however many changes
// arrive: a burst of 10,000 events costs one recomputation a second, not 10,000.
const MinInterval = time.Second

// Hub pushes recomputed dashboards to subscribers. Subscribers of the same organization and range share one feed:
// one goroutine, one recomputation per change window, whatever their number.
type Hub struct {
	client   *ent.Client
	broker   live.Broker
	interval time.Duration
	log      *slog.Logger

	mu    sync.Mutex
	feeds map[feedKey]*feed
	wg    sync.WaitGroup
}

type feedKey struct {
	org      string
	from, to string // RFC 3339, or "" for the moving default
}

type feed struct {
	subs   map[chan *Dashboard]struct{}
	cancel context.CancelFunc
	last   *Dashboard // the latest dashboard pushed, which a new watcher starts with (nil before the first)
}

// NewHub returns a hub listening to broker.
func NewHub(client *ent.Client, broker live.Broker, log *slog.Logger) *Hub {
	return &Hub{client: client, broker: broker, interval: MinInterval, log: log, feeds: map[feedKey]*feed{}}
}

// Watch returns a channel of the organization's dashboard for the range until ctx ends, then closes it. The first
// dashboard is the current one, the next ones are pushed when it changed: a watcher never has to query and then
// hope that nothing changed before its feed started listening. A watcher that is slow gets the latest dashboard,
// not a backlog.
func (h *Hub) Watch(ctx context.Context, orgID string, from, to *time.Time) <-chan *Dashboard {
	key := feedKey{org: orgID, from: stamp(from), to: stamp(to)}
	out := make(chan *Dashboard, 1)
	h.mu.Lock()
	f := h.feeds[key]
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &feed{subs: map[chan *Dashboard]struct{}{}, cancel: cancel}
		h.feeds[key] = f
		h.wg.Add(1)
		go h.run(fctx, key, f, from, to)
	}
	f.subs[out] = struct{}{}
	if f.last != nil {
		out <- f.last // out is new and buffered: this does not block
	}
	h.mu.Unlock()
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(f.subs, out)
		close(out)
		if len(f.subs) == 0 {
			f.cancel()
			delete(h.feeds, key)
		}
	})
	return out
}

// Wait blocks until every feed has stopped (after their subscribers left).
func (h *Hub) Wait() { h.wg.Wait() }

// Feeds counts running feeds (for leak tests).
func (h *Hub) Feeds() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.feeds)
}

func (h *Hub) run(ctx context.Context, key feedKey, f *feed, from, to *time.Time) {
	defer h.wg.Done()
	ctx = viewer.ForOrganization(ctx, key.org)
	// Listening first, then computing the first dashboard: a change committed meanwhile is either in it or pushed
	// after it.
	changes := h.broker.Subscribe(ctx, key.org)
	var last *Dashboard
	var lastComputed time.Time
	// owed: a computation is due without waiting for a change — the first one, and one that failed (tried again
	// after the interval, so that watchers are not left without a dashboard, or with an old one, until the next
	// change).
	for owed := true; ; {
		if !owed {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-changes:
				if !ok {
					return
				}
			}
		}
		// Throttle: wait out the interval since the last computation, then take every change that arrived meanwhile.
		if wait := h.interval - time.Since(lastComputed); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		drain(changes)
		d, err := h.compute(ctx, key.org, from, to)
		lastComputed = time.Now()
		if owed = err != nil; owed {
			if ctx.Err() == nil {
				h.log.WarnContext(ctx, "dashboard: recompute", "organization", key.org, "error", err)
			}
			continue
		}
		if same(last, d) {
			continue
		}
		last = d
		h.broadcast(f, d)
	}
}

func (h *Hub) compute(ctx context.Context, orgID string, from, to *time.Time) (*Dashboard, error) {
	return ForRange(ctx, h.client, orgID, from, to)
}

// ForRange computes the organization's dashboard for the optional range (default: the last 30 days in its time
// zone), with the ID of that range as asked for.
func ForRange(ctx context.Context, client *ent.Client, orgID string, from, to *time.Time) (*Dashboard, error) {
	org, err := client.Organization.Get(ctx, orgID)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	start, end, err := period.Resolve(from, to, period.Location(org.Timezone), now)
	if err != nil {
		return nil, err
	}
	d, err := Compute(ctx, client, org, start, end, now)
	if err != nil {
		return nil, err
	}
	d.ID = ID(orgID, from, to)
	return d, nil
}

// broadcast hands d to every subscriber, replacing an undelivered older dashboard, and keeps it for new ones.
func (h *Hub) broadcast(f *feed, d *Dashboard) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f.last = d
	for ch := range f.subs {
		select {
		case <-ch: // drop the stale one
		default:
		}
		ch <- d
	}
}

func drain(ch <-chan live.Message) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// same reports whether two dashboards show the same numbers (the timestamps aside).
func same(a, b *Dashboard) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	x.From, y.From, x.To, y.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

// stamp is a bound of a feed's range as its key holds it: the same as in the dashboard's ID.
func stamp(t *time.Time) string { return valueid.Instant(t) }
